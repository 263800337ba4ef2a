"""What ``patscape landscape`` computes: the chosen tables of a store, what they mean, and the seconds each
took (the command line prints them)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

from ibis.backends import BaseBackend

from patscape.landscape.backends import connect_store
from patscape.landscape.basis import AUTO, placement, with_bases
from patscape.landscape.context import Landscape
from patscape.landscape.countries import default_window, within_years
from patscape.landscape.coverage import after_last_change, selected_composition
from patscape.landscape.diagnosis import EmptySelection, check_years, unknown_filter_values, warnings
from patscape.landscape.filters import LandscapeFilter
from patscape.landscape.panels import Panels
from patscape.landscape.sections import BY, SECTIONS, rounded
from patscape.landscape.tables import Tables
from patscape.store.base import Store


@dataclass
class Request:
    by: str = "country"  # a key of BY, or "all": every section
    year: str = AUTO  # publication | priority | auto (the rule of ``basis.py``, as the report)
    country_by: str = AUTO  # inventor | applicant | office | member | auto
    fractional: bool = False
    filter: LandscapeFilter = field(default_factory=LandscapeFilter)
    top: int = 20
    window: tuple[int, int] | None = None
    limit: int = 40
    sections: tuple[str, ...] | None = None  # these sections instead of those of ``by`` (e.g. the report's)


def counting_statement(ctx: Landscape) -> str:
    year = (
        "earliest publication year (WIPO)" if ctx.year == "publication" else "earliest priority year (OECD)"
    )
    counting = (
        "fractional counting (a family's weight 1/n split over its countries)"
        if ctx.fractional
        else ("full counting (a family counts once in each of its countries)")
    )
    return f"patent families by {year}; countries by {ctx.country_by}; {counting}"


WINDOWED = frozenset({"growth", "owners"})  # the sections that compare a window's first and last year


def stable_window(
    con: BaseBackend, request: Request, tables: Tables | None = None
) -> tuple[tuple[int, int] | None, list[int]]:
    """The default growth window (five years to the last complete year, within the filter's years) started
    after the last change of the selected families' source composition (``coverage.py``), and those
    changes; the default window when it would be shorter than a year. ``tables``: the catalog, when read
    already."""
    ctx = Landscape(
        con,
        year=request.year,  # type: ignore[arg-type]
        country_by=request.country_by,  # type: ignore[arg-type]
        filter=request.filter,
        tables=tables,  # type: ignore[arg-type]
    )
    default = within_years(default_window(ctx), request.filter.year_from, request.filter.year_to)
    if default is None:
        return None, []
    changes = [e.year for e in selected_composition(ctx) if e.changes]
    start = after_last_change(default[0], default[1], changes)
    return ((start, default[1]) if default[1] > start else default), changes


def run(store: Store, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """(frames, meta): the executed tables of ``request.by`` and what they mean; ``meta["seconds"]``: the
    time each section took, and ``prepare`` (catalog, reference date, bases), ``compile`` (once per machine:
    the SQL is cached) and ``selection`` (the filter's families); ``meta["placement"]``: how many of the
    selected families the tables place, ``meta["warnings"]``: what to know before reading them.

    Raises ``EmptySelection`` for a request that cannot select a family (an impossible year range, an owner
    or tag the database lacks: with the closest names it holds)."""
    return run_on(connect_store(store), request)


def run_on(con: BaseBackend, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """``run`` on any Ibis backend holding the store's tables (e.g. Spark over a lake)."""
    start = time.perf_counter()
    flt = request.filter
    check_years(flt.year_from, flt.year_to)
    base = Landscape(con, filter=flt, fractional=request.fractional)
    problems = unknown_filter_values(base, flt)
    if problems:
        raise EmptySelection("; ".join(problems))
    chosen, cov = with_bases(base, request.year, request.country_by)
    placed = placement(chosen, chosen=AUTO in (request.year, request.country_by))
    sections = request.sections or (SECTIONS if request.by == "all" else BY[request.by])
    window, changes = request.window, []
    if window is None and set(sections) & WINDOWED:
        asked = replace(request, year=chosen.year, country_by=chosen.country_by)
        window, changes = stable_window(con, asked, chosen.tables)
    panels = Panels(
        con,
        year=chosen.year,
        country_by=chosen.country_by,
        fractional=request.fractional,
        top=request.top,
        window=window,
        panels=sections,
        tables=chosen.tables,
    )
    prepared = time.perf_counter() - start
    tables = panels.compute(request.filter)
    frames = {name: rounded(t.to_pandas()) for name, t in tables.items()}
    ctx = panels.context(request.filter)
    meta = {
        "by": request.by,
        "counting": counting_statement(ctx),
        "filter": ctx.filter.describe(),
        "completeness": ctx.completeness.describe(),
        "placement": placed.as_dict(),
        "warnings": warnings(chosen, cov, placed),
        "skipped": {name: why for name, why in panels.skipped.items() if name in sections},
        "composition_changes": changes,  # years where the sources change (the default window starts after)
        "seconds": {
            "prepare": round(prepared, 4),
            **{name: round(s, 4) for name, s in panels.seconds.items()},
            "all": round(time.perf_counter() - start, 4),
        },
    }
    return frames, meta
