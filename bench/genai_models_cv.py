"""Learned model taggers against the model rules, by grouped 5-fold cross-validation on the development part
of the reference labels only (the frozen test split is never read).

Folds: those of ``genai_embeddings_cv.grouped_folds``; scored on the held-out fold's documents labelled
generative AI (models macro-F1 over the labels present, as the frozen split is scored); gains are per fold,
variant minus the rules, with their mean and standard deviation. Each threshold is chosen inside each fold by
an inner grouped 5-fold cross-validation of the training folds over ``THRESHOLDS`` ("never" included, and
winning ties), and the held-out fold scores that choice.

- **hand**: one-vs-rest logistic regressions over words and word pairs, taxonomy-tag, code and rule-tag
  tokens, fitted on the training folds' documents labelled yes. ``fill``: a document the rules call
  `unspecified` gets the most probable model when its probability reaches the threshold; ``add``: every model
  reaching it is added to the rules' (and `unspecified` dropped).
- **distant**: the same regressions fitted on the weak-label set's positives, each tagged by the model rules
  with the words that named its model masked (so the model is learned from the rest of the abstract), and the
  training folds' hand labels (weight ``HAND_WEIGHT``, their naming words masked too); ``fill`` as above.
- **task rule** (no fitting; written after reading the development part's errors): a document naming no
  model whose modes hold text and whose title or abstract speaks of translation, summarisation, paraphrase or
  captioning is tagged seq2seq; whether to apply it is chosen on the training folds.

    .venv/bin/python bench/genai_models_cv.py [--shared ../shared] [--json out.json]
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from patscape.enrich.genai.application import tag_tokens
from patscape.enrich.genai.document import Document
from patscape.enrich.genai.evaluate import _gold_models, multilabel_metrics
from patscape.enrich.genai.query import Hit, load_query
from patscape.enrich.genai.split import read_reference_labels, split_labels
from patscape.enrich.genai.taxonomy import MODELS, UNSPECIFIED, models, modes
from patscape.enrich.genai.train import trainable
from patscape.enrich.genai.weak_labels import FAMILY_GROUPS, weak_labels

sys.path.insert(0, str(Path(__file__).parent))
from genai_embeddings_cv import grouped_folds
from genai_taxonomy_cv import cli

LABELS = [*MODELS, UNSPECIFIED]
THRESHOLDS: tuple[float | None, ...] = (None, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # None: never
HAND_WEIGHT = 3.0
TASK = re.compile(
    r"\b(translat(e|es|ed|ing|ion|ions)|summari[sz]\w*|paraphras\w*|rephras\w*|caption\w*)\b", re.I
)
Probabilities = Callable[[list[int], list[int]], np.ndarray]  # (training ids, scored ids) -> ids x MODELS


def masked_text(doc: Document, hits: list[Hit]) -> str:
    """Title and abstract with the words that name a model blanked out."""
    parts = []
    for name in ("title", "abstract"):
        chars = list(getattr(doc, name) or "")
        for h in hits:
            if h.field == name and (h.name.startswith("model:") or h.name in FAMILY_GROUPS):
                chars[h.start : h.start + len(h.text)] = " " * len(chars[h.start : h.start + len(h.text)])
        parts.append("".join(chars))
    return f"{parts[0]}. {parts[1]}"


def one_vs_rest(
    texts: list[str],
    tokens: list[str],
    gold: list[list[str]],
    weights: np.ndarray,
    scored: tuple[list, list],
    distant: bool = False,
) -> np.ndarray:
    """Each model's probability for the ``scored`` (texts, tokens); ``distant``: the settings for the larger
    weak-label training set (words only, in 3 documents or more, C 1, no class weights)."""
    min_df, C, balance = (3, 1.0, None) if distant else (2, 4.0, "balanced")
    words = TfidfVectorizer(min_df=min_df, sublinear_tf=True, ngram_range=(1, 2), stop_words="english")
    words.fit(texts)
    toks = TfidfVectorizer(token_pattern=r"\S+", lowercase=False, use_idf=False, norm=None)
    toks = None if distant else toks

    def design(t: list[str], k: list[str]) -> sparse.csr_matrix:
        if toks is None:  # words only
            return sparse.csr_matrix(words.transform(t))
        return sparse.hstack([words.transform(t), toks.transform(k) * 0.5], format="csr")

    if toks is not None:
        toks.fit(tokens)

    x, xs = design(texts, tokens), design(*scored)
    out = np.zeros((xs.shape[0], len(MODELS)))
    for j, label in enumerate(MODELS):
        y = np.array([label in g for g in gold])
        if y.sum() >= (3 if distant else 2):
            lr = LogisticRegression(C=C, class_weight=balance, max_iter=3000)
            out[:, j] = lr.fit(x, y, sample_weight=weights).predict_proba(xs)[:, 1]
    return out


def combine(rules: list[str], p: np.ndarray, threshold: float | None, how: str) -> list[str]:
    if threshold is None:
        return rules
    if how == "fill":
        return [MODELS[int(p.argmax())]] if rules == [UNSPECIFIED] and p.max() >= threshold else rules
    added = [MODELS[j] for j in np.flatnonzero(p >= threshold) if MODELS[j] not in rules]
    return [t for t in rules if t != UNSPECIFIED] + added if added else rules


def gains(values: list[float], base: list[float]) -> dict[str, Any]:
    d = np.array(values) - np.array(base)
    return {
        "fold_macro_f1": [round(v, 4) for v in values],
        "fold_gain": [round(float(x), 4) for x in d],
        "gain_mean": round(float(d.mean()), 4),
        "gain_sd": round(float(d.std(ddof=1)), 4),
    }


def run(shared: Path) -> dict[str, Any]:
    query = load_query()
    reference = read_reference_labels(shared)
    development, _ = split_labels(reference)  # the test part is dropped here, never used
    folds = grouped_folds(development)
    docs = [lab.doc for lab in development]
    hits = [query.hits(d) for d in docs]
    rules = [[t.tag for t in models(h)] for h in hits]
    gold = [_gold_models(lab) for lab in development]
    yes = [lab.genai == "yes" for lab in development]
    learn = {id(lab) for lab in trainable(development)}
    texts = [d.text for d in docs]
    tokens = [
        " ".join([*tag_tokens(h, d.codes), *(f"r:{t}" for t in r)])
        for d, h, r in zip(docs, hits, rules, strict=True)
    ]
    masked = [masked_text(d, h) for d, h in zip(docs, hits, strict=True)]
    weak = [
        w.doc for w in weak_labels(shared / "data", query, exclude=[lab.doc for lab in reference]) if w.label
    ]
    weak_hits = [query.hits(d) for d in weak]
    weak_texts = [masked_text(d, h) for d, h in zip(weak, weak_hits, strict=True)]
    weak_gold = [[t.tag for t in models(h)] for h in weak_hits]

    def hand(train: list[int], scored: list[int]) -> np.ndarray:
        pick = lambda v: [v[i] for i in train]
        target = ([texts[i] for i in scored], [tokens[i] for i in scored])
        return one_vs_rest(pick(texts), pick(tokens), pick(gold), np.ones(len(train)), target)

    def distant(train: list[int], scored: list[int]) -> np.ndarray:
        all_texts = weak_texts + [masked[i] for i in train]
        weights = np.r_[np.ones(len(weak)), np.full(len(train), HAND_WEIGHT)]
        target = ([masked[i] for i in scored], [""] * len(scored))
        labels = weak_gold + [gold[i] for i in train]
        return one_vs_rest(all_texts, [""] * len(all_texts), labels, weights, target, distant=True)

    def macro(ids: list[int], pred: list[list[str]]) -> float:
        return multilabel_metrics([gold[i] for i in ids], pred, LABELS)["macro_f1"]

    def task_rule(i: int) -> list[str]:
        text_mode = "text" in [t.tag for t in modes(hits[i])]
        return ["seq2seq"] if rules[i] == [UNSPECIFIED] and text_mode and TASK.search(texts[i]) else rules[i]

    variants: list[tuple[str, Probabilities, str]] = [("hand", hand, "fill"), ("hand", hand, "add")]
    variants.append(("distant", distant, "fill"))
    base: list[float] = []
    rows: dict[str, list[float]] = {f"{n} {how}": [] for n, _, how in variants}
    fixed: dict[str, dict[str, list[float]]] = {f"{n} {how}": {} for n, _, how in variants}
    chosen: dict[str, list[str]] = {name: [] for name in [*rows, "task rule"]}
    rows["task rule"] = []
    t0 = time.perf_counter()
    for k, (tr, te) in enumerate(folds):
        tr_yes = [i for i in tr if yes[i] and id(development[i]) in learn]
        te_yes = [i for i in te if yes[i]]
        base.append(macro(te_yes, [rules[i] for i in te_yes]))
        inner_folds = grouped_folds([development[i] for i in tr], seed=k + 1)
        inner_sets = [
            (
                [tr[i] for i in itr if yes[tr[i]] and id(development[tr[i]]) in learn],
                [tr[i] for i in ite if yes[tr[i]]],
            )
            for itr, ite in inner_folds
        ]
        for name, probabilities, how in variants:
            key = f"{name} {how}"
            inner: dict[float | None, list[float]] = {t: [] for t in THRESHOLDS}
            for a, b in inner_sets:
                p = probabilities(a, b)
                for t in THRESHOLDS:
                    inner[t].append(macro(b, [combine(rules[i], p[j], t, how) for j, i in enumerate(b)]))
            best = max(THRESHOLDS, key=lambda t: (round(float(np.mean(inner[t])), 6), t is None))
            chosen[key].append("never" if best is None else f"{best:g}")
            p = probabilities(tr_yes, te_yes)
            for t in THRESHOLDS:
                f1 = macro(te_yes, [combine(rules[i], p[j], t, how) for j, i in enumerate(te_yes)])
                if t is not None:
                    fixed[key].setdefault(f"{t:g}", []).append(f1)
                if t == best:
                    rows[key].append(f1)
        use = macro(tr_yes, [task_rule(i) for i in tr_yes]) > macro(tr_yes, [rules[i] for i in tr_yes])
        chosen["task rule"].append("applied" if use else "not applied")
        rows["task rule"].append(macro(te_yes, [task_rule(i) if use else rules[i] for i in te_yes]))
        print(f"fold {k}: {time.perf_counter() - t0:.0f} s", flush=True)
    yes_ids = [i for i in range(len(development)) if yes[i]]
    pooled = multilabel_metrics([gold[i] for i in yes_ids], [rules[i] for i in yes_ids], LABELS)
    out: dict[str, Any] = {
        "documents_yes": len(yes_ids),
        "weak_positives": len(weak),
        "rules": {
            "fold_macro_f1": [round(v, 4) for v in base],
            "pooled_macro_f1": pooled["macro_f1"],
            "per_label": {k: {"f1": v["f1"], "support": v["support"]} for k, v in pooled["labels"].items()},
        },
    }
    for key, values in rows.items():
        out[key] = {**gains(values, base), "inner_choices": chosen[key]}
        if key in fixed:
            out[key]["fixed_threshold_gain_mean"] = {
                t: round(float(np.mean(np.array(v) - np.array(base))), 4) for t, v in fixed[key].items()
            }
    return out


def main() -> None:
    cli(run, __doc__ or "")


if __name__ == "__main__":
    main()
