"""Where the landscape's data come from: what was read, stored and rejected, how many rows the base tables
hold, and which labels of generative AI the store carries. Tables for a report's method appendix.

``provenance(tables)`` executes them all (a missing table gives an empty one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from patscape.landscape.tables import Tables

# Where the generative-AI package may keep its last measured accuracy: a JSON value in ``patscape_meta``
# under one of these keys (the first found is used).
EVAL_META_KEYS = ("genai_evaluation",)  # enrich.genai.stored_evaluation.EVALUATION_KEY: one typed record
COUNTED = ("publications", "citations", "family_owners", "genai_tags", "tags")
SOURCE_COLUMNS = ("reader", "inputs", "read", "stored", "replaced", "unchanged", "rejected")
NOT_RECOGNISED = "(not recognised)"


def sources(tables: Tables) -> ir.Table:
    """Per reader: ``inputs`` (files or archive members), ``read``, ``stored``, ``replaced``, ``unchanged``,
    ``rejected``; inputs that no reader recognised count under ``(not recognised)``."""
    log = tables("ingest_log")
    log = log.mutate(reader=log.reader.fill_null(NOT_RECOGNISED))
    return log.group_by("reader").agg(
        inputs=log.input_hash.count(),
        **{c: log[c].sum().fill_null(0) for c in SOURCE_COLUMNS[2:]},
    )


def quarantine(tables: Tables) -> ir.Table:
    """``reason``, ``documents``: the quarantined documents by reason, most first."""
    q = tables("quarantine")
    per = q.group_by("reason").agg(documents=q.quarantine_id.count())
    return per.order_by([ibis.desc("documents"), "reason"])


def row_counts(tables: Tables, names: tuple[str, ...] = COUNTED) -> ir.Table:
    """``name``, ``rows`` of each of these tables that exists, and ``claims``: the publications with a claim
    count."""
    parts = [
        tables(n).aggregate(name=ibis.literal(n), rows=tables(n).count().cast("int64"))
        for n in names
        if tables.has(n)
    ]
    if tables.has("publications"):
        p = tables("publications")
        parts.append(p.aggregate(name=ibis.literal("claims"), rows=p.claim_count.count().cast("int64")))
    out = parts[0]
    for part in parts[1:]:
        out = out.union(part)
    return out


def labels(tables: Tables) -> ir.Table:
    """``method_version``, ``labelled`` (publications), ``genai`` (labelled generative AI) per version of the
    labels in the store."""
    g = tables("genai_labels")
    return g.group_by("method_version").agg(
        labelled=g.pub_key.nunique(), genai=g.pub_key.nunique(where=g.is_genai)
    )


def stored_evaluations(tables: Tables) -> ir.Table:
    m = tables("patscape_meta")
    return m.filter(m.key.isin(EVAL_META_KEYS))


@dataclass
class Provenance:
    sources: pd.DataFrame  # per reader (without descriptions)
    quarantine: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)  # rows of the base tables, and "claims"
    labelled: int = 0  # publications labelled (any version)
    genai: int = 0
    label_versions: list[str] = field(default_factory=list)
    evaluation: dict[str, Any] | None = None  # {"key": meta key, "value": the parsed JSON}


def provenance(tables: Tables) -> Provenance:
    """Execute the tables above (one query each)."""
    src = sources(tables).to_pandas() if tables.has("ingest_log") else pd.DataFrame(columns=SOURCE_COLUMNS)
    for c in SOURCE_COLUMNS[1:]:
        src[c] = src[c].astype("int64")
    no_quarantine = pd.DataFrame(columns=["reason", "documents"])
    q = quarantine(tables).to_pandas() if tables.has("quarantine") else no_quarantine
    q["documents"] = q["documents"].astype("int64")
    counts = dict.fromkeys(COUNTED, 0)
    if any(tables.has(n) for n in (*COUNTED, "publications")):
        rows = row_counts(tables).to_pandas()
        counts.update({str(n): int(r) for n, r in zip(rows["name"], rows["rows"], strict=True)})
    found = Provenance(src, q.reset_index(drop=True), counts)
    if tables.has("genai_labels"):
        per = labels(tables).to_pandas()
        found.label_versions = sorted(str(v) for v in per["method_version"])
        every = tables("genai_labels")
        total = every.aggregate(
            labelled=every.pub_key.nunique(), genai=every.pub_key.nunique(where=every.is_genai)
        ).to_pandas()
        found.labelled = int(total["labelled"].iloc[0] or 0)
        found.genai = int(total["genai"].iloc[0] or 0)
    if tables.has("patscape_meta"):
        rows = stored_evaluations(tables).to_pandas()
        for key in EVAL_META_KEYS:
            for value in rows.loc[rows["key"] == key, "value"]:
                try:
                    found.evaluation = {"key": key, "value": json.loads(value)}
                except (TypeError, ValueError):
                    continue
                return found
    return found
