"""Feedback to the classifier: the ratings of the workspaces that allow it become generative-AI labels, and
the shipped recipe (``enrich.genai.train.fit_pipeline``) learns from them beside the reference labels.

A rating says how relevant a document is to the workspace's field; in a workspace that allows training (a
generative-AI watch) 2 and 3 read as "generative AI: yes" and 0 as "no"; 1 (state of the art, of interest)
says nothing either way and is left out, as are documents rated both ways in different workspaces, and
documents the reference labels hold (their label is the reference's; a document of the frozen test split
never trains).

What the ratings change is measured without the frozen test split, which only ``patscape train
--score-test-split`` reads, once per change of the shipped model: both models, without and with the ratings,
learn from the development part of ``labels/dev.jsonl`` and are scored on the development part of
``labels/train.jsonl``, which neither learns from. The model written (``--out``) is the shipped recipe
trained on the whole development part and the ratings, as ``patscape train`` trains it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.store import Store

LABEL_OF_LEVEL = {0: "no", 2: "yes", 3: "yes"}


def rating_labels(store: Store, caller: Caller) -> list[Any]:
    """``Labelled`` documents from the own (not inherited) ratings of workspaces that allow training."""
    from patscape.enrich.genai.document import Labelled, from_store

    access.check(store, caller, "classifier.train")
    labels: dict[str, set[str]] = {}
    for r in store.fetch(
        "SELECT d.pub_key, d.rating FROM monitor_documents d JOIN monitor_workspaces w ON w.ws_id = d.ws_id "
        "WHERE w.allow_training AND d.rating IS NOT NULL AND d.inherited_from IS NULL ORDER BY d.pub_key"
    ):
        if r["rating"] in LABEL_OF_LEVEL:
            labels.setdefault(r["pub_key"], set()).add(LABEL_OF_LEVEL[r["rating"]])
    agreed = {k: v.pop() for k, v in labels.items() if len(v) == 1}
    docs = list(from_store(store, sorted(agreed)))
    return [Labelled(doc, agreed[doc.pub_key]) for doc in docs if doc.text.strip()]


@dataclass(frozen=True)
class FeedbackSets:
    """The labels of a retraining: ``train`` (both models learn from it), ``held`` (both are scored on it),
    ``ratings`` (the second model learns from them too), ``development`` (the written model's)."""

    train: list[Any]
    held: list[Any]
    ratings: list[Any]
    development: list[Any]


def feedback_sets(reference: Sequence[Any], ratings: Sequence[Any]) -> FeedbackSets:
    """The sets of a retraining from the reference labels (``split.read_reference_labels``) and the rating
    labels; the frozen test split's documents are in none of them."""
    from patscape.enrich.genai.document import family_key
    from patscape.enrich.genai.split import split_labels

    development, _ = split_labels(reference)
    labelled = {family_key(lab.doc.pub_key) for lab in reference}
    return FeedbackSets(
        train=[lab for lab in development if lab.extra.get("pool") == "dev"],
        held=[lab for lab in development if lab.extra.get("pool") != "dev" and lab.genai in ("yes", "no")],
        ratings=[lab for lab in ratings if family_key(lab.doc.pub_key) not in labelled],
        development=development,
    )


def retrain(
    store: Store, caller: Caller, shared: Path, out: str | Path | None = None, random_state: int = 0
) -> dict[str, Any]:
    """Train without and with the rating labels; precision, recall and F1 of both on the held-out part
    (``FeedbackSets``); with ``out``, the shipped recipe trained with the ratings written there (and its
    application model beside it)."""
    from patscape.enrich.genai.evaluate import evaluate_pipeline
    from patscape.enrich.genai.query import load_query
    from patscape.enrich.genai.split import read_reference_labels
    from patscape.enrich.genai.train import fit_pipeline
    from patscape.enrich.genai.weak_labels import weak_labels

    reference = read_reference_labels(shared)
    sets = feedback_sets(reference, rating_labels(store, caller))
    query = load_query()
    weak = weak_labels(shared / "data", query, exclude=[lab.doc for lab in (*reference, *sets.ratings)])
    figures = {}
    for name, learn in (("before", sets.train), ("after", [*sets.train, *sets.ratings])):
        scored = evaluate_pipeline(sets.held, fit_pipeline(learn, weak, query, random_state))["genai"]
        figures[name] = {
            k: scored[k]
            for k in ("precision", "recall", "f1", "precision_ci", "recall_ci", "f1_ci")
            if k in scored
        }
    if out is not None:
        pipe = fit_pipeline([*sets.development, *sets.ratings], weak, query, random_state)
        assert pipe.classifier is not None and pipe.application is not None
        target = Path(out)
        pipe.classifier.save(target, rating_labels=len(sets.ratings), query_version=query.method_version)
        pipe.application.save(target.with_name(target.stem + "-application.npz"))
    return {
        "rating_labels": len(sets.ratings),
        "yes": sum(lab.genai == "yes" for lab in sets.ratings),
        "no": sum(lab.genai == "no" for lab in sets.ratings),
        "held_out": f"labels/train.jsonl's development part ({len(sets.held)} documents labelled yes/no)",
        "before": figures["before"],
        "after": figures["after"],
        "f1_change": round(figures["after"]["f1"] - figures["before"]["f1"], 4),
        "model": str(out) if out else None,
    }
