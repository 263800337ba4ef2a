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
        """Section name -> DataFrame, in the expressions' order; floats rounded to ``digits`` (None: as
        computed)."""
        frames = {name: expr.to_pandas() for name, expr in self.expressions.items()}
        return {name: rounded(df, digits) for name, df in frames.items()}


def rounded(df: pd.DataFrame, digits: int | None = DIGITS) -> pd.DataFrame:
    """Float columns rounded for people; done here, once, on the numbers every backend computed
    identically."""
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
    cache: bool = False,
    cache_quality: bool = False,
) -> LandscapeTables:
    """Expressions for the chosen sections; a section whose input table is missing is skipped with a reason.

    ``cache`` materialises the per-family quality, the country counts and the families' tags once
    (``Table.cache``, a temporary table on the backend) for the sections that reuse them; worth it when they
    are all executed (``cache_quality``: the same, its former name).
    """
    cache = cache or cache_quality
    out = LandscapeTables()
    wanted = list(sections)
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown landscape sections {unknown}; choose from {SECTIONS}")
    start, end = window if window else (None, None)
    shared: dict[str, ir.Table] = {}

    def reused(name: str, make) -> ir.Table:  # type: ignore[no-untyped-def]
        if name not in shared:
            shared[name] = make().cache() if cache else make()
        return shared[name]

    # shared tables are built unordered (a cached table keeps no order): sections sort their own output
    def quality_table() -> ir.Table:
        return reused("quality", lambda: quality.family_quality(ctx, ordered=False, cache=cache))

    def tag_table() -> ir.Table:
        return reused("tags", lambda: taxonomy.all_family_tags(ctx))

    def country_table() -> ir.Table:
        return reused("countries", lambda: countries.by_country_year(ctx, ordered=False))

    builders = {
        "countries": lambda: country_table().order_by(["year", "country"]),
        "china_vs_world": lambda: countries.china_vs_world(ctx, counts=country_table()),
        "growth": lambda: countries.growth(ctx, start, end, country_table()),
        "owners": lambda: owners.top_owners(ctx, top, start, end),
        "models": lambda: taxonomy.breakdown(ctx, "model", tags=tag_table()),
        "modes": lambda: taxonomy.breakdown(ctx, "mode", tags=tag_table()),
        "model_mode": lambda: taxonomy.model_mode(ctx, tag_table()),
        "applications": lambda: taxonomy.breakdown(ctx, "application", tags=tag_table()),
        "applications_by_year": lambda: taxonomy.breakdown(
            ctx, "application", by_year=True, tags=tag_table()
        ),
        "quality": lambda: quality_table().order_by("family_id"),
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
