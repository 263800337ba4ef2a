"""What a report counts: the options, and the year and country bases chosen from the data when left
to ``auto``.

The bases are chosen by a stated rule (printed in the report's method appendix):

- year: the earliest publication year (as WIPO) unless fewer of the selected families have one than have an
  earliest priority year (the CSET table has priority years only);
- country: the first of inventor, applicant, office of first filing, member offices that places at least half
  of the selected families (WIPO counts by inventor); when none does, the one that places most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from patscape.landscape import COUNTRY_BASES, Landscape, LandscapeFilter
from patscape.landscape.countries import placement_counts
from patscape.landscape.coverage import after_last_change

AUTO = "auto"
COVERAGE = 0.5  # share of the selected families a country basis must place to be chosen
GROWTH_YEARS = 5  # the growth window: the last complete year and five years before it


@dataclass(frozen=True)
class ReportOptions:
    title: str | None = None
    genai: bool = False
    year_from: int | None = None
    year_to: int | None = None
    year: str = AUTO  # publication | priority | auto
    country_by: str = AUTO  # inventor | applicant | office | member | auto
    fractional: bool = False
    top_owners: int = 20
    top_countries: int = 8
    query: str | None = None  # the search language (patscape.search)

    def landscape_filter(self) -> LandscapeFilter:
        return LandscapeFilter(
            genai=self.genai, year_from=self.year_from, year_to=self.year_to, query=self.query
        )

    def heading(self) -> str:
        if self.title:
            return self.title
        return "Generative AI: patent landscape" if self.genai else "Patent landscape"


@dataclass(frozen=True)
class Coverage:
    """How many selected families each basis places (the evidence for the choice)."""

    families: int
    years: dict[str, int]
    countries: dict[str, int]


def coverage(ctx: Landscape) -> Coverage:
    """Selected families (without the year filter) with a publication year, a priority year, and a country on
    each basis."""
    counts = placement_counts(ctx.with_options(filter=_without_years(ctx.filter)))
    return Coverage(
        counts["families"],
        {"publication": counts["publication_year"], "priority": counts["priority_year"]},
        {b: counts[b] for b in COUNTRY_BASES},
    )


def _without_years(f: LandscapeFilter) -> LandscapeFilter:
    return LandscapeFilter(
        genai=f.genai, genai_method=f.genai_method, tags=f.tags, owner=f.owner, query=f.query
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
    best = max(COUNTRY_BASES, key=lambda b: cov.countries.get(b, 0))
    return best if cov.countries.get(best, 0) else "inventor"


def growth_window(
    ctx: Landscape, year_from: int | None, year_to: int | None, changes: Sequence[int] = ()
) -> tuple[int, int] | None:
    """Five years to the last complete year, kept inside the chosen years and after the last change of the
    sources' composition (``changes``: the years opening a new window of stable composition, see
    ``landscape/coverage.py``), so that growth and shifts of shares never compare different sources; None
    when shorter than a year."""
    end = ctx.completeness.last_complete
    if end is None:
        return None
    if year_to is not None:
        end = min(end, year_to)
    start = end - GROWTH_YEARS
    if year_from is not None:
        start = max(start, year_from)
    start = after_last_change(start, end, list(changes))
    return (start, end) if end > start else None
