"""``patscape spark classify``: the generative-AI labels of the lake's publications, on the executors.

The pipeline (``default_pipeline()``: the shipped query and classifier, or the given files) is broadcast
once; a vectorised UDF (``mapInArrow``) builds each batch's documents as ``genai.document.from_store`` does
and labels them with ``Pipeline.decide`` and ``store_labels.label_rows``, the embedded path's functions.
As ``patscape classify``, a run labels the publications with no label of the current query/model version
(all of them with ``relabel``), so a second run labels nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from patscape.enrich.genai.document import Document
from patscape.enrich.genai.pipeline import Pipeline, default_pipeline
from patscape.enrich.genai.store_labels import METHOD, label_rows
from patscape.store import schema
from patscape.store.rows import now

from . import facts
from .commit import Plan, crash_point, new_run_id
from .enrich import Stager
from .layout import Lake
from .tables import arrow_fields

TEXT_KINDS = ("title", "abstract", "claims")
LABEL_TABLES = (schema.GENAI_LABELS, schema.GENAI_TAGS)
_TAG = pa.struct(
    [f for f in arrow_fields(schema.GENAI_TAGS) if f.name not in ("pub_key", "method", "method_version")]
)
DECISIONS = pa.schema([*arrow_fields(schema.GENAI_LABELS), pa.field("tags", pa.list_(_TAG))])


def document(pub_key: str, title: str | None, texts: list[dict], classes: list[dict]) -> Document:
    """A publication's document, as ``from_store`` builds it (English text first, codes in scheme order)."""
    parts: dict[str, list[tuple[int, str]]] = {}
    for t in sorted(texts, key=lambda t: t["seq"]):
        rank = 0 if (t["lang"] or "en").lower().startswith("en") else 1
        parts.setdefault(t["kind"], []).append((rank, t["text"] or ""))

    def joined(kind: str) -> str:
        return "\n".join(text for _, text in sorted(parts.get(kind, []), key=lambda x: x[0]) if text)

    ordered = sorted(classes, key=lambda c: (c["scheme"], c["seq"] is None, c["seq"] or 0, c["pos"] or 0))
    codes = tuple(dict.fromkeys(c["code"] for c in ordered))
    return Document(pub_key, joined("title") or (title or ""), joined("abstract"), joined("claims"), codes)


def _decide(broadcast: Any) -> Any:
    def decide(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        pipeline: Pipeline = broadcast.value
        timestamp = now()
        for part in batches:
            rows = part.to_pylist()
            docs = [document(r["pub_key"], r["title"], r["texts"] or [], r["classes"] or []) for r in rows]
            out = []
            for decision in pipeline.decide(docs):
                labels, tags = label_rows(pipeline, decision, timestamp)
                label = dict(zip(schema.GENAI_LABELS.column_names, labels[0], strict=True))
                label["tags"] = [
                    {"dimension": t[1], "tag": t[2], "score": t[5], "evidence": t[6]} for t in tags
                ]
                out.append(label)
            yield pa.RecordBatch.from_pylist(out, schema=DECISIONS)

    return decide


def documents(spark: Any, keys: Any) -> Any:
    """Per publication among ``keys``: its title and its text and class rows (views of the lake's tables)."""
    from pyspark.sql import functions as F

    kinds = ", ".join(f"'{k}'" for k in TEXT_KINDS)
    texts = (
        spark.sql(f"SELECT pub_key, seq, kind, lang, text FROM texts WHERE kind IN ({kinds})")
        .join(keys, "pub_key", "left_semi")
        .groupBy("pub_key")
        .agg(F.collect_list(F.struct("seq", "kind", "lang", "text")).alias("texts"))
    )
    classes = (
        spark.sql("SELECT pub_key, scheme, seq, pos, code FROM classes WHERE scheme IN ('CPC', 'IPC')")
        .join(keys, "pub_key", "left_semi")
        .groupBy("pub_key")
        .agg(F.collect_list(F.struct("scheme", "seq", "pos", "code")).alias("classes"))
    )
    pubs = spark.sql("SELECT pub_key, title FROM publications").join(keys, "pub_key", "left_semi")
    return pubs.join(texts, "pub_key", "left").join(classes, "pub_key", "left")


def classify(lake: Lake, pipeline: Pipeline | None = None, *, relabel: bool = False) -> dict[str, Any]:
    """Label the publications without a label of this query/model version; returns counts."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    lake.runs.recover()
    spark = lake.spark
    pipeline = pipeline or default_pipeline()
    version = pipeline.method_version
    lake.views([schema.PUBLICATIONS, schema.TEXTS, schema.CLASSES])
    old_labels, old_tags = lake.read(schema.GENAI_LABELS), lake.read(schema.GENAI_TAGS)
    keys = spark.sql("SELECT pub_key FROM publications")
    total = keys.count()
    if not relabel:
        current = old_labels.filter((F.col("method") == METHOD) & (F.col("method_version") == version))
        keys = keys.join(current.select("pub_key"), "pub_key", "left_anti")
    run_id = new_run_id()
    run = lake.runs.folder(run_id)
    keys.write.parquet(f"{run}/keys")
    keys = spark.read.parquet(f"{run}/keys")
    n_keys = keys.count()
    summary = {
        "method_version": version,
        "publications": total,
        "labelled": n_keys,
        "already_current": total - n_keys,
    }
    if not n_keys:
        lake.fs.delete(run)
        return {**summary, "retrieved": 0, "genai": 0}

    broadcast = spark.sparkContext.broadcast(pipeline)
    decided = documents(spark, keys).mapInArrow(
        _decide(broadcast), from_arrow_schema(DECISIONS, prefer_timestamp_ntz=True)
    )
    decided.write.parquet(f"{run}/decided")
    decided = spark.read.parquet(f"{run}/decided")
    labels = decided.select(*schema.GENAI_LABELS.column_names)
    tags = decided.select("pub_key", F.explode("tags").alias("t")).select(
        "pub_key",
        "t.dimension",
        "t.tag",
        F.lit(METHOD).alias("method"),
        F.lit(version).alias("method_version"),
        "t.score",
        "t.evidence",
    )
    stage = Stager(lake, run, Plan(run_id))
    for table, new, old in ((schema.GENAI_LABELS, labels, old_labels), (schema.GENAI_TAGS, tags, old_tags)):
        columns = table.column_names
        rows = old.join(keys, "pub_key", "left_anti").select(*columns).unionByName(new.select(*columns))
        stage(table, lambda r=rows: r)
    if lake.has(schema.FAMILIES):  # the facts follow the labels (the embedded classify refreshes them too)
        lake.views([*schema.ENRICH_TABLES, *(t for t in facts.SOURCE_TABLES if t not in LABEL_TABLES)])
        stage.facts()
    counts = decided.agg(
        F.sum(F.get_json_object("evidence", "$.query.retrieved").cast("boolean").cast("int")).alias(
            "retrieved"
        ),
        F.sum(F.col("is_genai").cast("int")).alias("genai"),
    ).first()
    crash_point("classified")
    lake.runs.commit(stage.plan)
    broadcast.unpersist()
    return {
        **summary,
        "retrieved": int(counts["retrieved"] or 0),
        "genai": int(counts["genai"] or 0),
        "run": run_id,
    }
