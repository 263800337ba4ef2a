"""The precision stage: is a retrieved document generative AI? A scikit-learn estimator.

Features, each block optional (``features`` parameter, blocks joined by ``+``):

- ``tfidf``: word 1-2-grams of title and abstract, sublinear TF-IDF;
- ``query``: the query groups that hit (language independent: a Chinese phrase and its English translation
  give the same feature), where they hit (title or elsewhere), and the CPC codes at subgroup and
  main-group level;
- ``m2v``: the 64-dimension static embedding of the text (model2vec, with the model that the
  ``tokenlearn-static-model`` package ships; nothing is downloaded).

A logistic regression over them gives a score, and Platt scaling fitted on out-of-fold scores of the training
set (``calibration_folds``) turns it into a calibrated probability. The estimator follows scikit-learn's
contract (``fit``, ``predict``, ``predict_proba``, ``score``, parameters only set in ``__init__``,
``random_state``); ``X`` is a sequence of :class:`Document` (or of strings: title and abstract). ``save``
writes one ``.npz`` file holding the fitted numbers and a JSON header with the classifier's version and
parameters (no pickle), and ``load`` reads it back into an estimator that predicts the same probabilities.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from patscape.enrich.genai import vectorize
from patscape.enrich.genai.document import Document
from patscape.enrich.genai.model_file import content_version, load_model, save_model
from patscape.enrich.genai.query import Query, QueryResult, load_query

CLASSIFIER_VERSION = "2"
READABLE_VERSIONS = ("1", "2")
FORMAT = "patscape-genai-classifier"


def _as_docs(X: Sequence[Document | str]) -> list[Document]:
    return [x if isinstance(x, Document) else Document("", "", str(x)) for x in X]


@lru_cache(maxsize=1)
def static_model() -> Any:
    """The model2vec static model shipped inside the ``tokenlearn-static-model`` package (offline)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import static_model as package
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(Path(package.__file__).parent / "model"))


_TOKEN_CACHE: dict[tuple[str, Document], list[str]] = {}


def query_tokens(query: Query, doc: Document) -> list[str]:
    """The ``query`` feature block of one document, as tokens (remembered: cross-validation asks again)."""
    key = (query.digest, doc)
    cached = _TOKEN_CACHE.get(key)
    if cached is None:
        if len(_TOKEN_CACHE) > 200_000:
            _TOKEN_CACHE.clear()
        cached = _TOKEN_CACHE[key] = _query_tokens(query, doc)
    return cached


def _query_tokens(query: Query, doc: Document, result: QueryResult | None = None) -> list[str]:
    result = result or query.run(doc)
    tokens = {f"q:{result.reason or 'none'}"}
    for h in result.hits:
        if h.field == "cpc":
            continue
        tokens.add(f"g:{h.name}")
        if h.field == "title":
            tokens.add(f"gt:{h.name}")
    for code in doc.codes:
        tokens.update(vectorize.code_tokens(code))
    return sorted(tokens)


class GenAIClassifier(ClassifierMixin, BaseEstimator):
    """Generative AI yes (1) / no (0) from text, query hits and CPC codes.

    Parameters
    ----------
    features: feature blocks joined by ``+`` (``tfidf``, ``query``, ``m2v``).
    C: inverse regularisation strength of the logistic regression.
    max_features, min_df, ngram_max: the TF-IDF vocabulary.
    query_weight, m2v_weight: scale of those blocks next to the unit-length TF-IDF vector.
    class_weight: passed to the logistic regression (None: the weak labels already bring many positives).
    query_path: the query file whose groups make the ``query`` features (default: the shipped one).
    calibration_folds: folds of the out-of-fold scores the probability is calibrated on (0: none).
    random_state: seed of the solver and of the calibration folds.
    """

    def __init__(
        self,
        features: str = "tfidf+query",
        C: float = 4.0,
        max_features: int = 40000,
        min_df: int = 2,
        ngram_max: int = 2,
        query_weight: float = 0.5,
        m2v_weight: float = 1.0,
        class_weight: str | None = None,
        query_path: str | None = None,
        calibration_folds: int = 5,
        random_state: int = 0,
    ) -> None:
        self.features = features
        self.C = C
        self.max_features = max_features
        self.min_df = min_df
        self.ngram_max = ngram_max
        self.query_weight = query_weight
        self.m2v_weight = m2v_weight
        self.class_weight = class_weight
        self.query_path = query_path
        self.calibration_folds = calibration_folds
        self.random_state = random_state

    # -- features ---------------------------------------------------------------------------------
    def _blocks(self) -> list[str]:
        return [b.strip() for b in self.features.split("+") if b.strip()]

    def _vectorizer(self) -> TfidfVectorizer:
        return TfidfVectorizer(
            ngram_range=(1, self.ngram_max),
            min_df=self.min_df,
            max_features=self.max_features,
            sublinear_tf=True,
            lowercase=True,
            dtype=np.float32,
        )

    def _design(
        self,
        docs: list[Document],
        fit: bool,
        results: Sequence[QueryResult] | None = None,
        words: vectorize.Words | None = None,
    ) -> sparse.csr_matrix:
        """The feature matrix; ``results``: the documents' results of the shipped query, ``words``: their
        words as the TF-IDF vocabulary reads them, when the caller has them."""
        parts: list[Any] = []
        blocks = self._blocks()
        if "tfidf" in blocks:
            texts = [d.text for d in docs]
            if fit:
                self.tfidf_ = self._vectorizer()
                parts.append(self.tfidf_.fit_transform(texts))
            else:
                parts.append(vectorize.transform(self.tfidf_, texts, words, self._tfidf_weights()))
        if "query" in blocks:
            query = load_query(self.query_path)
            if results is not None and self.query_path is None:  # the caller ran the same query already
                token_lists = [_query_tokens(query, d, r) for d, r in zip(docs, results, strict=True)]
            else:
                token_lists = [query_tokens(query, d) for d in docs]
            if fit:
                counts: dict[str, int] = {}
                for toks in token_lists:
                    for t in toks:
                        counts[t] = counts.get(t, 0) + 1
                kept = sorted(t for t, n in counts.items() if n >= self.min_df)
                self.query_vocabulary_ = {t: i for i, t in enumerate(kept)}
            parts.append(vectorize.token_matrix(token_lists, self.query_vocabulary_, self.query_weight))
        if "m2v" in blocks:
            emb = static_model().encode([d.text for d in docs]).astype(np.float32)
            parts.append(sparse.csr_matrix(emb * self.m2v_weight))
        if not parts:
            raise ValueError(f"no feature block in features={self.features!r}")
        return sparse.hstack(parts, format="csr")

    def _tfidf_weights(self) -> Any:
        """scikit-learn's TF-IDF weighting of the fitted vocabulary, made once."""
        kept = getattr(self, "_weights", None)
        if kept is None or kept[0] is not self.tfidf_:
            kept = self._weights = (self.tfidf_, vectorize.weighting(self.tfidf_))
        return kept[1]

    # -- estimator contract -------------------------------------------------------------------------
    def _logistic(self) -> LogisticRegression:
        return LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            solver="liblinear",
            max_iter=1000,
            random_state=self.random_state,
        )

    def fit(
        self, X: Sequence[Document | str], y: Sequence[int], sample_weight: Sequence[float] | None = None
    ):
        docs = _as_docs(X)
        target = np.asarray(y)
        weights = np.ones(len(target)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        design = self._design(docs, fit=True)
        self.model_ = self._logistic().fit(design, target, sample_weight=weights)
        self.classes_ = self.model_.classes_
        self.calibration_ = np.array([1.0, 0.0])
        if self.calibration_folds > 1:
            self.calibration_ = self._platt(design, target, weights)
        return self

    def _platt(self, design: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Slope and intercept of the sigmoid that maps out-of-fold scores to the labels (Platt scaling; the
        vocabulary is the whole training set's, a small optimism the frozen test split measures)."""
        from sklearn.model_selection import StratifiedKFold

        scores = np.zeros(len(y))
        folds = StratifiedKFold(self.calibration_folds, shuffle=True, random_state=self.random_state)
        for train, held in folds.split(np.zeros(len(y)), y):
            part = self._logistic().fit(design[train], y[train], sample_weight=weights[train])
            scores[held] = part.decision_function(design[held])
        sigmoid = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
        sigmoid.fit(scores[:, None], y, sample_weight=weights)
        return np.array([float(sigmoid.coef_[0, 0]), float(sigmoid.intercept_[0])])

    def _proba(self, design: sparse.csr_matrix) -> np.ndarray:
        slope, intercept = self.calibration_
        p = expit(slope * self.model_.decision_function(design) + intercept)
        return np.column_stack([1.0 - p, p])

    def decision_function(self, X: Sequence[Document | str]) -> np.ndarray:
        return self.model_.decision_function(self._design(_as_docs(X), fit=False))

    def predict_proba(self, X: Sequence[Document | str]) -> np.ndarray:
        return self._proba(self._design(_as_docs(X), fit=False))

    def predict_with_evidence(
        self,
        X: Sequence[Document | str],
        top: int = 6,
        results: Sequence[QueryResult] | None = None,
        words: vectorize.Words | None = None,
    ) -> tuple[np.ndarray, list[list[tuple[str, float]]]]:
        """Probabilities of `yes`, and for each document the features that moved its score most
        (feature, contribution to the log-odds), from one pass over the features. ``results``: the
        documents' results of the shipped query, ``words``: their words as the TF-IDF vocabulary reads them
        (:func:`vectorize.tokenize`), when the caller has them (saves computing them again)."""
        design = self._design(_as_docs(X), fit=False, results=results, words=words)
        proba = self._proba(design)[:, 1]
        names = self.feature_names()
        contrib = design.data * self.model_.coef_[0][design.indices]
        evidence = [
            [(names[c], round(v, 4)) for c, v in zip(cols, values, strict=True) if v != 0]
            for cols, values in vectorize.weightiest(design, contrib, -np.abs(contrib), top)
        ]
        return proba, evidence

    def feature_names(self) -> list[str]:
        names = getattr(self, "_feature_names", None)
        if names is None:
            names = []
            blocks = self._blocks()
            if "tfidf" in blocks:
                names += [
                    f"word:{t}" for t in sorted(self.tfidf_.vocabulary_, key=self.tfidf_.vocabulary_.get)
                ]
            if "query" in blocks:
                names += sorted(self.query_vocabulary_, key=self.query_vocabulary_.get)
            if "m2v" in blocks:
                names += [f"m2v:{i}" for i in range(static_model().dim)]
            self._feature_names = names
        return names

    def predict(self, X: Sequence[Document | str]) -> np.ndarray:
        return self.classes_[(self.predict_proba(X)[:, 1] >= 0.5).astype(int)]

    # -- persistence ------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        return getattr(self, "version_", None) or f"{CLASSIFIER_VERSION}+untrained"

    def save(self, path: str | Path, **info: Any) -> Path:
        """Write the fitted classifier to ``path`` (.npz); ``info`` goes into its header (training data
        ...)."""

        arrays: dict[str, np.ndarray] = {
            "coef": self.model_.coef_.astype(np.float64),
            "intercept": self.model_.intercept_.astype(np.float64),
            "classes": np.asarray(self.classes_),
            "calibration": np.asarray(self.calibration_, dtype=np.float64),
        }
        header: dict[str, Any] = {
            "format": FORMAT,
            "classifier_version": CLASSIFIER_VERSION,
            "params": self.get_params(),
            "info": info,
        }
        if hasattr(self, "tfidf_"):
            vocab = sorted(self.tfidf_.vocabulary_, key=self.tfidf_.vocabulary_.get)
            arrays["tfidf_vocabulary"] = np.asarray(vocab, dtype=str)
            arrays["tfidf_idf"] = self.tfidf_.idf_.astype(np.float64)
        if hasattr(self, "query_vocabulary_"):
            arrays["query_vocabulary"] = np.asarray(
                sorted(self.query_vocabulary_, key=self.query_vocabulary_.get), dtype=str
            )
        header["version"] = content_version(str(CLASSIFIER_VERSION), arrays)
        self.version_ = header["version"]
        return save_model(path, arrays, header)

    @classmethod
    def load(cls, path: str | Path) -> GenAIClassifier:
        arrays, header = load_model(path)
        if header.get("format") != FORMAT:
            raise ValueError(f"{path}: not a patscape generative-AI classifier")
        if header["classifier_version"] not in READABLE_VERSIONS:
            raise ValueError(
                f"{path}: classifier format {header['classifier_version']}, "
                f"this patscape reads {', '.join(READABLE_VERSIONS)}"
            )
        est = cls(**header["params"])
        if "tfidf_vocabulary" in arrays:
            vec = est._vectorizer()
            vec.vocabulary_ = {str(t): i for i, t in enumerate(arrays["tfidf_vocabulary"])}
            vec.idf_ = arrays["tfidf_idf"]
            est.tfidf_ = vec
        if "query_vocabulary" in arrays:
            est.query_vocabulary_ = {str(t): i for i, t in enumerate(arrays["query_vocabulary"])}
        model = LogisticRegression(C=est.C, class_weight=est.class_weight, solver="liblinear")
        model.coef_ = arrays["coef"]
        model.intercept_ = arrays["intercept"]
        model.classes_ = arrays["classes"]
        est.model_ = model
        est.classes_ = model.classes_
        # format 1 had no calibration: its probability was the logistic regression's own
        est.calibration_ = arrays.get("calibration", np.array([1.0, 0.0]))
        est.version_ = header["version"]
        est.info_ = header.get("info", {})
        return est
