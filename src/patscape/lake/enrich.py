"""``patscape spark enrich``: families, country attribution and owner groups, rebuilt over the whole lake.

Each table is computed into the run folder from the tables before it (registered as Spark views under the
store's names, so the embedded path's SQL runs unchanged), and all five replace the lake's in one commit.
"""

from __future__ import annotations

import time
from typing import Any

from patscape.enrich.aliases import Aliases
from patscape.enrich.attribution import _WEIGHTED, BASES, pairs_sql
from patscape.store import schema

from . import facts, families, owners
from .commit import Plan, crash_point, new_run_id
from .layout import Lake
from .sql import run_insert
from .tables import conform, spark_schema

SOURCE_TABLES = (schema.PUBLICATIONS, schema.PRIORITIES, schema.RELATED, schema.PARTIES)


def family_countries(spark: Any) -> Any:
    """``family_countries`` from the views ``families``, ``family_members`` and ``parties``."""
    columns = schema.FAMILY_COUNTRIES.column_names
    frames = [run_insert(spark, _WEIGHTED.format(basis=b, pairs=pairs_sql(b)), columns) for b in BASES]
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


class Stager:
    """Stages a run's tables: each computed into the run folder, registered as the view of its name (the
    next tables read it), and put in the run's plan to replace the lake's table at the commit."""

    def __init__(self, lake: Lake, run: str, plan: Plan) -> None:
        self.lake, self.run, self.plan = lake, run, plan
        self.summary: dict[str, Any] = {}

    def __call__(self, table: Any, compute: Any) -> None:
        start = time.perf_counter()
        staged = f"{self.run}/tables/{table.name}"
        conform(compute(), table).write.parquet(staged)
        written = self.lake.spark.read.schema(spark_schema(table)).parquet(staged)
        written.createOrReplaceTempView(table.name)
        self.plan.tables.append((staged.removeprefix(self.lake.root.rstrip("/") + "/"), table.name))
        self.summary[table.name] = {"rows": written.count(), "seconds": round(time.perf_counter() - start, 2)}

    def facts(self) -> None:
        """The family fact table and its child tables, from the views of the enrichment's tables and of
        ``facts.SOURCE_TABLES``."""
        spark = self.lake.spark
        self(schema.FAMILY_FACTS, lambda: facts.family_facts(spark, f"{self.run}/work/facts"))
        for table, _ in facts.CHILD_ROWS:
            self(table, lambda t=table: facts.child_rows(spark, t))
        self(schema.OWNER_FACTS, lambda: facts.owner_facts(spark))


def enrich(lake: Lake, aliases: Aliases | None = None, threshold: float | None = None) -> dict[str, Any]:
    """Rebuild the enrichment tables and the family facts; returns row counts and seconds per step."""
    lake.runs.recover()
    spark = lake.spark
    run_id = new_run_id()
    run = lake.runs.folder(run_id)
    lake.views(list(dict.fromkeys([*SOURCE_TABLES, *facts.SOURCE_TABLES])))
    stage = Stager(lake, run, Plan(run_id))
    stage(schema.FAMILY_MEMBERS, lambda: families.family_members(spark, f"{run}/work/families"))
    stage(schema.FAMILIES, lambda: families.families(spark))
    stage(schema.FAMILY_COUNTRIES, lambda: family_countries(spark))
    stage(schema.OWNER_GROUPS, lambda: owners.owner_groups(spark, f"{run}/work/owners", aliases, threshold))
    stage(schema.FAMILY_OWNERS, lambda: owners.family_owners(spark))
    stage.facts()
    crash_point("enriched")
    lake.runs.commit(stage.plan)
    return {**stage.summary, "run": run_id}
