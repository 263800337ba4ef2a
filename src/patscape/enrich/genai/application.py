"""The application field of a document (every document, AI or not), learned from the reference labels.

The query's ``[tags.application.*]`` terms alone chose the right field for 57 % of the development
labels (cross-validated); a linear model over the document's words, those tag hits (as features, so it
learns how far each can be trusted) and its CPC codes reaches about 67 %. One-vs-rest logistic regressions
with balanced class weights; the field is the most probable one, with the features that weighed most as its
evidence.

With an unlabelled ``corpus`` (``train`` gives the texts of the weak-label set, a few thousand real
abstracts), the words are those of the corpus and each document also gets its ``lsa_dims`` coordinates
in the corpus's latent semantic space (truncated SVD of the corpus's TF-IDF): words that co-occur with a
field's words in the corpus count for the field, though no labelled document holds them (+0.02 accuracy in
grouped cross-validation, ``bench/genai_taxonomy_cv.py``). The coordinates are a linear map of the word
vector, so after fitting their weights are folded into the words' (``w_word + lsa_weight * V^T w_lsa``): the
saved model is words, tokens and one coefficient matrix as before, and predicting costs nothing more.

Each CPC code is a token whole, by its main group and by its class (``code_prefixes``: ``c3:G06``), so that a
code no labelled document holds still counts for the field of its class (+0.011 accuracy in grouped
cross-validation, every fold gaining).

A document with nothing to read (no word of the vocabulary, no tag hit, no code), or whose most probable
field has no feature speaking for it (only the field's prior), is ``unclassified``: the model never falls
back to a field it has no evidence for. Common English words are not features (a field is not evidenced
by "the").

Saved like the classifier: one ``.npz`` of numbers and vocabularies with a JSON header, no pickle.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from patscape.enrich.genai import vectorize
from patscape.enrich.genai.document import Document
from patscape.enrich.genai.model_file import content_version, load_model, save_model
from patscape.enrich.genai.query import Hit, load_query

FORMAT = "patscape-application-classifier"
FORMAT_VERSION = "1"
UNCLASSIFIED = "unclassified"
TAG_PREFIXES = ("application:", "mode:", "model:")


def tag_tokens(hits: Sequence[Hit], codes: Sequence[str], code_prefixes: Sequence[int] = ()) -> list[str]:
    """The taxonomy tags a document's words hit (``t:``, and ``tt:`` in the title) and its codes; with
    ``code_prefixes``, also each code's first characters (3: its class, ``c3:G06``; 4: its subclass)."""
    tokens: set[str] = set()
    for h in hits:
        if h.field != "cpc" and h.name.startswith(TAG_PREFIXES):
            tokens.add(f"t:{h.name}")
            if h.field == "title":
                tokens.add(f"tt:{h.name}")
    for code in codes:
        tokens.update(vectorize.code_tokens(code))
        tokens.update(f"c{n}:{code[:n]}" for n in code_prefixes)
    return sorted(tokens)


class ApplicationClassifier(ClassifierMixin, BaseEstimator):
    """One application field per document from words, taxonomy tag hits and CPC codes.

    Parameters
    ----------
    C: inverse regularisation strength of each one-vs-rest logistic regression.
    min_df: documents a word or token must occur in to enter the vocabulary.
    tag_weight: scale of the tag and code tokens next to the unit-length word vector.
    lsa_dims: dimensions of the corpus's latent semantic space (used when ``fit`` is given a corpus; 0: none).
    lsa_weight: scale of the latent coordinates next to the word vector.
    corpus_min_df: corpus documents a word must occur in to enter the vocabulary (with a corpus).
    code_prefixes: lengths of the code prefixes that are tokens too (3: the class, ``G06``), so that a code
        no labelled document holds counts for the field of its class.
    random_state: seed of the solver and of the truncated SVD.
    """

    def __init__(
        self,
        C: float = 16.0,
        min_df: int = 2,
        tag_weight: float = 0.5,
        lsa_dims: int = 200,
        lsa_weight: float = 2.0,
        corpus_min_df: int = 5,
        code_prefixes: tuple[int, ...] = (3,),
        random_state: int = 0,
    ):
        self.C = C
        self.min_df = min_df
        self.tag_weight = tag_weight
        self.lsa_dims = lsa_dims
        self.lsa_weight = lsa_weight
        self.corpus_min_df = corpus_min_df
        self.code_prefixes = code_prefixes
        self.random_state = random_state

    def _vectorizer(self, min_df: int | None = None) -> TfidfVectorizer:
        return TfidfVectorizer(
            min_df=self.min_df if min_df is None else min_df,
            sublinear_tf=True,
            stop_words="english",
            dtype=np.float32,
        )

    def _latent(self, corpus: Sequence[str]) -> np.ndarray | None:
        """The vocabulary fitted on ``corpus`` (``words_``) and the rows of its truncated SVD (``lsa_dims`` x
        words), or None without a corpus. One BLAS thread: the same numbers on any machine."""
        if not corpus or self.lsa_dims <= 0:
            return None
        from threadpoolctl import threadpool_limits

        self.words_ = self._vectorizer(self.corpus_min_df)
        matrix = self.words_.fit_transform(corpus)
        with threadpool_limits(1):
            svd = TruncatedSVD(self.lsa_dims, random_state=self.random_state).fit(matrix)
        return svd.components_.astype(np.float32)

    def _design(
        self,
        docs: Sequence[Document],
        hits: Sequence[Sequence[Hit]] | None,
        fit: bool,
        words: vectorize.Words | None = None,
        latent: np.ndarray | None = None,
    ) -> sparse.csr_matrix:
        """The feature matrix: words, tag and code tokens; when fitting with ``latent`` (the corpus's SVD
        rows), the words are the corpus's and the latent coordinates come after them."""
        query = load_query() if hits is None else None
        all_hits = hits if hits is not None else [query.hits(d) for d in docs]  # type: ignore[union-attr]
        prefixes = tuple(self.code_prefixes)
        tokens = [tag_tokens(h, d.codes, prefixes) for d, h in zip(docs, all_hits, strict=True)]
        texts = [d.text for d in docs]
        if fit:
            if latent is None:
                self.words_ = self._vectorizer()
                words_matrix = self.words_.fit_transform(texts)
            else:  # the vocabulary is the corpus's, fitted by _latent
                words_matrix = self.words_.transform(texts)
            counts: dict[str, int] = {}
            for toks in tokens:
                for t in toks:
                    counts[t] = counts.get(t, 0) + 1
            self.tokens_ = {
                t: i for i, t in enumerate(sorted(t for t, n in counts.items() if n >= self.min_df))
            }
        else:
            kept = getattr(self, "_weights", None)
            if kept is None or kept[0] is not self.words_:
                kept = self._weights = (self.words_, vectorize.weighting(self.words_))
            words_matrix = vectorize.transform(self.words_, texts, words, kept[1])
        tags = vectorize.token_matrix(tokens, self.tokens_, self.tag_weight)
        if fit and latent is not None:
            coordinates = sparse.csr_matrix(np.asarray(words_matrix @ latent.T) * self.lsa_weight)
            return sparse.hstack([words_matrix, tags, coordinates], format="csr")
        return sparse.hstack([words_matrix, tags], format="csr")

    def fit(
        self,
        X: Sequence[Document],
        y: Sequence[str],
        hits: Sequence[Sequence[Hit]] | None = None,
        corpus: Sequence[str] | None = None,
    ) -> ApplicationClassifier:
        """Fit on the documents ``X`` and their fields ``y``; ``corpus``: unlabelled texts whose vocabulary
        and latent semantic space the model uses (see the module docstring)."""
        latent = self._latent(corpus or [])
        design = self._design(X, hits, fit=True, latent=latent)
        target = np.asarray(y)
        self.classes_ = np.array(sorted(set(target.tolist())))
        coef, intercept = [], []
        for field in self.classes_:
            model = LogisticRegression(
                C=self.C, solver="liblinear", class_weight="balanced", random_state=self.random_state
            ).fit(design, target == field)
            coef.append(model.coef_[0])
            intercept.append(model.intercept_[0])
        weights = np.vstack(coef)
        if latent is not None:  # the latent coordinates' weights folded into the words'
            n_words = len(self.words_.vocabulary_)
            n_kept = n_words + len(self.tokens_)
            folded = weights[:, n_kept:] @ latent.astype(np.float64) * self.lsa_weight
            weights = weights[:, :n_kept].copy()
            weights[:, :n_words] += folded
        self.coef_ = weights.astype(np.float32).astype(np.float64)  # as saved: loading changes nothing
        self.intercept_ = np.asarray(intercept)
        return self

    def _scores(self, design: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(design @ self.coef_.T) + self.intercept_

    def predict_proba(self, X: Sequence[Document], hits: Sequence[Sequence[Hit]] | None = None) -> np.ndarray:
        """One-vs-rest probabilities, normalised to sum to one over the fields."""
        p = 1.0 / (1.0 + np.exp(-self._scores(self._design(X, hits, fit=False))))
        return p / p.sum(1, keepdims=True)

    def predict(self, X: Sequence[Document], hits: Sequence[Sequence[Hit]] | None = None) -> np.ndarray:
        return np.array([f for f, _, _ in self.predict_with_evidence(X, hits)])

    def predict_with_evidence(
        self,
        X: Sequence[Document],
        hits: Sequence[Sequence[Hit]] | None = None,
        top: int = 4,
        words: vectorize.Words | None = None,
    ) -> list[tuple[str, float, list[tuple[str, float]]]]:
        """Per document: the field (``unclassified`` with nothing to read), its probability and the features
        that raised its score most. ``words``: the documents' words as the word vocabulary reads them, when
        the caller has them (:func:`vectorize.tokenize`)."""
        design = self._design(X, hits, fit=False, words=words)
        scores = self._scores(design)
        p = 1.0 / (1.0 + np.exp(-scores))
        p /= p.sum(1, keepdims=True)
        names = self.feature_names()
        best = np.argmax(scores, axis=1)
        row = np.repeat(np.arange(design.shape[0]), np.diff(design.indptr))
        contrib = design.data * self.coef_[best[row], design.indices]
        out: list[tuple[str, float, list[tuple[str, float]]]] = []
        weightiest = vectorize.weightiest(design, contrib, -contrib, top)
        for i, (k, (cols, values)) in enumerate(zip(best.tolist(), weightiest, strict=True)):
            evidence = [(names[c], round(v, 4)) for c, v in zip(cols, values, strict=True) if v > 0]
            if not evidence:  # nothing to read, or only the field's prior speaks for it: no evidence
                out.append((UNCLASSIFIED, 0.0, []))
                continue
            out.append((str(self.classes_[k]), round(float(p[i, k]), 6), evidence))
        return out

    def feature_names(self) -> list[str]:
        words = sorted(self.words_.vocabulary_, key=self.words_.vocabulary_.get)
        return [f"word:{w}" for w in words] + sorted(self.tokens_, key=self.tokens_.get)

    # -- persistence ------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        arrays: dict[str, np.ndarray] = {
            "coef": self.coef_.astype(np.float32),
            "intercept": self.intercept_.astype(np.float64),
            "classes": np.asarray(self.classes_, dtype=str),
            "words": np.asarray(sorted(self.words_.vocabulary_, key=self.words_.vocabulary_.get), dtype=str),
            "idf": self.words_.idf_.astype(np.float64),
            "tokens": np.asarray(sorted(self.tokens_, key=self.tokens_.get), dtype=str),
        }
        self.version_ = content_version(str(FORMAT_VERSION), arrays)
        header = {"format": FORMAT, "format_version": FORMAT_VERSION, "params": self.get_params()}
        header["version"] = self.version_
        return save_model(path, arrays, header)

    @classmethod
    def load(cls, path: str | Path) -> ApplicationClassifier:
        arrays, header = load_model(path)
        if header.get("format") != FORMAT or header.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path}: not a patscape application classifier (format {FORMAT_VERSION})")
        # a model saved before code_prefixes existed read codes whole
        est = cls(**{"code_prefixes": (), **header["params"]})
        est.words_ = est._vectorizer()
        est.words_.vocabulary_ = {str(w): i for i, w in enumerate(arrays["words"])}
        est.words_.idf_ = arrays["idf"]
        est.tokens_ = {str(t): i for i, t in enumerate(arrays["tokens"])}
        est.coef_ = arrays["coef"].astype(np.float64)
        est.intercept_ = arrays["intercept"]
        est.classes_ = arrays["classes"]
        est.version_ = header["version"]
        return est

    @property
    def version(self) -> str:
        return getattr(self, "version_", None) or f"{FORMAT_VERSION}+untrained"
