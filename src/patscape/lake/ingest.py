"""``patscape spark ingest``: files, folders and archives into the lake, with the embedded store's guarantees.

Stages (the driver only plans and holds file names, never documents):

1. **list**: executors expand each file into its inputs (archive members), hash them (BLAKE3, the same
   identity as the embedded ``ingest_log``) and detect their reader;
2. **read**: inputs not in the manifest are read on the executors, one task per input, by the embedded
   readers; each item row carries the publication's table rows (``records.py``);
3. **fold**: a publication met more than once, or already in the lake, is merged record by record in arrival
   order with the embedded store's rule (``records.fold``); the others pass through untouched;
4. **commit**: new rows go to new files of their office/year partitions, files holding a replaced publication
   are rewritten without it, and the small tables (attachments, quarantine, manifest) are rewritten whole;
   everything lands at once through the run's commit plan (``commit.py``).

Ingesting an input again changes nothing (its hash is in the manifest); a job killed at any moment and
started again ends in the state an uninterrupted job gives.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from patscape.sources.containers import ZipLimits
from patscape.store import schema

from . import records
from .commit import Plan, crash_point, new_run_id
from .inputs import INPUT_SCHEMA, list_inputs, read_inputs, top_level_files
from .layout import Lake
from .records import ATTACHMENT, OUTCOME, PUBLICATION, RECORD_TABLES, REJECTED
from .tables import MANIFEST, PARTITION_COLUMNS, spark_schema

MEMBERS_PER_FILE = 1 << 20  # ord_input = file's position * this + member's position (limit: 100,000 members)
SKIP_STATUSES = ("done", "unrecognised")  # as the embedded ingest: refused inputs are tried again


def ingest(lake: Lake, paths: Iterable[str | os.PathLike], limits: ZipLimits | None = None) -> dict[str, Any]:
    """Ingest every input below ``paths`` into the lake; returns the summary (inputs and record counts)."""
    from pyspark.sql import functions as F

    lake.runs.recover()
    spark = lake.spark
    run_id = new_run_id()
    run = lake.runs.folder(run_id)
    files = top_level_files(paths)
    if not files:
        return _summary(spark.createDataFrame([], spark_schema(MANIFEST)), 0)

    # 1. list: inputs, hashes and readers (kept in the run folder: hashing reads every byte)
    file_df = spark.createDataFrame([(f, i) for i, f in enumerate(files)], "file string, ord_file long")
    file_df = file_df.repartition(min(len(files), _slots(spark) * 4))
    listed_schema = _spark_schema(INPUT_SCHEMA)
    file_df.mapInArrow(lambda b: list_inputs(b, limits), listed_schema).write.parquet(f"{run}/inputs")
    crash_point("listed")
    listed = spark.read.parquet(f"{run}/inputs").withColumn(
        "ord_input", F.col("ord_file") * MEMBERS_PER_FILE + F.col("member_idx")
    )
    todo = _inputs_to_read(lake, listed).cache()
    n_todo = todo.count()
    if not n_todo:  # everything is in the manifest already: nothing to write
        summary = _summary(spark.createDataFrame([], spark_schema(MANIFEST)), listed.count())
        lake.fs.delete(run)
        return summary

    # 2. read: one task per input
    readable = todo.filter("error IS NOT NULL OR reader IS NOT NULL")
    n_read = readable.count()
    if n_read:
        readable.repartition(min(n_read, 10_000)).mapInArrow(
            lambda b: read_inputs(b, limits), records.spark_item_schema()
        ).write.parquet(f"{run}/items")
    crash_point("read")
    items = (
        spark.read.schema(records.spark_item_schema()).parquet(f"{run}/items")
        if n_read
        else spark.createDataFrame([], records.spark_item_schema())
    )

    # 3. fold: merge what needs merging, then the rows of every table
    final, outcomes = _fold(lake, items, run)
    crash_point("folded")
    plan = Plan(run_id)
    _write_records(lake, final, run, plan)
    _write_small_tables(lake, items, run, plan)
    _manifest_rows(todo, items, outcomes).write.parquet(f"{run}/handled")
    handled = spark.read.schema(spark_schema(MANIFEST)).parquet(f"{run}/handled")
    _replace_table(lake, MANIFEST, handled, lake.read(MANIFEST), "input_hash", run, plan)
    summary = _summary(handled, listed.count() - n_todo)
    summary["run"] = run_id
    lake.runs.commit(plan)
    todo.unpersist()
    return summary


def _slots(spark: Any) -> int:
    return max(1, spark.sparkContext.defaultParallelism)


def _spark_schema(arrow: pa.Schema):  # type: ignore[no-untyped-def]
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow, prefer_timestamp_ntz=True)


def _inputs_to_read(lake: Lake, listed: Any) -> Any:
    """The inputs this run handles: first occurrence of each hash, not already done; refused ones again."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    first = Window.partitionBy("input_hash").orderBy("ord_input")
    listed = listed.withColumn("occurrence", F.row_number().over(first)).filter("occurrence = 1")
    known = lake.read(MANIFEST).filter(F.col("status").isin(*SKIP_STATUSES)).select("input_hash")
    fresh = listed.join(known, "input_hash", "left_anti")
    return fresh.drop("occurrence")


# -- fold ----------------------------------------------------------------------------------------------


def _fold(lake: Lake, items: Any, run: str) -> tuple[Any, Any]:
    """(final publication items to write, one outcome row per publication read)."""
    from pyspark.sql import functions as F

    spark = lake.spark
    pubs = items.filter(F.col("item") == PUBLICATION)
    counts = pubs.groupBy("pub_key").count()
    existing = lake.read(schema.PUBLICATIONS).select("pub_key")
    touched = counts.select("pub_key").join(existing, "pub_key", "left_semi")
    need = counts.filter("count > 1").select("pub_key").union(touched).distinct()
    need.write.parquet(f"{run}/need")
    need = spark.read.parquet(f"{run}/need")

    single = pubs.join(need, "pub_key", "left_anti").withColumn("outcome", F.lit("stored"))
    arrivals = pubs.join(need, "pub_key", "left_semi")
    before = _existing_items(lake, need, partitions_of(lake, need))
    folded = (
        arrivals.unionByName(before)
        .repartition("pub_key")
        .sortWithinPartitions("pub_key", "ord_input", "ord_doc")
        .mapInArrow(_fold_partition, records.spark_item_schema())
    )
    folded.write.parquet(f"{run}/folded")
    folded = spark.read.schema(records.spark_item_schema()).parquet(f"{run}/folded")
    final = single.unionByName(folded.filter(F.col("item") == PUBLICATION))
    outcomes = single.select("input_hash", "outcome").unionByName(
        folded.filter(F.col("item") == OUTCOME).select("input_hash", "outcome")
    )
    return final, outcomes


def partitions_of(lake: Lake, keys: Any) -> list[tuple[str, int | None]]:
    """The (office, year) partitions holding the lake's publications among ``keys`` (a small list)."""
    pubs = lake.read(schema.PUBLICATIONS).join(keys, "pub_key", "left_semi")
    return sorted(
        {(r["office"], r["year"]) for r in pubs.select(*PARTITION_COLUMNS).distinct().collect()}, key=repr
    )


def _in_partitions(lake: Lake, table: Any, partitions: list[tuple[str, int | None]]) -> Any:
    """A partitioned table's rows in some partitions only (Spark then lists and reads only their folders)."""
    from functools import reduce

    from pyspark.sql import functions as F

    def one(office: str, year: int | None) -> Any:
        same_year = F.col("year").isNull() if year is None else F.col("year") == year
        return (F.col("office") == office) & same_year

    rows = lake.read(table)
    if not partitions:
        return rows.limit(0)
    return rows.filter(reduce(lambda a, b: a | b, (one(o, y) for o, y in partitions)))


def _existing_items(lake: Lake, keys: Any, partitions: list[tuple[str, int | None]]) -> Any:
    """The lake's publications among ``keys`` as item rows, ordered before anything read now."""
    from pyspark.sql import functions as F

    pubs = _in_partitions(lake, schema.PUBLICATIONS, partitions).join(keys, "pub_key", "left_semi")
    cols = schema.PUBLICATIONS.column_names
    out = pubs.select("pub_key", F.struct(*cols).alias(schema.PUBLICATIONS.name))
    for table in schema.DETAIL_TABLES:
        rows = (
            _in_partitions(lake, table, partitions)
            .join(keys, "pub_key", "left_semi")
            .groupBy("pub_key")
            .agg(F.collect_list(F.struct(*table.column_names)).alias(table.name))
        )
        out = out.join(rows, "pub_key", "left")
    item_schema = records.spark_item_schema()
    return out.select(
        F.lit(PUBLICATION).alias("item"),
        "pub_key",
        F.lit(None).cast("string").alias("input_hash"),
        F.lit(-1).cast("long").alias("ord_input"),
        F.lit(0).cast("long").alias("ord_doc"),
        F.lit(None).cast("string").alias("outcome"),
        schema.PUBLICATIONS.name,
        *(
            F.coalesce(F.col(t.name), F.array().cast(item_schema[t.name].dataType)).alias(t.name)
            for t in schema.DETAIL_TABLES
        ),
        F.lit(None).cast(item_schema[schema.ATTACHMENTS.name].dataType).alias(schema.ATTACHMENTS.name),
        F.lit(None).cast(item_schema[schema.QUARANTINE.name].dataType).alias(schema.QUARANTINE.name),
    )


def _fold_partition(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Rows sorted by publication and arrival -> the fold of each publication (records.fold)."""
    key: str | None = None
    group: list[dict] = []
    out: list[dict] = []
    for part in batches:
        for row in part.to_pylist():
            if row["pub_key"] != key and group:
                out.extend(_fold_group(group))
                group = []
            key = row["pub_key"]
            group.append(row)
        if len(out) >= 256:
            yield records.batch(out)
            out = []
    if group:
        out.extend(_fold_group(group))
    if out:
        yield records.batch(out)


def _fold_group(group: list[dict]) -> Iterator[dict]:
    existing = group[0] if group[0]["ord_input"] < 0 else None
    return records.fold(existing, group[1:] if existing else group)


# -- writing -------------------------------------------------------------------------------------------


def partition_columns(final: Any) -> Any:
    from pyspark.sql import functions as F

    pub = F.col(schema.PUBLICATIONS.name)
    return final.withColumn("office", pub["country"]).withColumn("year", F.year(pub["published"]).cast("int"))


def _write_records(lake: Lake, final: Any, run: str, plan: Plan) -> None:
    """New rows into new files of their partitions; files holding a replaced publication rewritten."""
    from pyspark.sql import functions as F

    partition_columns(final).write.parquet(f"{run}/final")
    final = lake.spark.read.parquet(f"{run}/final")
    replaced = final.filter(F.col("outcome") == "replaced").select("pub_key")
    replaced.write.parquet(f"{run}/replaced")
    replaced = lake.spark.read.parquet(f"{run}/replaced")
    old_partitions = partitions_of(lake, replaced)
    for table in RECORD_TABLES:
        if table is schema.PUBLICATIONS:
            rows = final.select(f"{table.name}.*", *PARTITION_COLUMNS)
        else:
            rows = final.select(F.explode(table.name).alias("r"), *PARTITION_COLUMNS).select(
                "r.*", *PARTITION_COLUMNS
            )
        _write_partitioned(rows, f"{run}/new/{table.name}")
        stale = _files_holding(lake, table, replaced, old_partitions)
        if stale:
            kept = lake.read_files(table, stale).join(replaced, "pub_key", "left_anti")
            _write_partitioned(kept, f"{run}/rewrite/{table.name}")
            plan.deletes.extend(f"{table.name}/{f}" for f in stale)
        for stage in ("new", "rewrite"):
            staged = f"{run}/{stage}/{table.name}"
            for rel in lake.fs.files(staged):
                plan.moves.append((_relative(lake, f"{staged}/{rel}"), f"{table.name}/{rel}"))


def _write_partitioned(rows: Any, path: str) -> None:
    rows.repartition(*PARTITION_COLUMNS).write.partitionBy(*PARTITION_COLUMNS).parquet(path)


def _files_holding(lake: Lake, table: Any, keys: Any, partitions: list[tuple[str, int | None]]) -> list[str]:
    from pyspark.sql import functions as F

    if not partitions or not lake.has(table):
        return []
    base = lake.path(table).rstrip("/") + "/"
    found = (
        _in_partitions(lake, table, partitions)
        .select("pub_key", F.input_file_name().alias("file"))
        .join(keys, "pub_key", "left_semi")
        .select("file")
        .distinct()
        .collect()
    )
    return sorted(r["file"].removeprefix(base) for r in found)


def _relative(lake: Lake, path: str) -> str:
    return path.removeprefix(lake.root.rstrip("/") + "/")


def _write_small_tables(lake: Lake, items: Any, run: str, plan: Plan) -> None:
    """Attachments and quarantine: the last row of each key wins, as the embedded store's delete + insert."""
    from pyspark.sql import functions as F

    attachments = items.filter(F.col("item") == ATTACHMENT)
    att_rows = attachments.select(f"{schema.ATTACHMENTS.name}.*", "ord_input", "ord_doc")
    _replace_table(
        lake,
        schema.ATTACHMENTS,
        _last(
            att_rows.withColumn("k", F.concat_ws("\x00", "pub_key", "kind", F.coalesce("detail", F.lit("")))),
            "k",
        ),
        lake.read(schema.ATTACHMENTS).withColumn(
            "k", F.concat_ws("\x00", "pub_key", "kind", F.coalesce("detail", F.lit("")))
        ),
        "k",
        run,
        plan,
    )
    rejected = items.filter(F.col("item") == REJECTED)
    q_rows = rejected.select(f"{schema.QUARANTINE.name}.*", "ord_input", "ord_doc")
    _replace_table(
        lake,
        schema.QUARANTINE,
        _last(q_rows, "quarantine_id"),
        lake.read(schema.QUARANTINE),
        "quarantine_id",
        run,
        plan,
    )


def _last(rows: Any, key: str) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    latest = Window.partitionBy(key).orderBy(F.col("ord_input").desc(), F.col("ord_doc").desc())
    return (
        rows.withColumn("_n", F.row_number().over(latest)).filter("_n = 1").drop("_n", "ord_input", "ord_doc")
    )


def _replace_table(lake: Lake, table: Any, new: Any, old: Any, key: str, run: str, plan: Plan) -> None:
    """Rewrite a small table whole: the old rows whose key is not among the new rows, and the new rows."""
    columns = table.column_names
    merged = old.join(new.select(key), key, "left_anti").select(*columns).unionByName(new.select(*columns))
    staged = f"{run}/tables/{table.name}"
    merged.coalesce(1).write.parquet(staged)
    plan.tables.append((_relative(lake, staged), table.name))


# -- manifest and summary ------------------------------------------------------------------------------


def _manifest_rows(todo: Any, items: Any, outcomes: Any) -> Any:
    """One manifest row per input handled by this run, with its counts and the partitions it wrote."""
    from pyspark.sql import functions as F

    pubs = partition_columns(items.filter(F.col("item") == PUBLICATION))
    per_item = items.groupBy("input_hash").agg(
        F.count("*").alias("items_done"),
        F.sum((F.col("item") != ATTACHMENT).cast("long")).alias("read"),
        F.sum((F.col("item") == REJECTED).cast("long")).alias("rejected"),
        F.sum((F.col("item") == ATTACHMENT).cast("long")).alias("attached"),
    )
    per_outcome = outcomes.groupBy("input_hash").agg(
        *(F.sum((F.col("outcome") == o).cast("long")).alias(o) for o in ("stored", "replaced", "unchanged"))
    )
    partitions = pubs.groupBy("input_hash").agg(
        F.concat_ws(
            ",",
            F.array_sort(
                F.collect_set(
                    F.concat(
                        F.lit("office="),
                        F.col("office"),
                        F.lit("/year="),
                        F.coalesce(F.col("year").cast("string"), F.lit("__HIVE_DEFAULT_PARTITION__")),
                    )
                )
            ),
        ).alias("partitions")
    )
    now = F.current_timestamp().cast("timestamp_ntz")
    status = (
        F.when(F.col("error").isNotNull(), "refused")
        .when(F.col("reader").isNull(), "unrecognised")
        .otherwise("done")
    )
    message = F.when(F.col("error").isNotNull(), F.col("error")).when(
        F.col("reader").isNull(), F.lit("no reader recognises this content")
    )
    refused = F.col("error").isNotNull()
    rows = (
        todo.join(per_item, "input_hash", "left")
        .join(per_outcome, "input_hash", "left")
        .join(partitions, "input_hash", "left")
        .select(
            "input_hash",
            "file",
            "member",
            "size",
            "reader",
            status.alias("status"),
            *(
                F.when(refused, F.lit(0)).otherwise(F.coalesce(F.col(c), F.lit(0))).cast("long").alias(c)
                for c in ("items_done", "read", "stored", "replaced", "unchanged", "rejected", "attached")
            ),
            message.alias("message"),
            now.alias("started_at"),
            now.alias("finished_at"),
            "partitions",
        )
    )
    return rows


def _summary(manifest: Any, already: int) -> dict[str, Any]:
    """The run's figures in the embedded ingest's shape (``IngestSummary.as_dict``)."""
    from pyspark.sql import functions as F

    counts = ("read", "stored", "replaced", "unchanged", "rejected", "attached")
    by_format = {
        r["reader"]: {c: int(r[c] or 0) for c in counts}
        for r in manifest.filter("reader IS NOT NULL AND status = 'done'")
        .groupBy("reader")
        .agg(*(F.sum(c).alias(c) for c in counts))
        .collect()
    }
    statuses = {
        r["status"]: int(r["n"]) for r in manifest.groupBy("status").agg(F.count("*").alias("n")).collect()
    }
    inputs = {
        "ingested": statuses.get("done", 0),
        "unrecognised": statuses.get("unrecognised", 0),
        "refused": statuses.get("refused", 0),
    }
    if already:
        inputs["already-ingested"] = already
    total = {c: sum(f[c] for f in by_format.values()) for c in counts}
    total["rejected"] += statuses.get("refused", 0)

    def labels(status: str) -> list[str]:
        rows = manifest.filter(F.col("status") == status).select("file", "member", "message").collect()
        return [f"{r['file']}!{r['member']}" if r["member"] else r["file"] for r in rows], rows

    unrecognised, _ = labels("unrecognised")
    refused, refused_rows = labels("refused")
    return {
        "by_format": dict(sorted(by_format.items())),
        "total": total,
        "inputs": {k: v for k, v in sorted(inputs.items()) if v},
        "unrecognised": sorted(unrecognised),
        "refused": sorted(f"{label}: {r['message']}" for label, r in zip(refused, refused_rows, strict=True)),
    }
