"""Ratings as classifier labels: own ratings of workspaces that allow it; 1 and disagreements left out.

The training run itself (``patscape retrain``) takes minutes on the shared data: the suite checks the sets it
learns from and is scored on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patscape import monitor
from patscape.enrich.genai.application import ApplicationClassifier
from patscape.enrich.genai.classifier import GenAIClassifier
from patscape.enrich.genai.document import Document, Labelled
from patscape.enrich.genai.model_file import load_model
from patscape.enrich.genai.split import read_reference_labels, test_ids
from patscape.monitor.feedback import feedback_sets, rating_labels, retrain
from patscape.store import Store
from tests.monitor.conftest import make_people


def test_rating_labels(uspto: Store) -> None:
    p = make_people(uspto, kind="project")
    second = monitor.create_workspace(uspto, p.manager, "second", kind="project", allow_training=True)
    closed = monitor.create_workspace(uspto, p.manager, "no training", kind="project")
    monitor.update_workspace(uspto, p.manager, p.ws_id, allow_training=True)
    ratings = {
        p.ws_id: {"US-6530116-B2": 3, "US-2021267109-A1": 0, "US-6334226-B1": 1, "US-6857133-B2": 2},
        second.ws_id: {"US-6857133-B2": 0, "US-2022159901-A1": 2},  # disagrees on US-6857133-B2
        closed.ws_id: {"US-11147202-B2": 3},
    }
    for ws_id, rated in ratings.items():
        for key, level in rated.items():
            monitor.add_document(uspto, p.manager, ws_id, key)
            monitor.rate(uspto, p.manager, ws_id, key, level, comment="why" if level == 3 else None)
    labels = {lab.doc.pub_key: lab.genai for lab in rating_labels(uspto, p.admin)}
    assert labels == {"US-6530116-B2": "yes", "US-2021267109-A1": "no", "US-2022159901-A1": "yes"}
    doc = next(lab.doc for lab in rating_labels(uspto, p.admin) if lab.doc.pub_key == "US-6530116-B2")
    assert doc.title == uspto.scalar("SELECT title FROM publications WHERE pub_key = 'US-6530116-B2'")
    with pytest.raises(monitor.Forbidden):
        rating_labels(uspto, p.manager)


def test_a_retraining_learns_and_is_scored_without_the_frozen_test_split(shared: Path) -> None:
    """Both models learn from dev.jsonl's development part and are scored on train.jsonl's (counted here
    from the files); ratings of documents the reference labels hold are left out; no set holds a document
    of the frozen test split."""
    reference = read_reference_labels(shared)
    frozen = test_ids()
    in_test = next(lab for lab in reference if lab.extra["id"] in frozen)
    in_development = next(lab for lab in reference if lab.extra["id"] not in frozen)
    new = Labelled(Document("US-1-B1", "Image generator", "A diffusion model generates images."), "yes")
    ratings = [Labelled(in_test.doc, "no"), Labelled(in_development.doc, "yes"), new]
    sets = feedback_sets(reference, ratings)
    assert sets.ratings == [new]

    def ids(labels: list[Labelled]) -> set[int]:
        return {lab.extra["id"] for lab in labels}

    def lines(name: str) -> list[dict]:  # type: ignore[type-arg]
        text = (shared / "labels" / name).read_text(encoding="utf-8")
        return [row for row in map(json.loads, text.splitlines()) if row["id"] not in frozen]

    assert ids(sets.train) == {row["id"] for row in lines("dev.jsonl")}
    assert ids(sets.held) == {row["id"] for row in lines("train.jsonl") if row["genai"] in ("yes", "no")}
    assert ids(sets.development) == ids(sets.train) | {row["id"] for row in lines("train.jsonl")}
    assert not (ids(sets.development) | ids(sets.held)) & frozen


def test_retrain_learns_from_the_ratings_and_writes_the_recipe(
    uspto: Store, shared: Path, tmp_path: Path
) -> None:
    """``retrain`` end to end on three ratings: both models scored on the held-out part, the model written
    with the ratings counted in its header, loadable as a classifier, its application model beside it."""
    p = make_people(uspto, kind="project")
    monitor.update_workspace(uspto, p.manager, p.ws_id, allow_training=True)
    for key, level in {"US-6530116-B2": 3, "US-2021267109-A1": 0, "US-6857133-B2": 2}.items():
        monitor.add_document(uspto, p.manager, p.ws_id, key)
        monitor.rate(uspto, p.manager, p.ws_id, key, level, comment="why" if level == 3 else None)
    out = tmp_path / "retrained.npz"
    result = retrain(uspto, p.admin, shared, out)
    assert (result["rating_labels"], result["yes"], result["no"]) == (3, 2, 1)
    held = [
        row
        for row in map(
            json.loads, (shared / "labels" / "train.jsonl").read_text(encoding="utf-8").splitlines()
        )
        if row["id"] not in test_ids() and row["genai"] in ("yes", "no")
    ]
    assert f"({len(held)} documents labelled yes/no)" in result["held_out"]
    for name in ("before", "after"):
        assert 0 < result[name]["f1"] <= 1 and len(result[name]["f1_ci"]) == 2
    GenAIClassifier.load(out)
    assert load_model(out)[1]["info"]["rating_labels"] == 3
    assert ApplicationClassifier.load(tmp_path / "retrained-application.npz") is not None
