"""The family fact table and its child tables on Spark: the embedded path's Ibis expressions
(``enrich/facts.py``), compiled for Spark SQL, over views of the lake's tables.

The embedded ``refresh`` of every family writes the fact rows with empty scores, then the cohort scores on
each year basis (an UPDATE), then copies each family's index into its country and owner rows. Here the
same expressions run in the order that needs no UPDATE: fact rows, their scores joined on, then the child
rows read the scored facts. The tables are equal; ``tests/lake/test_enrich.py`` compares them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from patscape.enrich import facts
from patscape.store import schema
from patscape.store.expressions import cached_query

from .tables import conform

DIALECT = "pyspark"
# what the fact expressions read besides the enrichment tables (registered as views by the caller)
SOURCE_TABLES = (
    schema.PUBLICATIONS,
    schema.CLASSES,
    schema.CITATIONS,
    schema.TAGS,
    schema.GENAI_LABELS,
    schema.GENAI_TAGS,
)
CHILD_ROWS = (
    (schema.FAMILY_FACT_COUNTRIES, facts.country_rows),
    (schema.FAMILY_FACT_OWNERS, facts.owner_rows),
    (schema.FAMILY_FACT_TAGS, facts.tag_rows),
)


def _keys(family_ids: pd.Series) -> pd.Series:
    return pd.Series([facts.family_key(f) for f in family_ids], dtype="int64")


def _sql(spark: Any, name: str, build: Callable[[], Any]) -> Any:
    import ibis

    _ = ibis.pyspark  # loads the backend, whose options the Spark SQL compiler reads

    return spark.sql(cached_query(f"lake {name}", DIALECT, build, facts.SOURCES).sql)


def _todo(spark: Any, folder: str) -> None:
    """The to-do view of ``refresh``: every family with its integer key (a key shared by two families
    stops the build, as it does the embedded one)."""
    from pyspark.sql import functions as F
    from pyspark.sql.functions import pandas_udf

    key_udf = pandas_udf(_keys, "long")  # type: ignore[call-overload]
    todo = spark.sql("SELECT DISTINCT family_id FROM families").withColumn("family_key", key_udf("family_id"))
    todo.write.parquet(f"{folder}/todo")
    todo = spark.read.parquet(f"{folder}/todo")
    clashes = todo.groupBy("family_key").count().filter(F.col("count") > 1).count()
    if clashes:
        raise RuntimeError(f"{clashes} family keys coincide: the 63-bit key cannot tell these families apart")
    todo.createOrReplaceTempView(facts.TODO.name)


def family_facts(spark: Any, folder: str) -> Any:
    """``family_facts`` (scored) from the enrichment views and ``SOURCE_TABLES``."""
    _todo(spark, folder)
    rows = _sql(spark, "facts", lambda: facts.fact_rows())
    rows.write.parquet(f"{folder}/unscored")
    rows = spark.read.parquet(f"{folder}/unscored")
    rows.createOrReplaceTempView(schema.FAMILY_FACTS.name)
    for basis in schema.QUALITY_BASES:
        scores = _sql(spark, f"scores-{basis}", lambda b=basis: facts.score_rows(b))
        renamed = scores.select("family_key", *(scores[c].alias(f"{basis}_{c}") for c in facts.SCORE_COLUMNS))
        rows = rows.drop(*(f"{basis}_{c}" for c in facts.SCORE_COLUMNS if f"{basis}_{c}" in rows.columns))
        rows = rows.join(renamed, "family_key", "left")
    return conform(rows, schema.FAMILY_FACTS)


def child_rows(spark: Any, table: schema.Table) -> Any:
    """One child table of the facts, from the views (``family_facts`` scored)."""
    build = dict(CHILD_ROWS)[table]
    return _sql(spark, table.name, lambda: facts._columns(table, build()))


def owner_facts(spark: Any) -> Any:
    return _sql(spark, "owner_facts", lambda: facts._columns(schema.OWNER_FACTS, facts.owner_fact_rows()))
