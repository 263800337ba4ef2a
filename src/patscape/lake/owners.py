"""Owner groups on Spark, with the embedded path's normaliser, alias file and grouping, on the executors.

``enrich/owners.group_names`` looks for links between names only inside blocks (names sharing a first word,
the first letters of their words, or their first three letters), then joins linked names. On Spark:

1. the names are counted from the parties (the embedded path's SQL), then normalised on the executors;
2. each block is sent to an executor, which finds its links with the embedded path's own functions;
3. the links are joined into connected components in DataFrames (``graph.py``);
4. buckets of whole components go to ``group_names`` itself. A set of whole components holds every link of
   its names, so ``group_names`` assigns each name there as it does over all names at once.

The owners' countries are then voted in DataFrames as ``build_owners`` does, and ``family_owners`` is the
embedded path's SQL.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from patscape.enrich import owners as embedded
from patscape.enrich.aliases import Aliases, load_aliases
from patscape.enrich.attribution import OWNER_PARTIES_SQL
from patscape.enrich.names import has_cjk, is_organisation
from patscape.store import schema

from .graph import components
from .sql import run_insert

NAMES_PER_BUCKET = 50_000
GROUPED = ["raw_name", "normalised", "group_id", "group_name", "method", "score"]


def _reader(aliases: Aliases):  # type: ignore[no-untyped-def]
    def read(raw: pd.Series) -> pd.DataFrame:
        """Each raw name as ``read_names`` reads it, and whether its normalised form reads as an
        organisation's (``group_names``'s test, per name; a normalised form's is any of its names')."""
        found = embedded.read_names(raw, aliases)
        rows = [found[r] for r in raw]
        return pd.DataFrame(
            {
                "norm": [r.normalised for r in rows],
                "company": [r.company for r in rows],
                "alias_id": [r.alias_id for r in rows],
                "org": [bool(r.company or is_organisation(r.normalised)) for r in rows],
            }
        )

    return read


def block_keys(norm: str, org: bool) -> list[tuple[str, str]]:
    """The blocks in which ``group_names`` compares a normalised name: (kind of link, key)."""
    keys = [("prefix", norm[:2] if has_cjk(norm) else (norm.split() or [""])[0])]
    if not has_cjk(norm):
        words = [w for w in norm.split() if w not in embedded._STOPWORDS]
        if org and len(words) >= 2:
            keys.append(("abbreviation", f"{words[0][:3]}|{len(words)}"))
        compact = norm.replace(" ", "")
        if len(compact) >= embedded._MIN_FUZZY_LEN:
            keys.append(("fuzzy", compact[:3]))
    return keys


def _block_links(threshold: float):  # type: ignore[no-untyped-def]
    def links(block: pd.DataFrame) -> pd.DataFrame:
        kind = block["kind"].iloc[0]
        org = dict(zip(block["norm"], block["org"], strict=True))
        norms = set(org)
        if kind == "prefix":
            found = embedded._prefix_links(norms, org)
        elif kind == "abbreviation":
            found = embedded._abbreviation_links(norms, org)
        else:
            found = embedded._fuzzy_links(norms, org, threshold)
        pairs = [(a, b) for a, b, _ in found]
        return pd.DataFrame(pairs, columns=["src", "dst"], dtype="object")

    return links


def python_values(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with Python values, a missing one None.

    pandas 3 reads Arrow strings as its ``str`` dtype, whose missing value is NaN: a float, and truthy, where
    the embedded functions test ``if alias_id``."""
    return frame.astype(object).where(frame.notna(), None)


def _grouped(aliases: Aliases, threshold: float):  # type: ignore[no-untyped-def]
    columns = [*GROUPED, "organisation", "alias_id"]

    def assign(bucket: pd.DataFrame) -> pd.DataFrame:
        bucket = python_values(bucket)
        counts = dict(zip(bucket["raw_name"], bucket["n"].astype(int), strict=True))
        read = {
            r.raw_name: embedded.ReadName(r.norm, bool(r.company), r.alias_id)
            for r in bucket.itertuples(index=False)
        }
        found = embedded.group_names(counts, aliases, threshold, read)
        rows = [
            (*(getattr(a, c) for c in GROUPED), read[a.raw_name].company, read[a.raw_name].alias_id)
            for a in found.values()
        ]
        # object columns: pandas would infer a column of no alias as floats (NaN), which pyspark's Arrow
        # conversion to a string column returns as a ChunkedArray that the result's struct refuses
        return pd.DataFrame(rows, columns=columns, dtype=object)

    return assign


def owner_groups(
    spark: Any, folder: str, aliases: Aliases | None = None, threshold: float | None = None
) -> Any:
    """``owner_groups`` from the ``parties`` view."""
    from pyspark.sql import functions as F
    from pyspark.sql.functions import pandas_udf

    aliases = aliases if aliases is not None else load_aliases()
    threshold = embedded.FUZZY_THRESHOLD if threshold is None else threshold
    by_country = spark.sql(
        f"SELECT name, country, count(*) AS n FROM ({OWNER_PARTIES_SQL}) op GROUP BY name, country"
    )
    by_country.write.parquet(f"{folder}/name_countries")
    by_country = spark.read.parquet(f"{folder}/name_countries")
    counts = by_country.groupBy("name").agg(F.sum("n").alias("n")).withColumnRenamed("name", "raw_name")

    read_udf = pandas_udf(  # type: ignore[call-overload]
        _reader(aliases), "norm string, company boolean, alias_id string, org boolean"
    )
    names = counts.withColumn("x", read_udf("raw_name")).select("raw_name", "n", "x.*")
    names.write.parquet(f"{folder}/names")
    names = spark.read.parquet(f"{folder}/names")
    norms = names.groupBy("norm").agg(F.max(F.col("org").cast("int")).cast("boolean").alias("org"))

    keys_udf = F.udf(block_keys, "array<struct<kind: string, key: string>>")
    blocks = norms.select("norm", "org", F.explode(keys_udf("norm", "org")).alias("b")).select(
        "norm", "org", "b.kind", "b.key"
    )
    links = blocks.groupBy("kind", "key").applyInPandas(_block_links(threshold), "src string, dst string")
    edges = links.union(norms.select(F.col("norm").alias("src"), F.col("norm").alias("dst")))
    labels = components(edges, f"{folder}/components")

    n_names = names.count()
    buckets = max(spark.sparkContext.defaultParallelism, n_names // NAMES_PER_BUCKET + 1)
    by_bucket = names.join(labels.withColumnRenamed("node", "norm"), "norm").withColumn(
        "bucket", F.abs(F.xxhash64("label")) % buckets
    )
    groups = by_bucket.groupBy("bucket").applyInPandas(
        _grouped(aliases, threshold),
        "raw_name string, normalised string, group_id string, group_name string, method string, "
        "score double, organisation boolean, alias_id string",
    )
    groups.write.parquet(f"{folder}/groups")
    groups = spark.read.parquet(f"{folder}/groups")
    return _with_countries(groups, by_country, aliases)


def _with_countries(groups: Any, by_country: Any, aliases: Aliases) -> Any:
    """Each name's most frequent country, else its group's (the alias file's, else its most frequent)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    spark = groups.sparkSession
    given = by_country.filter("country IS NOT NULL").withColumnRenamed("name", "raw_name")
    first = Window.partitionBy("raw_name").orderBy(F.col("n").desc(), "country")
    own = (
        given.withColumn("r", F.row_number().over(first))
        .filter("r = 1")
        .select("raw_name", F.col("country").alias("own"))
    )
    votes = (
        given.join(groups.select("raw_name", "group_id"), "raw_name")
        .groupBy("group_id", "country")
        .agg(F.sum("n").alias("n"))
    )
    top = Window.partitionBy("group_id").orderBy(F.col("n").desc(), "country")
    voted = (
        votes.withColumn("r", F.row_number().over(top))
        .filter("r = 1")
        .select("group_id", F.col("country").alias("voted"))
    )
    alias_rows = [(g.id, g.country) for g in aliases.groups if g.country]
    alias_country = spark.createDataFrame(alias_rows, "group_id string, alias string")
    return (
        groups.join(own, "raw_name", "left")
        .join(voted, "group_id", "left")
        .join(alias_country, "group_id", "left")
        .select(
            "raw_name",
            "normalised",
            "group_id",
            "group_name",
            F.coalesce("own", "alias", "voted").alias("country"),
            "method",
            "score",
            "organisation",
            "alias_id",
        )
    )


def family_owners(spark: Any) -> Any:
    """``family_owners`` from the views ``family_members``, ``parties`` and ``owner_groups``."""
    return run_insert(spark, embedded.family_owners_sql(), schema.FAMILY_OWNERS.column_names)
