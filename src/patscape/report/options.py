"""What a report counts: the options; the year and country bases are chosen from the data when left to
``auto``, by the rule every output shares (``patscape.landscape.basis``, printed in the method appendix)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from patscape.landscape import Landscape, LandscapeFilter
from patscape.landscape.basis import AUTO, COVERAGE, Coverage, choose_country, choose_year, coverage
from patscape.landscape.countries import within_years
from patscape.landscape.coverage import after_last_change

__all__ = ["AUTO", "COVERAGE", "Coverage", "ReportOptions", "choose_country", "choose_year", "coverage"]
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
        """The families every section counts: those selected that have a year (the others are counted once,
        on the cover, as left out)."""
        return LandscapeFilter(
            genai=self.genai, year_from=self.year_from, year_to=self.year_to, query=self.query, dated=True
        )

    def heading(self) -> str:
        if self.title:
            return self.title
        return "Generative AI: patent landscape" if self.genai else "Patent landscape"


def growth_window(
    ctx: Landscape, year_from: int | None, year_to: int | None, changes: Sequence[int] = ()
) -> tuple[int, int] | None:
    """Five years to the last complete year, kept inside the chosen years and after the last change of the
    sources' composition (``changes``: the years opening a new window of stable composition, see
    ``landscape/coverage.py``), so that growth and shifts of shares never compare different sources; None
    when shorter than a year."""
    end = ctx.completeness.last_complete
    window = within_years(None if end is None else (end - GROWTH_YEARS, end), year_from, year_to)
    if window is None:
        return None
    start, end = after_last_change(window[0], window[1], list(changes)), window[1]
    return (start, end) if end > start else None
