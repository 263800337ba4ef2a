"""The demo corpus's two large sources in one store: the CSET AI table (families with priority years up to
about 2020) and the Google Patents exports with their scraped details (mostly 2018-2025). Their mix changes
under the trend, so the report must state growth and shifts of shares only within years of the same sources
(the rule restated here from shares counted in plain SQL), and say where the sources change."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import lxml.html
import pytest

from patscape.enrich.build import enrich
from patscape.landscape import connect_store
from patscape.landscape.coverage import DEFAULT_TOLERANCE
from patscape.report.data import gather
from patscape.report.options import ReportOptions
from patscape.report.text import findings
from patscape.store import open_store
from patscape.store.ingest import ingest
from tests.conftest import cset_copy

EXPORTS = "gp_ai_patents_cpc"
YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@pytest.fixture(scope="module")
def mixed(cset_template: Path, data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = cset_copy(cset_template, tmp_path_factory.mktemp("mixed"))
    with open_store(str(path), create=False) as store:
        ingest(store, [data / EXPORTS], batch_size=5000, build_index=False)
        enrich(store)
    return path


def _changes_by_sql(path: Path) -> list[int]:
    """Years opening a new window: each source's (reader and folder) share of the year's families, normalised,
    more than the tolerance in total variation distance from the current window's first year."""
    with duckdb.connect(str(path), read_only=True) as db:
        rows = db.execute(
            "WITH fs AS (SELECT DISTINCT f.family_id, f.priority_year AS y, "
            "  p.reader || ': ' || regexp_extract(p.source_file, '([^/]+)/[^/]+$', 1) AS src "
            "  FROM families f JOIN family_members m USING (family_id) JOIN publications p USING (pub_key) "
            "  WHERE f.priority_year IS NOT NULL), "
            "tot AS (SELECT priority_year AS y, count(*) AS n FROM families "
            "  WHERE priority_year IS NOT NULL GROUP BY 1) "
            "SELECT fs.y, src, round(count(*) / any_value(tot.n), 4) FROM fs JOIN tot USING (y) GROUP BY 1, 2"
        ).fetchall()
    mixes: dict[int, dict[str, float]] = {}
    for year, src, share in rows:
        mixes.setdefault(int(year), {})[src] = float(share)
    changes, start = [], None
    for year in sorted(mixes):
        mix = {s: v / sum(mixes[year].values()) for s, v in mixes[year].items()}
        if start is not None:
            distance = sum(abs(mix.get(s, 0) - start.get(s, 0)) for s in set(mix) | set(start)) / 2
            if distance > DEFAULT_TOLERANCE:
                changes.append(year)
                start = mix
        else:
            start = mix
    return changes


def _years(html: str) -> list[int]:
    return [int(y) for y in YEAR.findall(lxml.html.fromstring(f"<p>{html}</p>").text_content())]


def test_growth_and_shares_stay_within_the_same_sources(mixed: Path) -> None:
    changes = _changes_by_sql(mixed)
    with open_store(str(mixed), create=False) as store:
        data = gather(connect_store(store), ReportOptions(), {})
    assert data.ctx.year == "priority"  # the CSET table gives priority years only
    assert [e.year for e in data.composition if e.changes] == changes
    found = {f.topic: str(f.html) for f in findings(data)}
    print({t: lxml.html.fromstring(f"<p>{h}</p>").text_content() for t, h in found.items()})
    recent = [c for c in changes if c >= 2015]
    assert recent, "the exports should change the mix in the last years of the CSET table"
    assert "Changes of sources" in found

    def same_sources(years: list[int]) -> bool:
        return not any(min(years) < c <= max(years) for c in changes)

    for topic in ("Growth", "Shift of shares", "Fastest growth", "No growth"):
        if topic in found:
            assert same_sources(_years(found[topic])), (topic, found[topic], changes)
    if data.window:
        assert same_sources(list(data.window))


def test_landscape_default_window_starts_after_the_change(mixed: Path) -> None:
    """``patscape landscape``'s growth window: five years to 2023 would start in 2018, in the CSET years."""
    from patscape.landscape.command import Request, stable_window

    changes = _changes_by_sql(mixed)
    with open_store(str(mixed), create=False) as store:
        window, found = stable_window(connect_store(store), Request(year="priority", country_by="member"))
    assert found == changes
    assert window == (2020, 2023) and 2020 in changes


def test_the_dashboard_compares_owners_within_the_same_sources(mixed: Path) -> None:
    """The dashboard's owners panel compares the same window as the report: not five years to 2023, which
    would start in the CSET years."""
    from patscape.web.pages.dashboard import DashboardFilter, panel_tables

    changes = _changes_by_sql(mixed)
    with open_store(str(mixed), create=False) as store:
        shown = panel_tables(store, DashboardFilter(year="priority", country_by="member"))
    assert 2020 in changes
    assert (
        shown["window"]
        == "Owners' growth compares 2020 with 2023 (it starts where the sources' composition changes)."
    )
    assert "owners" in shown["panels"]


def test_a_filter_on_years_moves_the_window_into_them(mixed: Path) -> None:
    """Years 2012-2019 compare years they keep: the window ends in 2019 (not 2023, outside the filter)."""
    from patscape.web.pages.dashboard import DashboardFilter, panel_tables

    form = DashboardFilter(year="priority", country_by="member", year_from=2012, year_to=2019)
    with open_store(str(mixed), create=False) as store:
        shown = panel_tables(store, form)
    found = re.match(r"Owners' growth compares (\d{4}) with (\d{4})", shown["window"])
    assert found, shown["window"]
    start, end = map(int, found.groups())
    assert end == 2019 and 2014 <= start < end


def test_within_years() -> None:
    from patscape.landscape.countries import within_years

    assert within_years((2016, 2021), None, None) == (2016, 2021)
    assert within_years((2016, 2021), 2002, 2015) == (2010, 2015)
    assert within_years((2016, 2021), 2013, 2015) == (2013, 2015)
    assert within_years((2016, 2021), 2018, None) == (2018, 2021)
    assert within_years((2016, 2021), None, 2030) == (2016, 2021)
    assert within_years((2016, 2021), 2015, 2015) is None
    assert within_years(None, None, 2015) is None
