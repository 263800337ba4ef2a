"""Does any variant of the generative-AI yes/no decision beat the shipped recipe? Grouped 5-fold
cross-validation on the development part of the reference labels only (the frozen test split is never read).

The folds are ``genai_embeddings_cv.grouped_folds`` (seed 0: near-duplicates on one side, stratified on
pool x label), the same for every variant, so differences are paired. In each fold every variant is fitted on
the training folds alone (weak labels + the training folds' hand labels, as ``train.fit_pipeline`` fits the
shipped classifier) and scored on the held-out fold, the query filter in front of all (a document the query
does not retrieve is `no`). A threshold other than 0.5 is chosen inside the training folds: on the
out-of-fold probabilities of an inner grouped 5-fold cross-validation of the training folds (seed k + 1).

Variants (``VARIANTS``): the shipped classifier (and with another seed of its calibration folds: how much
chance alone moves a fold); trained on the documents the query retrieves only (what it
scores); character n-grams, title words, the abstract's first sentence or the words of documents retrieved on
broad terms alone as extra blocks; NB-LR (word 1-2-gram log-count ratios) alone and averaged with the shipped
probability; a linear SVM or SGD (modified Huber) in place of the logistic regression; weak labels that the
training folds' model contradicts dropped, the weak positives of one rule only, hand labels of low confidence
weighted less. With ``--inner``, each with the threshold 0.5, the one maximising F1 (``@f1``) and the lowest
reaching precision 0.90 (``@p90``) inside the training folds, and a pair of thresholds maximising F1 there
(``@f1r``: one for the documents the query retrieves on strong terms, one for those it retrieves on broad
terms alone); and a second stage (logistic regression, gradient boosting) over the shipped probability and
the query's groups and CPC main groups, fitted on the inner out-of-fold probabilities.

Reported per variant: pooled F1, precision and recall over the held-out folds (and F1 on the labels of high
confidence), each fold's F1 gain over the shipped recipe (mean and sd) and in how many folds it gains; and
where the shipped recipe errs, by the query's reason to retrieve and the label's confidence. Fitted scores
are kept in ``--cache`` (one file per variant and fold), so variants can run as separate processes
(``--variants``; without ``shipped`` they are fitted and kept, not reported) and be reported together.

    .venv/bin/python bench/genai_yesno_cv.py [--shared ../shared] [--variants a,b] [--inner]
        [--outer-only char] [--cache DIR] [--json out.json]

(~1 hour of CPU for every variant with ``--inner`` on 2 cores; the character n-grams take ~2 minutes a fit.)
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from genai_embeddings_cv import FOLDS, grouped_folds
from patscape.enrich.genai.classifier import GenAIClassifier, query_tokens
from patscape.enrich.genai.document import Document, Labelled
from patscape.enrich.genai.evaluate import binary_metrics
from patscape.enrich.genai.query import load_query
from patscape.enrich.genai.split import read_reference_labels, split_labels
from patscape.enrich.genai.train import HAND_WEIGHT, trainable, training_set
from patscape.enrich.genai.weak_labels import Weak, weak_labels

THRESHOLDS = np.round(np.arange(0.10, 0.91, 0.05), 2)
TARGET_PRECISION = 0.90


def _lead(doc: Document) -> str:
    """The abstract's first sentence."""
    return re.split(r"(?<=[.;])\s", doc.abstract.strip(), maxsplit=1)[0]


class Variant(GenAIClassifier):
    """The shipped classifier with extra feature blocks (``extra``: ``char``, ``title``, ``lead``, ``nb``,
    ``broad``: the words of documents retrieved on broad terms alone; joined by ``+``, each scaled by
    ``weight``) or another linear learner (``lr``, ``svm``, ``sgd``)."""

    def __init__(
        self,
        features: str = "tfidf+query",
        extra: str = "",
        weight: float = 0.5,
        learner: str = "lr",
        C: float = 4.0,
        random_state: int = 0,
    ) -> None:
        super().__init__(features=features, C=C, random_state=random_state)
        self.extra = extra
        self.weight = weight
        self.learner = learner

    def fit(self, X, y, sample_weight=None):  # type: ignore[no-untyped-def]
        self.target_ = (
            np.asarray(y),
            np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight),
        )
        return super().fit(X, y, sample_weight)

    def _logistic(self) -> Any:
        if self.learner == "svm":
            return LinearSVC(C=self.C / 8, random_state=self.random_state, max_iter=5000)
        if self.learner == "sgd":
            alpha = 1.0 / (self.C * len(self.target_[0]))
            return SGDClassifier(loss="modified_huber", alpha=alpha, random_state=self.random_state)
        return super()._logistic()

    def _design(self, docs, fit, results=None, words=None):  # type: ignore[no-untyped-def]
        parts = [super()._design(docs, fit, results, words)]
        for block in filter(None, self.extra.split("+")):
            parts.append(self._block(block, docs, fit) * self.weight)
        return sparse.hstack(parts, format="csr")

    def _block(self, block: str, docs: list[Document], fit: bool) -> sparse.csr_matrix:
        if fit:
            self.blocks_ = getattr(self, "blocks_", {})
            self.blocks_[block] = self._vectoriser(block).fit(self._texts(block, docs))
        x = self.blocks_[block].transform(self._texts(block, docs))
        if block != "nb":
            return x
        if fit:  # log-count ratios of the (weighted) training documents
            y, w = self.target_
            pos = 1.0 + np.asarray(x.T @ (w * y)).ravel()
            neg = 1.0 + np.asarray(x.T @ (w * (1 - y))).ravel()
            self.ratio_ = np.log(pos / pos.sum()) - np.log(neg / neg.sum())
        return normalize(x.multiply(self.ratio_).tocsr())

    @staticmethod
    def _texts(block: str, docs: list[Document]) -> list[str]:
        if block == "broad":  # the words of documents the query retrieves on broad terms alone
            query = load_query()
            return [d.text if "q:broad" in query_tokens(query, d) else "" for d in docs]
        if block == "title":
            return [d.title for d in docs]
        if block == "lead":
            return [_lead(d) for d in docs]
        return [d.text for d in docs]

    @staticmethod
    def _vectoriser(block: str) -> Any:
        if block == "char":
            return TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), min_df=2, max_features=100_000, sublinear_tf=True
            )
        if block == "nb":
            return CountVectorizer(ngram_range=(1, 2), min_df=2, max_features=40_000, binary=True)
        return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)


@dataclass(frozen=True)
class Spec:
    make: Callable[[], GenAIClassifier]
    retrieved_only: bool = False  # train on the documents the query retrieves only
    clean: float = 0.0  # drop weak labels whose out-of-fold probability of their own label is below this
    low_confidence: float = 1.0  # the weight of a hand label of low confidence, times the hand weight
    weak_rules: tuple[str, ...] = ()  # only the weak labels of these rules (all when empty)


VARIANTS: dict[str, Spec] = {
    "shipped": Spec(GenAIClassifier),
    "shipped-seed-1": Spec(lambda: GenAIClassifier(random_state=1)),  # the noise floor: calibration folds
    "retrieved": Spec(GenAIClassifier, retrieved_only=True),
    "char": Spec(lambda: Variant(extra="char")),
    "title": Spec(lambda: Variant(extra="title")),
    "lead": Spec(lambda: Variant(extra="lead")),
    "nb": Spec(lambda: Variant(features="query", extra="nb", weight=1.0)),
    "broad": Spec(lambda: Variant(extra="broad", weight=1.0)),
    "broad-low-confidence-0.3": Spec(lambda: Variant(extra="broad", weight=1.0), low_confidence=0.3),
    "svm": Spec(lambda: Variant(learner="svm")),
    "sgd": Spec(lambda: Variant(learner="sgd")),
    "clean": Spec(GenAIClassifier, clean=0.1),
    "low-confidence-0.3": Spec(GenAIClassifier, low_confidence=0.3),
    "weak-family-only": Spec(GenAIClassifier, weak_rules=("family", "ai-not-candidate", "non-ai")),
}
MEANS = {"mean-nb": ("shipped", "nb"), "mean-retrieved": ("shipped", "retrieved")}


class Data:
    """The development part, the weak labels and which documents the query retrieves."""

    def __init__(self, shared: Path) -> None:
        self.query = load_query()
        reference = read_reference_labels(shared)
        self.development, _ = split_labels(reference)  # the test part is dropped here, never used
        self.weak = weak_labels(shared / "data", self.query, exclude=[lab.doc for lab in reference])
        self.retrieved = {d: self.query.run(d).candidate for d in self.docs(self.development)}
        self.retrieved.update({w.doc: self.query.run(w.doc).candidate for w in self.weak})

    @staticmethod
    def docs(labelled: Sequence[Labelled]) -> list[Document]:
        return [lab.doc for lab in labelled]


def _cleaned(spec: Spec, weak: list[Weak], docs: list[Document], y: list[int], sw: list[float]) -> list[Weak]:
    """The weak labels that an uncalibrated model of out-of-fold fits does not contradict."""
    p = np.zeros(len(y))
    target, weights = np.asarray(y), np.asarray(sw)
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), target):
        model = spec.make()
        model.calibration_folds = 0  # the uncalibrated probability is enough to rank the contradictions
        model.fit([docs[i] for i in tr], target[tr], sample_weight=weights[tr])
        p[te] = model.predict_proba([docs[i] for i in te])[:, 1]
    own = np.where(target == 1, p, 1 - p)[: len(weak)]
    return [w for w, q in zip(weak, own, strict=True) if q >= spec.clean]


def fit_score(spec: Spec, data: Data, train: list[Labelled], test: list[Document]) -> np.ndarray:
    """The variant fitted on ``train`` (and the weak labels), its probabilities on ``test``."""
    weak = [w for w in data.weak if w.rule in spec.weak_rules] if spec.weak_rules else data.weak
    if spec.retrieved_only:
        weak = [w for w in weak if data.retrieved[w.doc]]
        train = [lab for lab in train if data.retrieved[lab.doc]]
    learn = trainable(train)
    docs, y, sw = training_set(weak, learn, HAND_WEIGHT)
    if spec.clean:
        weak = _cleaned(spec, weak, docs, y, sw)
        docs, y, sw = training_set(weak, learn, HAND_WEIGHT)
    if spec.low_confidence != 1.0:
        hand = [lab for lab in learn if lab.genai in ("yes", "no")]  # training_set's order, after the weak
        for i, lab in enumerate(hand, start=len(docs) - len(hand)):
            if lab.extra.get("confidence") == "low":
                sw[i] *= spec.low_confidence
    return spec.make().fit(docs, y, sample_weight=sw).predict_proba(test)[:, 1]


def cached_scores(
    name: str, cache: Path, key: str, data: Data, train: list[Labelled], test: list[Labelled]
) -> np.ndarray:
    """``fit_score`` of the variant ``name``, kept in ``cache`` under ``key`` (its fold)."""
    path = cache / f"{name}-{key}.npy"
    if path.exists():
        return np.load(path)
    p = fit_score(VARIANTS[name], data, train, data.docs(test))
    np.save(path, p)
    print(f"{name} {key} fitted", flush=True)
    return p


def scores(name: str, data: Data, folds: list, cache: Path, inner: bool) -> tuple[np.ndarray, list]:
    """Out-of-fold probabilities of every development document, and per outer fold the inner out-of-fold
    probabilities of its training documents (None without ``inner``)."""
    if name in MEANS:
        parts = [scores(n, data, folds, cache, inner) for n in MEANS[name]]
        outer = sum(p[0] for p in parts) / len(parts)
        inners = [
            None if parts[0][1][k] is None else sum(p[1][k] for p in parts) / len(parts)
            for k in range(len(folds))
        ]
        return outer, inners
    dev = data.development
    outer = np.zeros(len(dev))
    inners: list[np.ndarray | None] = []
    for k, (tr, te) in enumerate(folds):
        train = [dev[i] for i in tr]
        outer[te] = cached_scores(name, cache, f"{k}", data, train, [dev[i] for i in te])
        if not inner:
            inners.append(None)
            continue
        p_in = np.zeros(len(tr))
        for j, (itr, ite) in enumerate(grouped_folds(train, seed=k + 1)):
            inner_train, inner_test = [train[i] for i in itr], [train[i] for i in ite]
            p_in[ite] = cached_scores(name, cache, f"{k}-{j}", data, inner_train, inner_test)
        inners.append(p_in)
    return outer, inners


def choose_threshold(y: np.ndarray, cand: np.ndarray, p: np.ndarray, rule: str, broad: np.ndarray) -> Any:
    """The threshold that maximises F1 (``f1``), or the lowest whose precision reaches 0.90 (``p90``; the
    most precise when none does), on out-of-fold probabilities; ties go to the one nearest 0.5. ``f1r``: a
    pair (documents retrieved on strong terms, on broad terms alone) that maximises F1."""
    if rule == "f1r":
        pairs = [(a, b) for a in THRESHOLDS for b in THRESHOLDS]
        f1 = [binary_metrics(y, cand & (p >= np.where(broad, b, a)), n_boot=0)["f1"] for a, b in pairs]
        best = max(range(len(pairs)), key=lambda i: (f1[i], -abs(pairs[i][0] - 0.5) - abs(pairs[i][1] - 0.5)))
        return tuple(float(t) for t in pairs[best])
    rows = []
    for t in THRESHOLDS:
        m = binary_metrics(y, cand & (p >= t), n_boot=0)
        rows.append((t, m["f1"], m["precision"]))
    if rule == "f1":
        return float(max(rows, key=lambda r: (r[1], -abs(r[0] - 0.5)))[0])
    reaching = [r for r in rows if r[2] >= TARGET_PRECISION]
    return float(min(reaching)[0]) if reaching else float(max(rows, key=lambda r: (r[2], r[0]))[0])


def stacked(data: Data, folds: list, shipped: tuple[np.ndarray, list]) -> dict[str, tuple[np.ndarray, list]]:
    """A second stage over the shipped probability's logit and the query's tokens (reason, groups, title
    groups, CPC main groups seen in 5 or more training documents), fitted per outer fold on the inner
    out-of-fold probabilities of the training folds' retrieved hand labels: a logistic regression and a
    gradient-boosted model."""
    from scipy.special import logit
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    dev = data.development
    y = np.array([lab.genai == "yes" for lab in dev])
    use = np.array([lab.genai in ("yes", "no") and data.retrieved[lab.doc] for lab in dev])
    tokens = [
        [t for t in query_tokens(data.query, lab.doc) if t.startswith(("q:", "g:", "gt:", "cg:"))]
        for lab in dev
    ]
    outer, inners = shipped
    out = {"stack-lr": np.zeros(len(dev)), "stack-gbm": np.zeros(len(dev))}
    for (tr, te), p_in in zip(folds, inners, strict=True):
        fit = tr[use[tr]]
        counts: dict[str, int] = {}
        for i in fit:
            for t in tokens[i]:
                counts[t] = counts.get(t, 0) + 1
        vocab = {t: j for j, t in enumerate(sorted(t for t, n in counts.items() if n >= 5))}

        def design(rows: np.ndarray, p: np.ndarray, vocab: dict[str, int] = vocab) -> np.ndarray:
            x = np.zeros((len(rows), len(vocab) + 1))
            x[:, 0] = logit(np.clip(p, 1e-6, 1 - 1e-6))
            for r, i in enumerate(rows):
                for t in tokens[i]:
                    if t in vocab:
                        x[r, vocab[t] + 1] = 1.0
            return x

        x_fit = design(fit, p_in[use[tr]])
        x_te = design(te, outer[te])
        lr = LogisticRegression(C=1.0, max_iter=2000).fit(x_fit, y[fit])
        out["stack-lr"][te] = lr.predict_proba(x_te)[:, 1]
        gbm = HistGradientBoostingClassifier(
            max_depth=3, learning_rate=0.05, max_iter=150, min_samples_leaf=20, random_state=0
        ).fit(x_fit, y[fit])
        out["stack-gbm"][te] = gbm.predict_proba(x_te)[:, 1]
    return {name: (p, [None] * len(folds)) for name, p in out.items()}


def report(data: Data, folds: list, results: dict[str, tuple[np.ndarray, list]]) -> dict[str, Any]:
    dev = data.development
    y = np.array([lab.genai == "yes" for lab in dev])
    scored = np.array([lab.genai in ("yes", "no") for lab in dev])
    cand = np.array([data.retrieved[lab.doc] for lab in dev])
    broad = np.array([data.query.run(lab.doc).reason == "broad" for lab in dev])
    high = scored & np.array([lab.extra.get("confidence") != "low" for lab in dev])
    decisions: dict[str, tuple[np.ndarray, list[Any]]] = {}
    for name, (outer, inners) in results.items():
        decisions[name] = (cand & (outer >= 0.5), [0.5] * len(folds))
        if inners[0] is None:
            continue
        for rule in ("f1", "p90", "f1r"):
            pred = np.zeros(len(dev), dtype=bool)
            chosen = []
            for (tr, te), p_in in zip(folds, inners, strict=True):
                use = scored[tr]
                t = choose_threshold(y[tr][use], cand[tr][use], p_in[use], rule, broad[tr][use])
                at = np.where(broad[te], t[1], t[0]) if isinstance(t, tuple) else t
                pred[te] = cand[te] & (outer[te] >= at)
                chosen.append(t)
            decisions[f"{name}@{rule}"] = (pred, chosen)
    out: dict[str, Any] = {
        "documents": int(scored.sum()),
        "high_confidence": int(high.sum()),
        "positives": int(y[scored].sum()),
        "query_recall": binary_metrics(y[scored], cand[scored], n_boot=0)["recall"],
    }

    def fold_f1(pred: np.ndarray) -> np.ndarray:
        return np.array(
            [binary_metrics(y[te][scored[te]], pred[te][scored[te]], n_boot=0)["f1"] for _, te in folds]
        )

    base = fold_f1(decisions["shipped"][0])
    # where the shipped recipe errs: by the query's reason to retrieve and the label's confidence
    reason = np.array([data.query.run(lab.doc).reason or "none" for lab in dev])
    pred = decisions["shipped"][0]
    out["shipped_by_reason_and_confidence"] = {
        f"{r}|{c}": {
            "documents": int(m.sum()),
            "yes": int(y[m].sum()),
            "tp": int((pred & y & m).sum()),
            "fp": int((pred & ~y & m).sum()),
            "fn": int((~pred & y & m).sum()),
        }
        for r in ("strong", "broad", "none")
        for c, m in (("high", scored & high & (reason == r)), ("low", scored & ~high & (reason == r)))
    }
    for name, (pred, chosen) in decisions.items():
        m = binary_metrics(y[scored], pred[scored])
        gain = fold_f1(pred) - base
        out[name] = {
            "f1": m["f1"],
            "f1_ci": m["f1_ci"],
            "precision": m["precision"],
            "recall": m["recall"],
            "f1_high_confidence": binary_metrics(y[high], pred[high], n_boot=0)["f1"],
            "thresholds": chosen,
            "fold_gain": [round(float(g), 4) for g in gain],
            "gain_mean": round(float(gain.mean()), 4),
            "gain_sd": round(float(gain.std(ddof=1)), 4),
            "folds_gained": int((gain > 0).sum()),
        }
    return out


def table(out: dict[str, Any]) -> str:
    head = (
        "| variant | F1 (95 % CI) | precision | recall | F1, high confidence | fold gains in F1 | mean ± sd |"
    )
    lines = [head + " gains |"]
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, r in out.items():
        if isinstance(r, dict) and "fold_gain" in r:
            gains = " ".join(f"{g:+.3f}" for g in r["fold_gain"])
            lines.append(
                f"| {name} | {r['f1']:.3f} ({r['f1_ci'][0]:.3f}-{r['f1_ci'][1]:.3f}) | {r['precision']:.3f} "
                f"| {r['recall']:.3f} | {r['f1_high_confidence']:.3f} | {gains} "
                f"| {r['gain_mean']:+.3f} ± {r['gain_sd']:.3f} "
                f"| {r['folds_gained']} of {FOLDS} |"
            )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--variants", default=",".join([*VARIANTS, *MEANS]), help="report only with shipped")
    ap.add_argument("--inner", action="store_true", help="also the thresholds chosen by inner folds")
    ap.add_argument("--outer-only", default="", help="variants without the inner folds (with --inner)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/genai_yesno_cv"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    data = Data(args.shared)
    folds = grouped_folds(data.development)
    outer_only = set(args.outer_only.split(","))
    results = {
        name: scores(name, data, folds, args.cache, args.inner and name not in outer_only)
        for name in args.variants.split(",")
    }
    if "shipped" not in results:  # fitted and kept for a later report
        return
    shipped = results.pop("shipped")
    if args.inner:
        results.update(stacked(data, folds, shipped))
    out = report(data, folds, {"shipped": shipped, **results})
    print(json.dumps(out, indent=1))
    print(table(out))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
