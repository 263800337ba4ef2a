"""The stages together: the query retrieves, the classifier decides, the taxonomy tags.

A document is generative AI when the query retrieves it *and* the classifier's calibrated probability reaches
the threshold. Documents the query does not retrieve are labelled `no` by the query alone (score 0): on the
development labels the query retrieved every generative-AI document (cross-validated), so the filter costs no
recall and spares the classifier two documents in three. Models and modes come from the query's tag terms
(rules); the application field of every document from the learned ``ApplicationClassifier`` when one is
given, else from the rules.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patscape.cycles import without_cycle_collection
from patscape.enrich.genai import vectorize
from patscape.enrich.genai.application import ApplicationClassifier
from patscape.enrich.genai.classifier import GenAIClassifier
from patscape.enrich.genai.document import Document
from patscape.enrich.genai.query import DEFAULT_QUERY, Hit, Query, load_query
from patscape.enrich.genai.taxonomy import Tag, tag_document

TAG_PREFIXES = ("model:", "mode:", "application:")

DEFAULT_MODEL = Path(__file__).with_name("model") / "genai-classifier.npz"
DEFAULT_APPLICATION_MODEL = Path(__file__).with_name("model") / "application-classifier.npz"
DEFAULT_THRESHOLD = 0.5


@dataclass
class Decision:
    pub_key: str
    is_genai: bool
    score: float  # the classifier's probability (0 when the query did not retrieve the document)
    candidate: bool
    reason: str | None  # why the query retrieved it: strong / broad
    hits: list[Hit] = field(default_factory=list)  # query groups and codes matched
    tags: list[Tag] = field(default_factory=list)
    tag_hits: list[Hit] = field(default_factory=list, repr=False)  # every taxonomy hit, tagged or not
    features: list[tuple[str, float]] = field(default_factory=list)  # classifier features that weighed most

    def tag_list(self, dimension: str) -> list[str]:
        return [t.tag for t in self.tags if t.dimension == dimension]

    @property
    def application(self) -> str | None:
        found = self.tag_list("application")
        return found[0] if found else None

    def evidence(self) -> dict[str, Any]:
        return {
            "candidate": self.candidate,
            "query_reason": self.reason,
            "hits": [h.as_dict() for h in self.hits],
        }


class Clock:
    """Adds the CPU seconds since the last call to ``seconds[stage]`` (the benchmark's breakdown)."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.last = time.process_time()

    def __call__(self, stage: str) -> None:
        now = time.process_time()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self.last
        self.last = now


@dataclass
class Pipeline:
    query: Query
    classifier: GenAIClassifier | None
    threshold: float = DEFAULT_THRESHOLD
    application: ApplicationClassifier | None = None

    @property
    def method_version(self) -> str:
        """Query, classifier, threshold and application model: any change relabels (see store_labels)."""
        model = self.classifier.version if self.classifier is not None else "none"
        version = f"q{self.query.method_version}/c{model}/t{self.threshold:g}"
        return version + (f"/a{self.application.version}" if self.application is not None else "")

    def tag(
        self,
        docs: Sequence[Document],
        all_hits: Sequence[list[Hit]],
        genai: Sequence[bool],
        clock: Clock | None = None,
        words: vectorize.Words | None = None,
    ) -> list[list[Tag]]:
        """The tags of each document: models and modes when ``genai``, the application field always.
        ``words``: the documents' words (:meth:`words`), when the caller has them."""
        learned = self.application is not None
        tags = [
            tag_document(self.query, hits, g, with_application=not learned)
            for hits, g in zip(all_hits, genai, strict=True)
        ]
        if clock:
            clock("taxonomy rules")
        if self.application is not None and docs:
            fields = self.application.predict_with_evidence(docs, all_hits, words=words)
            for doc_tags, hits, (name, p, features) in zip(tags, all_hits, fields, strict=True):
                tag = f"application:{name}"
                doc_tags.append(Tag("application", name, p, [h for h in hits if h.name == tag], features))
        return tags

    def words(
        self, docs: Sequence[Document], runs: Sequence[list[str]] | None = None
    ) -> vectorize.Words | None:
        """The documents' words, read once for both models when their vocabularies read words alike (else
        None: each model reads its own); ``runs``: the words the query's matcher split ``doc.text`` into."""
        text_model = getattr(self.classifier, "tfidf_", None)
        field_model = getattr(self.application, "words_", None)
        if text_model is None or field_model is None or not vectorize.same_words(text_model, field_model):
            return None
        return vectorize.tokenize(field_model, [d.text for d in docs], runs)

    def decide(self, docs: Sequence[Document], seconds: dict[str, float] | None = None) -> list[Decision]:
        """The decisions on ``docs``; ``seconds``, when given, gathers the CPU seconds of each stage."""
        with without_cycle_collection():
            return self._decide(docs, seconds)

    def _decide(self, docs: Sequence[Document], seconds: dict[str, float] | None) -> list[Decision]:
        clock = Clock(seconds) if seconds is not None else None
        runs: list[list[str]] = [[] for _ in docs]
        all_hits = [self.query.hits(d, r) for d, r in zip(docs, runs, strict=True)]
        if clock:
            clock("query matching")
        results = [self.query.decide(h) for h in all_hits]
        if clock:
            clock("query decision")
        cand = [i for i, r in enumerate(results) if r.candidate]
        words = self.words(docs, runs) if cand or self.application is not None else None
        if clock:
            clock("words")
        scores = [0.0] * len(docs)
        features: list[list[tuple[str, float]]] = [[] for _ in docs]
        if self.classifier is not None and cand:
            same_query = self.query.path == str(DEFAULT_QUERY.resolve())
            proba, evidence = self.classifier.predict_with_evidence(
                [docs[i] for i in cand],
                results=[results[i] for i in cand] if same_query else None,
                words=[words[i] for i in cand] if words is not None else None,
            )
            for i, p, ev in zip(cand, proba, evidence, strict=True):
                scores[i] = float(p)
                features[i] = ev
        elif self.classifier is None:
            for i in cand:
                scores[i] = 1.0
        genai = [r.candidate and score >= self.threshold for r, score in zip(results, scores, strict=True)]
        if clock:
            clock("classifier")
        tags = self.tag(docs, all_hits, genai, clock, words)
        if clock:
            clock("application model")
        out: list[Decision] = []
        for doc, hits, res, score, feats, is_genai, doc_tags in zip(
            docs, all_hits, results, scores, features, genai, tags, strict=True
        ):
            out.append(
                Decision(
                    doc.pub_key,
                    is_genai,
                    round(score, 6),
                    res.candidate,
                    res.reason,
                    res.hits,
                    doc_tags,
                    [h for h in hits if h.name.startswith(TAG_PREFIXES)],
                    feats,
                )
            )
        if clock:
            clock("decisions")
        return out


def default_pipeline(
    query_path: str | Path | None = None,
    model_path: str | Path | None = None,
    application_path: str | Path | None = None,
) -> Pipeline:
    """The shipped query, classifier and application model (or the given files)."""
    path = Path(model_path) if model_path else DEFAULT_MODEL
    if not path.exists():
        raise FileNotFoundError(f"no classifier at {path}: run `patscape train` to build it")
    app_path = Path(application_path) if application_path else DEFAULT_APPLICATION_MODEL
    application = ApplicationClassifier.load(app_path) if app_path.exists() else None
    return Pipeline(load_query(query_path), GenAIClassifier.load(path), application=application)
