"""The whole landscape at once: every table as an Ibis expression, then executed into sorted pandas frames."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import ibis.expr.types as ir
import pandas as pd

from patscape.landscape import compare, countries, owners, quality, taxonomy
from patscape.landscape.context import Landscape, MissingTable

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

    def execute(self, digits: int | None = DIGITS) -> dict[str, pd.DataFrame]:
        """Section name -> DataFrame, in the expressions' order; floats rounded to ``digits`` (None: as computed)."""
        frames = {name: expr.to_pandas() for name, expr in self.expressions.items()}
        return {name: rounded(df, digits) for name, df in frames.items()}


def rounded(df: pd.DataFrame, digits: int | None = DIGITS) -> pd.DataFrame:
    """Float columns rounded for people; done here, once, on the numbers every backend computed identically."""
    if digits is None:
        return df
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    return df.assign(**{c: df[c].round(digits) for c in floats}) if floats else df


def build(
    ctx: Landscape,
    sections: Iterable[str] = SECTIONS,
    *,
    top: int = 20,
    window: tuple[int, int] | None = None,
    cache_quality: bool = False,
) -> LandscapeTables:
    """Expressions for the chosen sections; a section whose input table is missing is skipped with a reason.

    ``cache_quality`` materialises the per-family quality once (``Table.cache``) for the three sections that use
    it; worth it when all three are executed.
    """
    out = LandscapeTables()
    wanted = list(sections)
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown landscape sections {unknown}; choose from {SECTIONS}")
    start, end = window if window else (None, None)
    family_quality: ir.Table | None = None

    def quality_table() -> ir.Table:
        nonlocal family_quality
        if family_quality is None:
            family_quality = quality.family_quality(ctx)
            if cache_quality:
                family_quality = family_quality.cache()
        return family_quality

    builders = {
        "countries": lambda: countries.by_country_year(ctx),
        "china_vs_world": lambda: countries.china_vs_world(ctx),
        "growth": lambda: countries.growth(ctx, start, end),
        "owners": lambda: owners.top_owners(ctx, top, start, end),
        "models": lambda: taxonomy.breakdown(ctx, "model"),
        "modes": lambda: taxonomy.breakdown(ctx, "mode"),
        "model_mode": lambda: taxonomy.model_mode(ctx),
        "applications": lambda: taxonomy.breakdown(ctx, "application"),
        "applications_by_year": lambda: taxonomy.breakdown(ctx, "application", by_year=True),
        "quality": quality_table,
        "country_quality": lambda: compare.by_country(ctx, quality_table()),
        "owner_quality": lambda: compare.by_owner(ctx, top, quality_table()),
    }
    for name in wanted:
        try:
            out.expressions[name] = builders[name]()
        except (MissingTable, ValueError) as exc:
            out.skipped[name] = str(exc)
    return out


def landscape(
    ctx: Landscape, sections: Iterable[str] = SECTIONS, digits: int | None = DIGITS, **options: object
) -> dict[str, pd.DataFrame]:
    """Build and execute: section name -> sorted pandas DataFrame (skipped sections are left out)."""
    return build(ctx, sections, **options).execute(digits)  # type: ignore[arg-type]
