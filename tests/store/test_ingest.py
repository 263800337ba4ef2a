"""Ingest semantics on real data, on DuckDB and PostgreSQL: idempotent, resumable, nothing lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from patscape.search import update_index
from patscape.store import open_store
from patscape.store.duckdb_store import DuckDBStore
from patscape.store.ingest import ingest
from tests.store.dump import dump

PATSCAPE = Path(sys.executable).with_name("patscape")


def test_patentsview_fixtures_twice_give_one_row_per_publication(db_url: str, data: Path) -> None:
    folder = data / "patentsview_db_fixtures"
    with open_store(db_url) as store:
        first = ingest(store, [folder])
        assert first.total.rejected == 0, store.quarantine()
        by_type = {
            r["doc_type"]: r["n"]
            for r in store.fetch(
                "SELECT CASE WHEN kind LIKE 'A%' THEN 'application' ELSE 'grant' END AS doc_type, "
                "count(*) AS n "
                "FROM publications GROUP BY 1"
            )
        }
        assert by_type == {"grant": 464, "application": 4}
        # the files overlap: many documents arrive twice and are recognised as unchanged
        assert first.total.unchanged > 0
        assert first.total.stored == 468
        # sequence listings are tied to their patent, not stored as publications, not rejected
        attached = store.fetch(
            "SELECT a.pub_key FROM attachments a LEFT JOIN publications p USING (pub_key) "
            "WHERE a.kind = 'sequence-listing'"
        )
        assert attached and all(r["pub_key"].startswith("US-") for r in attached)
        # every stored record reads back exactly as it was written
        stored = {
            r["pub_key"]: r["content_hash"]
            for r in store.fetch("SELECT pub_key, content_hash FROM publications")
        }
        loaded = store.load_many(list(stored))
        assert {k: p.content_hash() for k, p in loaded.items()} == stored
        before = dump(store)

        second = ingest(store, [folder])
        assert second.total.read == 0 and second.total.stored == 0 and second.total.replaced == 0
        assert second.inputs == {"already-ingested": sum(first.inputs.values())}
        assert dump(store) == before


def test_parallel_parsing_stores_what_serial_parsing_stores(data: Path, tmp_path: Path) -> None:
    """Workers reading their documents from the file by offset give the database one process gives."""
    folder = data / "patentsview_db_fixtures"
    with open_store(str(tmp_path / "serial.duckdb")) as serial:
        ingest(serial, [folder], workers=0)
        expected = dump(serial)
    with open_store(str(tmp_path / "parallel.duckdb")) as parallel:
        summary = ingest(parallel, [folder], workers=2, parallel_min_bytes=0)
        assert summary.total.stored == 468 and summary.total.rejected == 0
        assert dump(parallel) == expected


def test_without_a_write_ahead_log_the_data_are_saved_at_checkpoints(data: Path, tmp_path: Path) -> None:
    """`patscape ingest` writes no WAL: the file holds the data as of the last checkpoint, and in the end
    what a store with a WAL holds."""
    folder = data / "patentsview_db_fixtures"
    with open_store(str(tmp_path / "wal.duckdb")) as store:
        ingest(store, [folder])
        expected = dump(store)

    path = tmp_path / "no-wal.duckdb"
    store = DuckDBStore(path, wal=False)
    store.create_schema()
    store.checkpoint_bytes = 256 * 1024  # a checkpoint after every 256 KB of inserted rows
    saved: list[int] = []  # publications in a copy of the file, taken while the ingest runs
    write_batch = store.write_batch

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        counts = write_batch(*args, **kwargs)
        if not saved and store.scalar("SELECT count(*) FROM publications") > 100:
            copy = tmp_path / "copy.duckdb"
            shutil.copyfile(path, copy)
            with DuckDBStore(copy, read_only=True) as early:
                saved.append(early.scalar("SELECT count(*) FROM publications"))
        return counts

    store.write_batch = watched  # type: ignore[method-assign]
    ingest(store, [folder])
    assert not path.with_name(path.name + ".wal").exists()
    store.close()
    assert saved and 0 < saved[0] < 468, "a checkpoint saved part of the ingest before its end"
    with open_store(str(path), read_only=True) as reopened:
        assert dump(reopened) == expected


def _ingest_cmd(db: str, folder: Path) -> list[str]:
    return [
        str(PATSCAPE),
        "ingest",
        str(folder),
        "--db",
        db,
        "--batch-size",
        "4",
        "--workers",
        "1",
        "-q",
        "--json",
    ]


def test_ingest_killed_at_any_moment_resumes_to_the_same_database(
    db_url: str, data: Path, tmp_path: Path
) -> None:
    folder = data / "patentsview_db_fixtures"
    reference = str(tmp_path / "reference.duckdb") if not db_url.startswith("postgres") else None
    if reference is None:  # a second PostgreSQL database for the uninterrupted run
        reference = db_url + "_ref"
        base, name = db_url.rsplit("/", 1)
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}_ref"')
    subprocess.run(_ingest_cmd(reference, folder), check=True, capture_output=True)

    kills = 0
    for delay in (0.8, 1.2, 0.9, 1.6, 1.1, 2.0):
        proc = subprocess.Popen(
            _ingest_cmd(db_url, folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 2, "the ingest finished before it could be killed: make the test input larger"
    resumed_run = subprocess.run(_ingest_cmd(db_url, folder), capture_output=True, text=True)
    assert resumed_run.returncode == 0, resumed_run.stderr[-3000:]

    with open_store(db_url) as resumed, open_store(reference) as uninterrupted:
        assert dump(resumed) == dump(uninterrupted)
        assert resumed.scalar("SELECT count(*) FROM publications") == 468


def test_the_console_script_stores_what_the_library_stores(data: Path, tmp_path: Path) -> None:
    """`patscape ingest` runs without pandas (it refuses the import DuckDB and pyarrow would make):
    office XML, a PATENTSCOPE workbook in a zip and Lens CSV come out the same as through the library."""
    inputs = [
        data / "cn_jp_st36_st96_examples",
        data / "oldham_patent_analytics_datasets/pizza_medium/pizza_medium_raw.zip",
        data / "oldham_patent_analytics_datasets/pizza_lens",
    ]
    with open_store(str(tmp_path / "library.duckdb")) as store:
        summary = ingest(store, inputs)
        assert summary.total.stored > 10_000
        update_index(store)  # the command brings the search language's index up to date as well
        expected = dump(store)
    cli_db = str(tmp_path / "cli.duckdb")
    command = [str(PATSCAPE), "ingest", *map(str, inputs), "--db", cli_db, "-q", "--json"]
    subprocess.run(command, check=True, capture_output=True)
    with open_store(cli_db) as store:
        assert dump(store) == expected
