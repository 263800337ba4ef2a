"""Commercial signals: worked out by hand on the mini store, and on the CSET table against counts computed
here directly from its CSV (a family is in an office when one of its rows is published there)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from patscape.landscape.commercial import by_country, by_owner, family_signals
from tests.conftest import CSET_ZIP


def test_signals_per_family_on_the_mini_store(mini_con) -> None:  # type: ignore[no-untyped-def]
    rows = family_signals(mini_con).to_pyarrow().to_pylist()
    got = {r["family_id"]: r for r in rows}
    assert {f: r["ip5_offices"] for f, r in got.items()} == {
        "F1": 1, "F2": 2, "F3": 1, "F4": 2, "F5": 1, "F6": 2, "F7": 1, "F8": 1,
    }  # fmt: skip
    assert {f for f, r in got.items() if r["ip5"]} == {"F2", "F4", "F6"}  # WO is not an IP5 office
    assert not any(r["triadic"] for r in rows)  # F4 is in EP and US, not JP
    assert {f for f, r in got.items() if r["granted"]} == {"F1", "F2"}
    # F3 (US) cites F1 (CN), F4 (DE) cites F2 (CN, US), F7 (JP) cites F1; F2 citing F1 shares CN
    assert {f for f, r in got.items() if r["cited_abroad"]} == {"F1", "F2"}


def test_signals_per_country_and_owner_on_the_mini_store(mini_con) -> None:  # type: ignore[no-untyped-def]
    table = by_country(mini_con, basis="applicant").to_pyarrow().to_pylist()
    got = {
        r["country"]: (r["families"], r["ip5"], r["triadic"], r["granted"], r["cited_abroad"]) for r in table
    }
    assert got == {
        "CN": (4, 2, 0, 2, 2),
        "US": (2, 1, 0, 1, 1),
        "DE": (1, 1, 0, 0, 0),
        "JP": (1, 0, 0, 0, 0),
    }
    cn = next(r for r in table if r["country"] == "CN")
    assert cn["ip5_share"] == 0.5 and cn["cited_abroad_share"] == 0.5
    owners = by_owner(mini_con).to_pyarrow().to_pylist()
    assert [(r["group_name"], r["families"], r["ip5"], r["granted"], r["cited_abroad"]) for r in owners] == [
        ("Baidu", 2, 1, 0, 0),
        ("IBM", 2, 1, 1, 1),
        ("Tencent", 2, 1, 2, 2),
        ("Siemens", 1, 1, 0, 0),
        ("Sony", 1, 0, 0, 0),
    ]


_GRANT_TYPES = {"granted patent", "granted utility patent", "amended patent", "utility patent amendment"}


@pytest.fixture(scope="module")
def cset_counts(data: Path) -> dict[str, Counter[str]]:
    """Per office: families with a row there, of them in two or more IP5 offices, in EP, JP and US, and
    with a granted row (Patent_Type granted or amended, or "Other" with a B/C kind or a US grant kind)."""
    offices: dict[str, set[str]] = {}
    granted: set[str] = set()
    with zipfile.ZipFile(data / CSET_ZIP) as zf, zf.open("patent_database.csv") as raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
            family, office = row["Simple_family_ID"], row["Publication_country"]
            offices.setdefault(family, set()).add(office)
            kind, kind_type = row["Publication_type"], row["Patent_Type"].strip().lower()
            us_grant = office == "US" and kind in {"A", "E", "E1", "P2", "P3", "S", "S1"}
            if kind_type in _GRANT_TYPES or (kind_type == "other" and (kind[:1] in "BC" or us_grant)):
                granted.add(family)
    counts: dict[str, Counter[str]] = {"families": Counter(), "ip5": Counter(), "triadic": Counter()}
    counts["granted"] = Counter()
    counts["all"] = Counter()
    for family, where in offices.items():
        ip5 = len(where & {"CN", "EP", "JP", "KR", "US"}) >= 2
        triadic = {"EP", "JP", "US"} <= where
        counts["all"]["ip5"] += ip5
        counts["all"]["triadic"] += triadic
        for office in where:
            counts["families"][office] += 1
            counts["ip5"][office] += ip5
            counts["triadic"][office] += triadic
            counts["granted"][office] += family in granted
    return counts


def test_ip5_and_triadic_shares_per_office_on_the_cset_table(  # type: ignore[no-untyped-def]
    cset_con, cset_counts: dict[str, Counter[str]]
) -> None:
    table = by_country(cset_con, basis="member").to_pyarrow().to_pylist()
    got = {r["country"]: r for r in table}
    for signal in ("families", "ip5", "triadic", "granted"):
        assert {c: r[signal] for c, r in got.items()} == +cset_counts[signal] | {
            c: 0 for c in got if not cset_counts[signal][c]
        }, signal
    for country, r in got.items():  # the shares of every country, from the file's counts
        n = cset_counts["families"][country]
        assert r["ip5_share"] == round(cset_counts["ip5"][country] / n, 4), country
        assert r["triadic_share"] == round(cset_counts["triadic"][country] / n, 4), country
    cn, us = got["CN"], got["US"]
    print(f"CN: {cn['families']} families, IP5 {cn['ip5_share']:.1%}, triadic {cn['triadic_share']:.1%}")
    print(f"US: {us['families']} families, IP5 {us['ip5_share']:.1%}, triadic {us['triadic_share']:.1%}")
    assert not any(r["cited_abroad"] for r in table)  # the CSET table holds no citations


def test_the_fact_table_holds_the_same_office_signals(  # type: ignore[no-untyped-def]
    cset_con, cset_counts: dict[str, Counter[str]]
) -> None:
    facts = cset_con.table("family_facts")
    got = facts.aggregate(ip5=(facts.ip5_offices >= 2).sum(), triadic=facts.triadic.sum()).to_pyarrow()
    assert got.to_pylist() == [{"ip5": cset_counts["all"]["ip5"], "triadic": cset_counts["all"]["triadic"]}]
