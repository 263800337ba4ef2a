"""``patscape spark enrich``: families, country attribution and owner groups, rebuilt over the whole lake.

Each table is computed into the run folder from the tables before it (registered as Spark views under the
store's names, so the embedded path's SQL runs unchanged), and all five replace the lake's in one commit.
"""

from __future__ import annotations

import time
from typing import Any

from patscape.enrich.aliases import Aliases
from patscape.enrich.attribution import _PAIRS, _WEIGHTED, BASES
from patscape.store import schema

from . import families, owners
from .commit import Plan, crash_point, new_run_id
from .layout import Lake
from .sql import run_insert
from .tables import conform, spark_schema

SOURCE_TABLES = (schema.PUBLICATIONS, schema.PRIORITIES, schema.RELATED, schema.PARTIES)


def family_countries(spark: Any) -> Any:
    """``family_countries`` from the views ``families``, ``family_members`` and ``parties``."""
    columns = schema.FAMILY_COUNTRIES.column_names
    frames = [run_insert(spark, _WEIGHTED.format(basis=b, pairs=_PAIRS[b]), columns) for b in BASES]
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


def enrich(lake: Lake, aliases: Aliases | None = None, threshold: float | None = None) -> dict[str, Any]:
    """Rebuild the enrichment tables; returns row counts and seconds per step."""
    lake.runs.recover()
    spark = lake.spark
    run_id = new_run_id()
    run = lake.runs.folder(run_id)
    lake.views(list(SOURCE_TABLES))
    plan = Plan(run_id)
    summary: dict[str, Any] = {}

    def stage(table: Any, compute: Any) -> None:
        start = time.perf_counter()
        staged = f"{run}/tables/{table.name}"
        frame = compute()
        conform(frame, table).write.parquet(staged)
        written = spark.read.schema(spark_schema(table)).parquet(staged)
        written.createOrReplaceTempView(table.name)
        plan.tables.append((staged.removeprefix(lake.root.rstrip("/") + "/"), table.name))
        summary[table.name] = {"rows": written.count(), "seconds": round(time.perf_counter() - start, 2)}

    stage(schema.FAMILY_MEMBERS, lambda: families.family_members(spark, f"{run}/work/families"))
    stage(schema.FAMILIES, lambda: families.families(spark))
    stage(schema.FAMILY_COUNTRIES, lambda: family_countries(spark))
    stage(schema.OWNER_GROUPS, lambda: owners.owner_groups(spark, f"{run}/work/owners", aliases, threshold))
    stage(schema.FAMILY_OWNERS, lambda: owners.family_owners(spark))
    crash_point("enriched")
    lake.runs.commit(plan)
    summary["run"] = run_id
    return summary
