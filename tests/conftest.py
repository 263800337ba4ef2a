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

PG_BIN = Path(os.environ.get("PATSCAPE_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory):
    """A real PostgreSQL 15 server on 127.0.0.1, started for the test session (fails if it cannot start)."""
    import shutil
    import subprocess

    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql-15)")
    base = tmp_path_factory.mktemp("pg")
    data_dir = base / "data"
    port = _free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        os.chmod(base, 0o755)
        for parent in base.parents:  # the postgres user must be able to reach the folder
            if str(parent) in ("/", "/tmp"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o011)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [
            *as_postgres,
            str(PG_BIN / "initdb"),
            "-D",
            str(data_dir),
            "-U",
            "app",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        check=True,
        capture_output=True,
    )
    opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
    subprocess.run(
        [
            *as_postgres,
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data_dir),
            "-o",
            opts,
            "-l",
            str(base / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://app@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "stop"],
            capture_output=True,
        )


@pytest.fixture
def pg_url(pg_server: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the session's server."""
    import re

    import psycopg

    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:50] + f"_{os.getpid()}"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{pg_server}/{name}"


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


# -- one Spark session (local[2]) for the whole test session ------------------------------------------


@pytest.fixture(scope="session")
def spark_session():  # type: ignore[no-untyped-def]
    """One local[2] Spark session for the whole test session (tests take a ``newSession()`` of it).

    Its Python workers run this interpreter, the one with patscape installed."""
    import sys

    from patscape.landscape.backends import local_spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = local_spark("patscape-tests", small=True)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
