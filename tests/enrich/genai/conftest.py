"""Generative-AI fixtures: the labels file, one cross-validation per session, a store of real documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from patscape.enrich.genai.document import Labelled, read_labels
from patscape.enrich.genai.evaluate import cross_validate
from patscape.enrich.genai.query import load_query
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
def cv_report(labelled: list[Labelled], weak: list[Weak]) -> dict[str, Any]:
    """5-fold cross-validation of the whole pipeline on dev.jsonl (computed here, deterministic)."""
    return cross_validate(labelled, folds=5, weak=weak, random_state=0)
