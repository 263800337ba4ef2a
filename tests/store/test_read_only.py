"""Reads never write: every command that only reads opens the store read-only, works on read-only storage,
and on a missing database stops with exit status 2, naming the command that creates one, creating nothing.
Unknown ``--db`` schemes are refused; DuckDB installs no extension and spills beside the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from patscape.cli import main
from patscape.enrich.build import enrich
from patscape.enrich.genai.store_labels import classify
from patscape.store import NoDatabase, UnknownScheme, open_store
from patscape.store.ingest import ingest
from tests.conftest import honouring_file_modes, read_only, writable

PATSCAPE = Path(sys.executable).with_name("patscape")


def read_commands(db: str, out: Path, labels: Path) -> dict[str, list[str]]:
    """Every command that only reads, with the arguments it needs."""
    return {
        "stats": ["stats", "--db", db],
        "show": ["show", "US6530116B2", "--db", db],
        "search": ["search", "vacuum cleaner", "--db", db],
        "quarantine": ["quarantine", "--db", db],
        "owners": ["owners", "--db", db],
        "landscape": ["landscape", "--db", db, "--by", "owner"],
        "report": ["report", "--db", db, "--out", str(out / "report"), "--no-pdf"],
        "explain": ["explain", "US6530116B2", "--db", db],
        "eval": ["eval", "--labels", str(labels), "--db", db],
    }


COMMANDS = sorted(read_commands("x", Path("."), Path(".")))


@pytest.fixture(scope="module")
def small_store(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The USPTO test grants, ingested (with the full-text index), enriched and classified."""
    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    with open_store(str(path), wal=False) as store:
        ingest(store, [data / "go_uspto_testdata"], build_index=True)
        enrich(store)
        classify(store)
    return path


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_database_is_an_error_and_nothing_is_created(
    command: str, tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "typo" / "none.duckdb"
    args = read_commands(str(db), tmp_path, shared / "labels" / "dev.jsonl")[command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"no database at {db}" in result.output
    assert f"patscape ingest --db {db}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_missing_postgresql_database_is_an_error(pg_server: str) -> None:
    result = CliRunner().invoke(main, ["stats", "--db", f"{pg_server}/no_such_database"])
    assert result.exit_code == 2, result.output
    assert "no database at" in result.output and "does not exist" in result.output


def test_a_postgresql_database_without_tables_is_not_a_store(pg_url: str) -> None:
    result = CliRunner().invoke(main, ["landscape", "--db", pg_url])
    assert result.exit_code == 2 and "no patscape database" in result.output, result.output


def test_the_library_refuses_too(tmp_path: Path) -> None:
    with pytest.raises(NoDatabase):
        open_store(str(tmp_path / "none.duckdb"), read_only=True)
    with pytest.raises(NoDatabase):
        open_store(str(tmp_path / "none.duckdb"), create=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("target", ["md:x", "md:", "sqlite:patents.db", "mysql://u@h/db", "s3://b/p.duckdb"])
@pytest.mark.parametrize("command", ["stats", "ingest"])
def test_unknown_schemes_are_refused(
    target: str, command: str, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["stats", "--db", target] if command == "stats" else ["ingest", str(data / "go_uspto_testdata")]
    if command == "ingest":
        args += ["--db", target]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert f"unsupported database {target!r}" in result.output
    assert "postgresql:// URL" in result.output
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UnknownScheme):
        open_store(target)


def test_duckdb_installs_and_loads_no_extension_by_itself(small_store: Path) -> None:
    with open_store(str(small_store), read_only=True) as store:
        settings = {
            r["name"]: r["value"]
            for r in store.fetch(
                "SELECT name, value FROM duckdb_settings() WHERE name IN "
                "('autoinstall_known_extensions', 'autoload_known_extensions', 'allow_community_extensions')"
            )
        }
        assert settings == dict.fromkeys(settings, "false") and len(settings) == 3
        with pytest.raises(Exception, match="requires the extension httpfs"):
            store.fetch("SELECT * FROM 'https://example.invalid/patents.parquet'")
        # an explicit INSTALL by name finds no repository to download from
        with pytest.raises(Exception, match="Failed to install local extension"):
            store.execute("INSTALL httpfs")
        # the fts extension comes from its Python package: search works
        assert store.search("vacuum cleaner", 3)[0]["pub_key"] == "US-6530116-B2"


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        honouring_file_modes([str(PATSCAPE), *args]),
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def _listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*"))


def test_every_read_command_works_on_read_only_storage(
    small_store: Path, tmp_path: Path, shared: Path
) -> None:
    """The database in a read-only folder, run from a read-only working directory: every read command
    answers, and neither folder changes."""
    storage = tmp_path / "storage"
    storage.mkdir()
    db = storage / "small.duckdb"
    db.write_bytes(small_store.read_bytes())
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    before = _listing(storage)
    read_only(storage, cwd)
    try:
        for name, args in read_commands(str(db), out, shared / "labels" / "dev.jsonl").items():
            result = _run([*args, "--json"] if name != "report" else args, cwd)
            assert result.returncode == 0, (name, result.stderr[-2000:])
            assert "US-6530116-B2" in result.stdout or name not in ("show", "search", "explain"), name
        assert _listing(storage) == before and list(cwd.iterdir()) == []
        # a writing command says the storage cannot be written
        ingest_run = _run(["ingest", str(shared / "data" / "go_uspto_testdata"), "--db", str(db)], cwd)
        assert ingest_run.returncode == 2 and "cannot be written" in ingest_run.stderr
    finally:
        writable(storage, cwd)
    assert (out / "report" / "report.html").exists()


def test_eval_saves_its_evaluation_only_where_it_can(small_store: Path, tmp_path: Path, shared: Path) -> None:
    """`eval --cv` keeps its figures in a writable store and says so when the store is read-only."""
    storage = tmp_path / "storage"
    storage.mkdir()
    db = storage / "small.duckdb"
    db.write_bytes(small_store.read_bytes())
    no_weak_labels = tmp_path / "empty"
    no_weak_labels.mkdir()
    args = ["eval", "--labels", str(shared / "labels" / "dev.jsonl"), "--cv", "2", "--db", str(db)]
    args += ["--shared", str(no_weak_labels), "--json"]
    read_only(storage)
    try:
        refused = _run(args, tmp_path)
    finally:
        writable(storage)
    assert refused.returncode == 0, refused.stderr[-2000:]
    assert "the evaluation was not saved" in refused.stderr
    saved = _run(args, tmp_path)
    assert saved.returncode == 0, saved.stderr[-2000:]
    figures = json.loads(saved.stdout)["genai"]
    from patscape.enrich.genai.stored_evaluation import load_evaluation

    with open_store(str(db), read_only=True) as store:
        evaluation = load_evaluation(store)
    assert evaluation is not None and evaluation.folds == 2
    assert (evaluation.precision, evaluation.recall) == (figures["precision"], figures["recall"])


SPILL = """
import os, sys
from patscape.store import open_store
with open_store(sys.argv[1], wal=False) as store:
    for setting in ("memory_limit = '32MB'", "threads = 1", "preserve_insertion_order = false"):
        store.execute("SET " + setting)
    temp = store.scalar("SELECT current_setting('temp_directory')")
    rows = store.scalar(
        "SELECT max(n) FROM (SELECT row_number() OVER (ORDER BY h) AS n "
        "FROM (SELECT md5(i::VARCHAR) AS h FROM range(3000000) t(i)))"
    )
    print(temp, rows, os.path.isdir(temp))
"""


@pytest.mark.parametrize("configured", [False, True])
def test_duckdb_spills_beside_the_database_not_into_the_working_directory(
    tmp_path: Path, configured: bool
) -> None:
    """The store `patscape ingest` opens (an in-memory DuckDB with the file attached, whose temporary files
    DuckDB would put in ./.tmp) sorts more than its memory from a read-only working directory."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    db = tmp_path / "db" / "spill.duckdb"
    env = {"PATSCAPE_TMP": str(tmp_path / "spill")} if configured else {"PATSCAPE_TMP": ""}
    read_only(cwd)
    try:
        result = subprocess.run(
            honouring_file_modes([sys.executable, "-c", SPILL, str(db)]),
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, **env},
        )
    finally:
        writable(cwd)
    assert result.returncode == 0, result.stderr[-2000:]
    temp, rows, spilled = result.stdout.split()
    assert int(rows) == 3_000_000 and spilled == "True"
    assert temp == (str(tmp_path / "spill") if configured else str(db.with_name("spill.duckdb.tmp")))
    assert list(cwd.iterdir()) == []


def test_a_database_another_process_writes_is_named_busy(small_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    db.write_bytes(small_store.read_bytes())
    with open_store(str(db)):  # this process writes: DuckDB locks the file
        result = _run(["stats", "--db", str(db)], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "open in another process that writes to it" in result.stderr
