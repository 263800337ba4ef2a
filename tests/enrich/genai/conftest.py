"""Generative-AI fixtures: the labels file, one cross-validation per session, a store of real documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from patscape.enrich.genai.document import Labelled, read_labels
from patscape.enrich.genai.evaluate import cross_validate
from patscape.enrich.genai.query import load_query
from patscape.enrich.genai.split import read_reference_labels, split_labels
from patscape.enrich.genai.weak_labels import Weak, weak_labels

# One file of the scraped Google Patents set (2,000 rows): the documents of the store tests.
SCRAPED_FILE = "gp_ai_patents_cpc/scraped/patent_details_20251001-102339.csv"


@pytest.fixture(scope="session")
def labels_path(shared: Path) -> Path:
    return shared / "labels" / "dev.jsonl"


@pytest.fixture(scope="session")
def labelled(labels_path: Path) -> list[Labelled]:
    return read_labels(labels_path)


@pytest.fixture(scope="session")
def weak(data: Path, labelled: list[Labelled]) -> list[Weak]:
    return weak_labels(data, load_query(), exclude=[lab.doc for lab in labelled])


@pytest.fixture(scope="session")
def development(shared: Path) -> list[Labelled]:
    """The development part of dev.jsonl + train.jsonl (the frozen test split left out)."""
    return split_labels(read_reference_labels(shared))[0]


@pytest.fixture(scope="session")
def cv_report(shared: Path, data: Path, development: list[Labelled]) -> dict[str, Any]:
    """5-fold cross-validation of the whole pipeline on the development part (deterministic); the weak
    labels leave out every labelled document, the frozen test split's included."""
    everything = read_reference_labels(shared)
    weak = weak_labels(data, load_query(), exclude=[lab.doc for lab in everything])
    return cross_validate(development, folds=5, weak=weak, random_state=0)
