"""The command line: thin; each command calls one library function and prints its result.

The commands live in modules by area; importing them registers them on ``main``."""

from __future__ import annotations

from patscape.cli import (
    app,
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
    spark_commands,
)


def run() -> None:
    """The ``patscape`` console script: each command in a process of its own."""
    app.OWN_PROCESS = True
    main()
