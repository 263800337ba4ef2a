"""Families and their figures on real data, on DuckDB and PostgreSQL; values read by hand from the files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from patscape.enrich.build import enrich
from patscape.enrich.families import build_families
from patscape.enrich.filing_keys import filing_key
from patscape.store import open_store
from patscape.store.base import Store
from patscape.store.ingest import ingest

OPS_FAMILY = "epo_ops_patent_client/family/fixtures/family_input.xml"
DOCDB_AP = "go_epo_bdds_docdb_testdata/epo_docdb/test-data/AP-1206-A_302101161.xml"
# The six members of INPADOC family 19768124 in family_input.xml, with their publication dates.
OPS_MEMBERS = {
    "EP-1000000-A1": "2000-05-17",
    "EP-1000000-B1": "2003-02-12",
    "AT-232441-T": "2003-02-15",
    "DE-69905327-D1": "2003-03-20",
    "NL-1010536-C2": "2000-05-15",
    "US-6093011-A": "2000-07-25",
}


def _family(store: Store, family_id: str) -> dict[str, Any]:
    rows = store.fetch("SELECT * FROM families WHERE family_id = ?", (family_id,))
    assert len(rows) == 1, rows
    return rows[0]


def _countries(store: Store, family_id: str) -> dict[tuple[str, str], float]:
    return {
        (r["basis"], r["country"]): round(float(r["weight"]), 6)
        for r in store.fetch("SELECT * FROM family_countries WHERE family_id = ?", (family_id,))
    }


def _tables(store: Store) -> dict[str, list[tuple[str, ...]]]:
    out = {}
    for table in ("families", "family_members", "family_countries", "owner_groups", "family_owners"):
        rows = store.fetch(f"SELECT * FROM {table}")
        out[table] = sorted(tuple(str(v) for v in r.values()) for r in rows)
    return out


def test_filing_keys_agree_across_number_formats() -> None:
    # one US application as USPTO, Lens/EPODOC and DOCDB write it
    assert filing_key("US", "13/547,826", "2012-07-12") == "US:547826:2012-07-12"
    assert filing_key("US", "201213547826", "2012-07-12") == "US:547826:2012-07-12"
    assert filing_key("US", "54782612", "2012-07-12") == "US:547826:2012-07-12"
    # a US provisional, with and without its series code (EPS writes "331477 P")
    assert filing_key("US", "60/331,477", "2001-11-16") == filing_key("US", "331477 P", "2001-11-16")
    # JPO era years, CNIPA check digits, PCT applications in the old and new forms
    assert filing_key("JP", "9-290033", "1997-10-22") == filing_key("JP", "19970290033", "1997-10-22")
    assert filing_key("CN", "201320854096.9", "2013-12-24") == filing_key("CN", "201320854096", "2013-12-24")
    assert filing_key("WO", "PCT/US98/16128", "1998-08-04") == filing_key("WO", "US9816128", "1998-08-04")
    assert filing_key("WO", "PCT/US2013/050328", "2013-07-12") == "WO:US50328:2013-07-12"
    # nothing to link without an office or a number (CSET's year-only priorities)
    assert filing_key(None, None, "2018-01-01") is None


def test_ops_inpadoc_family(db_url: str, data: Path) -> None:
    with open_store(db_url) as store:
        ingest(store, [data / OPS_FAMILY], build_index=False)
        summary = enrich(store)
        assert summary["families"]["families"] == 1
        f = _family(store, "19768124")
        assert f["family_type"] == "docdb"
        assert (f["member_count"], f["office_count"]) == (6, 5)
        assert (str(f["earliest_priority"]), f["priority_year"]) == ("1998-11-12", 1998)  # NL 1010536
        assert (str(f["earliest_publication"]), f["publication_year"]) == ("2000-05-15", 2000)  # NL C2
        assert f["first_filing_office"] == "NL"
        assert f["granted"] is True  # EP B1, NL C2, US A (a grant before 2001)
        members = {
            r["pub_key"]: (str(r["published"]), r["simple_family_id"], r["extended_family_id"])
            for r in store.fetch("SELECT * FROM family_members WHERE family_id = '19768124'")
        }
        assert members == {k: (d, "19768124", "x:AT-232441-T") for k, d in OPS_MEMBERS.items()}
        assert _countries(store, "19768124") == {
            **{("member", c): 0.2 for c in ("AT", "DE", "EP", "NL", "US")},
            ("office", "NL"): 1.0,
        }
        # idempotent: a second run rewrites the same tables
        before = _tables(store)
        enrich(store)
        assert _tables(store) == before


def test_ops_family_computed_from_priorities_when_no_id_is_stated(db_url: str, data: Path) -> None:
    """Without the DOCDB id, the six members share the priority NL 1010536 of 1998-11-12: one simple
    family."""
    with open_store(db_url) as store:
        ingest(store, [data / OPS_FAMILY], build_index=False)
        store.execute("UPDATE publications SET family_id = NULL")
        build_families(store)
        f = _family(store, "x:AT-232441-T")
        assert (f["family_type"], f["member_count"], f["office_count"]) == ("simple", 6, 5)
        assert (str(f["earliest_priority"]), f["first_filing_office"]) == ("1998-11-12", "NL")
        simple = {r["simple_family_id"] for r in store.fetch("SELECT simple_family_id FROM family_members")}
        assert simple == {"s:AT-232441-T"}


def test_docdb_family_and_country_bases(db_url: str, data: Path) -> None:
    """AP 1206 A (family 22179393): priorities US 09/083,597 (1998-05-22) and PCT/US98/16128 (1998-08-04);
    applicant BRISTOL-MYERS SQUIBB COMPANY (US); inventors ULLAR Ismat and WILEY Gary J (US)."""
    with open_store(db_url) as store:
        ingest(store, [data / DOCDB_AP], build_index=False)
        enrich(store)
        f = _family(store, "22179393")
        assert (f["family_type"], f["member_count"]) == ("docdb", 1)
        assert (str(f["earliest_priority"]), f["priority_year"]) == ("1998-05-22", 1998)
        assert (str(f["earliest_publication"]), f["first_filing_office"]) == ("2003-09-18", "US")
        assert _countries(store, "22179393") == {
            ("inventor", "US"): 1.0,
            ("applicant", "US"): 1.0,
            ("office", "US"): 1.0,
            ("member", "AP"): 1.0,
        }


def test_publication_without_priority_joins_its_application(db_url: str, data: Path) -> None:
    """NL 1010536 C2 is the first filing (application NL 1010536 of 1998-11-12) that the five others claim:
    with its own claim removed it still joins them, through its application (the DOCDB rule)."""
    with open_store(db_url) as store:
        ingest(store, [data / OPS_FAMILY], build_index=False)
        store.execute("UPDATE publications SET family_id = NULL")
        store.execute("DELETE FROM priorities WHERE pub_key = 'NL-1010536-C2'")
        build_families(store)
        rows = store.fetch("SELECT pub_key, family_id, simple_family_id FROM family_members")
        assert {(r["family_id"], r["simple_family_id"]) for r in rows} == {("x:AT-232441-T", "s:AT-232441-T")}
        assert len(rows) == 6


def test_us_design_divisions_and_continuations(db_url: str, data: Path) -> None:
    """ipg120327.196.xml: D656397 (29/402,896) and D656398 (29/402,898) are divisions of 29/392,372
    (2011-05-20) and 29/375,265 (2010-09-20); D656399 (29/402,901) divides 29/392,371 and 29/375,265.
    D656335 (29/362,092) is a continuation-in-part of 29/355,483 (2010-02-08), the application of D656333,
    itself a CIP of 29/342,089 (2009-08-18), a division of 29/336,789 (2009-05-08)."""
    with open_store(db_url) as store:
        ingest(store, [data / "patentsview_db_fixtures/xml/ipg120327.196.xml"], build_index=False)
        build_families(store)
        members = {
            r["pub_key"]: (r["family_id"], r["simple_family_id"])
            for r in store.fetch("SELECT * FROM family_members")
            if r["pub_key"]
            in {"US-D656397-S1", "US-D656398-S1", "US-D656399-S1", "US-D656333-S1", "US-D656335-S1"}
        }
        assert members == {
            "US-D656397-S1": ("x:US-D656397-S1", "s:US-D656397-S1"),
            "US-D656398-S1": ("x:US-D656397-S1", "s:US-D656397-S1"),
            "US-D656399-S1": ("x:US-D656397-S1", "s:US-D656399-S1"),
            "US-D656333-S1": ("x:US-D656333-S1", "s:US-D656333-S1"),
            "US-D656335-S1": ("x:US-D656333-S1", "s:US-D656335-S1"),
        }
        f = _family(store, "x:US-D656397-S1")
        assert (f["family_type"], f["member_count"], f["office_count"]) == ("extended", 3, 1)
        assert (str(f["earliest_priority"]), f["first_filing_office"]) == ("2010-09-20", "US")
        assert (str(f["earliest_publication"]), f["granted"]) == ("2012-03-27", True)
        f = _family(store, "x:US-D656333-S1")
        assert (f["family_type"], f["member_count"], str(f["earliest_priority"])) == (
            "extended",
            2,
            "2009-05-08",
        )


def test_lens_simple_families(db_url: str, data: Path) -> None:
    """CN 106892920 A (2017-06-27) and B (2019-12-13) share application CN 201510956338 of 2015-12-18,
    their only priority; Lens gives simpleFamilySize 2."""
    with open_store(db_url) as store:
        ingest(store, [data / "lens_covid_jsonl/Coronavirus-MERS-patents.jsonl"], build_index=False)
        build_families(store)
        (fid,) = {
            r["family_id"]
            for r in store.fetch(
                "SELECT family_id FROM family_members WHERE pub_key IN ('CN-106892920-A', 'CN-106892920-B')"
            )
        }
        f = _family(store, fid)
        assert (f["family_type"], f["member_count"]) == ("simple", 2)
        assert (str(f["earliest_priority"]), f["first_filing_office"]) == ("2015-12-18", "CN")
        assert (str(f["earliest_publication"]), f["granted"]) == ("2017-06-27", True)
        # no family holds more of the file's publications than Lens's own simple family size
        over = store.fetch(
            "SELECT fm.simple_family_id, count(*) AS n, max(p.family_size) AS lens FROM family_members fm "
            "JOIN publications p ON p.pub_key = fm.pub_key GROUP BY fm.simple_family_id "
            "HAVING count(*) > max(p.family_size)"
        )
        assert over == []


def test_cset_families_and_member_offices(cset_db: Path) -> None:
    with open_store(str(cset_db), read_only=True) as store:
        # the README's 155,770 DOCDB simple families, every one with its priority year
        assert store.scalar("SELECT count(*) FROM families") == 155_770
        assert store.scalar("SELECT count(*) FROM families WHERE priority_year IS NULL") == 0
        assert store.scalar("SELECT count(*) FROM families WHERE family_type <> 'docdb'") == 0
        # year-only priorities: the year is known, the date is not
        assert store.scalar("SELECT count(earliest_priority) FROM families") == 0
        # first row of the CSV: RU 2273877 C1, family 36459159, priority 2004, a granted patent
        f = _family(store, "36459159")
        assert (f["priority_year"], f["granted"]) == (2004, True)
        # fractional weights add up to one per family
        bad = store.scalar(
            "SELECT count(*) FROM (SELECT family_id, sum(weight) AS w FROM family_countries "
            "WHERE basis = 'member' GROUP BY family_id) t WHERE abs(w - 1) > 1e-9"
        )
        assert bad == 0
        assert store.scalar(
            "SELECT count(DISTINCT family_id) FROM family_countries WHERE basis = 'member'"
        ) == (155_770)
