"""The ``patscape`` command group and what every command shares: the database and JSON options, and the
console script's own-process settings."""

from __future__ import annotations

import importlib.abc
import sys

import click

from patscape import __version__
from patscape.store.target import StoreError

STORE_ERROR_STATUS = 2  # a database that is missing, refused, or not ready for the command


class StoreProblem(click.ClickException):
    exit_code = STORE_ERROR_STATUS


INTERRUPTED_STATUS = 130  # as a shell reports a process ended by Ctrl-C


class Group(click.Group):
    """No command ends in a traceback unless asked (``--debug`` or ``PATSCAPE_DEBUG=1``): store errors (no
    database, a database locked by another process, an unknown --db scheme, enrichment to run first) end it
    with their message and exit status 2; Ctrl-C with "interrupted" and 130; anything unexpected with its
    message, exit status 1, and how to see the traceback."""

    def invoke(self, ctx: click.Context) -> object:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            if debug:
                raise
            raise StoreProblem(str(exc)) from None
        except (KeyboardInterrupt, click.Abort):
            if debug:
                raise
            click.echo("interrupted", err=True)
            ctx.exit(INTERRUPTED_STATUS)
        except (click.ClickException, click.exceptions.Exit, SystemExit):
            raise
        except BrokenPipeError:  # the reader went away (`| head`): nothing more to say, to no one
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except Exception as exc:
            if debug:
                raise
            if _interrupted(exc):
                click.echo("interrupted", err=True)
                ctx.exit(INTERRUPTED_STATUS)
            raise click.ClickException(
                f"{type(exc).__name__}: {exc} (run again with --debug for the traceback)"
            ) from None


def _interrupted(exc: BaseException | None) -> bool:
    """Whether Ctrl-C ended a database query: DuckDB takes the signal itself and raises its own error
    (``InterruptException``, or "Query interrupted" as the writing threads pass it on)."""
    while exc is not None:
        if type(exc).__name__ == "InterruptException" or str(exc) == "Query interrupted":
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def invocation(ctx: click.Context) -> str:
    """The command as typed, with the options given (the defaults left out): for the record of an output."""
    import shlex

    parts = ["patscape", *ctx.command_path.split()[1:]]  # the program, whatever name it was run under
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        source = ctx.get_parameter_source(param.name or "")
        if source is None or source.name == "DEFAULT" or value in (None, False, ()):
            continue
        flag = param.opts[0] if isinstance(param, click.Option) else ""
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if flag and v is True:
                parts.append(flag)
            else:
                parts += [flag, str(v)] if flag else [str(v)]
    return " ".join(shlex.quote(p) for p in parts)


def db_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--db",
        envvar="PATSCAPE_DB",
        default=None,
        metavar="PATH|URL",
        help="DuckDB file or postgresql:// URL [env PATSCAPE_DB; default: patscape.duckdb in the user data "
        "directory].",
    )(f)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="patscape")
@click.option(
    "--debug",
    is_flag=True,
    envvar="PATSCAPE_DEBUG",
    help="Show the traceback of an error [env PATSCAPE_DEBUG].",
)
def main(debug: bool) -> None:
    """patscape: open patent intelligence for generative AI.

    \b
    Typical session:
      patscape ingest ../shared/data/go_uspto_testdata  # files, folders or zips; indexed for search
      patscape stats                                     # what is stored
      patscape show US-6530116-B2                        # one publication with everything stored about it
      patscape search 'ti="vacuum cleaner"'                # the search language (see search --help)
    """


OWN_PROCESS = False  # set by the console script; not when the commands run inside another program


class Refused(importlib.abc.MetaPathFinder):
    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == self.name or fullname.startswith(self.name + "."):
            raise ImportError(f"{self.name} is not used by this command")


def refuse_import(name: str) -> None:
    """Keep a module this process never uses from being loaded, for the rest of the process.

    DuckDB (binding parameters) and pyarrow (building arrays) import pandas and numpy only to ask whether a
    value is one of theirs, and take their absence gracefully. For ``patscape ingest`` that is 45 MB
    (pandas) and 11 MB (numpy) of the writing process's memory for nothing. Only for a command's own
    short-lived process: both libraries remember the answer.
    """
    if OWN_PROCESS and name not in sys.modules:
        sys.meta_path.insert(0, Refused(name))
