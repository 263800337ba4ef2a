"""The analyst's first hour, on real data: a Google Patents export (no inventor countries, no tags) and the
USPTO XML test documents, ingested (``ingested``), then enriched (``enriched``), then classified
(``classified``). Each is built once per session; tests that write copy them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from patscape.cli import main

GP_EXPORT = "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102842.csv"
USPTO = "go_uspto_testdata"


def invoke(*args: str, columns: int = 80) -> Result:
    """The command in this process, on a terminal ``columns`` wide."""
    return CliRunner(env={"COLUMNS": str(columns)}).invoke(main, list(args))


@pytest.fixture(scope="session")
def inputs(data: Path) -> list[Path]:
    return [data / GP_EXPORT, data / USPTO]


def _copy(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / src.name
    shutil.copyfile(src, target)
    return target


@pytest.fixture(scope="session")
def ingested(inputs: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    path = tmp_path_factory.mktemp("ingested") / "first.duckdb"
    with open_store(str(path)) as store:
        ingest(store, inputs, batch_size=5000, build_index=False)
    return path


@pytest.fixture(scope="session")
def enriched(ingested: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from patscape.enrich.build import enrich
    from patscape.store import open_store

    path = _copy(ingested, tmp_path_factory.mktemp("enriched"))
    with open_store(str(path)) as store:
        enrich(store)
    return path


@pytest.fixture(scope="session")
def classified(enriched: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from patscape.enrich.build import enrich
    from patscape.enrich.genai.store_labels import classify
    from patscape.store import open_store

    path = _copy(enriched, tmp_path_factory.mktemp("classified"))
    with open_store(str(path)) as store:
        classify(store)
        enrich(store)
    return path


@pytest.fixture
def sql(request: pytest.FixtureRequest) -> Callable[[Path, str], list[tuple]]:
    """Read a database directly (the independent side of a test's assertions)."""
    import duckdb

    def run(path: Path, query: str) -> list[tuple]:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(query).fetchall()

    return run
