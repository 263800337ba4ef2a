"""The landscape over a lake: the backend-neutral Ibis expressions of ``patscape.landscape``, run by Spark.

Every table the landscape reads is registered as a Spark view under its store name (empty, with its
columns, when the lake has no such table yet, as in a fresh embedded store), then Ibis's PySpark backend
runs the same expressions as on DuckDB or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from patscape.landscape.backends import LANDSCAPE_TABLES
from patscape.store import schema

from .layout import Lake
from .tables import by_name

# the lake writes no ``family_fact_sources``: the landscape counts the source composition over the
# publications instead (the same figures, ``landscape/coverage.py``); an empty view would count none
LAKE_LANDSCAPE_TABLES = tuple(n for n in LANDSCAPE_TABLES if n != schema.FAMILY_FACT_SOURCES.name)


def connect(lake: Lake, tables: Iterable[str] = LAKE_LANDSCAPE_TABLES) -> Any:
    """An Ibis backend over these tables of the lake."""
    import ibis

    lake.views([by_name(name) for name in tables])
    return ibis.pyspark.connect(lake.spark)


def landscape(lake: Lake, request: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """``patscape landscape``'s (frames, meta) for a ``landscape.command.Request``, computed by Spark."""
    from patscape.landscape.command import run_on

    return run_on(connect(lake), request)
