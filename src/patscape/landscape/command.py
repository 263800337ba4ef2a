"""What ``patscape landscape`` does: open the store, build the chosen tables, print or write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patscape.landscape.backends import connect_store
from patscape.landscape.context import Landscape
from patscape.landscape.filters import LandscapeFilter
from patscape.landscape.report import BY, build


@dataclass
class Request:
    by: str = "country"
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


def run(store: Any, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """(frames, meta): the executed tables of ``request.by`` and what they mean."""
    return run_on(connect_store(store), request)


def run_on(con: Any, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """``run`` on any Ibis backend holding the store's tables (e.g. Spark over a lake)."""
    ctx = Landscape(
        con,
        year=request.year,  # type: ignore[arg-type]
        country_by=request.country_by,  # type: ignore[arg-type]
        fractional=request.fractional,
        filter=request.filter,
    )
    tables = build(ctx, BY[request.by], top=request.top, window=request.window)
    frames = tables.execute()
    meta = {
        "by": request.by,
        "counting": counting_statement(ctx),
        "filter": ctx.filter.describe(),
        "completeness": ctx.completeness.describe(),
        "skipped": tables.skipped,
    }
    return frames, meta


def present(
    frames: dict[str, Any], meta: dict[str, Any], *, as_json: bool, out: str | None, limit: int
) -> None:
    from patscape.landscape import output

    if out:
        written = output.write(frames, out)
        from patscape.console import err

        for path in written:
            err.print(f"wrote {Path(path)}")
        if not as_json:
            return
    if as_json:
        print(output.to_json(frames, meta))
        return
    output.print_landscape(
        frames,
        heading=f"landscape by {meta['by']}: {meta['filter']}",
        notes=[
            meta["counting"],
            meta["completeness"] + "; incomplete years are shown dimmed, never as a fall",
        ],
        skipped=meta["skipped"],
        limit=limit,
    )
