"""China's (and the US's) share of AI patent families by earliest priority year, on the CSET table.

The reference figures are computed here directly from the CSV with the csv module (a family "has" an
office when any of its rows is published there; its year is the smallest Priority_Year of its rows), and
the enrichment tables must give exactly the same counts. reference/genai-landscape.md rounds them:
2008 ≈ 23 %, 2011 ≈ 44 %, 2014 ≈ 49 %, 2017 ≈ 58 %, 2018 ≈ 68 %.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from patscape.enrich.build import enrich
from patscape.store import open_store
from tests.conftest import CSET_ZIP


@pytest.fixture(scope="module")
def from_csv(data: Path) -> dict[str, Counter[int]]:
    year: dict[str, int] = {}
    offices: dict[str, set[str]] = {}
    with zipfile.ZipFile(data / CSET_ZIP) as zf, zf.open("patent_database.csv") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
            family = row["Simple_family_ID"]
            y = int(row["Priority_Year"])
            year[family] = min(y, year.get(family, y))
            offices.setdefault(family, set()).add(row["Publication_country"])
    return {
        "all": Counter(year.values()),
        "CN": Counter(year[f] for f, o in offices.items() if "CN" in o),
        "US": Counter(year[f] for f, o in offices.items() if "US" in o),
    }


def _from_tables(cset_db: Path, country: str | None) -> Counter[int]:
    with open_store(str(cset_db), read_only=True) as store:
        if country is None:
            rows = store.fetch("SELECT priority_year AS y, count(*) AS n FROM families GROUP BY 1")
        else:
            rows = store.fetch(
                "SELECT f.priority_year AS y, count(DISTINCT f.family_id) AS n FROM families f "
                "JOIN family_countries c ON c.family_id = f.family_id "
                "WHERE c.basis = 'member' AND c.country = ? GROUP BY 1",
                (country,),
            )
    return Counter({int(r["y"]): int(r["n"]) for r in rows})


def test_family_counts_per_priority_year_match_the_csv(
    cset_db: Path, from_csv: dict[str, Counter[int]]
) -> None:
    assert _from_tables(cset_db, None) == from_csv["all"]
    assert sum(from_csv["all"].values()) == 155_770


@pytest.mark.parametrize("country", ["CN", "US"])
def test_member_office_series_match_the_csv(
    cset_db: Path, from_csv: dict[str, Counter[int]], country: str
) -> None:
    assert _from_tables(cset_db, country) == from_csv[country]


def test_cn_share_reference_points(cset_db: Path) -> None:
    total, cn = _from_tables(cset_db, None), _from_tables(cset_db, "CN")
    share = {y: round(100 * cn[y] / total[y]) for y in (2008, 2011, 2014, 2017, 2018, 2019)}
    assert share == {2008: 23, 2011: 44, 2014: 49, 2017: 58, 2018: 68, 2019: 94}


def test_enrich_reruns_unchanged(cset_db: Path, tmp_path: Path) -> None:
    """The whole enrichment of 287,440 stored publications, again: same tables (its speed is measured in
    bench/, not asserted here)."""
    with open_store(str(cset_db)) as store:
        before = {
            t: store.scalar(f"SELECT count(*) FROM {t}")
            for t in ("families", "family_members", "family_countries")
        }
        fingerprint = store.fetch(
            "SELECT priority_year, count(*) AS n, sum(member_count) AS m, sum(office_count) AS o, "
            "sum(CASE WHEN granted THEN 1 ELSE 0 END) AS g FROM families GROUP BY 1 ORDER BY 1"
        )
        enrich(store)
        after = {t: store.scalar(f"SELECT count(*) FROM {t}") for t in before}
        assert after == before
        assert (
            store.fetch(
                "SELECT priority_year, count(*) AS n, sum(member_count) AS m, sum(office_count) AS o, "
                "sum(CASE WHEN granted THEN 1 ELSE 0 END) AS g FROM families GROUP BY 1 ORDER BY 1"
            )
            == fingerprint
        )
