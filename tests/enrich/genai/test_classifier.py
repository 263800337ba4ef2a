"""The precision stage: scikit-learn contract, save/load round trip with the version, the shipped model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from patscape.enrich.genai.classifier import CLASSIFIER_VERSION, GenAIClassifier
from patscape.enrich.genai.document import Labelled
from patscape.enrich.genai.pipeline import DEFAULT_APPLICATION_MODEL, DEFAULT_MODEL, default_pipeline
from patscape.enrich.genai.train import train_default


def _xy(labelled: list[Labelled]) -> tuple[list, np.ndarray]:
    rows = [lab for lab in labelled if lab.genai in ("yes", "no")]
    return [lab.doc for lab in rows], np.array([int(lab.genai == "yes") for lab in rows])


def test_estimator_contract(labelled: list[Labelled]) -> None:
    X, y = _xy(labelled)
    est = GenAIClassifier(C=2.0, random_state=3)
    assert est.get_params()["C"] == 2.0 and est.get_params()["random_state"] == 3
    twin = clone(est)
    assert twin.get_params() == est.get_params() and not hasattr(twin, "model_")
    est.fit(X, y)
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), 2)
    assert np.allclose(proba.sum(1), 1.0)
    assert set(est.predict(X)) <= {0, 1}
    assert est.score(X, y) > 0.9  # accuracy on its own training data
    again = GenAIClassifier(C=2.0, random_state=3).fit(X, y)
    assert np.array_equal(again.predict_proba(X), proba)  # deterministic


def test_save_and_load_round_trip(labelled: list[Labelled], tmp_path: Path) -> None:
    X, y = _xy(labelled)
    est = GenAIClassifier(features="tfidf+query", random_state=0).fit(X, y)
    path = est.save(tmp_path / "m.npz", note="round trip")
    assert est.version.startswith(CLASSIFIER_VERSION + "+")
    back = GenAIClassifier.load(path)
    assert back.version == est.version
    assert back.get_params() == est.get_params()
    assert back.info_ == {"note": "round trip"}
    assert np.allclose(back.predict_proba(X), est.predict_proba(X), atol=1e-12)
    assert back.feature_names() == est.feature_names()


def test_load_refuses_another_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.npz"
    np.savez(bad, header=np.asarray('{"format": "something else"}'))
    with pytest.raises(ValueError, match="not a patscape"):
        GenAIClassifier.load(bad)


def test_probabilities_are_calibrated_out_of_fold(labelled: list[Labelled]) -> None:
    X, y = _xy(labelled)
    est = GenAIClassifier(random_state=0).fit(X, y)
    slope = est.calibration_[0]
    assert slope > 0  # a higher score stays a higher probability
    p = est.predict_proba(X)[:, 1]
    raw = GenAIClassifier(calibration_folds=0, random_state=0).fit(X, y).predict_proba(X)[:, 1]
    assert np.array_equal(np.argsort(p, kind="stable"), np.argsort(raw, kind="stable"))
    # Platt scaling fitted on out-of-fold scores: over those scores, the mean probability is the share of yes
    from scipy.special import expit
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(len(y))
    for train, held in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        part = GenAIClassifier(calibration_folds=0, random_state=0).fit([X[i] for i in train], y[train])
        oof[held] = part.decision_function([X[i] for i in held])
    slope, intercept = est.calibration_
    assert abs(float(np.mean(expit(slope * oof + intercept))) - float(np.mean(y))) < 0.03


def test_the_shipped_model_loads_and_says_how_it_was_trained() -> None:
    assert DEFAULT_MODEL.exists() and DEFAULT_APPLICATION_MODEL.exists()
    pipe = default_pipeline()
    info = pipe.classifier.info_
    assert info["labels_files"] == ["labels/dev.jsonl", "labels/train.jsonl"]
    assert len(info["trained_on_labels"]) == 991  # the development part's yes/no documents, less Miric's
    assert pipe.method_version.startswith(f"q{pipe.query.method_version}/c{pipe.classifier.version}/")
    assert pipe.method_version.endswith(f"/a{pipe.application.version}")
    assert info["query_version"] == pipe.query.method_version  # trained with the shipped query


@pytest.mark.slow
def test_train_rebuilds_the_shipped_models_byte_for_byte(shared: Path, tmp_path: Path) -> None:
    result = train_default(shared, tmp_path / "genai.npz")
    assert Path(result["model"]).read_bytes() == DEFAULT_MODEL.read_bytes()
    assert Path(result["application_model"]).read_bytes() == DEFAULT_APPLICATION_MODEL.read_bytes()
    assert result["bytes"] < 2_000_000  # small enough to ship in the package
