"""``spark ingest`` on local[2] gives the embedded store's tables, row for row; a rerun changes nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from patscape.lake.tables import MANIFEST
from patscape.store import schema
from tests.lake.conftest import compared_columns, lake_table, store_table

INGEST_TABLES = (schema.PUBLICATIONS, *schema.DETAIL_TABLES, schema.ATTACHMENTS, schema.QUARANTINE)


@pytest.mark.parametrize("table", INGEST_TABLES, ids=lambda t: t.name)
def test_tables_equal_the_embedded_store(lake_root, embedded: Path, table) -> None:  # type: ignore[no-untyped-def]
    columns = compared_columns(table)
    expected = store_table(embedded, table.name, columns)
    if table in (schema.PUBLICATIONS, schema.TEXTS, schema.PARTIES, schema.CLASSES):
        assert expected, f"the corpus has {table.name}"
    assert lake_table(lake_root["root"], table.name, columns) == expected


def test_the_corpus_merges_records_across_inputs_and_runs(lake_root, embedded: Path) -> None:  # type: ignore[no-untyped-def]
    # the test means something only if publications met again, in the same run and in the second one
    with duckdb.connect(str(embedded), read_only=True) as con:
        replaced, unchanged = con.execute("SELECT sum(replaced), sum(unchanged) FROM ingest_log").fetchone()
    assert replaced + unchanged > 0
    second = lake_root["runs"][1]["total"]
    assert second["replaced"] + second["unchanged"] > 0, lake_root["runs"][1]


def test_manifest_names_every_input(lake_root, embedded: Path) -> None:  # type: ignore[no-untyped-def]
    columns = ["input_hash", "file", "member", "size", "reader", "status", "read", "rejected", "attached"]
    assert lake_table(lake_root["root"], MANIFEST.name, columns) == store_table(
        embedded, "ingest_log", columns
    )


def test_partitions_by_office_and_publication_year(lake_root) -> None:  # type: ignore[no-untyped-def]
    root = lake_root["root"]
    pattern = f"{root}/publications/**/*.parquet"
    with duckdb.connect() as con:
        wrong = con.execute(
            f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning = true) "
            "WHERE office <> country OR year IS DISTINCT FROM year(published)"
        ).fetchone()[0]
        offices = con.execute(
            "SELECT count(DISTINCT office), count(DISTINCT year) "
            f"FROM read_parquet('{pattern}', hive_partitioning = true)"
        ).fetchone()
    assert wrong == 0
    assert offices[0] >= 5 and offices[1] >= 10
    # the manifest says which partitions each input wrote to
    partitions = lake_table(root, MANIFEST.name, ["partitions"])
    assert any(p[0] and "office=US/year=" in p[0] for p in partitions)


def test_a_rerun_changes_nothing(lake_root) -> None:  # type: ignore[no-untyped-def]
    again = lake_root["runs"][2]
    assert again["total"]["read"] == 0
    assert set(again["inputs"]) == {"already-ingested"}
    before, after = lake_root["files"]
    assert after == before
