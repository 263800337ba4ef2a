"""A workflow that says what it needs: the store records which ingest generation each enrichment step
covers, and the commands that read derived tables stop with the command to run, never an empty table."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from patscape.cli import main
from patscape.enrich.build import enrich
from patscape.store import open_store
from patscape.store.freshness import (
    CLASSIFY,
    ENRICH,
    GENERATION_KEY,
    SEARCH_INDEX,
    NeedsUpdate,
    coverage,
    generation,
)
from patscape.store.ingest import ingest

GP_EXPORT = "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102718.csv"
USPTO = "go_uspto_testdata"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _gp_countries(path: Path) -> dict[str, int]:
    """Publications per office in a Google Patents export, read with DuckDB's own CSV reader."""
    con = duckdb.connect()
    rows = con.execute(
        "SELECT split_part(id, '-', 1) AS office, count(DISTINCT id) FROM read_csv(?, header = true, "
        "all_varchar = true) GROUP BY 1",
        [str(path)],
    ).fetchall()
    return dict(rows)


def test_landscape_straight_after_an_ingest_names_the_command_to_run(data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "gp.duckdb")
    assert cli("ingest", str(data / GP_EXPORT), "--db", db, "-q").exit_code == 0
    for args in (
        ["landscape", "--by", "country", "--year", "priority", "--country-by", "member", "--json"],
        ["owners", "--json"],
        ["report", "--out", str(tmp_path / "report"), "--no-pdf"],
    ):
        result = cli(*args, "--db", db)
        assert result.exit_code == 2, (args, result.output)
        assert f"run `patscape enrich --db {db}`" in result.output and "not built yet" in result.output
        assert '"countries"' not in result.output  # no table at all, let alone an empty one
    assert not (tmp_path / "report").exists()

    assert cli("enrich", "--db", db).exit_code == 0
    result = cli("landscape", "--db", db, "--year", "priority", "--country-by", "member", "--json")
    assert result.exit_code == 0, result.output
    countries = json.loads(result.output)["tables"]["countries"]
    by_office: dict[str, int] = {}
    for row in countries:
        by_office[row["country"]] = by_office.get(row["country"], 0) + row["families"]
    # every office of the export is there (families <= publications per office, read independently)
    expected = _gp_countries(data / GP_EXPORT)
    assert set(by_office) == set(expected)
    assert all(0 < by_office[c] <= expected[c] for c in expected)


def test_the_genai_filters_need_the_classification(data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "gp.duckdb")
    assert cli("ingest", str(data / GP_EXPORT), "--db", db, "-q").exit_code == 0
    assert cli("enrich", "--db", db).exit_code == 0
    # a source's tag needs no classification: this export has none, so it is refused as a tag the
    # database lacks (exit 1), not as a missing step (exit 2, which names `patscape classify --db`)
    source_tag = cli("landscape", "--db", db, "--tag", "cset:Machine_Learning")
    assert source_tag.exit_code == 1 and f"patscape classify --db {db}" not in source_tag.output
    for args in (["--genai"], ["--tag", "model:diffusion"], ["--by", "model"]):
        result = cli("landscape", "--db", db, *args)
        assert result.exit_code == 2, result.output
        assert f"run `patscape classify --db {db}`" in result.output
    assert cli("classify", "--db", db).exit_code == 0
    result = cli("landscape", "--db", db, "--genai", "--country-by", "office", "--json")
    assert result.exit_code == 0, result.output
    assert sum(r["families"] for r in json.loads(result.output)["tables"]["countries"]) > 0


def test_an_ingest_that_changes_the_data_makes_the_enrichment_stale(data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    with open_store(db) as store:
        assert generation(store) == 0
        ingest(store, [data / USPTO])
        assert generation(store) == 1
        assert coverage(store, ENRICH).state == "missing"
        enrich(store)
        assert coverage(store, ENRICH).state == "fresh" and coverage(store, ENRICH).covered == 1
        assert coverage(store, SEARCH_INDEX).state == "fresh"  # enrich built the missing index
        ingest(store, [data / USPTO])  # the same data again: nothing changes
        assert generation(store) == 1 and coverage(store, ENRICH).state == "fresh"
        ingest(store, [data / GP_EXPORT])
        assert generation(store) == 2
        stale = coverage(store, ENRICH)
        assert (stale.state, stale.covered, stale.generation) == ("stale", 1, 2)
    result = cli("landscape", "--db", db)
    assert result.exit_code == 2
    assert "built for ingest generation 1, older than the data at generation 2" in result.output
    assert cli("enrich", "--db", db).exit_code == 0
    assert cli("landscape", "--db", db).exit_code == 0


def test_a_store_from_before_generations_is_judged_by_its_tables(data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "old.duckdb")
    with open_store(db) as store:
        ingest(store, [data / USPTO])
        store.execute("DELETE FROM patscape_meta WHERE key = ?", (GENERATION_KEY,))
        assert coverage(store, ENRICH).state == "missing"
        enrich(store)
        store.execute("DELETE FROM patscape_meta WHERE key LIKE 'covers:%' OR key = ?", (GENERATION_KEY,))
        assert coverage(store, ENRICH).state == "fresh" and coverage(store, CLASSIFY).state == "missing"


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    db = str(tmp_path / "empty.duckdb")
    open_store(db).close()
    result = cli("landscape", "--db", db)
    assert result.exit_code == 2 and f"no publications in {db}" in result.output
    assert "patscape ingest" in result.output


def test_the_bm25_index_is_built_by_enrich_and_ingest_index(data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.duckdb")
    with open_store(db) as store:
        ingest(store, [data / USPTO])  # the library builds no index unless asked
        with pytest.raises(NeedsUpdate, match="no full-text index"):
            store.search("vacuum")
    assert cli("enrich", "--db", db).exit_code == 0
    with open_store(db, read_only=True) as store:
        assert store.search("vacuum cleaner", 5)[0]["pub_key"] == "US-6530116-B2"

    # an ingest without --index leaves it stale; `patscape search` reads its own index, which the ingest
    # command keeps current, and finds the new documents at once
    assert cli("ingest", str(data / GP_EXPORT), "--db", db, "-q").exit_code == 0
    with open_store(db, read_only=True) as store:
        assert store.search_coverage().state == "stale"
    found = cli("search", '"vacuum cleaner"', "--db", db, "--json")
    assert found.exit_code == 0
    assert "US-6530116-B2" in [hit["pub_key"] for hit in json.loads(found.output)["hits"]]
    # ingest --index builds it
    args = ["ingest", str(data / "patentsview_db_fixtures/ipgxml"), "--db", db, "-q", "--index"]
    assert cli(*args).exit_code == 0
    with open_store(db, read_only=True) as store:
        assert store.search_coverage().state == "fresh"


def test_postgresql_records_the_same_generations(pg_url: str, data: Path) -> None:
    with open_store(pg_url) as store:
        ingest(store, [data / USPTO])
        enrich(store)
        assert (generation(store), coverage(store, ENRICH).state) == (1, "fresh")
        assert store.search_coverage().state == "fresh"  # PostgreSQL keeps its index itself
        ingest(store, [data / GP_EXPORT])
        assert coverage(store, ENRICH).state == "stale"
    result = cli("owners", "--db", pg_url)
    assert result.exit_code == 2 and "patscape enrich" in result.output
