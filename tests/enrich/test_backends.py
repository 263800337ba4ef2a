"""DuckDB and PostgreSQL build identical enrichment tables from the same real data."""

from __future__ import annotations

from pathlib import Path

from patscape.enrich.build import enrich
from patscape.store import open_store
from patscape.store.base import Store
from patscape.store.ingest import ingest

INPUTS = [
    "epo_ops_patent_client",
    "go_epo_bdds_docdb_testdata/epo_docdb",
    "patentsview_db_fixtures/xml/ipg120327.196.xml",
    "lens_covid_jsonl/Coronavirus-MERS-patents.jsonl",
    "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102842.csv",
    "cn_jp_st36_st96_examples",
]
TABLES = ("families", "family_members", "family_countries", "owner_groups", "family_owners")
# The unique keys of the tables (not declared in the schema, so that rewrites stay fast)
KEYS = {
    "families": "family_id",
    "family_members": "pub_key",
    "family_countries": "family_id, basis, country",
    "owner_groups": "raw_name",
    "family_owners": "family_id, group_id",
}


def _dump(store: Store) -> dict[str, list[tuple[str, ...]]]:
    out = {}
    for table in TABLES:
        rows = store.fetch(f"SELECT * FROM {table}")
        out[table] = sorted(tuple("" if v is None else str(v) for v in r.values()) for r in rows)
    return out


def test_duckdb_and_postgresql_give_identical_tables(data: Path, tmp_path: Path, pg_url: str) -> None:
    dumps = []
    for url in (str(tmp_path / "e.duckdb"), pg_url):
        with open_store(url) as store:
            ingest(store, [data / p for p in INPUTS], build_index=False)
            summary = enrich(store)
            for table, key in KEYS.items():
                dupes = store.scalar(
                    f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY {key} HAVING count(*) > 1) d"
                )
                assert dupes == 0, table
            dumps.append(_dump(store))
    duck, pg = dumps
    assert summary["families"]["families"] > 2500 and summary["owners"]["raw_names"] > 1000
    for table in TABLES:
        assert duck[table] == pg[table], table
