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


class Group(click.Group):
    """Every command's store errors (no database, an unknown --db scheme, enrichment to run first) end it
    with their message and exit status 2, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except StoreError as exc:
            raise StoreProblem(str(exc)) from None


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
def main() -> None:
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
