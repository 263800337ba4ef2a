"""What ``patscape landscape`` computes: the chosen tables of a store, what they mean, and the seconds each
took (the command line prints them)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from ibis.backends import BaseBackend

from patscape.landscape.backends import connect_store
from patscape.landscape.context import Landscape
from patscape.landscape.filters import LandscapeFilter
from patscape.landscape.panels import Panels
from patscape.landscape.sections import BY, SECTIONS, rounded
from patscape.store.base import Store


@dataclass
class Request:
    by: str = "country"  # a key of BY, or "all": every section
    year: str = "publication"
    country_by: str = "inventor"
    fractional: bool = False
    filter: LandscapeFilter = field(default_factory=LandscapeFilter)
    top: int = 20
    window: tuple[int, int] | None = None
    limit: int = 40


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


def run(store: Store, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """(frames, meta): the executed tables of ``request.by`` and what they mean; ``meta["seconds"]``: the
    time each section took, and ``prepare`` (catalog and reference date), ``compile`` (once per machine:
    the SQL is cached) and ``selection`` (the filter's families)."""
    return run_on(connect_store(store), request)


def run_on(con: BaseBackend, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """``run`` on any Ibis backend holding the store's tables (e.g. Spark over a lake)."""
    start = time.perf_counter()
    sections = SECTIONS if request.by == "all" else BY[request.by]
    panels = Panels(
        con,
        year=request.year,
        country_by=request.country_by,
        fractional=request.fractional,
        top=request.top,
        window=request.window,
        panels=sections,
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
        "skipped": {name: why for name, why in panels.skipped.items() if name in sections},
        "seconds": {
            "prepare": round(prepared, 4),
            **{name: round(s, 4) for name, s in panels.seconds.items()},
            "all": round(time.perf_counter() - start, 4),
        },
    }
    return frames, meta
