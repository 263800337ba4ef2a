"""The dashboard: the landscape report's charts, interactive. The page holds the filter form and one panel
per chart; ``static/dashboard.js`` sends the form to /dashboard/data on every change and redraws every
panel (Vega-Lite) and its table without reloading the page. Each table downloads as CSV.

The numbers are the landscape library's (``landscape.Panels``, the same expressions as the report's
sections); this module only reads the filter from the query string and shapes the tables as JSON.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from weakref import WeakKeyDictionary

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import JSONResponse, Response

from patscape.landscape import Landscape, LandscapeFilter, Panels
from patscape.landscape.backends import connect_store
from patscape.landscape.basis import AUTO, with_bases
from patscape.landscape.command import Request as LandscapeRequest
from patscape.landscape.command import counting_statement, stable_window
from patscape.landscape.output import records
from patscape.landscape.sections import rounded
from patscape.safe_output import spreadsheet_frame
from patscape.search import SearchSyntaxError, parse
from patscape.store import Store
from patscape.web.pages.render import PAGE_HEADERS, PageRoute, render
from patscape.web.pages.session import PageCaller
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)

# the panels shown, in the order of the page, with their titles
PANELS = {
    "countries": "Families per year by country (the 8 leading; all in the table)",
    "country_totals": "Shares of countries (the 8 leading; all in the table)",
    "china_vs_world": "China and the rest of the world",
    "owners": "Top owners",
    "model_mode": "Models × modes",
    "applications": "Applications",
    "country_quality": "Quantity and quality by country",
}
TOP = 15
# filters whose panels are kept per set of panels (each pooled connection has its own): going back to one
# is instant
REMEMBERED = 32
YEARS = (AUTO, "publication", "priority")
BASES = (AUTO, "inventor", "applicant", "office", "member")
YearBasis = Literal["auto", "publication", "priority"]
CountryBasis = Literal["auto", "inventor", "applicant", "office", "member"]
Text = Annotated[str, Query(max_length=500, pattern=r"^[^\x00]*$")]
Year = Annotated[int | None, Query(ge=1800, le=2200)]


@dataclass(frozen=True)
class DashboardFilter:
    """The dashboard's form, as the query string carries it."""

    year: YearBasis = AUTO
    country_by: CountryBasis = AUTO
    year_from: int | None = None
    year_to: int | None = None
    countries: str = ""
    owner: str = ""
    genai: bool = False
    tags: str = ""
    q: str = ""

    def landscape_filter(self) -> LandscapeFilter:
        return LandscapeFilter(
            genai=self.genai,
            tags=tuple(t.strip() for t in self.tags.split(",") if t.strip()),
            year_from=self.year_from,
            year_to=self.year_to,
            owner=self.owner.strip() or None,
            query=self.q.strip() or None,
            countries=tuple(c.strip().upper() for c in self.countries.split(",") if c.strip()),
        )


def dashboard_filter(
    year: YearBasis = AUTO,
    country_by: CountryBasis = AUTO,
    year_from: Year = None,
    year_to: Year = None,
    countries: Text = "",
    owner: Text = "",
    genai: bool = False,
    tags: Text = "",
    q: Annotated[str, Query(max_length=2000, pattern=r"^[^\x00]*$")] = "",
) -> DashboardFilter:
    return DashboardFilter(year, country_by, year_from, year_to, countries, owner, genai, tags, q)


FilterDep = Annotated[DashboardFilter, Depends(dashboard_filter)]


@dataclass(frozen=True)
class _Made:
    panels: Panels
    window_changes: list[int]  # years where the sources' composition changes (the window starts after)


@dataclass
class _State:
    """A pooled store's: the state of the data (``patscape_meta``) the rest was made for, its Ibis
    connection, the bases the rule chooses for all families, and the panels by counting options."""

    data: str
    con: Any
    by_options: dict[tuple[Any, ...], _Made]
    auto: tuple[str, str] | None = None


# per pooled store (one connection each, used by one request at a time)
_MADE: WeakKeyDictionary[Store, _State] = WeakKeyDictionary()


def _bases(state: _State, form: DashboardFilter) -> tuple[str, str]:
    """The form's year and country basis, ``auto`` chosen by the rule of the report and ``patscape
    landscape`` (``landscape.basis``) over all the families: once per state of the data, so that a basis
    does not move under the user's filter changes."""
    if AUTO in (form.year, form.country_by) and state.auto is None:
        chosen, _ = with_bases(Landscape(state.con))
        state.auto = (chosen.year, chosen.country_by)
    year = state.auto[0] if form.year == AUTO and state.auto else form.year
    country_by = state.auto[1] if form.country_by == AUTO and state.auto else form.country_by
    return year, country_by


def _panels(store: Store, form: DashboardFilter) -> _Made:
    """The panels for the form's counting options, kept with the store until the data change (a command
    writing them records it in ``patscape_meta``): the catalog, the data's reference date, the compiled
    SQL and the map of documents to families are read or made once, not on every filter change.

    The owners' growth window is the report's: five years to the last complete year within the filter's
    years, started after the last change of the sources' composition (of the families in those years; not
    re-derived for the filter's other conditions: a filter changing the composition again is rare, and the
    window would move under the user's clicks). One set of panels per counting options and window."""
    data = repr(store.fetch("SELECT key, value FROM patscape_meta ORDER BY key"))
    state = _MADE.get(store)
    if state is None or state.data != data:
        state = _MADE[store] = _State(data, connect_store(store), {})
    con, by_options = state.con, state.by_options
    year, country_by = _bases(state, form)
    years = (year, country_by, form.year_from, form.year_to)
    if years not in by_options:
        only_years = LandscapeFilter(year_from=form.year_from, year_to=form.year_to)
        asked = LandscapeRequest(year=year, country_by=country_by, filter=only_years)
        window, changes = stable_window(con, asked)
        same = (year, country_by, window)  # panels compiled for these are shared
        made_for = (
            m.panels
            for m in by_options.values()
            if (m.panels.year, m.panels.country_by, m.panels.window) == same
        )
        panels = next(made_for, None) or Panels(
            con,
            year=year,
            country_by=country_by,
            top=TOP,
            window=window,
            panels=tuple(PANELS),
            remember=REMEMBERED,
        )
        by_options[years] = _Made(panels, changes)
    return by_options[years]


def _window_statement(made: _Made) -> str:
    if made.panels.window is None:
        return ""
    start, end = made.panels.window
    why = " (it starts where the sources' composition changes)" if start in made.window_changes else ""
    return f"Owners' growth compares {start} with {end}{why}."


def panel_tables(store: Store, form: DashboardFilter) -> dict[str, Any]:
    """Every panel's table for the form's filter, with what the counting means, which years are
    incomplete and why a panel without rows has none (the library says)."""
    made = _panels(store, form)
    panels = made.panels
    flt = form.landscape_filter()
    tables = panels.compute(flt)
    ctx = panels.context(flt)
    out = {}
    for name in PANELS:
        if name in tables:
            frame = rounded(tables[name].to_pandas())
            out[name] = {"columns": list(frame.columns), "rows": records(frame)}
    return {
        "filter": ctx.filter.describe(),
        "counting": counting_statement(ctx)
        + ("; bases chosen by the data" if AUTO in (form.year, form.country_by) else ""),
        "completeness": ctx.completeness.describe(),
        "first_incomplete": ctx.completeness.first_incomplete,
        "window": _window_statement(made),
        "skipped": dict(panels.skipped),
        "empty": {name: why for name, why in panels.empty.items() if name in PANELS},
        "panels": out,
    }


def _query_error(form: DashboardFilter) -> str | None:
    if not form.q.strip():
        return None
    try:
        parse(form.q)
    except (SearchSyntaxError, ValueError) as exc:
        return f"the query: {exc}"
    return None


@router.get("/dashboard")
def dashboard(request: Request, caller: PageCaller, form: FilterDep) -> Response:
    return render(request, "dashboard.html.j2", form=form, panels=PANELS, years=YEARS, bases=BASES)


@router.get("/dashboard/data")
def dashboard_data(store: StoreDep, caller: PageCaller, form: FilterDep) -> Response:
    """The panels' tables as JSON, for the page's script (a query's syntax error: 422 with its message)."""
    error = _query_error(form)
    if error:
        return JSONResponse({"error": error}, status_code=422, headers=PAGE_HEADERS)
    return JSONResponse(panel_tables(store, form), headers=PAGE_HEADERS)


@router.get("/dashboard/{panel}.csv")
def dashboard_csv(panel: str, store: StoreDep, caller: PageCaller, form: FilterDep) -> Response:
    """One panel's table as CSV (cells that a spreadsheet would read as formulas neutralised)."""
    if panel not in PANELS:
        return Response(f"no panel {panel}\n", status_code=404, media_type="text/plain")
    error = _query_error(form)
    if error:
        return Response(error + "\n", status_code=422, media_type="text/plain")
    table = panel_tables(store, form)["panels"].get(panel)
    frame = pd.DataFrame(table["rows"], columns=table["columns"]) if table else pd.DataFrame()
    out = io.StringIO()
    spreadsheet_frame(frame).to_csv(out, index=False)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{panel}.csv"'},
    )
