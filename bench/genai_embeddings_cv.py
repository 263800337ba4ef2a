"""Does a transformer's sentence embedding improve generative-AI identification? Grouped 5-fold
cross-validation on the development part of the reference labels only (the frozen test split is never read).

Folds: ``StratifiedGroupKFold`` over the near-duplicate groups of ``split.duplicate_groups`` (the same
invention never on both sides), stratified on pool x label. In every fold each variant is fitted on the
training folds alone (calibration and stacking weights included) and scored on the held-out fold; every
variant sees the same folds, so their differences are paired. Variants of the yes/no decision (the query
filter in front of all):

- ``shipped``: ``train.fit_pipeline`` (TF-IDF + query groups + CPC codes, weak labels, Platt);
- ``emb-lr``: a logistic regression on the all-MiniLM-L6-v2 embedding (``bench/minilm_numpy.py``) of the hand
  labels alone, Platt-calibrated on inner folds;
- ``mean``: the mean of the shipped and the ``emb-lr`` probabilities (no weight learned);
- ``stack``: a logistic regression over both logits, fitted on out-of-fold scores of the training folds
  (nested: the shipped recipe is refitted on inner folds).

And of the taxonomy, on the documents labelled generative AI (as the frozen split scores it): models and modes
by the rules against one-vs-rest logistic regressions over words, rule hits and the embedding, and the
application field by the shipped ``ApplicationClassifier`` against the same with the embedding appended.

    .venv/bin/python bench/genai_embeddings_cv.py [--shared ../shared] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from patscape.enrich.genai.application import ApplicationClassifier, tag_tokens
from patscape.enrich.genai.document import Labelled
from patscape.enrich.genai.evaluate import _gold_models, binary_metrics, multilabel_metrics
from patscape.enrich.genai.query import load_query
from patscape.enrich.genai.split import duplicate_groups, read_reference_labels, split_labels
from patscape.enrich.genai.taxonomy import MODELS, MODES, UNSPECIFIED, models, modes
from patscape.enrich.genai.train import fit_pipeline, trainable
from patscape.enrich.genai.weak_labels import weak_labels

FOLDS = 5
EPS = 1e-6


def grouped_folds(labelled: list[Labelled], seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    rows = [{"id": lab.extra["id"], "title": lab.doc.title, "abstract": lab.doc.abstract} for lab in labelled]
    group_of = {i: g[0] for g in duplicate_groups(rows) for i in g}
    groups = [group_of[lab.extra["id"]] for lab in labelled]
    strata = [f"{lab.extra.get('pool')}|{lab.genai}" for lab in labelled]
    counts = Counter(strata)
    strata = [s if counts[s] >= FOLDS else s.split("|")[1] for s in strata]
    sgkf = StratifiedGroupKFold(FOLDS, shuffle=True, random_state=seed)
    return list(sgkf.split(np.zeros(len(labelled)), strata, groups))


def platt_lr(x: np.ndarray, y: np.ndarray, C: float, seed: int = 0) -> tuple[LogisticRegression, np.ndarray]:
    """A logistic regression and the Platt sigmoid of its inner out-of-fold scores."""
    scores = np.zeros(len(y))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, y):
        scores[te] = LogisticRegression(C=C, max_iter=2000).fit(x[tr], y[tr]).decision_function(x[te])
    sig = LogisticRegression(C=1e4, max_iter=1000).fit(scores[:, None], y)
    return LogisticRegression(C=C, max_iter=2000).fit(x, y), np.array([sig.coef_[0, 0], sig.intercept_[0]])


def emb_proba(model: LogisticRegression, cal: np.ndarray, x: np.ndarray) -> np.ndarray:
    return expit(cal[0] * model.decision_function(x) + cal[1])


def shipped_scores(train: list[Labelled], test: list[Labelled], weak: list, query: Any) -> tuple[Any, Any]:
    pipe = fit_pipeline(train, weak, query, 0)
    decisions = pipe.decide([lab.doc for lab in test])
    return np.array([d.score for d in decisions]), np.array([d.candidate for d in decisions])


def embeddings(
    development: list[Labelled], cache: Path | None, max_length: int, partial: bool = False
) -> tuple[np.ndarray, float]:
    """The embedding of every development document, in chunks kept in ``cache`` (a .npy file per chunk, so
    an interrupted run goes on where it stopped); ``partial``: only the chunks kept, zero rows elsewhere."""
    from minilm_numpy import MiniLM

    encoder = None
    parts = []
    seconds = 0.0
    for start in range(0, len(development), 64):
        chunk = [lab.doc.text for lab in development[start : start + 64]]
        path = cache.with_name(f"{cache.stem}-{max_length}-{start}.npy") if cache else None
        if path is not None and path.exists():
            parts.append(np.load(path))
            continue
        if partial:
            parts.append(np.zeros((len(chunk), 384), dtype=np.float32))
            continue
        encoder = encoder or MiniLM(max_length=max_length)
        t0 = time.perf_counter()
        parts.append(encoder.encode(chunk))
        seconds += time.perf_counter() - t0
        print(f"embedded {start + len(chunk)} of {len(development)} ({seconds:.0f} s)", flush=True)
        if path is not None:
            np.save(path, parts[-1])
    return np.vstack(parts), seconds


def shipped_cv(
    development: list[Labelled],
    folds: list,
    weak: list,
    query: Any,
    cache: Path | None,
    only: int | None = None,
) -> Any:
    """The shipped recipe's out-of-fold probabilities and query decisions, each fold kept in a file beside
    ``cache`` (so that folds can run as separate processes: ``--fold k``)."""
    p = np.zeros(len(development))
    cand = np.zeros(len(development), dtype=bool)
    for k, (tr, te) in enumerate(folds):
        if only is not None and k != only:
            continue
        path = cache.with_name(f"{cache.stem}-fold{k}.npz") if cache else None
        if path is not None and path.exists():
            kept = np.load(path)
            p[te], cand[te] = kept["p"], kept["cand"]
            continue
        if weak is None:  # partial: a fold not kept is not scored
            continue
        p[te], cand[te] = shipped_scores(
            [development[i] for i in tr], [development[i] for i in te], weak, query
        )
        print(f"fold {k}: shipped recipe fitted", flush=True)
        if path is not None:
            np.savez(path, p=p[te], cand=cand[te])
    return p, cand


def run(
    shared: Path,
    emb_C: float = 1.0,
    cache: Path | None = None,
    inner: bool = True,
    score_cache: Path | None = None,
    shipped_only: bool = False,
    max_length: int = 64,
    embed_only: bool = False,
    only_fold: int | None = None,
    partial: bool = False,
) -> dict[str, Any]:
    query = load_query()
    reference = read_reference_labels(shared)
    development, _ = split_labels(reference)  # the test part is dropped here, never used
    if embed_only:
        embeddings(development, cache, max_length)
        return {}
    weak = None if partial else weak_labels(shared / "data", query, exclude=[lab.doc for lab in reference])
    learnable = set(id(lab) for lab in trainable(development))
    folds = grouped_folds(development)
    p_ship, cand = shipped_cv(development, folds, weak, query, score_cache, only_fold)
    if shipped_only:
        return {}
    emb, emb_s = embeddings(development, cache, max_length, partial)
    print(f"embedded {len(emb)} documents in {emb_s:.0f} s", flush=True)
    labelled_yn = np.array([lab.genai in ("yes", "no") for lab in development])
    yes_no = labelled_yn.copy()  # the documents scored
    if partial:  # only documents embedded, only folds scored, no stacking (it refits the shipped recipe)
        have = np.abs(emb).sum(1) > 0
        done = [
            k
            for k in range(FOLDS)
            if score_cache and score_cache.with_name(f"{score_cache.stem}-fold{k}.npz").exists()
        ]
        folds = [(tr[have[tr]], te[have[te]]) for k, (tr, te) in enumerate(folds) if k in done]
        in_eval = np.zeros(len(development), dtype=bool)
        for _, te in folds:
            in_eval[te] = True
        yes_no = yes_no & in_eval
        inner = False
    y = np.array([lab.genai == "yes" for lab in development])
    n = len(development)
    p_emb = np.zeros(n)
    p_emb_cand = np.zeros(n)
    p_emb_c8 = np.zeros(n)
    p_stack = np.zeros(n)
    # the query is fixed (not learned): its decision on the training documents may choose them
    retrieved_all = np.array([query.run(lab.doc).candidate for lab in development])
    per_fold: list[dict[str, float]] = []
    for k, (tr, te) in enumerate(folds):
        train = [development[i] for i in tr]
        hand = np.array([i for i in tr if labelled_yn[i] and id(development[i]) in learnable])
        m, cal = platt_lr(emb[hand], y[hand], emb_C)
        p_emb[te] = emb_proba(m, cal, emb[te])
        m, cal = platt_lr(emb[hand], y[hand], 8.0)
        p_emb_c8[te] = emb_proba(m, cal, emb[te])
        retrieved = hand[retrieved_all[hand]]
        m, cal = platt_lr(emb[retrieved], y[retrieved], emb_C)
        p_emb_cand[te] = emb_proba(m, cal, emb[te])
        print(f"fold {k}: shipped and emb-lr fitted", flush=True)
        if not inner:
            continue
        # stacking weights from inner out-of-fold scores of the training folds
        inner_ship = np.zeros(len(tr))
        inner_emb = np.zeros(len(tr))
        inner_cand = np.zeros(len(tr), dtype=bool)
        for itr, ite in grouped_folds(train, seed=k + 1):
            s, c = shipped_scores([train[i] for i in itr], [train[i] for i in ite], weak, query)
            inner_ship[ite], inner_cand[ite] = s, c
            ih = np.array([tr[i] for i in itr if labelled_yn[tr[i]] and id(development[tr[i]]) in learnable])
            mi, ci = platt_lr(emb[ih], y[ih], emb_C)
            inner_emb[ite] = emb_proba(mi, ci, emb[tr[ite]])
        use = inner_cand & labelled_yn[tr]
        z = np.column_stack(
            [logit(np.clip(inner_ship, EPS, 1 - EPS)), logit(np.clip(inner_emb, EPS, 1 - EPS))]
        )
        stacker = LogisticRegression(C=1.0).fit(z[use], y[tr][use])
        zt = np.column_stack(
            [logit(np.clip(p_ship[te], EPS, 1 - EPS)), logit(np.clip(p_emb[te], EPS, 1 - EPS))]
        )
        p_stack[te] = stacker.predict_proba(zt)[:, 1]
        per_fold.append(
            {"stack_coef_ship": float(stacker.coef_[0, 0]), "stack_coef_emb": float(stacker.coef_[0, 1])}
        )
        print(f"fold {k}: done", flush=True)
    variants = {
        "shipped": p_ship,
        "emb-lr": p_emb,
        "mean": (p_ship + p_emb) / 2,
        "emb-lr-C8": p_emb_c8,
        "mean-C8": (p_ship + p_emb_c8) / 2,
        "emb-lr-retrieved": p_emb_cand,
        "mean-retrieved": (p_ship + p_emb_cand) / 2,
        "stack": p_stack,
    }
    if not inner:
        del variants["stack"]
    out: dict[str, Any] = {"documents": n, "scored": int(yes_no.sum()), "positives": int(y[yes_no].sum())}
    out["folds_scored"] = len(folds)
    out["embedding_seconds"] = round(emb_s, 1)
    out["embedding_max_tokens"] = max_length
    out["query_recall"] = binary_metrics(y[yes_no], cand[yes_no], n_boot=0)["recall"]
    for name, p in variants.items():
        pred = cand & (p >= 0.5)
        m = binary_metrics(y[yes_no], pred[yes_no])
        fold_f1 = []
        for _, te in folds:
            te = te[yes_no[te]]
            fold_f1.append(binary_metrics(y[te], pred[te], n_boot=0)["f1"])
        out[name] = {
            "f1": m["f1"],
            "f1_ci": m["f1_ci"],
            "precision": m["precision"],
            "recall": m["recall"],
            "fold_f1": fold_f1,
        }
    base = np.array(out["shipped"]["fold_f1"])
    for name in variants:
        d = np.array(out[name]["fold_f1"]) - base
        out[name]["fold_gain_mean"] = round(float(d.mean()), 4)
        out[name]["fold_gain_sd"] = round(float(d.std(ddof=1)), 4)
    out["stack_coefficients"] = per_fold
    out["taxonomy"] = taxonomy_cv(development, emb, folds, query)
    return out


# -- the taxonomy -----------------------------------------------------------------------------------------


def _word_design(docs: list, hits: list, emb: np.ndarray | None, fit_on: Any = None) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [d.text for d in docs]
    tokens = [" ".join(tag_tokens(h, d.codes)) for d, h in zip(docs, hits, strict=True)]
    if fit_on is None:
        words = TfidfVectorizer(min_df=2, sublinear_tf=True, stop_words="english").fit(texts)
        toks = TfidfVectorizer(min_df=1, token_pattern=r"\S+", lowercase=False, use_idf=False, norm=None)
        toks.fit(tokens)
        fit_on = (words, toks)
    words, toks = fit_on
    parts = [words.transform(texts), toks.transform(tokens) * 0.5]
    if emb is not None:
        parts.append(sparse.csr_matrix(emb))
    return sparse.hstack(parts, format="csr"), fit_on


def _learned_tags(
    tr_x: Any, tr_gold: list[list[str]], te_x: Any, labels: list[str], C: float = 4.0
) -> list[list[str]]:
    """One-vs-rest logistic regressions; a document gets every tag at p >= 0.5, else its most probable."""
    present = [lab for lab in labels if sum(lab in g for g in tr_gold) >= 2]
    probs = np.zeros((te_x.shape[0], len(present)))
    for j, lab in enumerate(present):
        target = np.array([lab in g for g in tr_gold])
        probs[:, j] = (
            LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
            .fit(tr_x, target)
            .predict_proba(te_x)[:, 1]
        )
    out = []
    for row in probs:
        chosen = [present[j] for j in np.flatnonzero(row >= 0.5)]
        out.append(chosen or [present[int(np.argmax(row))]])
    return out


def taxonomy_cv(development: list[Labelled], emb: np.ndarray, folds: list, query: Any) -> dict[str, Any]:
    hits = [query.hits(lab.doc) for lab in development]
    docs = [lab.doc for lab in development]
    scored = np.zeros(len(development), dtype=bool)
    for _, te in folds:
        scored[te] = True
    yes_all = np.array([lab.genai == "yes" for lab in development])
    yes = yes_all & scored
    model_labels = [*MODELS, UNSPECIFIED]
    gold_models = [_gold_models(lab) for lab in development]
    gold_modes = [list(lab.modes) for lab in development]
    pred: dict[str, dict[int, list[str]]] = {k: {} for k in ("models-rules", "modes-rules")}
    for k in ("models-learned", "modes-learned", "models-learned+emb", "modes-learned+emb"):
        pred[k] = {}
    app_all = {i: lab.application for i, lab in enumerate(development) if lab.application}
    app_gold = {i: a for i, a in app_all.items() if scored[i]}
    app_pred: dict[str, dict[int, str]] = {"shipped": {}, "+emb": {}}
    for i in np.flatnonzero(yes):
        pred["models-rules"][i] = [t.tag for t in models(hits[i])]
        pred["modes-rules"][i] = [t.tag for t in modes(hits[i])]
    learn = set(id(lab) for lab in trainable(development))
    for tr, te in folds:
        tr_yes = [i for i in tr if yes_all[i] and id(development[i]) in learn]
        te_yes = [i for i in te if yes[i]]
        for with_emb in (False, True):
            e = emb if with_emb else None
            tr_x, fitted = _word_design(
                [docs[i] for i in tr_yes], [hits[i] for i in tr_yes], None if e is None else e[tr_yes]
            )
            te_x, _ = _word_design(
                [docs[i] for i in te_yes], [hits[i] for i in te_yes], None if e is None else e[te_yes], fitted
            )
            suffix = "+emb" if with_emb else ""
            for dim, gold, labels in (
                ("models", gold_models, model_labels),
                ("modes", gold_modes, list(MODES)),
            ):
                tags = _learned_tags(tr_x, [gold[i] for i in tr_yes], te_x, labels)
                for i, t in zip(te_yes, tags, strict=True):
                    pred[f"{dim}-learned{suffix}"][i] = t
        tr_app = [i for i in tr if i in app_all and id(development[i]) in learn]
        te_app = [i for i in te if i in app_gold]
        app = ApplicationClassifier(random_state=0).fit(
            [docs[i] for i in tr_app], [app_all[i] for i in tr_app], [hits[i] for i in tr_app]
        )
        for i, p in zip(
            te_app, app.predict([docs[i] for i in te_app], [hits[i] for i in te_app]), strict=True
        ):
            app_pred["shipped"][i] = str(p)
        appe = EmbeddedApplication(emb, random_state=0)
        appe.index_ = {id(docs[i]): i for i in range(len(docs))}
        appe.fit([docs[i] for i in tr_app], [app_all[i] for i in tr_app], [hits[i] for i in tr_app])
        for i, p in zip(
            te_app, appe.predict([docs[i] for i in te_app], [hits[i] for i in te_app]), strict=True
        ):
            app_pred["+emb"][i] = str(p)
    out: dict[str, Any] = {}
    ids = sorted(np.flatnonzero(yes))
    for name, p in pred.items():
        dim = name.split("-")[0]
        gold = gold_models if dim == "models" else gold_modes
        labels = model_labels if dim == "models" else list(MODES)
        m = multilabel_metrics([gold[i] for i in ids], [p[i] for i in ids], labels)
        out[name] = {"macro_f1": m["macro_f1"], "macro_f1_ci": m["macro_f1_ci"]}
        out[name]["fold_macro_f1"] = [
            multilabel_metrics([gold[i] for i in te if yes[i]], [p[i] for i in te if yes[i]], labels)[
                "macro_f1"
            ]
            for _, te in folds
        ]
    for name, p in app_pred.items():
        acc = [app_gold[i] == p[i] for i in sorted(app_gold)]
        out[f"application-{name}"] = {
            "accuracy": round(float(np.mean(acc)), 4),
            "fold_accuracy": [
                round(float(np.mean([app_gold[i] == p[i] for i in te if i in app_gold])), 4)
                for _, te in folds
            ],
        }
    return out


class EmbeddedApplication(ApplicationClassifier):
    """The shipped application model with the document's sentence embedding appended (experiment only)."""

    def __init__(
        self,
        emb: Any = None,
        C: float = 16.0,
        min_df: int = 2,
        tag_weight: float = 0.5,
        random_state: int = 0,
    ):
        super().__init__(C=C, min_df=min_df, tag_weight=tag_weight, random_state=random_state)
        self.emb = emb

    def _design(self, docs, hits, fit, words=None):  # type: ignore[no-untyped-def]
        base = super()._design(docs, hits, fit, words)
        e = self.emb[[self.index_[id(d)] for d in docs]]
        return sparse.hstack([base, sparse.csr_matrix(e)], format="csr")

    def feature_names(self) -> list[str]:
        return super().feature_names() + [f"emb:{i}" for i in range(self.emb.shape[1])]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--cache", type=Path, help="a .npy file keeping the development part's embeddings")
    ap.add_argument("--scores", type=Path, help="a .npz file keeping the shipped recipe's out-of-fold scores")
    ap.add_argument("--fold", type=int, help="with --shipped-only: this fold alone")
    ap.add_argument("--shipped-only", action="store_true", help="only the shipped recipe's scores")
    ap.add_argument("--max-length", type=int, default=64, help="word pieces embedded per document")
    ap.add_argument("--embed-only", action="store_true", help="only compute (and keep) the embeddings")
    ap.add_argument("--partial", action="store_true", help="only the folds and embeddings kept so far")
    ap.add_argument("--no-stack", action="store_true", help="skip the nested stacking variant")
    args = ap.parse_args()
    out = run(
        args.shared,
        cache=args.cache,
        inner=not args.no_stack,
        score_cache=args.scores,
        shipped_only=args.shipped_only,
        max_length=args.max_length,
        embed_only=args.embed_only,
        only_fold=args.fold,
        partial=args.partial,
    )
    text = json.dumps(out, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
