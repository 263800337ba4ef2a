"""Shared fixtures: the real data in ../shared (or $PATSCAPE_SHARED), temporary databases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    path = Path(os.environ.get("PATSCAPE_SHARED", ROOT.parent / "shared"))
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder; a test that needs it fails (never skips) when it is missing."""
    path = shared_dir()
    if not (path / "data").is_dir():
        pytest.fail(
            f"the shared data folder is missing: expected {path}/data "
            "(set PATSCAPE_SHARED to the folder that holds data/, labels/ and reference/)"
        )
    return path


@pytest.fixture(scope="session")
def data(shared: Path) -> Path:
    return shared / "data"


# -- databases ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL 15 server on 127.0.0.1, started for the test session (fails if it cannot start)."""
    from patscape.store.local_postgres import PG_BIN, local_postgres

    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql-15)")
    # not under pytest's temporary root: a pytest session starting meanwhile makes that root private again,
    # and the server (running as the postgres user) loses its data folder
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="patscape-pg-"))
    try:
        with local_postgres(folder) as url:
            yield url
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the session's server."""
    import re

    from patscape.store.local_postgres import create_database

    return create_database(
        pg_server, "t_" + re.sub(r"\W", "_", request.node.name.lower())[:50] + f"_{os.getpid()}"
    )


@pytest.fixture(params=["duckdb", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using it runs on both backends: a DuckDB file and a PostgreSQL database."""
    if request.param == "duckdb":
        return str(tmp_path / "test.duckdb")
    return request.getfixturevalue("pg_url")


# -- the CSET table, ingested and enriched once for the whole session -----------------------------

CSET_ZIP = "cset_1790_ai_patents/patent_database.csv.zip"


@pytest.fixture(scope="session")
def cset_template(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CSET AI patent table (287,532 rows) ingested and enriched once; tests copy it (see cset_copy)."""
    from patscape.enrich.build import enrich
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    path = tmp_path_factory.mktemp("cset-template") / "cset.duckdb"
    with open_store(str(path)) as store:
        ingest(store, [data / CSET_ZIP], batch_size=5000)
        enrich(store)
    return path


def cset_copy(template: Path, folder: Path) -> Path:
    """A private copy of the CSET database, so that a test package may open or change it as it likes."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "cset.duckdb"
    shutil.copyfile(template, target)
    return target
