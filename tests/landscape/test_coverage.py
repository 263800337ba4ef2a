"""Source coverage on a store built from two real Google Patents exports with different year coverage: a
2018 export (neural-network searches, priority years up to 2017) and a 2025 GenAI export. The flags are
checked against shares counted here with plain SQL over the base tables, and the sources' years against the
CSV files themselves."""

from __future__ import annotations

import csv
import re
import shutil
from collections import defaultdict
from pathlib import Path

import ibis
import pytest
from click.testing import CliRunner

from patscape.cli import main
from patscape.enrich.build import enrich
from patscape.landscape import COUNTRY_BASES, YEAR_BASES, Landscape, LandscapeFilter
from patscape.landscape.coverage import (
    DEFAULT_THRESHOLD,
    composition,
    selected_composition,
    sources,
    stable_windows,
)
from patscape.store import open_store
from patscape.store.duckdb_store import connect
from patscape.store.ingest import ingest

OLD = "koehrsen_nn_patents/gp_search_2018/gp-search-deep-learning.csv"
NEW = "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102842.csv"
YEAR = re.compile(r"\b(19|20)\d\d\b")  # 2010-12-17 (2018 layout) or 12/16/2022 (current layout)
OLD_SOURCE = "google-patents-csv: gp_search_2018"
NEW_SOURCE = "google-patents-csv: gp_search_exports"


@pytest.fixture(scope="module")
def two_sources(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("coverage") / "two.duckdb"
    with open_store(str(path)) as store:
        ingest(store, [data / OLD, data / NEW], batch_size=5000, build_index=False)
        enrich(store)
    return path


@pytest.fixture(scope="module")
def two_sources_copy(two_sources: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy for the report, which opens the store its own way (DuckDB refuses a second configuration of
    a file that ``con`` holds open)."""
    copy = tmp_path_factory.mktemp("coverage-report") / "two.duckdb"
    shutil.copy(two_sources, copy)
    return copy


@pytest.fixture(scope="module")
def con(two_sources: Path):  # type: ignore[no-untyped-def]
    raw = connect(two_sources, read_only=True)  # the store's configuration, as the command opens it
    yield ibis.duckdb.from_connection(raw)
    raw.close()


def _shares_by_sql(path: Path) -> dict[int, dict[str, float]]:
    """Per priority year, each folder's share of the year's families (a family counts for each folder
    holding one of its members)."""
    with connect(path, read_only=True) as db:
        rows = db.execute(
            "WITH fs AS (SELECT DISTINCT f.family_id, f.priority_year AS y, "
            "  CASE WHEN p.source_file LIKE '%gp_search_2018%' THEN 'old' ELSE 'new' END AS src "
            "  FROM families f JOIN family_members m USING (family_id) JOIN publications p USING (pub_key) "
            "  WHERE f.priority_year IS NOT NULL), "
            "tot AS (SELECT priority_year AS y, count(*) AS n FROM families "
            "  WHERE priority_year IS NOT NULL GROUP BY 1) "
            "SELECT fs.y, src, count(*) * 1.0 / any_value(tot.n) FROM fs JOIN tot USING (y) GROUP BY 1, 2"
        ).fetchall()
    shares: dict[int, dict[str, float]] = defaultdict(dict)
    for year, src, share in rows:
        shares[int(year)][src] = float(share)
    return shares


def _priority_years(path: Path) -> list[int]:
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    start = 1 if lines[0].startswith("search URL") else 0
    dates = [r["priority date"] for r in csv.DictReader(lines[start:]) if r["priority date"]]
    return [int(YEAR.search(d).group(0)) for d in dates]  # type: ignore[union-attr]


def _expected_changes(shares: dict[int, dict[str, float]], tolerance: float) -> dict[int, bool]:
    """The rule restated: a year opens a new window when its source mix (shares normalised to one) is more
    than ``tolerance`` in total variation distance from the mix of the current window's first year."""
    flags: dict[int, bool] = {}
    start: dict[str, float] | None = None
    for year in sorted(shares):
        mix = {s: v / sum(shares[year].values()) for s, v in shares[year].items()}
        if start is None:
            start, flags[year] = mix, False
            continue
        distance = sum(abs(mix.get(s, 0) - start.get(s, 0)) for s in {"old", "new"}) / 2
        flags[year] = distance > tolerance
        if flags[year]:
            start = mix
    return flags


def test_composition_changes_where_the_source_mix_moves(con, two_sources: Path) -> None:  # type: ignore[no-untyped-def]
    years = composition(con, "priority_year")
    shares = _shares_by_sql(two_sources)
    assert [e.year for e in years] == sorted(shares)
    for entry in years:
        listed = {"old" if s == OLD_SOURCE else "new" for s in entry.sources}
        assert listed == {s for s, v in shares[entry.year].items() if round(v, 4) >= DEFAULT_THRESHOLD}
    expected = _expected_changes({y: {s: round(v, 4) for s, v in m.items()} for y, m in shares.items()}, 0.3)
    assert {e.year: e.changes for e in years} == expected
    # no window holds both a year made (95 % or more) of the 2018 export and one made of the 2025 export
    for first, last, _ in stable_windows(years):
        inside = [shares[y] for y in shares if first <= y <= last]
        assert not (
            any(m.get("old", 0) >= 0.95 for m in inside) and any(m.get("new", 0) >= 0.95 for m in inside)
        ), (first, last)
    assert years[-1].sources == (NEW_SOURCE,) and years[0].sources == (OLD_SOURCE,)


def test_the_fact_tables_sources_give_the_composition_counted_from_the_publications(con) -> None:  # type: ignore[no-untyped-def]
    """``selected_composition`` reads ``family_fact_sources`` (integer keys); counted from the publications
    and members instead (their string keys, ``composition``), every selection gives the same years, shares
    and changes."""
    assert "family_fact_sources" in con.list_tables()
    selections = (
        LandscapeFilter(),
        LandscapeFilter(year_from=2012, year_to=2021),
        LandscapeFilter(countries=("US",)),
        LandscapeFilter(query="neural"),
    )
    mixed = 0  # years made of both sources
    for flt in selections:
        for year in YEAR_BASES:
            ctx = Landscape(con, year=year, country_by=COUNTRY_BASES[-1], filter=flt)  # type: ignore[arg-type]
            dated = ctx.dated()
            expected = composition(con, "year", families=dated.select("family_id", year=dated.year))
            assert expected, (flt, year)
            assert selected_composition(ctx) == expected, (flt, year)
            mixed += sum(len(e.shares) == 2 for e in expected)
    assert mixed


def test_each_source_covers_the_years_of_its_file(con, data: Path) -> None:  # type: ignore[no-untyped-def]
    rows = {r["source"]: r for r in sources(con, "priority_year").to_pyarrow().to_pylist()}
    assert set(rows) == {OLD_SOURCE, NEW_SOURCE}
    old_years = _priority_years(data / OLD)
    assert rows[OLD_SOURCE]["last_year"] == max(old_years)
    assert rows[OLD_SOURCE]["first_year"] == min(old_years)
    assert rows[NEW_SOURCE]["last_year"] == max(_priority_years(data / NEW))


def test_coverage_command_prints_sources_years_and_windows(two_sources: Path) -> None:
    import json

    result = CliRunner().invoke(main, ["coverage", "--db", str(two_sources), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {r["source"] for r in report["sources"]} == {OLD_SOURCE, NEW_SOURCE}
    assert all("Google Patents search" in r["selection"] for r in report["sources"])
    changes = sum(r["composition_changes"] for r in report["years"])
    assert changes >= 2 and len(report["windows"]) == changes + 1
    table = CliRunner().invoke(main, ["coverage", "--db", str(two_sources)])
    assert table.exit_code == 0 and "composition" in table.output


YEAR_TEXT = re.compile(r"\b(?:19|20)\d\d\b")


@pytest.mark.parametrize("year_to", [None, 2021])
def test_the_report_states_no_trend_across_a_change_of_sources(
    two_sources_copy: Path, year_to: int | None
) -> None:
    """The key findings of the report on the two exports: growth and shifts of shares only within years
    whose sources are the same (by the rule restated from SQL shares), and a finding naming the changes.
    Up to 2021 the five-year window (2016-2021) would cross the change of 2018."""
    from patscape.landscape import connect_store
    from patscape.report.data import gather
    from patscape.report.options import ReportOptions
    from patscape.report.text import findings

    with open_store(str(two_sources_copy), create=False) as store:
        data = gather(connect_store(store), ReportOptions(year="priority", year_to=year_to), {})
        found = {f.topic: str(f.html) for f in findings(data)}
    shares = _shares_by_sql(two_sources_copy)
    flags = _expected_changes({y: {s: round(v, 4) for s, v in m.items()} for y, m in shares.items()}, 0.3)
    changes = sorted(y for y, changed in flags.items() if changed)
    assert changes, "the two exports should make the composition change"

    def same_sources(years: list[int]) -> bool:
        return all(not any(lo < c <= hi for c in changes) for lo in years for hi in years)

    assert "Changes of sources" in found
    named = [int(y) for y in YEAR_TEXT.findall(lxml_text(found["Changes of sources"]))]
    assert named[: len(changes[-4:])] == changes[-4:]  # the latest four
    for topic in ("Growth", "Shift of shares", "Fastest growth", "No growth"):
        if topic in found:
            years = [int(y) for y in YEAR_TEXT.findall(lxml_text(found[topic]))]
            assert years and same_sources(years), (topic, years, changes)
    assert data.window is not None and same_sources(list(data.window))
    if year_to is not None:  # without the rule, the five-year window would have crossed a change
        end = data.window[1]
        assert any(end - 5 < c <= end for c in changes), (data.window, changes)


def lxml_text(html: str) -> str:
    """The words and numbers of a finding, without its markup (attributes hold no years, but be sure)."""
    import lxml.html

    return lxml.html.fromstring(f"<p>{html}</p>").text_content()


def test_the_report_shows_the_coverage_section(two_sources_copy: Path, tmp_path: Path) -> None:
    import lxml.html

    from patscape.report import write_report

    result = write_report(str(two_sources_copy), tmp_path, year="priority", pdf=False)
    page = lxml.html.fromstring(result.html.read_text(encoding="utf-8"))
    assert page.get_element_by_id("coverage") is not None
    assert page.get_element_by_id("fig-source_contributions") is not None
    flagged = page.xpath("//section[@id='coverage']//tr[td[contains(., 'composition changes here')]]/td[1]")
    shares = _shares_by_sql(two_sources_copy)
    flags = _expected_changes({y: {s: round(v, 4) for s, v in m.items()} for y, m in shares.items()}, 0.3)
    assert [int(td.text_content()) for td in flagged] == sorted(y for y, c in flags.items() if c)


def test_landscape_command_growth_starts_after_the_last_change(two_sources_copy: Path) -> None:
    """``patscape landscape`` without --window: the growth table compares years of the same sources."""
    import json

    shares = _shares_by_sql(two_sources_copy)
    flags = _expected_changes({y: {s: round(v, 4) for s, v in m.items()} for y, m in shares.items()}, 0.3)
    changes = sorted(y for y, c in flags.items() if c)
    args = ["landscape", "--db", str(two_sources_copy), "--year", "priority", "--country-by", "office"]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    growth = out["tables"]["growth"]
    start, end = growth[0]["start_year"], growth[0]["end_year"]
    assert not any(start < c <= end for c in changes), (start, end, changes)
    assert out["composition_changes"] == changes
