"""Families on Spark: the membership rules of ``enrich/families.py`` as joins and aggregations.

The union-find of the embedded path becomes connected components in DataFrames (``graph.py``) over the same
nodes: ``p:<pub_key>``, ``f:<filing key>`` and ``d:<DOCDB family id>``; filing keys come from the same
``filing_key`` function (a vectorised UDF). The per-family figures are the embedded path's SQL, run by Spark.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from patscape.enrich.families import EXTENDED_PREFIX, RELATED_CLAIMS, SIMPLE_PREFIX, families_sql
from patscape.enrich.filing_keys import filing_key
from patscape.store import schema

from .graph import components
from .sql import run_insert

_SEP = "\x1f"  # joins a signature's filing keys into one string


def _filing_keys(country: pd.Series, number: pd.Series, date: pd.Series) -> pd.Series:
    # a batch whose values are all null can arrive as floats (NaN): null is None for filing_key
    columns = [c.astype(object).where(c.notna(), None) for c in (country, number, date)]
    return pd.Series([filing_key(c, n, d) for c, n, d in zip(*columns, strict=True)], dtype="object")


def family_members(spark: Any, folder: str) -> Any:
    """``family_members`` from the ``publications``, ``priorities`` and ``related`` views."""
    from pyspark.sql import functions as F
    from pyspark.sql.functions import pandas_udf

    key_udf = pandas_udf(_filing_keys, "string")  # type: ignore[call-overload]
    pubs = spark.sql(
        "SELECT pub_key, country, kind, published, family_id, app_country, app_number, app_date "
        "FROM publications"
    )
    claims = (
        spark.sql(
            "SELECT pub_key, country, number, date FROM priorities "
            "WHERE country IS NOT NULL AND number IS NOT NULL "
            f"UNION ALL SELECT pub_key, country, number, date FROM related r WHERE {RELATED_CLAIMS} "
            "AND country IS NOT NULL AND number IS NOT NULL"
        )
        .select("pub_key", key_udf("country", "number", "date").alias("key"))
        .filter("key IS NOT NULL")
        .distinct()
    )
    # the application's key: the office of the application, else of the publication (Python's `or`)
    app_office = F.when(
        F.col("app_country").isNull() | (F.col("app_country") == ""), F.col("country")
    ).otherwise(F.col("app_country"))
    pubs = pubs.withColumn("app", key_udf(app_office, "app_number", "app_date"))
    signatures = claims.groupBy("pub_key").agg(
        F.array_join(F.array_sort(F.collect_set("key")), _SEP).alias("sig")
    )
    pubs = pubs.join(signatures, "pub_key", "left").withColumn("sig", F.coalesce("sig", "app"))
    pubs.write.parquet(f"{folder}/pubs")
    pubs = spark.read.parquet(f"{folder}/pubs")
    linked = pubs.filter("sig IS NOT NULL")

    node = F.concat(F.lit("p:"), "pub_key")
    edges = (
        claims.join(linked.select("pub_key"), "pub_key", "left_semi")
        .select(node.alias("src"), F.concat(F.lit("f:"), "key").alias("dst"))
        .union(
            linked.filter("app IS NOT NULL").select(
                node.alias("src"), F.concat(F.lit("f:"), "app").alias("dst")
            )
        )
        .union(
            linked.filter("family_id IS NOT NULL").select(
                node.alias("src"), F.concat(F.lit("d:"), "family_id").alias("dst")
            )
        )
        .union(linked.select(node.alias("src"), node.alias("dst")))
    )
    labels = components(edges, f"{folder}/components")

    own = labels.withColumnRenamed("node", "own_node").withColumnRenamed("label", "own_label")
    docdb = labels.withColumnRenamed("node", "docdb_node").withColumnRenamed("label", "docdb_label")
    docdb_node = F.concat(F.lit("d:"), "family_id")
    with_comp = (
        pubs.join(own, node == F.col("own_node"), "left")
        .join(docdb, docdb_node == F.col("docdb_node"), "left")
        .withColumn(
            "comp",
            F.when(F.col("sig").isNotNull(), F.col("own_label"))
            .when(F.col("family_id").isNotNull(), F.coalesce("docdb_label", docdb_node))
            .otherwise(node),
        )
    )
    ext = with_comp.groupBy("comp").agg(F.min("pub_key").alias("ext_min"))
    sig = (
        with_comp.filter("sig IS NOT NULL")
        .groupBy("sig")
        .agg(F.min("pub_key").alias("sig_min"), F.collect_set("family_id").alias("sig_docdb"))
    )
    out = with_comp.join(ext, "comp").join(sig, "sig", "left")
    extended = F.concat(F.lit(EXTENDED_PREFIX), "ext_min")
    simple = F.coalesce(
        F.col("family_id"), F.concat(F.lit(SIMPLE_PREFIX), F.coalesce(F.col("sig_min"), F.col("pub_key")))
    )
    unit = F.coalesce(
        F.col("family_id"), F.when(F.size("sig_docdb") == 1, F.element_at("sig_docdb", 1)), extended
    )
    return out.select(
        unit.alias("family_id"),
        "pub_key",
        "country",
        "published",
        "kind",
        simple.alias("simple_family_id"),
        extended.alias("extended_family_id"),
    )


def families(spark: Any) -> Any:
    """``families`` from the views ``family_members``, ``publications``, ``priorities`` and ``related``."""
    return run_insert(spark, families_sql(), schema.FAMILIES.column_names)
