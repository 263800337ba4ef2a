"""Feedback to the classifier: the ratings of the workspaces that allow it become generative-AI labels, the
classifier is trained with them, and the change is measured on a held-out set it never trained on.

A rating says how relevant a document is to the workspace's field; in a workspace that allows training (a
generative-AI watch) 2 and 3 read as "generative AI: yes" and 0 as "no"; 1 (state of the art, of interest)
says nothing either way and is left out, as are documents rated both ways in different workspaces.

INTERIM until the classifier work lands on main: training goes through the same steps as
``enrich.genai.train.train_default`` (its labels, weak labels and weights) with the rating labels added;
the held-out set is ``labels/train.jsonl``, which that training does not read. Both switch to the
classifier's own training function and frozen test split when they are merged.
"""

from __future__ import annotations

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


def held_out(shared: Path) -> list[Any]:
    from patscape.enrich.genai.document import read_labels

    return [lab for lab in read_labels(shared / "labels" / "train.jsonl") if lab.genai in ("yes", "no")]


def retrain(
    store: Store, caller: Caller, shared: Path, out: str | Path | None = None, random_state: int = 0
) -> dict[str, Any]:
    """Train without and with the rating labels; F1, precision and recall of both on the held-out set."""
    from patscape.enrich.genai.classifier import GenAIClassifier
    from patscape.enrich.genai.document import family_key, read_labels
    from patscape.enrich.genai.evaluate import DEV_WEIGHT, evaluate_pipeline, training_set
    from patscape.enrich.genai.pipeline import Pipeline
    from patscape.enrich.genai.query import load_query
    from patscape.enrich.genai.weak_labels import weak_labels

    extra = rating_labels(store, caller)
    held = held_out(shared)
    held_families = {family_key(lab.doc.pub_key) for lab in held}
    extra = [
        lab for lab in extra if family_key(lab.doc.pub_key) not in held_families
    ]  # never test on training
    labelled = read_labels(shared / "labels" / "dev.jsonl")
    query = load_query()
    excluded = [lab.doc for lab in (*labelled, *extra, *held)]
    weak = weak_labels(shared / "data", query, exclude=excluded)
    figures = {}
    models = {}
    for name, train_on in (("before", labelled), ("after", [*labelled, *extra])):
        docs, y, weights = training_set(weak, train_on, DEV_WEIGHT)
        models[name] = GenAIClassifier(random_state=random_state).fit(docs, y, sample_weight=weights)
        scored = evaluate_pipeline(held, Pipeline(query, models[name]))["genai"]
        figures[name] = {
            k: scored[k]
            for k in ("precision", "recall", "f1", "precision_ci", "recall_ci", "f1_ci")
            if k in scored
        }
    if out is not None:
        models["after"].save(Path(out), rating_labels=len(extra), held_out="labels/train.jsonl")
    return {
        "rating_labels": len(extra),
        "yes": sum(lab.genai == "yes" for lab in extra),
        "no": sum(lab.genai == "no" for lab in extra),
        "held_out": f"labels/train.jsonl ({len(held)} documents labelled yes/no)",
        "before": figures["before"],
        "after": figures["after"],
        "f1_change": round(figures["after"]["f1"] - figures["before"]["f1"], 4),
        "model": str(out) if out else None,
    }
