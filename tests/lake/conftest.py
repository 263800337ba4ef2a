"""The Spark path's fixtures: real documents ingested once into an embedded store and once into a lake.

The corpus is a slice of the demo corpus small enough for the suite's budget on two cores: USPTO grants
and applications, DOCDB (with its family ids), CNIPA and JPO XML, and three Lens exports that repeat each
other's records, so that records of one publication meet across inputs and across runs.

The lake is filled in two runs (``FIRST``, by the command as typed, then ``SECOND``), the embedded store in
one run over the same inputs in the same order: what arrives in the second run meets publications already in
the lake. The crash tests kill the second run (``test_recovery.py``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

XML = (
    "uspto_patentpublicdata_samples/xml2014",
    "uspto_patentpublicdata_samples/pap",
    "go_epo_bdds_docdb_testdata/epo_docdb",
    "cn_jp_st36_st96_examples",
)
LENS = "lens_covid_jsonl/Coronavirus-{}.jsonl"
# the second run stores new publications and meets stored ones (MERS-patents holds the diagnosis file's)
FIRST = (*XML, LENS.format("MERS-diagnosis-patents"))
SECOND = (LENS.format("MERS-patents"), LENS.format("MERS-treatment"))
TIMESTAMPS = {"ingested_at", "quarantined_at", "labelled_at", "started_at", "finished_at"}


@pytest.fixture(scope="session")
def spark(spark_session):  # type: ignore[no-untyped-def]
    """The session's Spark with the lake jobs' settings and two shuffle partitions (to shuffle for real)."""
    from patscape.lake.session import configure

    session = spark_session.newSession()
    configure(session)
    session.conf.set("spark.sql.shuffle.partitions", "2")
    return session


@pytest.fixture(scope="session")
def embedded(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus in the embedded store (one run), enriched and classified."""
    from patscape.enrich.build import enrich
    from patscape.enrich.genai.store_labels import classify
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    path = tmp_path_factory.mktemp("embedded") / "corpus.duckdb"
    with open_store(str(path)) as store:
        ingest(store, [data / p for p in (*FIRST, *SECOND)])
        enrich(store)
        classify(store)
    return path


@pytest.fixture(scope="session")
def lake_root(spark, data: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The corpus in a lake: ``patscape spark ingest`` of ``FIRST`` as typed (in this process: the command
    takes the running Spark session), then ``SECOND``, then the command again over everything (which changes
    nothing). A copy of the lake after the first run is where the crash tests start their second run from,
    and the state after the second run what they must end in."""
    from patscape.lake import Lake
    from patscape.lake.ingest import ingest

    base = tmp_path_factory.mktemp("lake")
    root = base / "lake"
    first = run_command("spark", "ingest", *(str(data / p) for p in FIRST), "--lake", str(root), "--json")
    shutil.copytree(root, base / "after-first")
    lake = Lake(spark, str(root))
    second = ingest(lake, [data / p for p in SECOND])
    state = ingest_state(root)
    before = files(root)
    everything = (str(data / p) for p in (*FIRST, *SECOND))
    again = run_command("spark", "ingest", *everything, "--lake", str(root), "--json")
    after = files(root)  # taken now: later tests enrich and classify the same lake
    return {
        "root": root,
        "lake": lake,
        "runs": [first, second, again],
        "files": (before, after),
        "after_first": base / "after-first",
        "state": state,
    }


@pytest.fixture(scope="session")
def enriched(lake_root):  # type: ignore[no-untyped-def]
    """The lake enriched, then classified twice (the second run finds every label current)."""
    from patscape.lake.classify import classify
    from patscape.lake.enrich import enrich

    lake = lake_root["lake"]
    return {"enrich": enrich(lake), "classify": classify(lake), "again": classify(lake)}


def run_command(*args: str) -> dict[str, Any]:
    from click.testing import CliRunner

    from patscape.cli import main

    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ingest_state(root: Path) -> dict[str, list[tuple]]:
    """The rows of every table the ingest writes (timestamps left out)."""
    from patscape.lake.tables import INGEST_TABLES

    written = [t for t in INGEST_TABLES if (root / t.name).exists()]
    return {t.name: lake_table(root, t.name, compared_columns(t)) for t in written}


def files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def lake_table(root: Path, table: str, columns: list[str]) -> list[tuple]:
    """A lake table's rows as DuckDB reads the Parquet files as they are (hive partitions)."""
    cols = ", ".join(columns)
    pattern = f"{root}/{table}/**/*.parquet"
    if not list((root / table).rglob("*.parquet")):  # never written: the corpus has no such rows
        return []
    with duckdb.connect() as con:
        return sorted(
            con.execute(f"SELECT {cols} FROM read_parquet('{pattern}', hive_partitioning = true)").fetchall(),
            key=repr,
        )


def store_table(path: Path, table: str, columns: list[str]) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall(), key=repr)


def compared_columns(table: Any) -> list[str]:
    return [c for c in table.column_names if c not in TIMESTAMPS]
