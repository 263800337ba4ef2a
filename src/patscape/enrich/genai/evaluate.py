"""Measured accuracy: precision, recall and F1 with 95 % bootstrap intervals, by cross-validation or for
a trained model.

Generative AI yes/no leaves out documents labelled `unsure`. Models and modes are scored as multi-label
tags, per tag and macro-averaged over the tags that occur in the labels, in two ways:

- ``end_to_end``: over all yes/no documents, a document's predicted tags being empty when it is predicted
  `no` (what a landscape count sees);
- ``given_genai``: over the documents labelled `yes` only, tags assigned as if the classifier had said yes
  (the taxonomy alone).

The application field is scored as one label per document (accuracy and macro-F1).

Cross-validation: stratified k folds of the labels file; each fold's model is trained on the other folds
plus the weak labels (``weak_labels.py``), from which every document of the labels file is removed, so no
document is ever scored by a model trained on it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from patscape.enrich.genai.classifier import GenAIClassifier
from patscape.enrich.genai.document import Document, Labelled, read_labels
from patscape.enrich.genai.pipeline import DEFAULT_THRESHOLD, Decision, Pipeline
from patscape.enrich.genai.query import Query, load_query
from patscape.enrich.genai.taxonomy import APPLICATIONS, MODELS, MODES, UNSPECIFIED, models, modes
from patscape.enrich.genai.train import EXCLUDED_POOLS, HAND_WEIGHT, fit_pipeline
from patscape.enrich.genai.weak_labels import Weak, weak_labels
from patscape.store.base import Store

N_BOOT = 1000


# -- metrics -------------------------------------------------------------------------------------------------


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
        r = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
        f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    return p, r, f


def binary_metrics(
    gold: Sequence[bool], pred: Sequence[bool], n_boot: int = N_BOOT, seed: int = 0
) -> dict[str, Any]:
    """Precision, recall, F1 of the positive class with percentile bootstrap 95 % intervals (documents
    resampled)."""
    g = np.asarray(gold, dtype=bool)
    y = np.asarray(pred, dtype=bool)
    tp_v, fp_v, fn_v = (g & y).astype(int), (~g & y).astype(int), (g & ~y).astype(int)
    p, r, f = _prf(np.array(tp_v.sum()), np.array(fp_v.sum()), np.array(fn_v.sum()))
    out: dict[str, Any] = {
        "support": int(g.sum()),
        "predicted": int(y.sum()),
        "tp": int(tp_v.sum()),
        "fp": int(fp_v.sum()),
        "fn": int(fn_v.sum()),
        "precision": round(float(p), 4),
        "recall": round(float(r), 4),
        "f1": round(float(f), 4),
    }
    if len(g) and n_boot:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, len(g), size=(n_boot, len(g)))
        bp, br, bf = _prf(tp_v[idx].sum(1), fp_v[idx].sum(1), fn_v[idx].sum(1))
        for name, values in (("precision", bp), ("recall", br), ("f1", bf)):
            lo, hi = np.percentile(values, [2.5, 97.5])
            out[f"{name}_ci"] = [round(float(lo), 4), round(float(hi), 4)]
    return out


def multilabel_metrics(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]], labels: Sequence[str], seed: int = 0
) -> dict[str, Any]:
    """Per-label metrics and their macro average over the labels present in ``gold``, with an interval."""
    present = [lab for lab in labels if any(lab in g for g in gold)]
    per = {
        lab: binary_metrics([lab in g for g in gold], [lab in p for p in pred], seed=seed + i)
        for i, lab in enumerate(present)
    }
    out: dict[str, Any] = {"labels": per}
    if present:
        out["macro_f1"] = round(float(np.mean([per[lab]["f1"] for lab in present])), 4)
        out["macro_precision"] = round(float(np.mean([per[lab]["precision"] for lab in present])), 4)
        out["macro_recall"] = round(float(np.mean([per[lab]["recall"] for lab in present])), 4)
        rng = np.random.default_rng(seed)
        n = len(gold)
        g = np.array([[lab in x for lab in present] for x in gold], dtype=bool)
        y = np.array([[lab in x for lab in present] for x in pred], dtype=bool)
        idx = rng.integers(0, n, size=(N_BOOT, n))
        tp = (g & y)[idx].sum(1)
        fp = (~g & y)[idx].sum(1)
        fn = (g & ~y)[idx].sum(1)
        _, _, f = _prf(tp, fp, fn)
        lo, hi = np.percentile(f.mean(1), [2.5, 97.5])
        out["macro_f1_ci"] = [round(float(lo), 4), round(float(hi), 4)]
    return out


def single_label_metrics(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    multi = multilabel_metrics([[g] for g in gold], [[p] for p in pred], labels)
    acc = float(np.mean([g == p for g, p in zip(gold, pred, strict=True)])) if gold else 0.0
    return {"accuracy": round(acc, 4), **multi}


# -- scoring predictions -------------------------------------------------------------------------------------


def _gold_models(lab: Labelled) -> list[str]:
    return [m for m in lab.models if m != UNSPECIFIED] or ([UNSPECIFIED] if lab.genai == "yes" else [])


def report(labelled: Sequence[Labelled], decisions: Sequence[Decision], query: Query) -> dict[str, Any]:
    """All the figures for predictions ``decisions`` of the documents ``labelled`` (same order)."""
    pairs = [(lab, d) for lab, d in zip(labelled, decisions, strict=True) if lab.genai in ("yes", "no")]
    gold = [lab.genai == "yes" for lab, _ in pairs]
    out: dict[str, Any] = {
        "documents": len(labelled),
        "scored": len(pairs),
        "unsure_left_out": len(labelled) - len(pairs),
        "genai": binary_metrics(gold, [d.is_genai for _, d in pairs]),
        "query": binary_metrics(gold, [d.candidate for _, d in pairs], seed=1),
    }
    model_labels = [*MODELS, UNSPECIFIED]
    out["models"] = {
        "end_to_end": multilabel_metrics(
            [_gold_models(lab) for lab, _ in pairs],
            [d.tag_list("model") for _, d in pairs],
            model_labels,
            seed=2,
        )
    }
    out["modes"] = {
        "end_to_end": multilabel_metrics(
            [list(lab.modes) for lab, _ in pairs], [d.tag_list("mode") for _, d in pairs], MODES, seed=3
        )
    }
    yes = [(lab, d) for lab, d in pairs if lab.genai == "yes"]
    # the taxonomy alone: tags as if the classifier had said yes
    model_pred = [[t.tag for t in models(_tag_hits(d))] for _, d in yes]
    mode_pred = [[t.tag for t in modes(_tag_hits(d))] for _, d in yes]
    out["models"]["given_genai"] = multilabel_metrics(
        [_gold_models(lab) for lab, _ in yes], model_pred, model_labels, seed=4
    )
    out["modes"]["given_genai"] = multilabel_metrics(
        [list(lab.modes) for lab, _ in yes], mode_pred, MODES, seed=5
    )
    apps = [(lab, d) for lab, d in zip(labelled, decisions, strict=True) if lab.application]
    out["application"] = single_label_metrics(
        [lab.application or "" for lab, _ in apps], [d.application or "" for _, d in apps], APPLICATIONS
    )
    out["misclassified"] = [
        {
            "pub_key": lab.doc.pub_key,
            "title": lab.doc.title,
            "label": lab.genai,
            "predicted": "yes" if d.is_genai else "no",
            "score": d.score,
            "query": d.reason or "not retrieved",
        }
        for lab, d in pairs
        if (lab.genai == "yes") != d.is_genai
    ]
    del query
    return out


def _tag_hits(d: Decision) -> list:
    return d.tag_hits


# -- cross-validation ----------------------------------------------------------------------------------------


def with_store_documents(labelled: list[Labelled], store: Store | None) -> list[Labelled]:
    """Documents that are in the store are read from it (texts and codes); the others keep the file's text."""
    if store is None:
        return labelled
    from patscape.enrich.genai.document import from_store

    keys = [lab.doc.pub_key for lab in labelled]
    found = {r["pub_key"] for r in store.fetch("SELECT pub_key FROM publications")} & set(keys)
    docs = {d.pub_key: d for d in from_store(store, sorted(found))}
    out: list[Labelled] = []
    for lab in labelled:
        d = docs.get(lab.doc.pub_key)
        if d is not None and (d.title or d.abstract):
            lab = Labelled(d, lab.genai, lab.models, lab.modes, lab.application, lab.extra)
        out.append(lab)
    return out


def decide_with_tags(pipeline: Pipeline, docs: Sequence[Document]) -> list[Decision]:
    return pipeline.decide(docs)


def _strata(labelled: Sequence[Labelled], folds: int) -> list[str]:
    """Stratify folds on the pool and the label; strata too small for every fold merge into the label."""
    keys = [f"{lab.extra.get('pool', '')}|{lab.genai}" for lab in labelled]
    counts = Counter(keys)
    merged = [k if counts[k] >= folds else k.split("|")[1] for k in keys]
    counts = Counter(merged)
    return [k if counts[k] >= folds else "rare" for k in merged]


def cross_validate(
    labelled: list[Labelled],
    *,
    folds: int = 5,
    data: Path | None = None,
    query: Query | None = None,
    random_state: int = 0,
    weak: list[Weak] | None = None,
    hand_weight: float = HAND_WEIGHT,
) -> dict[str, Any]:
    """k-fold cross-validation of the whole pipeline on labelled documents (see the module docstring).

    Each fold fits everything ``train`` fits (classifier, its calibration, the application model) on the
    other folds with ``fit_pipeline``: no tuning step sees the fold it is scored on. ``unsure`` documents are
    scored in their fold too (their application field counts; they are left out of the yes/no figures).
    """
    from sklearn.model_selection import StratifiedKFold

    query = query or load_query()
    if weak is None:
        weak = weak_labels(data, query, exclude=[lab.doc for lab in labelled]) if data else []
    decisions: list[Decision | None] = [None] * len(labelled)
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    for train_idx, test_idx in skf.split(np.zeros(len(labelled)), _strata(labelled, folds)):
        pipe = fit_pipeline([labelled[i] for i in train_idx], weak, query, random_state, hand_weight)
        for i, d in zip(test_idx, decide_with_tags(pipe, [labelled[i].doc for i in test_idx]), strict=True):
            decisions[i] = d
    out = report(labelled, [d for d in decisions if d is not None], query)
    out["method"] = {
        "cv_folds": folds,
        "random_state": random_state,
        "weak_labels": len(weak),
        "weak_positive": sum(w.label for w in weak),
        "query_version": query.method_version,
        "classifier": GenAIClassifier(random_state=random_state).get_params(),
        "threshold": DEFAULT_THRESHOLD,
        "hand_weight": hand_weight,
        "trained_without_pools": list(EXCLUDED_POOLS),
    }
    return out


def evaluate_pipeline(labelled: list[Labelled], pipeline: Pipeline) -> dict[str, Any]:
    """The figures of a trained pipeline (no cross-validation) on a labels file."""
    decisions = decide_with_tags(pipeline, [lab.doc for lab in labelled])
    out = report(labelled, decisions, pipeline.query)
    info = getattr(pipeline.classifier, "info_", {}) or {}
    trained = set(info.get("trained_on_labels", []))
    overlap = sum(1 for lab in labelled if lab.doc.pub_key in trained)
    out["method"] = {"cv_folds": None, "method_version": pipeline.method_version, "trained_on_these": overlap}
    return out


def evaluate_file(
    labels: str | Path,
    *,
    cv: int | None = None,
    store: Store | None = None,
    data: Path | None = None,
    pipeline: Pipeline | None = None,
) -> dict[str, Any]:
    """``patscape eval``: cross-validate (``cv`` folds, weak labels from ``data``) or score the default
    pipeline."""
    labelled = with_store_documents(read_labels(labels), store)
    if cv:
        return cross_validate(labelled, folds=cv, data=data)
    if pipeline is None:
        from patscape.enrich.genai.pipeline import default_pipeline

        pipeline = default_pipeline()
    return evaluate_pipeline(labelled, pipeline)


def non_ai_false_positives(docs: Sequence[Document], pipeline: Pipeline) -> dict[str, Any]:
    """How many documents known not to be AI the pipeline calls generative AI (a check on a non-AI set)."""
    decisions = pipeline.decide(docs)
    flagged = [d.pub_key for d in decisions if d.is_genai]
    return {
        "documents": len(docs),
        "retrieved": sum(d.candidate for d in decisions),
        "genai": len(flagged),
        "flagged": flagged,
    }


def _ci(m: dict[str, Any], name: str) -> str:
    lo, hi = m.get(f"{name}_ci", [None, None])
    return "" if lo is None else f"{lo:.2f}-{hi:.2f}"


def report_rows(rep: dict[str, Any]) -> list[dict[str, Any]]:
    """The figures of a report as table rows: generative AI, the query alone, each model and mode,
    macro-F1."""

    def row(what: str, m: dict[str, Any]) -> dict[str, Any]:
        return {
            "measure": what,
            "support": m["support"],
            "precision": m["precision"],
            "p 95% CI": _ci(m, "precision"),
            "recall": m["recall"],
            "r 95% CI": _ci(m, "recall"),
            "F1": m["f1"],
            "F1 95% CI": _ci(m, "f1"),
        }

    rows = [row("generative AI", rep["genai"]), row("query alone (retrieved)", rep["query"])]
    for dim in ("models", "modes"):
        for variant in ("end_to_end", "given_genai"):
            block = rep[dim][variant]
            if variant == "end_to_end":
                rows += [row(f"{dim[:-1]}: {lab}", m) for lab, m in block["labels"].items()]
            ci = block.get("macro_f1_ci", [0, 0])
            rows.append(
                {
                    "measure": f"{dim} macro-F1 ({variant.replace('_', ' ')})",
                    "support": "",
                    "precision": block.get("macro_precision", ""),
                    "p 95% CI": "",
                    "recall": block.get("macro_recall", ""),
                    "r 95% CI": "",
                    "F1": block.get("macro_f1", ""),
                    "F1 95% CI": f"{ci[0]:.2f}-{ci[1]:.2f}",
                }
            )
    app = rep["application"]
    rows.append(
        {
            "measure": f"application (accuracy {app['accuracy']})",
            "support": "",
            "precision": app.get("macro_precision", ""),
            "p 95% CI": "",
            "recall": app.get("macro_recall", ""),
            "r 95% CI": "",
            "F1": app.get("macro_f1", ""),
            "F1 95% CI": "",
        }
    )
    return rows


# -- the frozen test split -----------------------------------------------------------------------------------

SCORINGS_LOG = Path(__file__).with_name("splits") / "test-scorings.jsonl"
FROZEN_FIGURES = Path(__file__).with_name("model") / "frozen-split-figures.json"


@dataclass(frozen=True)
class Figure:
    """One measured figure with its 95 % bootstrap interval."""

    value: float
    low: float
    high: float

    @classmethod
    def of(cls, block: dict[str, Any], name: str) -> Figure:
        lo, hi = block.get(f"{name}_ci") or (block[name], block[name])
        return cls(block[name], lo, hi)


@dataclass(frozen=True)
class FrozenSplitFigures:
    """The figures of one pipeline on the frozen test split (``split.py``): what the method appendix quotes.

    Aggregates only: the split's documents are never listed with their predictions, so nobody reads its
    errors. Models and modes are macro-F1 over the documents labelled generative AI (tags as the taxonomy
    gives them to a generative-AI document); the application field is the accuracy over every document.
    """

    method_version: str
    split_seed: int
    documents: int
    scored: int  # documents labelled yes or no
    positives: int
    precision: Figure
    recall: Figure
    f1: Figure
    modes_macro_f1: Figure
    models_macro_f1: Figure
    application_accuracy: Figure
    f1_by_file: dict[str, float]  # dev.jsonl part / train.jsonl part
    scoring: int  # this was the split's n-th scoring

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FrozenSplitFigures:
        figures = {k: Figure(**v) for k, v in data.items() if isinstance(v, dict) and "value" in v}
        return cls(**{**data, **figures})


def _accuracy_figure(gold: Sequence[str], pred: Sequence[str], seed: int = 6) -> Figure:
    hit = np.array([g == p for g, p in zip(gold, pred, strict=True)], dtype=float)
    if not len(hit):
        return Figure(0.0, 0.0, 0.0)
    idx = np.random.default_rng(seed).integers(0, len(hit), size=(N_BOOT, len(hit)))
    lo, hi = np.percentile(hit[idx].mean(1), [2.5, 97.5])
    return Figure(round(float(hit.mean()), 4), round(float(lo), 4), round(float(hi), 4))


def score_frozen_split(
    pipeline: Pipeline, shared: Path, note: str = "", log: Path | None = SCORINGS_LOG
) -> FrozenSplitFigures:
    """Score ``pipeline`` on the frozen test split, once: the scoring is appended to ``log`` (counted in the
    closing note of any change) and only aggregate figures come back."""
    from patscape.enrich.genai.split import SEED, read_reference_labels, split_labels

    _, test = split_labels(read_reference_labels(shared))
    rep = evaluate_pipeline(test, pipeline)
    by_file: dict[str, float] = {}
    for pool in ("dev", "train"):
        part = [i for i, lab in enumerate(test) if (lab.extra.get("pool") == "dev") == (pool == "dev")]
        sub = [test[i] for i in part]
        decisions = decide_with_tags(pipeline, [lab.doc for lab in sub])
        pairs = [(lab, d) for lab, d in zip(sub, decisions, strict=True) if lab.genai in ("yes", "no")]
        by_file[f"{pool}.jsonl"] = binary_metrics(
            [lab.genai == "yes" for lab, _ in pairs], [d.is_genai for _, d in pairs], n_boot=0
        )["f1"]
    apps = [lab for lab in test if lab.application]
    app_decisions = {d.pub_key: d for d in decide_with_tags(pipeline, [lab.doc for lab in apps])}
    count = 1
    if log is not None:
        count += sum(1 for line in log.read_text().splitlines() if line.strip()) if log.exists() else 0
    figures = FrozenSplitFigures(
        method_version=pipeline.method_version,
        split_seed=SEED,
        documents=rep["documents"],
        scored=rep["scored"],
        positives=rep["genai"]["support"],
        precision=Figure.of(rep["genai"], "precision"),
        recall=Figure.of(rep["genai"], "recall"),
        f1=Figure.of(rep["genai"], "f1"),
        modes_macro_f1=Figure.of(rep["modes"]["given_genai"], "macro_f1"),
        models_macro_f1=Figure.of(rep["models"]["given_genai"], "macro_f1"),
        application_accuracy=_accuracy_figure(
            [lab.application or "" for lab in apps],
            [app_decisions[lab.doc.pub_key].application or "" for lab in apps],
        ),
        f1_by_file=by_file,
        scoring=count,
    )
    if log is not None:
        entry = {"scoring": count, "method_version": figures.method_version, "note": note}
        entry["f1"] = figures.f1.value
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, sort_keys=True) + "\n")
    return figures


def save_frozen_split_figures(figures: FrozenSplitFigures, path: Path = FROZEN_FIGURES) -> Path:
    """Keep the shipped pipeline's frozen-split figures beside the model (the report's method appendix reads
    them)."""
    path.write_text(json.dumps(figures.as_dict(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def load_frozen_split_figures(path: Path = FROZEN_FIGURES) -> FrozenSplitFigures | None:
    """The stored frozen-split figures, or None when there are none."""
    if not path.exists():
        return None
    return FrozenSplitFigures.from_dict(json.loads(path.read_text(encoding="utf-8")))
