"""The taxonomy's choices, measured by grouped 5-fold cross-validation on the development part of the
reference labels only (the frozen test split is never read).

Folds: those of ``genai_embeddings_cv.grouped_folds`` (``StratifiedGroupKFold`` over the near-duplicate
groups, stratified on pool x label). Every variant sees the same folds, so differences are paired; each is
given per fold (variant minus shipped) with their mean and standard deviation.

- **Application field** (every labelled document of the held-out fold; trained on the training folds' labels,
  Miric's left out as ``train`` does): the model of ``main`` (words of the labelled documents, tag and code
  tokens) against the same with the weak-label set's texts as an unlabelled corpus (its vocabulary and
  ``lsa_dims`` latent semantic coordinates weighted ``lsa_weight``, ``application.py``). The corpus setting
  is chosen **inside each fold**: by an inner grouped 5-fold cross-validation of the training folds over
  ``GRID`` (no corpus included), the best inner accuracy winning; the held-out fold then scores that choice.
  Then, at the shipped corpus setting, the code-prefix tokens (``code_prefixes``: 3 the class, 4 the
  subclass, 1 the section of each CPC code) over ``CODE_GRID``, chosen inside each fold the same way.
- **Models** (documents labelled generative AI of the held-out fold, as the frozen split scores them): the
  rules with a model's CPC codes counting as naming it (``[tags.model.GAN] cpc``, before query 1.2.0) and
  without; the option is chosen inside each fold by the training folds' macro-F1.

    .venv/bin/python bench/genai_taxonomy_cv.py [--shared ../shared] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from patscape.enrich.genai.application import ApplicationClassifier
from patscape.enrich.genai.evaluate import _gold_models, multilabel_metrics
from patscape.enrich.genai.query import Hit, load_query
from patscape.enrich.genai.split import read_reference_labels, split_labels
from patscape.enrich.genai.taxonomy import MODELS, MODES, UNSPECIFIED, models, modes
from patscape.enrich.genai.train import trainable
from patscape.enrich.genai.weak_labels import weak_labels

sys.path.insert(0, str(Path(__file__).parent))
from genai_embeddings_cv import grouped_folds

# (lsa_dims, lsa_weight); (0, 0) is the model without a corpus, as on main
GRID = ((0, 0.0), (200, 1.0), (200, 2.0), (300, 2.0), (200, 3.0))
SHIPPED = (200, 2.0)  # what train ships (the setting most often chosen inside the folds)
# code-prefix tokens of the application model; () is the model before (whole codes and main groups only)
CODE_GRID: tuple[tuple[int, ...], ...] = ((), (3,), (3, 4), (1, 3), (1, 3, 4))
MODEL_LABELS = [*MODELS, UNSPECIFIED]
# the model tags' codes of query 1.1.0 (1.2.0 has none): a code is no model's name
OLD_MODEL_CODES = {"model:GAN": ("G06N3/094",)}
Scorer = Callable[[list[int], list[int]], float]  # (training ids, held-out ids) -> accuracy


class _Cached(ApplicationClassifier):
    """The application model with its corpus's vocabulary and SVD made once per setting (they depend on the
    unlabelled corpus only, never on a fold's labels)."""

    cache: ClassVar[dict[tuple[int, int], Any]] = {}

    def _latent(self, corpus):  # type: ignore[no-untyped-def]
        key = (self.lsa_dims, self.corpus_min_df)
        if not corpus or self.lsa_dims <= 0:
            return None
        if key not in self.cache:
            self.cache[key] = (super()._latent(corpus), self.words_)
        latent, self.words_ = self.cache[key]
        return latent


def application_accuracy(
    docs: list[Any],
    fields: dict[int, str],
    hits: list[list[Hit]],
    train: list[int],
    test: list[int],
    setting: tuple[int, float],
    corpus: list[str],
    code_prefixes: tuple[int, ...] = (),
) -> float:
    dims, weight = setting
    model = _Cached(lsa_dims=dims, lsa_weight=weight, code_prefixes=code_prefixes, random_state=0).fit(
        [docs[i] for i in train], [fields[i] for i in train], [hits[i] for i in train], corpus=corpus
    )
    pred = model.predict([docs[i] for i in test], [hits[i] for i in test])
    return float(np.mean([fields[i] == p for i, p in zip(test, pred, strict=True)]))


def model_tags(hits: list[Hit], with_codes: bool) -> list[str]:
    kept = hits if with_codes else [h for h in hits if not (h.field == "cpc" and h.name.startswith("model:"))]
    return [t.tag for t in models(kept)]


def run(shared: Path) -> dict[str, Any]:
    query = load_query()
    reference = read_reference_labels(shared)
    development, _ = split_labels(reference)  # the test part is dropped here, never used
    weak = weak_labels(shared / "data", query, exclude=[lab.doc for lab in reference])
    corpus = [w.doc.text for w in weak]
    folds = grouped_folds(development)
    docs = [lab.doc for lab in development]
    hits = [query.hits(d) for d in docs]
    for d, h in zip(docs, hits, strict=True):  # the codes query 1.1.0 gave a model tag (see OLD_MODEL_CODES)
        for name, codes in OLD_MODEL_CODES.items():
            for code in d.codes:
                if any(code == c for c in codes):
                    h.append(Hit(name, "cpc", -1, code, code))
    learn = {id(lab) for lab in trainable(development)}
    fields = {i: lab.application for i, lab in enumerate(development) if lab.application}
    out: dict[str, Any] = {"documents": len(development), "corpus_documents": len(corpus), "grid": GRID}

    # -- application field: the corpus setting, then the code-prefix tokens at the shipped corpus setting
    def corpus_setting(setting: tuple[int, float]) -> Scorer:
        return lambda train, test: application_accuracy(docs, fields, hits, train, test, setting, corpus)

    def code_setting(prefixes: tuple[int, ...]) -> Scorer:
        return lambda train, test: application_accuracy(
            docs, fields, hits, train, test, SHIPPED, corpus, prefixes
        )

    def nested_choice(options: dict[str, Scorer]) -> dict[str, Any]:
        """Each option scored on every held-out fold, and the one an inner grouped cross-validation of the
        training folds picks (the best inner accuracy, the earlier option on a tie); gains against the first
        option."""
        names = list(options)
        per_option: dict[str, list[float]] = {name: [] for name in names}
        nested: list[float] = []
        chosen: list[str] = []
        for k, (tr, te) in enumerate(folds):
            train = [i for i in tr if i in fields and id(development[i]) in learn]
            test = [i for i in te if i in fields]
            inner_folds = grouped_folds([development[i] for i in tr], seed=k + 1)
            inner: dict[str, float] = {}
            for name in names:
                accs = []
                for itr, ite in inner_folds:
                    itrain = [tr[i] for i in itr if tr[i] in fields and id(development[tr[i]]) in learn]
                    itest = [tr[i] for i in ite if tr[i] in fields]
                    accs.append(options[name](itrain, itest))
                inner[name] = float(np.mean(accs))
            best = max(names, key=lambda n: (round(inner[n], 6), -names.index(n)))
            chosen.append(best)
            for name in names:
                per_option[name].append(options[name](train, test))
            nested.append(per_option[best][-1])
            print(f"fold {k}: inner choice {best} ({time.perf_counter() - t0:.0f} s)", flush=True)
        base = np.array(per_option[names[0]])
        table: dict[str, Any] = {}
        for name, accs in [*per_option.items(), ("nested choice", nested)]:
            a = np.array(accs)
            d = a - base
            table[name] = {
                "accuracy": round(float(a.mean()), 4),
                "fold_accuracy": [round(float(x), 4) for x in a],
                "fold_gain": [round(float(x), 4) for x in d],
                "gain_mean": round(float(d.mean()), 4),
                "gain_sd": round(float(d.std(ddof=1)), 4),
            }
        table["inner_choices"] = chosen
        return table

    t0 = time.perf_counter()
    out["application"] = nested_choice({f"{d}/{w:g}": corpus_setting((d, w)) for d, w in GRID})
    out["application_codes"] = nested_choice(
        {"+".join(map(str, p)) or "codes only": code_setting(p) for p in CODE_GRID}
    )
    # -- models and modes (documents labelled yes)
    yes = [i for i, lab in enumerate(development) if lab.genai == "yes"]
    gold = {i: _gold_models(development[i]) for i in yes}

    def macro(ids: list[int], with_codes: bool) -> float:
        pred = [model_tags(hits[i], with_codes) for i in ids]
        return multilabel_metrics([gold[i] for i in ids], pred, MODEL_LABELS)["macro_f1"]

    rows: dict[str, list[float]] = {"codes name a model": [], "codes name no model": [], "nested choice": []}
    choices = []
    mode_f1 = []
    for tr, te in folds:
        tr_yes = [i for i in tr if i in gold]
        te_yes = [i for i in te if i in gold]
        with_codes = macro(tr_yes, True) > macro(tr_yes, False)
        choices.append("with codes" if with_codes else "without codes")
        rows["codes name a model"].append(macro(te_yes, True))
        rows["codes name no model"].append(macro(te_yes, False))
        rows["nested choice"].append(macro(te_yes, with_codes))
        mode_f1.append(
            multilabel_metrics(
                [list(development[i].modes) for i in te_yes],
                [[t.tag for t in modes(hits[i])] for i in te_yes],
                list(MODES),
            )["macro_f1"]
        )
    base = np.array(rows["codes name a model"])
    pooled = {}
    for name in ("codes name a model", "codes name no model"):
        pred = [model_tags(hits[i], name == "codes name a model") for i in yes]
        pooled[name] = multilabel_metrics([gold[i] for i in yes], pred, MODEL_LABELS)
    mod: dict[str, Any] = {"inner_choices": choices, "modes_fold_macro_f1": mode_f1}
    for name, values in rows.items():
        d = np.array(values) - base
        mod[name] = {
            "fold_macro_f1": [round(v, 4) for v in values],
            "fold_gain": [round(float(x), 4) for x in d],
            "gain_mean": round(float(d.mean()), 4),
            "gain_sd": round(float(d.std(ddof=1)), 4),
        }
        if name in pooled:
            mod[name]["pooled_macro_f1"] = pooled[name]["macro_f1"]
            mod[name]["per_label_f1"] = {k: v["f1"] for k, v in pooled[name]["labels"].items()}
    out["models"] = mod
    return out


def cli(run_one: Callable[[Path], dict[str, Any]], doc: str) -> None:
    """The command line of a cross-validation bench: ``--shared`` in, the figures as JSON out."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared"))
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    text = json.dumps(run_one(args.shared), indent=1)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


def main() -> None:
    cli(run, __doc__ or "")


if __name__ == "__main__":
    main()
