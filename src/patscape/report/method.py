"""Facts for the method appendix: what was read, stored and rejected, and how generative AI was labelled.

Read through the same Ibis backend as the landscape, so they work on DuckDB and PostgreSQL alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from ibis.backends import BaseBackend

NOT_MEASURED = "not measured"


@dataclass
class GenAIFacts:
    labelled: int = 0
    genai: int = 0
    label_versions: list[str] = field(default_factory=list)  # method versions found in genai_labels
    query_version: str | None = None  # of the stored labels (several: "; "-joined)
    classifier_version: str | None = None
    precision: float | None = None
    recall: float | None = None
    measured_on: str | None = None  # where the figures come from

    @property
    def measured(self) -> bool:
        return self.precision is not None and self.recall is not None


def _has(con: BaseBackend, name: str) -> bool:
    return name in set(con.list_tables())


def sources(con: BaseBackend, descriptions: dict[str, str]) -> pd.DataFrame:
    """Per reader: ``reader``, ``description``, ``inputs`` (files or archive members), ``read``, ``stored``,
    ``replaced``, ``unchanged``, ``rejected``; inputs that no reader recognised come last, as
    ``(not recognised)``."""
    columns = ["reader", "description", "inputs", "read", "stored", "replaced", "unchanged", "rejected"]
    if not _has(con, "ingest_log"):
        return pd.DataFrame(columns=columns)
    log = con.table("ingest_log")
    reader = log.reader.fill_null("(not recognised)")
    per = (
        log.mutate(reader=reader)
        .group_by("reader")
        .agg(
            inputs=log.input_hash.count(),
            read=log.read.sum().fill_null(0),
            stored=log.stored.sum().fill_null(0),
            replaced=log.replaced.sum().fill_null(0),
            unchanged=log.unchanged.sum().fill_null(0),
            rejected=log.rejected.sum().fill_null(0),
        )
        .to_pandas()
    )
    per["description"] = [descriptions.get(r, "") for r in per["reader"]]
    for c in ("inputs", "read", "stored", "replaced", "unchanged", "rejected"):
        per[c] = per[c].astype("int64")
    per["_last"] = per["reader"] == "(not recognised)"
    per = per.sort_values(["_last", "stored", "reader"], ascending=[True, False, True], kind="stable")
    return per[columns].reset_index(drop=True)


def quarantine(con: BaseBackend) -> pd.DataFrame:
    """``reason``, ``documents``: the quarantined documents by reason, most first."""
    if not _has(con, "quarantine"):
        return pd.DataFrame(columns=["reason", "documents"])
    q = con.table("quarantine")
    per = q.group_by("reason").agg(documents=q.quarantine_id.count()).to_pandas()
    per["documents"] = per["documents"].astype("int64")
    return per.sort_values(["documents", "reason"], ascending=[False, True]).reset_index(drop=True)


def count_rows(con: BaseBackend, name: str) -> int:
    if not _has(con, name):
        return 0
    return int(con.table(name).count().execute())


def genai_facts(con: BaseBackend) -> GenAIFacts:
    facts = GenAIFacts()
    if _has(con, "genai_labels"):
        labels = con.table("genai_labels")
        counts = labels.aggregate(
            labelled=labels.pub_key.nunique(), genai=labels.pub_key.nunique(where=labels.is_genai)
        ).to_pandas()
        facts.labelled = int(counts["labelled"].iloc[0] or 0)
        facts.genai = int(counts["genai"].iloc[0] or 0)
        versions = labels.select("method_version").distinct().to_pandas()["method_version"]
        facts.label_versions = sorted(str(v) for v in versions)
    # the versions that made the labels in the database, not the files installed now
    facts.query_version = _version_part(facts.label_versions, "q")
    facts.classifier_version = _version_part(facts.label_versions, "c")
    found = _meta_evaluation(con) or _header_evaluation(_classifier_header())
    if found:
        facts.precision, facts.recall, facts.measured_on = found
    return facts


def _version_part(method_versions: list[str], prefix: str) -> str | None:
    """The query (``q``) or classifier (``c``) part of label method versions
    ``q<query>/c<model>/t<threshold>`` (``enrich.genai.pipeline.Pipeline.method_version``)."""
    parts = [
        part[len(prefix) :]
        for version in method_versions
        for part in version.split("/")
        if part.startswith(prefix)
    ]
    return "; ".join(dict.fromkeys(parts)) or None


def _classifier_header() -> dict[str, Any]:
    try:
        import numpy as np

        from patscape.enrich.genai.pipeline import DEFAULT_MODEL

        with np.load(DEFAULT_MODEL, allow_pickle=False) as z:
            return json.loads(str(z["header"]))
    except Exception:
        return {}


def _pick(block: Any) -> tuple[float, float] | None:
    """(precision, recall) from an evaluation: ``{"precision", "recall"}`` or ``{"genai": {...}}``."""
    if not isinstance(block, dict):
        return None
    inner = block.get("genai", block)
    if isinstance(inner, dict) and "precision" in inner and "recall" in inner:
        try:
            return float(inner["precision"]), float(inner["recall"])
        except (TypeError, ValueError):
            return None
    return None


def _meta_evaluation(con: BaseBackend) -> tuple[float, float, str] | None:
    """The evaluation ``patscape eval --cv`` saved in the database (``stored_evaluation``)."""
    from patscape.enrich.genai.stored_evaluation import EVALUATION_KEY, StoredEvaluation

    if not _has(con, "patscape_meta"):
        return None
    meta = con.table("patscape_meta")
    values = meta.filter(meta.key == EVALUATION_KEY).to_pandas()["value"]
    stored = StoredEvaluation.from_json(values.iloc[0] if len(values) else None)
    if stored is None:
        return None
    return stored.precision, stored.recall, stored.describe()


def _header_evaluation(header: dict[str, Any]) -> tuple[float, float, str] | None:
    info = header.get("info", {}) if header else {}
    for key in ("evaluation", "metrics"):
        picked = _pick(info.get(key))
        if picked:
            return (*picked, "the shipped classifier's header")
    return None
