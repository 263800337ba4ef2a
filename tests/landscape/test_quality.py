"""Quality per family and quantity versus quality, on the hand-made store (tests/landscape/mini.py).

Expected values are worked out by hand from the fixture's classes, citations and dates (see the comments)."""

from __future__ import annotations

import datetime as dt

import pytest

from patscape.landscape import compare, quality
from tests.landscape.conftest import records


@pytest.fixture(scope="module")
def fam(mini_con) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    from patscape.landscape import Landscape

    rows = records(quality.family_quality(Landscape(mini_con, year="priority")).to_pandas())
    return {r["family_id"]: r for r in rows}


def days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days


def test_raw_indicators(fam: dict[str, dict]) -> None:
    f1, f2, f3 = fam["F1"], fam["F2"], fam["F3"]
    assert (f1["family_size"], f1["members"], f1["claims"], f1["scope"], f1["field"]) == (1, 2, 10, 2, "G06N")
    assert (f2["family_size"], f2["members"], f2["claims"], f2["scope"], f2["field"]) == (3, 4, 20, 3, "G06N")
    assert (f3["scope"], f3["field"], fam["F4"]["field"], fam["F7"]["field"]) == (1, "G06F", "G06T", "G10L")
    # backward: F2 cites CN-203-A (its own member, left out) and CN-101-A; F3 cites four documents and one
    # paper
    assert (f1["backward"], f2["backward"], f3["backward"], f3["npl"]) == (0, 1, 4, 1)
    # grant lag: filing to grant of the granted member
    assert f1["grant_lag_days"] == days("2016-06-01", "2014-02-01")
    assert f2["grant_lag_days"] == days("2017-05-01", "2015-01-05")
    assert f3["grant_lag_days"] is None


def test_forward_citations(fam: dict[str, dict]) -> None:
    # F1 (first published 2015-03-01) is cited by F2 (2017), F3 (2017), F5 (2019) and F7 (2020-06-30: too
    # late)
    assert (fam["F1"]["forward5"], fam["F1"]["forward_all"]) == (3, 4)
    assert fam["F1"]["citation_window_complete"] is True
    # F2 (2016-01-10) is cited by F3, F4 and F6; five years have not passed by 2020-06-30
    assert (fam["F2"]["forward5"], fam["F2"]["citation_window_complete"]) == (3, False)
    assert fam["F3"]["forward5"] == 0
    assert fam["F8"]["forward5"] is None  # never published: no window


def test_originality_and_generality(fam: dict[str, dict]) -> None:
    # F3 cites US-202-B2 (G06N), CN-102-B (G06N), CN-203-A (G10L) and US-999-B1 (not stored)
    assert fam["F3"]["originality"] == pytest.approx(1 - ((2 / 3) ** 2 + (1 / 3) ** 2))
    # F2 cites CN-101-A: G06N and G06T, half each
    assert fam["F2"]["originality"] == pytest.approx(0.5)
    assert fam["F1"]["originality"] is None  # cites nothing
    # F2 is cited by US-301-A1 (G06F), EP-401-A1 (G06T), CN-601-A (G06N, H04L)
    assert fam["F2"]["generality"] == pytest.approx(1 - (1 / 9 + 1 / 9 + 1 / 36 + 1 / 36))
    # F1 is cited by US-202-B2 (G06N), US-301-A1 (G06F), CN-501-A (G06N), JP-701-A (G10L)
    assert fam["F1"]["generality"] == pytest.approx(1 - (0.5**2 + 0.25**2 + 0.25**2))


def test_cohort_scores(fam: dict[str, dict]) -> None:
    # cohort 2014 (priority year; fields too small, pooled): F1 and F2
    f1, f2 = fam["F1"], fam["F2"]
    assert (f1["cohort_field"], f1["cohort_size"]) == ("*", 2)
    assert f1["family_size_score"] == pytest.approx(1 / 3)
    assert f1["claims_score"] == pytest.approx(10 / 20)
    assert f1["generality_score"] == pytest.approx(0.625 / (26 / 36), abs=1e-6)
    assert (f1["backward_score"], f2["backward_score"]) == (0, 1)
    assert f1["grant_lag_days_score"] == 0  # the slower grant
    assert f2["grant_lag_days_score"] == pytest.approx(1 - 847 / 851, abs=1e-6)
    assert (f1["forward5_score"], f1["breakthrough"]) == (1, True)
    assert f1["index4"] == pytest.approx((1 + 1 / 3 + 0.5 + 0.625 / (26 / 36)) / 4, abs=1e-6)
    assert f1["index6"] == pytest.approx((1 + 1 / 3 + 0.5 + 0.625 / (26 / 36) + 0 + 0) / 6, abs=1e-6)
    # F3 and F4 (2016): claims 12 and 30, no grant, no forward citation
    assert fam["F3"]["claims_score"] == pytest.approx(12 / 30)
    assert fam["F3"]["grant_lag_days_score"] is None
    assert fam["F3"]["breakthrough"] is False
    assert fam["F3"]["index4"] == pytest.approx((0 + 1 / 2 + 12 / 30) / 3)  # generality unknown: left out


def test_trimming_uses_nearest_rank(mini_con) -> None:  # type: ignore[no-untyped-def]
    # with 200 values 1..200 the 99th percentile (nearest rank) is the 198th value: 199 and 200 are clipped
    import ibis

    values = ibis.memtable(
        {"cohort_year": [2000] * 200, "cohort_field": ["*"] * 200, "v": list(range(1, 201))}
    )
    scored = mini_con.execute(quality._scores(values, ("v",)).order_by("v"))
    assert list(scored["v_score"].round(6))[-3:] == [1.0, 1.0, 1.0]
    assert scored["v_score"].iloc[196] == pytest.approx(197 / 198)
    assert scored["v_score"].iloc[0] == pytest.approx(2 / 198)  # 1st percentile: the 2nd value


def test_quantity_versus_quality_by_country(mini) -> None:  # type: ignore[no-untyped-def]
    ctx = mini(year="priority", country_by="applicant")
    rows = {r["country"]: r for r in records(compare.by_country(ctx).to_pandas())}
    q = {r["family_id"]: r for r in records(quality.family_quality(ctx).to_pandas())}
    # applicant countries: CN has F1, F2, F5, F6
    cn = rows["CN"]
    assert cn["families"] == 4
    assert cn["mean_index"] == pytest.approx(sum(q[f]["index6"] for f in ("F1", "F2", "F5", "F6")) / 4)
    assert cn["mean_forward5"] == pytest.approx((3 + 3 + 0 + 0) / 4)
    assert cn["grant_rate"] == pytest.approx(0.5)
    overall = sum(q[f]["index6"] for f in ("F1", "F2", "F3", "F4", "F5", "F6", "F7")) / 7
    assert cn["relative_quality"] == pytest.approx(cn["mean_index"] / overall)


def test_quantity_versus_quality_by_owner(mini) -> None:  # type: ignore[no-untyped-def]
    ctx = mini(year="priority", fractional=True)
    rows = records(compare.by_owner(ctx, n=3).to_pandas())
    q = {r["family_id"]: r for r in records(quality.family_quality(ctx).to_pandas())}
    assert [r["group_name"] for r in rows] == ["Baidu", "IBM", "Tencent"]
    tencent = rows[2]
    assert tencent["families"] == 1.5
    # weighted by the owner's share of each family: F1 whole, F2 half
    expected = (q["F1"]["index6"] * 1 + q["F2"]["index6"] * 0.5) / 1.5
    assert tencent["mean_index"] == pytest.approx(expected)
