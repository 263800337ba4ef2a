"""Families per year by country, shares, China versus the rest of the world, growth: on the hand-made store
(tests/landscape/mini.py), every expected figure worked out by hand from its tables."""

from __future__ import annotations

import datetime as dt

import pytest

from patscape.landscape import LandscapeFilter, countries
from tests.landscape.conftest import records


def table(expr) -> list[dict]:  # type: ignore[no-untyped-def]
    return records(expr.to_pandas())


def cell(rows: list[dict], **match: object) -> dict:
    found = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_priority_member_full(mini) -> None:  # type: ignore[no-untyped-def]
    rows = table(countries.by_country_year(mini(year="priority", country_by="member")))
    # 2014: F1 (CN) and F2 (US, CN, WO)
    assert cell(rows, year=2014, country="CN") == {
        "year": 2014,
        "country": "CN",
        "families": 2,
        "share": 1,
        "total": 2,
        "attributed": 2,
        "incomplete": False,
        "sole": 1,  # F1 is Chinese alone
    }
    assert cell(rows, year=2014, country="US")["share"] == 0.5
    # 2016: F3 (US), F4 (EP, US)
    assert cell(rows, year=2016, country="US")["families"] == 2
    assert cell(rows, year=2016, country="EP")["share"] == 0.5
    # 2019: F6 (CN, US), F7 (JP): the last two years before the latest date (2020-06-30) are incomplete
    assert [(r["country"], r["families"], r["incomplete"]) for r in rows if r["year"] == 2019] == [
        ("CN", 1, True),
        ("JP", 1, True),
        ("US", 1, True),
    ]
    # F8 has no year: never counted; rows are sorted by year, then country
    assert "KR" not in {r["country"] for r in rows}
    assert [(r["year"], r["country"]) for r in rows] == sorted((r["year"], r["country"]) for r in rows)


def test_fractional_shares_sum_to_one(mini) -> None:  # type: ignore[no-untyped-def]
    rows = table(countries.by_country_year(mini(year="priority", country_by="member", fractional=True)))
    assert cell(rows, year=2014, country="CN")["families"] == pytest.approx(1 + 1 / 3)
    assert cell(rows, year=2014, country="WO")["families"] == pytest.approx(1 / 3)
    for year in (2014, 2016, 2018, 2019):
        assert sum(r["share"] for r in rows if r["year"] == year) == pytest.approx(1.0)


def test_publication_year_by_inventor(mini) -> None:  # type: ignore[no-untyped-def]
    rows = table(countries.by_country_year(mini(year="publication", country_by="inventor")))
    # F2 first published 2016-01-10, inventors US and CN
    assert {(r["country"], r["families"]) for r in rows if r["year"] == 2016} == {("CN", 1), ("US", 1)}
    # F4 (inventor DE) published 2018; only 2020 (data end 2020-06-30) is a partial, incomplete year
    assert cell(rows, year=2018, country="DE")["incomplete"] is False
    assert {r["incomplete"] for r in rows if r["year"] == 2020} == {True}
    assert {r["incomplete"] for r in rows if r["year"] < 2020} == {False}


def test_office_basis(mini) -> None:  # type: ignore[no-untyped-def]
    rows = table(countries.by_country_year(mini(year="priority", country_by="office")))
    assert cell(rows, year=2016, country="DE")["families"] == 1  # F4 first filed in Germany
    assert cell(rows, year=2014, country="US")["share"] == 0.5  # F2 first filed in the US


def test_completeness_rule(mini) -> None:  # type: ignore[no-untyped-def]
    prio = mini(year="priority").completeness
    assert prio.reference == dt.date(2020, 6, 30)
    assert (prio.first_incomplete, prio.last_complete) == (2019, 2018)
    assert mini(year="publication").completeness.first_incomplete == 2020
    # data to the end of the year: no partial publication year
    assert mini(year="publication", as_of=dt.date(2020, 12, 31)).completeness.last_complete == 2020
    assert mini(year="priority", lag_years=3).completeness.first_incomplete == 2018


def test_china_vs_world(mini) -> None:  # type: ignore[no-untyped-def]
    rows = table(countries.china_vs_world(mini(year="priority", country_by="member")))
    assert rows == [
        {
            "year": 2014,
            "china": 2,
            "rest_of_world": 1,
            "attributed": 2,
            "china_share": 1,
            "incomplete": False,
        },
        {
            "year": 2016,
            "china": 0,
            "rest_of_world": 2,
            "attributed": 2,
            "china_share": 0,
            "incomplete": False,
        },
        {
            "year": 2018,
            "china": 1,
            "rest_of_world": 0,
            "attributed": 1,
            "china_share": 1,
            "incomplete": False,
        },
        {
            "year": 2019,
            "china": 1,
            "rest_of_world": 2,
            "attributed": 2,
            "china_share": 0.5,
            "incomplete": True,
        },
    ]
    frac = table(countries.china_vs_world(mini(year="priority", country_by="member", fractional=True)))
    assert frac[0]["china"] == pytest.approx(1 + 1 / 3)
    assert frac[0]["rest_of_world"] == pytest.approx(2 / 3)


def test_growth(mini) -> None:  # type: ignore[no-untyped-def]
    rows = table(countries.growth(mini(year="priority", country_by="member"), 2014, 2016))
    us = cell(rows, country="US")
    assert (us["start_families"], us["end_families"]) == (1, 2)
    assert us["cagr"] == pytest.approx(2 ** (1 / 2) - 1)
    assert us["share_change"] == pytest.approx(0.5)
    assert cell(rows, country="CN")["cagr"] == -1  # 2 families in 2014, none in 2016
    assert cell(rows, country="EP")["cagr"] is None  # growth from nothing has no rate
    # most families at the end first, then by country
    assert [r["country"] for r in rows] == ["US", "EP", "CN", "WO"]


def test_default_growth_window(mini) -> None:  # type: ignore[no-untyped-def]
    # five years to the last complete priority year
    assert countries.default_window(mini(year="priority")) == (2013, 2018)


@pytest.mark.parametrize(
    ("flt", "families"),
    [
        (LandscapeFilter(), {"F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8"}),
        (LandscapeFilter(genai=True), {"F1", "F2", "F5", "F6"}),
        (LandscapeFilter(genai=True, genai_method="other"), set()),
        (LandscapeFilter(tags=("model:GAN",)), {"F1", "F2"}),
        (LandscapeFilter(tags=("application:business",)), {"F3", "F5"}),
        (LandscapeFilter(tags=("model:GAN", "mode:speech/voice/music")), {"F2"}),
        (LandscapeFilter(year_from=2016, year_to=2018), {"F3", "F4", "F5"}),
        (LandscapeFilter(date_from="2014-03-01", date_to="2016-03-01"), {"F2", "F4"}),
        (LandscapeFilter(owner="tencent"), {"F1", "F2"}),
        (LandscapeFilter(owner="g-baidu"), {"F5", "F6"}),
        (LandscapeFilter(query="adversarial NETWORK*"), {"F1", "F2"}),  # networks, network
        (LandscapeFilter(query="adversarial NETWORK"), {"F2"}),  # words, not substrings
        (LandscapeFilter(query="image", genai=True, year_to=2016), {"F1"}),
    ],
)
def test_filters(mini, flt: LandscapeFilter, families: set[str]) -> None:  # type: ignore[no-untyped-def]
    ctx = mini(year="priority", filter=flt)
    assert set(ctx.selected_ids().to_pandas()["family_id"]) == families


def test_filtered_counts(mini) -> None:  # type: ignore[no-untyped-def]
    ctx = mini(year="priority", country_by="member", filter=LandscapeFilter(genai=True))
    rows = table(countries.by_country_year(ctx))
    assert [(r["year"], r["country"], r["families"]) for r in rows] == [
        (2014, "CN", 2),
        (2014, "US", 1),
        (2014, "WO", 1),
        (2018, "CN", 1),
        (2019, "CN", 1),
        (2019, "US", 1),
    ]


def test_with_options_keeps_the_backend(mini) -> None:  # type: ignore[no-untyped-def]
    ctx = mini(year="priority")
    assert ctx.completeness.first_incomplete == 2019
    other = ctx.with_options(year="publication")
    assert other.con is ctx.con and other.completeness.first_incomplete == 2020
    assert ctx.with_options(fractional=True).completeness is ctx.completeness
