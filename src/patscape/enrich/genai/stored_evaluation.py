"""The last measured accuracy of the generative-AI labelling, kept in the store as one typed record.

``patscape eval --cv K --db DB`` writes it (``patscape_meta`` key ``genai_evaluation``, JSON); the report's
method appendix reads it back. One key, one shape: a value that does not parse is no measurement.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from patscape.store.base import Store

EVALUATION_KEY = "genai_evaluation"
RECORD_VERSION = 1


@dataclass(frozen=True, slots=True)
class StoredEvaluation:
    precision: float
    recall: float
    f1: float
    support: int  # generative-AI documents among the labels scored
    precision_ci: tuple[float, float] | None  # percentile bootstrap 95 % intervals
    recall_ci: tuple[float, float] | None
    folds: int  # of the cross-validation
    labels_file: str
    query_version: str  # the query the cross-validated pipelines used
    measured_at: str  # ISO date

    @classmethod
    def from_report(cls, rep: dict[str, Any], *, folds: int, labels_file: str) -> StoredEvaluation:
        """From ``evaluate.cross_validate``'s report."""
        g = rep["genai"]

        def ci(name: str) -> tuple[float, float] | None:
            value = g.get(f"{name}_ci")
            return (float(value[0]), float(value[1])) if value else None

        return cls(
            precision=float(g["precision"]),
            recall=float(g["recall"]),
            f1=float(g["f1"]),
            support=int(g["support"]),
            precision_ci=ci("precision"),
            recall_ci=ci("recall"),
            folds=folds,
            labels_file=labels_file,
            query_version=str(rep.get("method", {}).get("query_version") or ""),
            measured_at=dt.date.today().isoformat(),
        )

    def to_json(self) -> str:
        return json.dumps({"record_version": RECORD_VERSION, **asdict(self)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> StoredEvaluation | None:
        """The record, or None when ``text`` is missing or not a record of this version."""
        if not text:
            return None
        try:
            data = json.loads(text)
            if data.pop("record_version", None) != RECORD_VERSION:
                return None
            for name in ("precision_ci", "recall_ci"):
                if data.get(name) is not None:
                    data[name] = tuple(data[name])
            return cls(**data)
        except (TypeError, ValueError):
            return None

    def describe(self) -> str:
        return f"{self.folds}-fold cross-validation on {self.labels_file}, {self.measured_at}"


def save_evaluation(store: Store, evaluation: StoredEvaluation) -> None:
    store.set_meta(EVALUATION_KEY, evaluation.to_json())


def load_evaluation(store: Store) -> StoredEvaluation | None:
    return StoredEvaluation.from_json(store.meta(EVALUATION_KEY))
