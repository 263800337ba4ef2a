"""Active learning: which unlabelled documents of the store would teach the models most if labelled.

Uncertainty first: a document retrieved by the query whose calibrated probability is near the threshold
(``1 - 2 |p - 0.5|``), plus half the application model's doubt (one minus the margin between its two most
probable fields). Then diversity: among the most uncertain ``POOL_FACTOR * n`` documents, a greedy pick that
discounts each document by its greatest cosine similarity (classifier TF-IDF space) to the documents already
picked and to the labelled ones, so the queue is not fifty versions of one invention.

Labels from elsewhere (the reference files, ratings of the monitoring workspaces once they exist) enter as
``known``: documents already labelled are never queued and count as already picked for diversity. The same
labelled examples train the next model through ``train.fit_pipeline(reference + known, ...)``.

The queue is written as JSONL in the labels files' form (``id``, ``pub``, ``title``, ``abstract`` and empty
``genai``, ``models``, ``modes``, ``application``, ``confidence``, ``why``), with what the models said
(``predicted``) and why the document was chosen (``uncertainty``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from patscape.enrich.genai.document import Document, Labelled, family_key, from_store
from patscape.enrich.genai.pipeline import Decision, Pipeline

POOL_FACTOR = 10
APPLICATION_DOUBT_WEIGHT = 0.5


def uncertainty(decision: Decision, threshold: float, application_p: float | None) -> float:
    """How unsure the models are about one document (0 sure, up to 1.5)."""
    genai = 1.0 - 2.0 * abs(decision.score - threshold) if decision.candidate else 0.0
    app = 1.0 - application_p if application_p is not None else 0.0
    return max(genai, 0.0) + APPLICATION_DOUBT_WEIGHT * app


def _margins(pipeline: Pipeline, docs: Sequence[Document]) -> list[float | None]:
    """The application model's margin between its two most probable fields, per document."""
    if pipeline.application is None:
        return [None] * len(docs)
    proba = pipeline.application.predict_proba(docs)
    top = np.sort(proba, axis=1)[:, -2:]
    return [float(m) for m in (top[:, 1] - top[:, 0])]


def rank(
    pipeline: Pipeline,
    docs: Iterable[Document],
    n: int,
    known: Sequence[Document] = (),
    batch: int = 5000,
) -> list[tuple[Document, Decision, float]]:
    """The ``n`` documents of ``docs`` most worth labelling, best first (see the module docstring). ``docs``
    streams: only the most uncertain ``POOL_FACTOR * n`` are kept between batches."""
    if n <= 0:
        return []
    known_keys = {family_key(d.pub_key) for d in known}
    pool: list[tuple[float, int, Document, Decision]] = []
    seen = 0
    chunk: list[Document] = []

    def flush() -> None:
        nonlocal pool, seen
        if not chunk:
            return
        decisions = pipeline.decide(chunk)
        margins = _margins(pipeline, chunk)
        for doc, d, m in zip(chunk, decisions, margins, strict=True):
            pool.append((uncertainty(d, pipeline.threshold, m), -seen, doc, d))
            seen += 1
        pool = sorted(pool, key=lambda t: (t[0], t[1]), reverse=True)[: POOL_FACTOR * n]
        chunk.clear()

    for doc in docs:
        if family_key(doc.pub_key) in known_keys or not (doc.title or doc.abstract):
            continue
        chunk.append(doc)
        if len(chunk) >= batch:
            flush()
    flush()
    if not pool:
        return []
    scores = np.array([t[0] for t in pool])
    vectors = _vectors(pipeline, [t[2] for t in pool])
    nearest = np.zeros(len(pool))
    if known:
        taken = _vectors(pipeline, list(known))
        nearest = np.asarray((vectors @ taken.T).max(axis=1).todense()).ravel()
    chosen: list[int] = []
    available = np.ones(len(pool), dtype=bool)
    for _ in range(min(n, len(pool))):
        value = scores * (1.0 - np.clip(nearest, 0.0, 1.0))
        value[~available] = -np.inf
        k = int(np.argmax(value))
        chosen.append(k)
        available[k] = False
        nearest = np.maximum(nearest, np.asarray((vectors @ vectors[k].T).todense()).ravel())
    return [(pool[k][2], pool[k][3], float(scores[k])) for k in chosen]


def _vectors(pipeline: Pipeline, docs: Sequence[Document]) -> Any:
    clf = pipeline.classifier
    if clf is None or not hasattr(clf, "tfidf_"):
        raise ValueError("label-queue needs a classifier with a TF-IDF block")
    return clf.tfidf_.transform([d.text for d in docs])  # rows have unit length: products are cosines


def queue_row(doc: Document, decision: Decision, score: float) -> dict[str, Any]:
    """One line of the queue, ready to be labelled like ``dev.jsonl``."""
    return {
        "id": doc.pub_key,
        "pub": doc.pub_key,
        "title": doc.title,
        "abstract": doc.abstract,
        "genai": "",
        "models": [],
        "modes": [],
        "application": "",
        "confidence": "",
        "why": "",
        "pool": "label-queue",
        "uncertainty": round(score, 4),
        "predicted": {
            "genai": "yes" if decision.is_genai else "no",
            "probability": decision.score,
            "retrieved": decision.candidate,
            "models": decision.tag_list("model"),
            "modes": decision.tag_list("mode"),
            "application": decision.application,
        },
    }


def label_queue(
    store: Any,
    pipeline: Pipeline,
    n: int = 50,
    known: Iterable[Labelled] = (),
) -> list[dict[str, Any]]:
    """The store's ``n`` unlabelled documents most worth labelling, as labels-file rows (best first).

    ``known``: labelled examples from anywhere (reference files, monitoring ratings); they are not queued
    and the queue keeps away from them."""
    ranked = rank(pipeline, from_store(store), n, [lab.doc for lab in known])
    return [queue_row(doc, decision, score) for doc, decision, score in ranked]
