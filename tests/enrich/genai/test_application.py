"""The learned application field: save/load round trip, "unclassified" without evidence, the hard cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from patscape.enrich.genai.application import UNCLASSIFIED, ApplicationClassifier
from patscape.enrich.genai.document import Document, Labelled, read_scraped
from patscape.enrich.genai.model_file import load_model, save_model
from patscape.enrich.genai.pipeline import default_pipeline
from patscape.enrich.genai.query import load_query


def _fit(labelled: list[Labelled]) -> tuple[ApplicationClassifier, list[Document]]:
    rows = [lab for lab in labelled if lab.application]
    docs = [lab.doc for lab in rows]
    return ApplicationClassifier().fit(docs, [lab.application for lab in rows]), docs


def test_round_trip_and_determinism(labelled: list[Labelled], tmp_path: Path) -> None:
    est, docs = _fit(labelled)
    back = ApplicationClassifier.load(est.save(tmp_path / "a.npz"))
    assert back.version == est.version
    assert np.array_equal(back.predict_proba(docs), est.predict_proba(docs))
    assert list(back.predict(docs)) == list(est.predict(docs))
    again, _ = _fit(labelled)
    assert again.save(tmp_path / "b.npz").read_bytes() == (tmp_path / "a.npz").read_bytes()


def test_no_evidence_is_unclassified_not_a_fallback_field() -> None:
    app = default_pipeline().application
    assert app is not None
    nothing = Document("XX-1-A", "", "", "")
    unknown_words = Document("XX-2-A", "Qwzx", "Vvqq zzkk.")
    (name, p, evidence), (name2, _, _) = app.predict_with_evidence([nothing, unknown_words])
    assert (name, p, evidence) == (UNCLASSIFIED, 0.0, [])
    assert name2 == UNCLASSIFIED


def test_secured_is_not_security(data: Path) -> None:
    """A vacuum cleaner whose brush is "secured" to its head is no security invention (issue 13)."""
    query = load_query()
    hits = query.hits(Document("X", "Brush head", "The brush is secured to the housing by two clips."))
    assert not [h for h in hits if h.name == "application:security"]
    scraped = data / "gp_ai_patents_cpc" / "scraped" / "patent_details_20251001-102842.csv"
    (vacuum,) = [d for d in read_scraped([scraped]) if d.pub_key == "CN-212213643-U"]
    assert "vacuum cleaner" in vacuum.text.lower()
    decision = default_pipeline().decide([vacuum])[0]
    assert decision.application not in ("security", UNCLASSIFIED)
    assert not decision.is_genai


def test_a_code_also_counts_by_its_class(labelled: list[Labelled], tmp_path: Path) -> None:
    shipped = default_pipeline().application
    assert shipped is not None and tuple(shipped.code_prefixes) == (3,)
    assert "c3:A61" in shipped.tokens_  # medical codes' class, learned from the labelled documents
    est, _ = _fit(labelled)
    back = ApplicationClassifier.load(est.save(tmp_path / "a.npz"))
    assert tuple(back.code_prefixes) == (3,)
    # a file saved before the parameter existed reads codes whole, as its model was fitted
    arrays, header = load_model(tmp_path / "a.npz")
    del header["params"]["code_prefixes"]
    save_model(tmp_path / "old.npz", arrays, header)
    assert ApplicationClassifier.load(tmp_path / "old.npz").code_prefixes == ()
