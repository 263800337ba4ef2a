"""The landscape's sections: every table as an Ibis expression, executed into sorted tables.

``build`` makes the expressions (no query runs); ``LandscapeTables.execute`` runs them, one section after the
other, and keeps the seconds each took.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ibis.expr.types as ir
import pandas as pd

from patscape.landscape import compare, countries, owners, quality, taxonomy
from patscape.landscape.context import Landscape
from patscape.landscape.tables import MissingTable

DIGITS = 6  # decimals shown

SECTIONS = (
    "countries",
    "china_vs_world",
    "growth",
    "owners",
    "models",
    "modes",
    "model_mode",
    "applications",
    "applications_by_year",
    "quality",
    "country_quality",
    "owner_quality",
    "year_totals",
    "country_totals",
    "source_categories",
)
# What ``patscape landscape --by X`` shows.
BY = {
    "country": ("countries", "china_vs_world", "growth"),
    "owner": ("owners", "owner_quality"),
    "model": ("models", "model_mode"),
    "mode": ("modes", "model_mode"),
    "application": ("applications", "applications_by_year"),
    "quality": ("country_quality", "owner_quality", "quality"),
}


@dataclass
class LandscapeTables:
    expressions: dict[str, ir.Table] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)  # section -> why (a missing table)
    seconds: dict[str, float] = field(default_factory=dict)  # section -> execution time, once executed

    def execute(self, digits: int | None = DIGITS) -> dict[str, pd.DataFrame]:
        """Section name -> DataFrame, in the expressions' order; floats rounded to ``digits`` (None: as
        computed). The time each section took is kept in ``seconds``."""
        frames = {}
        for name, expr in self.expressions.items():
            start = time.perf_counter()
            frames[name] = rounded(expr.to_pandas(), digits)
            self.seconds[name] = time.perf_counter() - start
        return frames


def rounded(df: pd.DataFrame, digits: int | None = DIGITS) -> pd.DataFrame:
    """Float columns rounded for people; done here, once, on the numbers every backend computed
    identically."""
    if digits is None:
        return df
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    return df.assign(**{c: df[c].round(digits) for c in floats}) if floats else df


def builders(
    ctx: Landscape, top: int = 20, window: tuple[int, int] | None = None
) -> dict[str, Callable[[], ir.Table]]:
    """Section name -> a function building its expression. Several derive from the same tables, which the
    caller may keep (``Landscape.kept``): ``summaries.country_summary``, ``summaries.family_summary``,
    ``countries.by_country_year``, ``owners.owner_summary``."""
    start, end = window if window else (None, None)
    return {
        "countries": lambda: countries.by_country_year(ctx),
        "china_vs_world": lambda: countries.china_vs_world(ctx),
        "growth": lambda: countries.growth(ctx, start, end),
        "owners": lambda: owners.top_owners(ctx, top, start, end),
        "models": lambda: taxonomy.breakdown(ctx, "model"),
        "modes": lambda: taxonomy.breakdown(ctx, "mode"),
        "model_mode": lambda: taxonomy.model_mode(ctx),
        "applications": lambda: taxonomy.breakdown(ctx, "application"),
        "applications_by_year": lambda: taxonomy.breakdown(ctx, "application", by_year=True),
        "quality": lambda: quality.family_quality(ctx),
        "country_quality": lambda: compare.by_country(ctx),
        "owner_quality": lambda: compare.by_owner(ctx, top, start, end),
        "year_totals": lambda: countries.year_totals(ctx).order_by("year"),
        "country_totals": lambda: countries.country_totals(ctx),
        "source_categories": lambda: taxonomy.source_categories(ctx),
    }


def build(
    ctx: Landscape,
    sections: Iterable[str] = SECTIONS,
    *,
    top: int = 20,
    window: tuple[int, int] | None = None,
) -> LandscapeTables:
    """Expressions for the chosen sections; a section whose input table is missing, or whose growth window
    cannot be told (no dates), is skipped with the reason."""
    out = LandscapeTables()
    wanted = list(sections)
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown landscape sections {unknown}; choose from {SECTIONS}")
    make = builders(ctx, top, window)
    for name in wanted:
        try:
            out.expressions[name] = make[name]()
        except (MissingTable, ValueError) as exc:
            out.skipped[name] = str(exc)
    return out


def landscape(
    ctx: Landscape, sections: Iterable[str] = SECTIONS, digits: int | None = DIGITS, **options: object
) -> dict[str, pd.DataFrame]:
    """Build and execute: section name -> sorted pandas DataFrame (skipped sections are left out)."""
    return build(ctx, sections, **options).execute(digits)  # type: ignore[arg-type]
