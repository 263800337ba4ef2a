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

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from patscape.enrich.genai.classifier import GenAIClassifier
from patscape.enrich.genai.document import Document, Labelled, read_labels
from patscape.enrich.genai.pipeline import DEFAULT_THRESHOLD, Decision, Pipeline
from patscape.enrich.genai.query import Query, load_query
from patscape.enrich.genai.taxonomy import APPLICATIONS, MODELS, MODES, UNSPECIFIED, models, modes
from patscape.enrich.genai.weak_labels import Weak, weak_labels
from patscape.store.base import Store

N_BOOT = 1000
DEV_WEIGHT = 10.0  # a hand label counts this many weak labels


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


def training_set(
    weak: Sequence[Weak], labelled: Sequence[Labelled], dev_weight: float = DEV_WEIGHT
) -> tuple[list[Document], list[int], list[float]]:
    docs = [w.doc for w in weak] + [lab.doc for lab in labelled if lab.genai in ("yes", "no")]
    y = [w.label for w in weak] + [int(lab.genai == "yes") for lab in labelled if lab.genai in ("yes", "no")]
    sw = [1.0] * len(weak) + [dev_weight] * (len(docs) - len(weak))
    return docs, y, sw


def cross_validate(
    labelled: list[Labelled],
    *,
    folds: int = 5,
    data: Path | None = None,
    query: Query | None = None,
    make_classifier: Callable[[], GenAIClassifier] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    random_state: int = 0,
    weak: list[Weak] | None = None,
    dev_weight: float = DEV_WEIGHT,
) -> dict[str, Any]:
    """k-fold cross-validation of query + classifier + taxonomy on a labels file (see the module
    docstring)."""
    from sklearn.model_selection import StratifiedKFold

    query = query or load_query()
    make_classifier = make_classifier or (lambda: GenAIClassifier(random_state=random_state))
    if weak is None:
        weak = weak_labels(data, query, exclude=[lab.doc for lab in labelled]) if data else []
    scored = [i for i, lab in enumerate(labelled) if lab.genai in ("yes", "no")]
    y = np.array([labelled[i].genai == "yes" for i in scored], dtype=int)
    decisions: list[Decision | None] = [None] * len(labelled)
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    fold_of: dict[int, int] = {}
    for k, (train_idx, test_idx) in enumerate(skf.split(np.zeros(len(y)), y)):
        train = [labelled[scored[i]] for i in train_idx]
        docs, ys, sw = training_set(weak, train, dev_weight)
        clf = make_classifier().fit(docs, ys, sample_weight=sw)
        pipe = Pipeline(query, clf, threshold)
        test = [scored[i] for i in test_idx]
        for i, d in zip(test, decide_with_tags(pipe, [labelled[i].doc for i in test]), strict=True):
            decisions[i] = d
            fold_of[i] = k
    # unsure documents: labelled by a model trained without them (any fold's would do; the last is used)
    rest = [i for i, d in enumerate(decisions) if d is None]
    if rest:
        for i, d in zip(rest, decide_with_tags(pipe, [labelled[i].doc for i in rest]), strict=True):
            decisions[i] = d
    out = report(labelled, [d for d in decisions if d is not None], query)
    out["method"] = {
        "cv_folds": folds,
        "random_state": random_state,
        "weak_labels": len(weak),
        "weak_positive": sum(w.label for w in weak),
        "query_version": query.method_version,
        "classifier": make_classifier().get_params(),
        "threshold": threshold,
        "dev_weight": dev_weight,
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
