"""The command line: thin; each command calls one library function and prints its result.

The commands live in modules by area; importing them registers them on ``main``."""

from __future__ import annotations

from patscape.cli import (
    app,
    beyond_commands,
    coverage_commands,
    digest_commands,
    genai_commands,
    landscape_commands,
    monitor_commands,
    search_commands,
    spark_commands,
    store_commands,
)
from patscape.cli.app import main

__all__ = ["main", "run"]
_COMMAND_MODULES = (
    store_commands,
    genai_commands,
    landscape_commands,
    search_commands,
    monitor_commands,
    coverage_commands,
    beyond_commands,
    digest_commands,
    spark_commands,
)


def run() -> None:
    """The ``patscape`` console script: each command in a process of its own (Ctrl-C outside a command, as
    while the command line is read, ends it as inside one: without a traceback)."""
    import sys

    app.OWN_PROCESS = True
    try:
        main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(app.INTERRUPTED_STATUS)
