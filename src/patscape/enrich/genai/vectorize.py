"""TF-IDF of many documents at once: the numbers of scikit-learn's ``TfidfVectorizer.transform``, without its
Python loop over every word of every document.

scikit-learn counts each document's words in a dictionary, one word at a time. Here the words of all
the documents go into one flat list, every word and n-gram is looked up in the vocabulary by one ``map`` (a
loop in C), and a sparse matrix sums the counts. The counts go to scikit-learn's own ``TfidfTransformer``, so
the weighting and the normalisation are scikit-learn's; ``tests/enrich/genai/test_vectorize.py`` checks the
result equal, number for number, to ``TfidfVectorizer.transform`` on real abstracts.

The words are read with the vectoriser's own preprocessor and tokenizer (:func:`tokenize`); two vectorisers
that read words alike (:func:`same_words`) share them, so a batch is tokenised once for the classifier and
the application model.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import chain, repeat

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer

Words = list[list[str]]

# the settings that decide which words a vectoriser reads from a text
_READING = ("input", "lowercase", "preprocessor", "tokenizer", "token_pattern", "strip_accents", "analyzer")


def same_words(a: TfidfVectorizer, b: TfidfVectorizer) -> bool:
    """Whether the two vectorisers read the same words from a text (stop words and n-grams aside)."""
    return all(getattr(a, k) == getattr(b, k) for k in _READING)


def _check(vectorizer: TfidfVectorizer) -> None:
    if vectorizer.analyzer != "word" or vectorizer.input != "content" or vectorizer.binary:
        raise ValueError("vectorize handles word n-grams of text content with counted terms only")


def _reads_runs(vectorizer: TfidfVectorizer) -> bool:
    """Whether the vectoriser's words are scikit-learn's default: lower-cased runs of two or more word
    characters (``(?u)\\b\\w\\w+\\b``), nothing else done to the text."""
    return (
        vectorizer.lowercase
        and vectorizer.token_pattern == r"(?u)\b\w\w+\b"
        and vectorizer.preprocessor is None
        and vectorizer.tokenizer is None
        and vectorizer.strip_accents is None
    )


def tokenize(
    vectorizer: TfidfVectorizer, texts: Sequence[str], runs: Sequence[list[str]] | None = None
) -> Words:
    """The words of each text, as the vectoriser reads them (before stop words and n-grams).

    ``runs``: each text's lower-cased runs of letters and digits, when the caller has them (the query's
    matcher splits the text so). In an ASCII text without ``_`` a word character is a letter or a digit, so
    the default vectoriser's words are the runs of two characters or more: they are taken from ``runs``
    rather than read again; any other text is read by the vectoriser's own tokenizer."""
    _check(vectorizer)
    prepare = vectorizer.build_preprocessor()
    split = vectorizer.build_tokenizer()
    if runs is None or not _reads_runs(vectorizer):
        return [split(prepare(t)) for t in texts]
    return [
        [w for w in r if len(w) > 1] if t.isascii() and "_" not in t else split(prepare(t))
        for t, r in zip(texts, runs, strict=True)
    ]


def _join(first: str, second: str) -> str:
    return f"{first} {second}"


class _Numbered:
    """A vocabulary's n-grams as numbers: every word of its terms numbered (stop words left out), and each
    n-gram of n words the number ``w1 * W^(n-1) + ... + wn`` (``W`` words), sorted, with its column. A
    document's n-grams are then looked up with numpy, without making their strings."""

    def __init__(self, vocabulary: dict[str, int], stop: frozenset[str], max_n: int) -> None:
        self.words: dict[str, int] = {}
        split_terms = [(term.split(" "), column) for term, column in vocabulary.items()]
        for parts, _ in split_terms:
            for w in parts:
                if w not in stop:
                    self.words.setdefault(w, len(self.words))
        self.base = max(len(self.words), 1)
        self.grams: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n in range(1, max_n + 1):
            keys, columns = [], []
            for parts, column in split_terms:
                if len(parts) == n and all(w in self.words for w in parts):
                    key = 0
                    for w in parts:
                        key = key * self.base + self.words[w]
                    keys.append(key)
                    columns.append(column)
            numbers = np.asarray(keys, dtype=np.int64)
            order = np.argsort(numbers, kind="stable")
            self.grams[n] = (numbers[order], np.asarray(columns, dtype=np.int64)[order])

    def numbers(self, flat: list[str]) -> np.ndarray:
        """Each word's number (-1: in no term)."""
        return np.fromiter(map(self.words.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))

    def columns(self, ids: np.ndarray, doc_of: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The rows and columns of the vocabulary's n-grams of n words among the words numbered ``ids``."""
        span = len(ids) - n + 1
        keys, columns = self.grams[n]
        if span <= 0 or len(keys) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        key = ids[:span].copy()
        known = key >= 0
        for j in range(1, n):
            key = key * self.base + ids[j : j + span]
            known &= ids[j : j + span] >= 0
        known &= doc_of[n - 1 : n - 1 + span] == doc_of[:span]  # its words are all of one document
        at = np.flatnonzero(known)
        pos = np.minimum(np.searchsorted(keys, key[at]), len(keys) - 1)
        found = keys[pos] == key[at]
        return doc_of[at[found]], columns[pos[found]]


_NUMBERED: dict[int, tuple[TfidfVectorizer, _Numbered]] = {}


def _numbered(vectorizer: TfidfVectorizer) -> _Numbered | None:
    """The vectoriser's vocabulary numbered (made once a vectoriser), or None when it has no n-grams of two
    words or more, its words could hold a space (an n-gram could not be told from its words) or its n-grams
    would not fit in 63 bits."""
    kept = _NUMBERED.get(id(vectorizer))
    if kept is not None and kept[0] is vectorizer and len(kept[1].grams) == vectorizer.ngram_range[1]:
        return kept[1]
    max_n = vectorizer.ngram_range[1]
    if max_n == 1 or not _reads_runs(vectorizer):  # words alone: the vocabulary is their table already
        return None
    if (max_n * len(vectorizer.vocabulary_) + 1) ** max_n >= 2**62:
        return None
    numbered = _Numbered(vectorizer.vocabulary_, frozenset(vectorizer.get_stop_words() or ()), max_n)
    if len(_NUMBERED) > 8:
        _NUMBERED.clear()
    _NUMBERED[id(vectorizer)] = (vectorizer, numbered)
    return numbered


def counts(vectorizer: TfidfVectorizer, words: Words) -> sparse.csr_matrix:
    """The term counts of each document (``CountVectorizer.transform``'s matrix) from its words."""
    _check(vectorizer)
    vocabulary = vectorizer.vocabulary_
    min_n, max_n = vectorizer.ngram_range
    stop = vectorizer.get_stop_words()
    if stop and max_n > 1:  # n-grams are formed after the stop words are taken out
        words = [[w for w in doc if w not in stop] for doc in words]
    n_docs = len(words)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=n_docs)
    flat = list(chain.from_iterable(words))
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    numbered = _numbered(vectorizer)
    if numbered is not None:
        ids = numbered.numbers(flat)
        for n in range(min_n, max_n + 1):
            row, col = numbered.columns(ids, doc_of, n)
            rows.append(row)
            cols.append(col)
    else:
        lookup = vocabulary.get
        grams = flat
        for n in range(1, max_n + 1):
            if n > 1:  # the n-gram at i: the (n-1)-gram at i and the word at i + n - 1
                grams = list(map(_join, grams, flat[n - 1 :]))
            if n < min_n or not grams:
                continue
            ids = np.fromiter(map(lookup, grams, repeat(-1)), dtype=np.int64, count=len(grams))
            first = doc_of[: len(grams)]
            keep = ids >= 0
            if n > 1:
                keep &= doc_of[n - 1 :] == first  # its words are all of one document
            elif stop:
                stopped = [vocabulary[w] for w in stop if w in vocabulary]
                if stopped:
                    keep &= ~np.isin(ids, stopped)
            rows.append(first[keep])
            cols.append(ids[keep])
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    col = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    data = np.ones(len(row), dtype=vectorizer.dtype)
    matrix = sparse.csr_matrix((data, (row, col)), shape=(n_docs, len(vocabulary)), dtype=vectorizer.dtype)
    matrix.sum_duplicates()  # the counts, with sorted column indices
    return matrix


def weighting(vectorizer: TfidfVectorizer) -> TfidfTransformer:
    """scikit-learn's TF-IDF weighting with the fitted vectoriser's settings and inverse document
    frequencies."""
    transformer = TfidfTransformer(
        norm=vectorizer.norm,
        use_idf=vectorizer.use_idf,
        smooth_idf=vectorizer.smooth_idf,
        sublinear_tf=vectorizer.sublinear_tf,
    )
    if vectorizer.use_idf:
        transformer.idf_ = vectorizer.idf_
    else:  # nothing to learn: fitted on an empty matrix of the vocabulary's width
        transformer.fit(sparse.csr_matrix((1, len(vectorizer.vocabulary_)), dtype=vectorizer.dtype))
    return transformer


def transform(
    vectorizer: TfidfVectorizer,
    texts: Sequence[str],
    words: Words | None = None,
    weights: TfidfTransformer | None = None,
) -> sparse.csr_matrix:
    """``vectorizer.transform(texts)``; ``words``: the texts' words when the caller has them
    (:func:`tokenize`), ``weights``: :func:`weighting` of the vectoriser when the caller keeps it."""
    if words is None:
        words = tokenize(vectorizer, texts)
    return (weights or weighting(vectorizer)).transform(counts(vectorizer, words), copy=False)


@lru_cache(maxsize=100_000)
def code_tokens(code: str) -> tuple[str, str]:
    """The feature tokens of a classification code: the code and its main group (``G06N3``)."""
    return f"c:{code}", f"cg:{code.split('/')[0]}"


def token_matrix(
    tokens: Sequence[Sequence[str]], vocabulary: dict[str, int], weight: float
) -> sparse.csr_matrix:
    """One row per document, ``weight`` in the column of each of its tokens that the vocabulary knows (a token
    listed twice in a document counts twice)."""
    n_docs = len(tokens)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=n_docs)
    flat = list(chain.from_iterable(tokens))
    ids = np.fromiter(map(vocabulary.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    keep = ids >= 0
    data = np.full(int(keep.sum()), weight, dtype=np.float32)
    return sparse.csr_matrix((data, (rows[keep], ids[keep])), shape=(n_docs, len(vocabulary)))


def weightiest(
    design: sparse.csr_matrix, contributions: np.ndarray, key: np.ndarray, top: int
) -> list[tuple[list[int], list[float]]]:
    """Per row of ``design``: the columns and contributions (one per stored entry) of at most ``top`` entries
    with the smallest ``key``, ties in the row's order: what ``np.argsort(key, kind="stable")[:top]`` picks
    row by row. Found by ``top`` passes that each take every row's smallest entry left (no sort)."""
    n_rows = design.shape[0]
    if design.nnz == 0:
        return [([], []) for _ in range(n_rows)]
    sizes = np.diff(design.indptr)
    filled = np.flatnonzero(sizes > 0)
    starts = design.indptr[filled]
    row = np.repeat(np.arange(n_rows), sizes)
    left = np.array(key, dtype=np.float64)  # the entries not taken yet; a taken one becomes +inf
    picked = np.full((n_rows, top), -1, dtype=np.int64)
    smallest = np.full(n_rows, np.inf)
    for rank in range(top):
        smallest[filled] = np.minimum.reduceat(left, starts)
        at = np.flatnonzero((left == smallest[row]) & (left != np.inf))
        owner = row[at]
        first = np.ones(len(at), dtype=bool)  # the first entry of its row with that key
        first[1:] = owner[1:] != owner[:-1]
        at = at[first]
        picked[row[at], rank] = at
        left[at] = np.inf
    found = picked >= 0
    safe = np.where(found, picked, 0)
    columns = np.where(found, design.indices[safe], -1).tolist()
    values = contributions[safe].tolist()
    out: list[tuple[list[int], list[float]]] = []
    for cols, vals, n in zip(columns, values, found.sum(1).tolist(), strict=True):
        out.append((cols[:n], vals[:n]))
    return out
