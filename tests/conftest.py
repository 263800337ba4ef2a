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
def pg_server():
    """A real PostgreSQL 15 server on 127.0.0.1, started for the test session (fails if it cannot start).

    Its folder is made with ``tempfile.mkdtemp`` beside pytest's, not inside it: every pytest session that
    starts on the machine sets ``/tmp/pytest-of-<user>`` back to mode 0700, which shut the postgres user out
    of a running server's data directory (``PANIC: could not open file ".../global/pg_control": Permission
    denied``) and made every later PostgreSQL test of a long session error whenever another session started
    beside it. A folder of its own under ``/tmp`` keeps its modes.
    """
    import shutil
    import subprocess
    import tempfile

    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL server binaries not found in {PG_BIN} (apt-get install postgresql-15)")
    base = Path(tempfile.mkdtemp(prefix="patscape-pg-"))
    data_dir = base / "data"
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(base, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    initdb = [str(PG_BIN / "initdb"), "-D", str(data_dir), "-U", "app", "--auth=trust", "-E", "UTF8"]
    subprocess.run([*as_postgres, *initdb, "--locale=C"], check=True, capture_output=True)
    pg_ctl = [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data_dir)]
    for attempt in range(5):  # another process may take the free port before the server binds it
        port = _free_port()
        opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        started = subprocess.run(
            [*pg_ctl, "-o", opts, "-l", str(base / "log"), "-w", "-t", "300", "start"],
            capture_output=True,
            text=True,
        )
        if started.returncode == 0:
            break
        log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
        if "could not bind" not in log or attempt == 4:
            pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{log[-2000:]}")
    try:
        yield f"postgresql://app@127.0.0.1:{port}"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "-t", "300", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str, request: pytest.FixtureRequest) -> str:
    """A fresh, empty database on the session's server."""
    import re

    import psycopg

    # at most 63 bytes (PostgreSQL cuts longer names), with room for a suffix such as "_ref"
    name = "t_" + re.sub(r"\W", "_", request.node.name.lower())[:44] + f"_{os.getpid()}"
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


# -- read-only storage --------------------------------------------------------------------------

# root writes through any file mode: a process that must meet read-only files and folders drops the two
# capabilities that let it (util-linux setpriv); any other user meets the modes as they are
_NO_OVERRIDE = "-dac_override,-dac_read_search"


def honouring_file_modes(command: list[str]) -> list[str]:
    """``command`` run so that file modes bind it, as they bind any user but root."""
    if os.geteuid() != 0:
        return command
    return ["setpriv", f"--inh-caps={_NO_OVERRIDE}", f"--bounding-set={_NO_OVERRIDE}", "--", *command]


def read_only(*paths: Path) -> None:
    """Files 0444 and folders 0555 (their contents first)."""
    for path in paths:
        for inner in sorted(path.rglob("*"), reverse=True) if path.is_dir() else ():
            inner.chmod(0o555 if inner.is_dir() else 0o444)
        path.chmod(0o555 if path.is_dir() else 0o444)


def writable(*paths: Path) -> None:
    """Undo ``read_only`` (so that pytest can remove its temporary folders)."""
    for path in paths:
        path.chmod(0o755 if path.is_dir() else 0o644)
        for inner in path.rglob("*") if path.is_dir() else ():
            inner.chmod(0o755 if inner.is_dir() else 0o644)


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
