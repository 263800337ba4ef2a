"""The batched TF-IDF and evidence of ``vectorize`` give scikit-learn's and numpy's numbers exactly, on real
abstracts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from patscape.enrich.genai import vectorize
from patscape.enrich.genai.document import Document, Labelled, read_scraped
from patscape.enrich.genai.pipeline import default_pipeline

from .conftest import SCRAPED_FILE


@pytest.fixture(scope="module")
def texts(data: Path) -> list[str]:
    return [d.text for d in read_scraped([data / SCRAPED_FILE])]


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    assert a.shape == b.shape and a.dtype == b.dtype
    assert np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit for bit, not approximately


def test_the_shipped_vocabularies_transform_as_scikit_learn(texts: list[str]) -> None:
    pipe = default_pipeline()
    text_model, field_model = pipe.classifier.tfidf_, pipe.application.words_
    assert vectorize.same_words(text_model, field_model)
    words = vectorize.tokenize(field_model, texts)
    for vec in (text_model, field_model):
        _same(vectorize.transform(vec, texts, words), vec.transform(texts))
        _same(vectorize.transform(vec, texts[:1]), vec.transform(texts[:1]))


@pytest.mark.parametrize(
    "settings",
    [
        {"ngram_range": (1, 3), "min_df": 2},
        {"ngram_range": (2, 2), "stop_words": "english"},
        {"ngram_range": (1, 2), "stop_words": "english", "sublinear_tf": True, "norm": "l1"},
        {"lowercase": False, "use_idf": False, "dtype": np.float64},
    ],
)
def test_other_settings_transform_as_scikit_learn(
    texts: list[str], labelled: list[Labelled], settings: dict
) -> None:
    vec = TfidfVectorizer(**settings).fit([lab.doc.text for lab in labelled])
    sample = [*texts[:400], "", "a", "of the"]  # and documents with no or one word
    _same(vectorize.transform(vec, sample), vec.transform(sample))


def test_the_weightiest_entries_are_numpys_stable_sort_row_by_row(texts: list[str]) -> None:
    vec = default_pipeline().application.words_
    design = vec.transform([*texts[:600], ""])
    assert vectorize.weightiest(vec.transform(["", "qwzx"]), np.zeros(0), np.zeros(0), 3) == [([], [])] * 2
    rng = np.random.default_rng(0)
    # contributions with ties and zeros, as the models' are
    contrib = np.round(design.data.astype(np.float64) * rng.normal(size=design.nnz), 2)
    for key, top in ((-contrib, 4), (-np.abs(contrib), 6), (contrib, 1)):
        got = vectorize.weightiest(design, contrib, key, top)
        for i, (cols, values) in enumerate(got):
            lo, hi = design.indptr[i], design.indptr[i + 1]
            order = np.argsort(key[lo:hi], kind="stable")[:top]
            assert cols == design.indices[lo:hi][order].tolist()
            assert values == contrib[lo:hi][order].tolist()
    assert got[-1] == ([], [])


def test_the_matchers_words_stand_for_the_vectorisers_own(data: Path) -> None:
    pipe = default_pipeline()
    docs = read_scraped([data / SCRAPED_FILE])
    docs += [
        Document("XX-1-A", "Snake_case and CamelCase", "x_y z; Größe ΣΑΣ straße İstanbul, a b cd."),
        Document("XX-2-A", "", "Only an abstract: GAN-based 3D images"),
        Document("XX-3-A", "Only a title", ""),
    ]
    assert any(not d.text.isascii() for d in docs[:-3])  # real non-ASCII texts among the scraped
    runs: list[list[str]] = [[] for _ in docs]
    for d, r in zip(docs, runs, strict=True):
        pipe.query.hits(d, r)
    texts = [d.text for d in docs]
    vec = pipe.application.words_
    # scikit-learn's own reading: its tokenizer over the lower-cased text
    assert vectorize.tokenize(vec, texts, runs) == [vec.build_tokenizer()(t.lower()) for t in texts]
