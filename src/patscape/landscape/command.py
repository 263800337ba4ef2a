"""What ``patscape landscape`` computes: the chosen tables of a store, what they mean, and the seconds each
took (the command line prints them)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from patscape.landscape.backends import connect_store
from patscape.landscape.context import Landscape
from patscape.landscape.filters import LandscapeFilter
from patscape.landscape.sections import BY, SECTIONS, build
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
    time each section took, and ``prepare`` (catalog and reference date) and ``build`` (expressions)."""
    start = time.perf_counter()
    ctx = Landscape(
        connect_store(store),
        year=request.year,  # type: ignore[arg-type]
        country_by=request.country_by,  # type: ignore[arg-type]
        fractional=request.fractional,
        filter=request.filter,
    )
    prepared = time.perf_counter()
    sections = SECTIONS if request.by == "all" else BY[request.by]
    tables = build(ctx, sections, top=request.top, window=request.window)
    built = time.perf_counter()
    frames = tables.execute()
    meta = {
        "by": request.by,
        "counting": counting_statement(ctx),
        "filter": ctx.filter.describe(),
        "completeness": ctx.completeness.describe(),
        "skipped": tables.skipped,
        "seconds": {
            "prepare": round(prepared - start, 4),
            "build": round(built - prepared, 4),
            **{name: round(s, 4) for name, s in tables.seconds.items()},
            "total": round(time.perf_counter() - start, 4),
        },
    }
    return frames, meta
