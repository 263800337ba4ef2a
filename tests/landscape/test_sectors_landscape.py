"""Families by applicant sector and co-applications, on hand-built families worked out by hand."""

from __future__ import annotations

import duckdb
import ibis
import pytest

from patscape.landscape.sectors import by_sector, co_applications, group_sectors
from patscape.store.duckdb_store import DuckDBStore

GROUPS = {  # group id -> raw names
    "g-thu": ["清华大学", "Tsinghua University", "UNIV TSINGHUA"],
    "g-tencent": ["腾讯科技（深圳）有限公司", "Tencent America LLC"],
    "g-ibm": ["International Business Machines Corporation"],
    "g-cas": ["中国科学院自动化研究所"],
    "g-wang": ["王涛"],
    "g-baidu": ["北京百度网讯科技有限公司"],
    "g-odd": ["Xerox"],  # the rules cannot tell: no sector
}
FAMILIES = [  # family, priority year, applicant country, owner groups
    ("F1", 2020, "CN", ["g-thu", "g-tencent"]),
    ("F2", 2020, "CN", ["g-thu"]),
    ("F3", 2020, "CN", ["g-tencent"]),
    ("F4", 2020, "US", ["g-ibm"]),
    ("F5", 2021, "CN", ["g-cas", "g-wang"]),
    ("F6", 2021, "CN", ["g-cas", "g-baidu"]),
    ("F7", 2021, "US", ["g-odd"]),
]


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("sectors") / "sectors.duckdb"
    store = DuckDBStore(path)
    store.create_schema()
    for group, names in GROUPS.items():
        for name in names:
            store.con.execute(
                "INSERT INTO owner_groups (raw_name, group_id, group_name) VALUES (?, ?, ?)",
                [name, group, group],
            )
    for family, year, country, owners in FAMILIES:
        store.con.execute(
            "INSERT INTO families (family_id, family_type, priority_year) VALUES (?, 'docdb', ?)",
            [family, year],
        )
        store.con.execute("INSERT INTO family_countries VALUES (?, 'applicant', ?, 1.0)", [family, country])
        for group in owners:
            store.con.execute(
                "INSERT INTO family_owners (family_id, group_id, weight) VALUES (?, ?, ?)",
                [family, group, 1 / len(owners)],
            )
    store.close()
    raw = duckdb.connect(str(path), read_only=True)
    yield ibis.duckdb.from_connection(raw)
    raw.close()


def test_group_sectors_across_scripts_and_spellings(con) -> None:  # type: ignore[no-untyped-def]
    assert group_sectors(con) == {
        "g-thu": "university",
        "g-tencent": "company",
        "g-ibm": "company",
        "g-cas": "institute",
        "g-wang": "individual",
        "g-baidu": "company",
    }


def test_families_by_sector_per_country_and_year(con) -> None:  # type: ignore[no-untyped-def]
    rows = by_sector(con).to_pyarrow().to_pylist()
    assert {(r["year"], r["country"], r["sector"]): (r["families"], r["share"]) for r in rows} == {
        (2020, "CN", "company"): (2, 0.6667),
        (2020, "CN", "university"): (2, 0.6667),
        (2020, "US", "company"): (1, 1.0),
        (2021, "CN", "company"): (1, 0.5),
        (2021, "CN", "individual"): (1, 0.5),
        (2021, "CN", "institute"): (2, 1.0),
    }


def test_co_applications_per_country_and_year(con) -> None:  # type: ignore[no-untyped-def]
    rows = co_applications(con).to_pyarrow().to_pylist()
    assert [
        (r["year"], r["country"], r["families"], r["academic"], r["co_applications"], r["co_share"])
        for r in rows
    ] == [
        (2020, "CN", 3, 2, 1, 0.5),
        (2020, "US", 1, 0, 0, None),
        (2021, "CN", 2, 2, 1, 0.5),
    ]
