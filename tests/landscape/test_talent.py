"""Talent: distinct inventors on hand-built families with known answers, and on real documents whose
inventors were counted by hand from the XML (ipg050104.small.xml: US 6,837,086 names four Japanese
inventors, US 6,837,124 six Taiwanese ones, three of them named Wu)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import pytest

from patscape.enrich.build import enrich
from patscape.landscape.talent import (
    inventor_rows,
    inventors_by_country_year,
    inventors_per_family,
    person_key,
    top_teams,
)
from patscape.store import open_store
from patscape.store.duckdb_store import DuckDBStore
from patscape.store.ingest import ingest

# family, pub_key, year, first-filing office, owner, inventors as (name, given, family, country)
HAND = [
    ("F1", "CN-1-A", 2020, "CN", "g-a", [("王涛", None, None, "CN"), ("李明", None, None, "CN")]),
    ("F1", "CN-2-B", 2020, "CN", "g-a", [("王 涛", None, None, "CN"), ("李明", None, None, None)]),
    ("F2", "US-3-A1", 2020, "US", "g-b", [("LIU, Bingchen", None, None, "US"), ("Kin Chung WONG", None, None,
                                                                                None)]),
    ("F3", "US-4-B2", 2020, "US", "g-b", [(None, "Bingchen", "Liu", None)]),
    ("F4", "US-5-A1", 2021, "US", "g-b", [("Ming Li", None, None, "CN"), ("Bingchen Liu", None, None, "US")]),
    ("F5", "US-6-A1", 2021, "US", "g-b", [("Ming LI", None, None, "CN"), ("LIU BINGCHEN", None, None, "US")]),
]  # fmt: skip


@pytest.fixture(scope="module")
def hand_con(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("talent") / "hand.duckdb"
    store = DuckDBStore(path)
    store.create_schema()
    con = store.con
    families = {}
    for family, pub_key, year, office, owner, inventors in HAND:
        country = pub_key.split("-")[0]
        con.execute(
            "INSERT INTO publications (pub_key, country, number, content_hash) VALUES (?, ?, ?, ?)",
            [pub_key, country, pub_key.split("-")[1], pub_key],
        )
        con.execute("INSERT INTO family_members (family_id, pub_key) VALUES (?, ?)", [family, pub_key])
        for pos, (name, given, last, where) in enumerate(inventors):
            con.execute(
                "INSERT INTO parties (pub_key, role, pos, name, given_name, family_name, country) "
                "VALUES (?, 'inventor', ?, ?, ?, ?, ?)",
                [pub_key, pos, name, given, last, where],
            )
        families[family] = (year, office, owner)
    for family, (year, office, owner) in families.items():
        con.execute(
            "INSERT INTO families (family_id, family_type, priority_year, first_filing_office) "
            "VALUES (?, 'docdb', ?, ?)",
            [family, year, office],
        )
        con.execute(
            "INSERT INTO family_owners (family_id, group_id, group_name, weight) VALUES (?, ?, ?, 1)",
            [family, owner, owner.upper()],
        )
    store.close()
    raw = duckdb.connect(str(path), read_only=True)
    yield ibis.duckdb.from_connection(raw)
    raw.close()


def test_person_keys_ignore_order_case_punctuation_and_spaces_in_cjk_names() -> None:
    assert person_key("LIU, Bingchen") == person_key("Bingchen Liu") == person_key(None, "Bingchen", "LIU")
    assert person_key("王 涛") == person_key("王涛") == "王涛"
    assert person_key("José Núñez") == person_key("NUNEZ, Jose")
    assert person_key(None) == ""


def test_distinct_inventors_on_hand_built_families(hand_con) -> None:  # type: ignore[no-untyped-def]
    rows = inventor_rows(hand_con)
    assert inventors_per_family(rows) == {"F1": 2, "F2": 2, "F3": 1, "F4": 2, "F5": 2}
    got = {(r["year"], r["country"]): r for r in inventors_by_country_year(rows)}
    # 2020: 王涛 and 李明 in CN (F1's two members name them once); Liu (US, given on F2, so F3's
    # countryless Liu is US too) and Wong (no country: F2's first-filing office, US)
    assert {k: (r["inventors"], r["families"]) for k, r in got.items()} == {
        (2020, "CN"): (2, 1),
        (2020, "US"): (2, 2),
        (2021, "CN"): (1, 2),
        (2021, "US"): (1, 2),
    }
    assert got[(2020, "US")]["placed_by_office"] == 1
    assert got[(2020, "US")]["per_family"] == 1.5  # F2 has two inventors, F3 one


def test_top_teams_per_owner(hand_con) -> None:  # type: ignore[no-untyped-def]
    teams = top_teams(hand_con, inventor_rows(hand_con), top=1)
    assert [(t["group_id"], t["team"], t["families"]) for t in teams] == [
        ("g-b", "bingchen liu; li ming", 2),
        ("g-a", "李明; 王涛", 1),
    ]


def test_inventors_counted_by_hand_on_real_grants(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "ipg.duckdb"
    with open_store(str(path)) as store:
        ingest(store, [data / "patentsview_db_fixtures/ipgxml/ipg050104.small.xml"], build_index=False)
        enrich(store)
        family = {
            r["pub_key"]: r["family_id"]
            for r in store.fetch(
                "SELECT pub_key, family_id FROM family_members "
                "WHERE pub_key IN ('US-6837086-B2', 'US-6837124-B2')"
            )
        }
    raw = duckdb.connect(str(path), read_only=True)
    try:
        rows = inventor_rows(ibis.duckdb.from_connection(raw))
    finally:
        raw.close()
    counts = inventors_per_family(rows)
    assert counts[family["US-6837086-B2"]] == 4  # Manabe, Kofune, Yoneda, Fujikawa (JP)
    assert counts[family["US-6837124-B2"]] == 6  # Tsai, Lin, Hu, and Cason, Andy and Joseph Wu (TW)
    places = {r.country for r in rows if r.family_id == family["US-6837124-B2"]}
    assert places == {"TW"}


# Counted by hand from the XML: EP 1 000 000 A1 and B1 (one family, EPO OPS full-cycle answer) both name one
# inventor, KOSMAN Wilhelmus Jacobus Maria [NL], each in two formats; CN 113781974 A names three (金驲柱,
# 田武经, 李安洙, no country, first filed in KR); JP 2021-044377 A names ten, all at the applicant's Tokyo
# address.
REAL = [
    "epo_ops_patent_client/published/test/expected/ep1000000_full_cycle_result.xml",
    "cn_jp_st36_st96_examples/examples/cn_new1.xml",
    "cn_jp_st36_st96_examples/examples/jp_example1.xml",
]


def test_inventors_counted_by_hand_across_a_family_and_in_cjk_documents(data: Path, tmp_path: Path) -> None:
    path = tmp_path / "real.duckdb"
    with open_store(str(path)) as store:
        ingest(store, [data / p for p in REAL], build_index=False)
        enrich(store)
        family = {
            r["pub_key"]: r["family_id"] for r in store.fetch("SELECT pub_key, family_id FROM family_members")
        }
    raw = duckdb.connect(str(path), read_only=True)
    try:
        rows = inventor_rows(ibis.duckdb.from_connection(raw))
    finally:
        raw.close()
    ep = family["EP-1000000-A1"]
    assert family["EP-1000000-B1"] == ep  # one family, two documents
    counts = inventors_per_family(rows)
    assert counts[ep] == 1  # the same person in both documents and both name formats
    assert counts[family["CN-113781974-A"]] == 3
    assert counts[family["JP-2021044377-A"]] == 10
    by_country = {}
    for r in inventors_by_country_year(rows):
        by_country[r["country"]] = by_country.get(r["country"], 0) + r["inventors"]
    assert by_country == {"NL": 1, "KR": 3, "JP": 10}  # CN's inventors placed by the first-filing office
