"""The issue's targets, measured here by 5-fold cross-validation on dev.jsonl (no document is ever scored by a
model trained on it; `unsure` documents are left out of the yes/no figures)."""

from __future__ import annotations

from typing import Any

from patscape.enrich.genai.document import Labelled, family_key
from patscape.enrich.genai.weak_labels import Weak


def test_weak_labels_never_hold_a_labelled_document(labelled: list[Labelled], weak: list[Weak]) -> None:
    labelled_keys = {family_key(lab.doc.pub_key) for lab in labelled}
    assert not labelled_keys & {family_key(w.doc.pub_key) for w in weak}
    assert {w.source for w in weak} == {"gp_ai_patents_cpc", "koehrsen_nn_patents"}  # never the CC BY-NC set
    assert 1500 < sum(w.label for w in weak) < len(weak) - 3000


def test_unsure_documents_are_left_out(cv_report: dict[str, Any]) -> None:
    assert cv_report["documents"] == 300
    assert cv_report["scored"] == 298
    assert cv_report["genai"]["support"] == 67


def test_generative_ai_precision_and_f1_reach_090(cv_report: dict[str, Any]) -> None:
    g = cv_report["genai"]
    assert g["precision"] >= 0.90
    assert g["f1"] >= 0.90
    lo, hi = g["f1_ci"]
    assert lo <= g["f1"] <= hi


def test_the_query_alone_reaches_recall_095(cv_report: dict[str, Any]) -> None:
    assert cv_report["query"]["recall"] >= 0.95


def test_models_macro_f1_reaches_070(cv_report: dict[str, Any]) -> None:
    assert cv_report["models"]["end_to_end"]["macro_f1"] >= 0.70
    assert cv_report["models"]["given_genai"]["macro_f1"] >= 0.70


def test_modes_macro_f1_reaches_075(cv_report: dict[str, Any]) -> None:
    """On the documents labelled generative AI (the taxonomy's own accuracy); end to end, where the
    classifier's misses also count, it is lower and reported (see the note)."""
    assert cv_report["modes"]["given_genai"]["macro_f1"] >= 0.75
    assert cv_report["modes"]["end_to_end"]["macro_f1"] >= 0.70


def test_misclassified_documents_are_listed(cv_report: dict[str, Any]) -> None:
    g = cv_report["genai"]
    wrong = cv_report["misclassified"]
    assert len(wrong) == g["fp"] + g["fn"]
    assert all(m["label"] in ("yes", "no") and m["predicted"] != m["label"] for m in wrong)
