"""Report fixtures: real data ingested and enriched once per session, and the reports written from them.

- ``cset``: the CSET table alone (priority years, member offices, no owners, no generative-AI labels);
- ``office``: office XML of every family of readers, and one Google Patents export with its scraped abstracts
  (owners, citations, dates), labelled generative AI by the shipped query and classifier.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from patscape.report import ReportResult, write_report
from tests.conftest import cset_copy

OFFICE_INPUTS = (
    "go_uspto_testdata",
    "patentsview_db_fixtures/ipgxml",
    "go_epo_eps_testdata",
    "go_epo_bdds_docdb_testdata/epo_docdb",
    "cn_jp_st36_st96_examples",
    "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102423.csv",
    "gp_ai_patents_cpc/scraped/patent_details_20251001-102423.csv",
)


@dataclass
class Built:
    db: Path
    out: Path
    result: ReportResult
    genai: bool


def build_database(path: Path, inputs: list[Path], *, classify: bool) -> Path:
    """Ingest, (label,) enrich; a marker file makes the database reusable by other fixtures of the session."""
    done = path.with_suffix(".done")
    if done.exists():
        return path
    from patscape.enrich.build import enrich
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    with open_store(str(path)) as store:
        ingest(store, inputs, batch_size=5000, build_index=False)
        if classify:
            from patscape.enrich.genai.store_labels import classify as run_classify

            run_classify(store)
        enrich(store)
    done.write_text("ok")
    return path


@pytest.fixture(scope="session")
def cset_db(cset_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cset_copy(cset_template, tmp_path_factory.mktemp("report-cset"))


@pytest.fixture(scope="session")
def office_db(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("office")
    return build_database(folder / "office.duckdb", [data / p for p in OFFICE_INPUTS], classify=True)


@pytest.fixture(scope="session")
def cset_report(cset_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("cset-report")
    return Built(cset_db, out, write_report(str(cset_db), out), genai=False)


@pytest.fixture(scope="session")
def genai_report(office_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("genai-report")
    result = write_report(str(office_db), out, genai=True, title="Generative AI in the office sample")
    return Built(office_db, out, result, genai=True)


@pytest.fixture(scope="session", params=["cset", "genai"])
def built(request: pytest.FixtureRequest) -> Built:
    """Each test using it runs on both reports."""
    return request.getfixturevalue(f"{request.param}_report")
