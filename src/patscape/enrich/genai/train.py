"""Training the models patscape ships: ``model/genai-classifier.npz``, ``model/application-classifier.npz``.

``patscape train`` builds them from the shared folder (``$PATSCAPE_SHARED``, default ``../shared``):

- the development part of the reference labels (``labels/dev.jsonl`` + ``labels/train.jsonl`` less the frozen
  test split of ``split.py``, which no model ever trains on), each hand label counting ``HAND_WEIGHT`` times;
  the documents drawn from the Miric set (pools ``miric-*``, CC BY-NC) are left out of training, so nothing
  derived from them ships;
- the weak labels of ``weak_labels.py`` (never a labelled document, never the Miric set).

The generative-AI classifier learns from both; the application model from the hand labels (every field), with
the weak-label set's texts as its unlabelled corpus (vocabulary and latent semantic space; no label). The
files hold only numbers and vocabularies (words, word pairs, tag and code tokens; no document), so they ship
with the package. Training is deterministic (fixed order, liblinear with ``random_state``, fixed calibration
folds): two runs write byte-identical files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from patscape.enrich.genai.application import ApplicationClassifier
from patscape.enrich.genai.classifier import GenAIClassifier
from patscape.enrich.genai.document import Document, Labelled
from patscape.enrich.genai.pipeline import DEFAULT_APPLICATION_MODEL, DEFAULT_MODEL, Pipeline
from patscape.enrich.genai.query import Query, load_query
from patscape.enrich.genai.weak_labels import Weak, weak_labels

HAND_WEIGHT = 10.0  # a hand label counts this many weak labels
EXCLUDED_POOLS = ("miric-ai", "miric-non-ai")  # CC BY-NC: evaluated on, never trained on


def shared_dir() -> Path:
    return Path(os.environ.get("PATSCAPE_SHARED") or Path.cwd().parent / "shared")


def trainable(labelled: Sequence[Labelled]) -> list[Labelled]:
    """The labelled documents a shipped model may learn from (not from the non-commercial Miric set)."""
    return [lab for lab in labelled if lab.extra.get("pool") not in EXCLUDED_POOLS]


def training_set(
    weak: Sequence[Weak], labelled: Sequence[Labelled], hand_weight: float = HAND_WEIGHT
) -> tuple[list[Document], list[int], list[float]]:
    """Documents, yes/no targets and sample weights: the weak labels, then the hand labels (yes/no only)."""
    hand = [lab for lab in labelled if lab.genai in ("yes", "no")]
    docs = [w.doc for w in weak] + [lab.doc for lab in hand]
    y = [w.label for w in weak] + [int(lab.genai == "yes") for lab in hand]
    sw = [1.0] * len(weak) + [hand_weight] * len(hand)
    return docs, y, sw


def fit_pipeline(
    labelled: Sequence[Labelled],
    weak: Sequence[Weak],
    query: Query | None = None,
    random_state: int = 0,
    hand_weight: float = HAND_WEIGHT,
) -> Pipeline:
    """The whole pipeline fitted on ``labelled`` (and ``weak``): what ``train`` ships and each fold of
    ``eval --cv`` fits, so that every tuning step (calibration included) stays inside the training part."""
    query = query or load_query()
    learn = trainable(labelled)
    docs, y, sw = training_set(weak, learn, hand_weight)
    clf = GenAIClassifier(random_state=random_state).fit(docs, y, sample_weight=sw)
    fields = [lab for lab in learn if lab.application]
    application = ApplicationClassifier(random_state=random_state).fit(
        [lab.doc for lab in fields],
        [lab.application or "" for lab in fields],
        corpus=[w.doc.text for w in weak],  # unlabelled: its words and latent semantic space
    )
    return Pipeline(query, clf, application=application)


def train_default(
    shared: Path | None = None, out: str | Path | None = None, random_state: int = 0
) -> dict[str, Any]:
    """Train on the development part of the reference labels and the weak labels of ``shared``; write the
    classifier to ``out`` (default: the shipped file) and the application model beside it."""
    from patscape.enrich.genai.split import SEED, read_reference_labels, split_labels

    shared = Path(shared) if shared else shared_dir()
    query = load_query()
    reference = read_reference_labels(shared)
    development, _ = split_labels(reference)
    weak = weak_labels(shared / "data", query, exclude=[lab.doc for lab in reference])
    pipe = fit_pipeline(development, weak, query, random_state)
    target = Path(out) if out else DEFAULT_MODEL
    app_target = target.with_name(target.stem + "-application.npz") if out else DEFAULT_APPLICATION_MODEL
    learned = trainable(development)
    info = {
        "labels_files": ["labels/dev.jsonl", "labels/train.jsonl"],
        "test_split_seed": SEED,
        "trained_on_labels": sorted(lab.doc.pub_key for lab in learned if lab.genai in ("yes", "no")),
        "weak_labels": len(weak),
        "weak_positive": sum(w.label for w in weak),
        "hand_weight": HAND_WEIGHT,
        "query_version": query.method_version,
    }
    assert pipe.classifier is not None and pipe.application is not None
    pipe.classifier.save(target, **info)
    pipe.application.save(app_target)
    return {
        "model": str(target),
        "application_model": str(app_target),
        "version": pipe.method_version,
        "hand_labels": sum(1 for lab in learned if lab.genai in ("yes", "no")),
        "positive": sum(1 for lab in learned if lab.genai == "yes"),
        "weak_labels": len(weak),
        "bytes": target.stat().st_size + app_target.stat().st_size,
    }
