"""The counting bases, chosen one way for every output (``patscape landscape``, the report, the dashboard),
and the line every output carries: "placed N of M families (…)".

The rule, when a basis is left to ``auto``:

- year: the earliest publication year (as WIPO) unless fewer of the selected families have one than have an
  earliest priority year (the CSET table has priority years only);
- country: the first of inventor, applicant, office of first filing, member offices that places at least half
  of the selected families (WIPO counts by inventor); when none does, the one that places most.
"""

from __future__ import annotations

from dataclasses import dataclass

from patscape.landscape.context import COUNTRY_BASES, Landscape, rows_where
from patscape.landscape.countries import placement_counts
from patscape.landscape.filters import LandscapeFilter

AUTO = "auto"
COVERAGE = 0.5  # share of the selected families a country basis must place to be chosen


@dataclass(frozen=True)
class Coverage:
    """How many selected families (any year) each basis places: the evidence for the choice."""

    families: int
    years: dict[str, int]
    countries: dict[str, int]

    def best_country(self) -> str:
        return max(COUNTRY_BASES, key=lambda b: self.countries.get(b, 0))


def without_years(f: LandscapeFilter) -> LandscapeFilter:
    """The filter without its years, and without its countries (which depend on the basis being chosen)."""
    return LandscapeFilter(
        genai=f.genai,
        genai_method=f.genai_method,
        tags=f.tags,
        owner=f.owner,
        query=f.query,
    )


def coverage(ctx: Landscape) -> Coverage:
    """The selected families (without the year bounds and countries) with a publication year, a priority
    year, and a country on each basis."""
    counts = placement_counts(ctx.with_options(filter=without_years(ctx.filter)))
    return Coverage(
        counts["families"],
        {"publication": counts["publication_year"], "priority": counts["priority_year"]},
        {b: counts[b] for b in COUNTRY_BASES},
    )


def choose_year(cov: Coverage, wanted: str = AUTO) -> str:
    if wanted != AUTO:
        return wanted
    return "publication" if cov.years["publication"] >= cov.years["priority"] else "priority"


def choose_country(cov: Coverage, wanted: str = AUTO) -> str:
    if wanted != AUTO:
        return wanted
    for basis in COUNTRY_BASES:
        if cov.families and cov.countries.get(basis, 0) >= COVERAGE * cov.families:
            return basis
    best = cov.best_country()
    return best if cov.countries.get(best, 0) else "inventor"


def with_bases(ctx: Landscape, year: str = AUTO, country_by: str = AUTO) -> tuple[Landscape, Coverage]:
    """``ctx`` with its bases chosen (``auto``: by the rule above, from what the selected families carry)."""
    cov = coverage(ctx)
    return ctx.with_options(year=choose_year(cov, year), country_by=choose_country(cov, country_by)), cov


@dataclass(frozen=True)
class Placement:
    """The families a landscape selected (``families``), those with a year on the basis (``dated``), and those
    with a year and a country on the basis (``placed``: the ones the country tables count)."""

    families: int
    dated: int
    placed: int
    year: str
    country_by: str
    chosen: bool = False  # the bases were chosen by the rule (auto)

    @property
    def undated(self) -> int:
        return self.families - self.dated

    def line(self) -> str:
        how = "chosen automatically" if self.chosen else "as asked"
        return (
            f"placed {self.placed:,} of {self.families:,} families (basis: {self.year} year, "
            f"{self.country_by} country, {how}); {self.undated:,} have no {self.year} year"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "families": self.families,
            "dated": self.dated,
            "placed": self.placed,
            "undated": self.undated,
            "year": self.year,
            "country_by": self.country_by,
            "chosen": self.chosen,
            "line": self.line(),
        }


def placement(ctx: Landscape, *, chosen: bool = False) -> Placement:
    """How many of the selected families the tables can count on ``ctx``'s bases (one query)."""
    s = ctx.selected
    dated = s[f"{ctx.year}_year"].notnull()
    placed = dated & (s[f"{ctx.country_by}_countries"] > 0)
    row = (
        s.aggregate(
            families=s.count(),
            dated=rows_where(dated),
            placed=rows_where(placed),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    return Placement(
        int(row["families"] or 0),
        int(row["dated"] or 0),
        int(row["placed"] or 0),
        ctx.year,
        ctx.country_by,
        chosen,
    )
