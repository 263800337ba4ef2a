"""Facts for the method appendix: what was read, stored and rejected, and how generative AI was labelled.

The store's figures come from ``patscape.landscape.provenance``; here they are put in the report's terms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from patscape.landscape.provenance import NOT_RECOGNISED, Provenance

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


def sources(found: Provenance, descriptions: dict[str, str]) -> pd.DataFrame:
    """Per reader: ``reader``, ``description``, ``inputs`` (files or archive members), ``read``, ``stored``,
    ``replaced``, ``unchanged``, ``rejected``; inputs that no reader recognised come last, as
    ``(not recognised)``."""
    columns = ["reader", "description", "inputs", "read", "stored", "replaced", "unchanged", "rejected"]
    per = found.sources.copy()
    per["description"] = [descriptions.get(r, "") for r in per["reader"]]
    per["_last"] = per["reader"] == NOT_RECOGNISED
    per = per.sort_values(["_last", "stored", "reader"], ascending=[True, False, True], kind="stable")
    return per[columns].reset_index(drop=True)


def genai_facts(found: Provenance) -> GenAIFacts:
    facts = GenAIFacts(found.labelled, found.genai, list(found.label_versions))
    # the versions that made the labels in the database, not the files installed now
    facts.query_version = _version_part(facts.label_versions, "q")
    facts.classifier_version = _version_part(facts.label_versions, "c")
    evaluation = (
        _frozen_split_evaluation(facts.classifier_version)
        or _stored_evaluation(found)
        or _header_evaluation(_classifier_header())
    )
    if evaluation:
        facts.precision, facts.recall, facts.measured_on = evaluation
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


def _frozen_split_evaluation(classifier_version: str | None) -> tuple[float, float, str] | None:
    """The shipped pipeline's figures on the frozen test split (never tuned on), when they are the shipped
    classifier's: precision, recall, and what they were measured on with intervals and sample size."""
    try:
        from patscape.enrich.genai.evaluate import load_frozen_split_figures

        fig = load_frozen_split_figures()
    except Exception:  # the genai package is optional for a report
        return None
    if fig is None or not classifier_version or f"/c{classifier_version}/" not in fig.method_version:
        return None
    where = (
        f"the frozen test split: {fig.scored} labelled documents ({fig.positives} generative AI) never used "
        f"for training or tuning; precision 95 % interval {fig.precision.low:.2f}-{fig.precision.high:.2f}, "
        f"recall {fig.recall.low:.2f}-{fig.recall.high:.2f}, F1 {fig.f1.value:.2f} "
        f"({fig.f1.low:.2f}-{fig.f1.high:.2f})"
    )
    return fig.precision.value, fig.recall.value, where


def _stored_evaluation(found: Provenance) -> tuple[float, float, str] | None:
    """The evaluation ``patscape eval --cv`` saved in the database (``stored_evaluation``)."""
    from patscape.enrich.genai.stored_evaluation import StoredEvaluation

    if not found.evaluation:
        return None
    stored = StoredEvaluation.from_json(json.dumps(found.evaluation["value"]))
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
