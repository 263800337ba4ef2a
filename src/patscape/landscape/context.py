"""What every landscape expression starts from: the backend, the counting options and the selected families.

Counting rules (stated once, used everywhere):

- The unit is the patent family (``families``), never the document.
- Time: ``year="publication"`` counts a family in the year of its earliest publication (as WIPO);
  ``year="priority"`` in the year of its earliest priority (as the OECD). Families without that year are left
  out.
- Geography: ``family_countries`` rows of one basis (inventor, applicant, office = first-filing office,
  member = every office where a member is published). Full counting counts a family once in every one of its
  countries (shares can sum above 1); fractional counting gives each country the family's weight 1/n
  (shares sum to 1). Shares are taken over the families attributed to at least one country on that basis.
- Incomplete years: see ``completeness.py``.

Portability: a float literal is a DECIMAL in Spark SQL (``1.0 / n`` is decimal division, 6 digits), so every
division has a DOUBLE operand (``.cast("float64")``), and booleans are never cast to numbers (PostgreSQL
refuses).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from patscape.landscape.completeness import Completeness
from patscape.landscape.filters import LandscapeFilter

YearBasis = Literal["publication", "priority"]
CountryBasis = Literal["inventor", "applicant", "office", "member"]
YEAR_BASES: tuple[str, ...] = ("publication", "priority")
COUNTRY_BASES: tuple[str, ...] = ("inventor", "applicant", "office", "member")
# Sums of fractional weights (1/n) depend on the order of addition in the last bits: they are rounded to this
# many decimals in the query, so that every backend returns the same number. Ratios of such sums or of counts
# are exact IEEE divisions, the same everywhere; tables are rounded for people only when printed
# (``report.rounded``).
WEIGHT_DIGITS = 9


class MissingTable(LookupError):
    """A table the landscape needs is not in the database (an enrichment step has not been run)."""


@dataclass(eq=False)
class Landscape:
    """A backend plus the counting options; the landscape functions take one of these."""

    con: BaseBackend
    year: YearBasis = "publication"
    country_by: CountryBasis = "inventor"
    fractional: bool = False
    filter: LandscapeFilter = field(default_factory=LandscapeFilter)
    as_of: dt.date | None = None  # the data's reference date; default: computed from the data
    lag_years: int | None = None  # years flagged incomplete; default by year basis (completeness.py)

    def __post_init__(self) -> None:
        if self.year not in YEAR_BASES:
            raise ValueError(f"year must be one of {YEAR_BASES}, not {self.year!r}")
        if self.country_by not in COUNTRY_BASES:
            raise ValueError(f"country_by must be one of {COUNTRY_BASES}, not {self.country_by!r}")

    def with_options(self, **changes: object) -> Landscape:
        """The same backend with other options (shares the table cache, not the computed selection)."""
        values = {
            "con": self.con,
            "year": self.year,
            "country_by": self.country_by,
            "fractional": self.fractional,
            "filter": self.filter,
            "as_of": self.as_of,
            "lag_years": self.lag_years,
        }
        values.update(changes)
        other = Landscape(**values)  # type: ignore[arg-type]
        other.__dict__["_tables"] = self._tables
        if "_names" in self.__dict__:
            other.__dict__["_names"] = self._names
        same_years = not {"year", "as_of", "lag_years"} & set(changes)
        if same_years and "completeness" in self.__dict__:
            other.__dict__["completeness"] = self.completeness
        return other

    # -- tables ---------------------------------------------------------------------------------
    @cached_property
    def _tables(self) -> dict[str, ir.Table]:
        return {}

    @cached_property
    def _names(self) -> set[str]:
        return set(self.con.list_tables())

    def has(self, name: str) -> bool:
        return name in self._names

    def table(self, name: str) -> ir.Table:
        if name not in self._tables:
            if not self.has(name):
                raise MissingTable(f"the database has no table {name!r}: {_HINTS.get(name, '')}".rstrip(": "))
            self._tables[name] = self.con.table(name)
        return self._tables[name]

    # -- families -------------------------------------------------------------------------------
    def all_families(self) -> ir.Table:
        """Every family with ``year`` and ``basis_date`` on the chosen year basis."""
        f = self.table("families")
        if self.year == "priority":
            return f.mutate(year=f.priority_year.cast("int64"), basis_date=f.earliest_priority)
        return f.mutate(year=f.publication_year.cast("int64"), basis_date=f.earliest_publication)

    @cached_property
    def selected(self) -> ir.Table:
        """The families the filter keeps (all columns of ``families`` plus ``year`` and ``basis_date``)."""
        return self.filter.apply(self, self.all_families())

    def selected_ids(self) -> ir.Table:
        return self.selected.select("family_id")

    def dated(self) -> ir.Table:
        """The selected families that have a year on the chosen basis: ``family_id``, ``year``."""
        s = self.selected
        return s.filter(s.year.notnull()).select("family_id", "year")

    def count(self, table: ir.Table, weight: str = "weight") -> ir.Scalar:
        """Families in ``table``, whose rows are one per family and category (the unique keys of the
        enrichment tables, or made distinct): the rows, or the sum of the weights."""
        if self.fractional:
            return table[weight].sum().round(WEIGHT_DIGITS)
        return table.count()

    # -- completeness ---------------------------------------------------------------------------
    @cached_property
    def completeness(self) -> Completeness:
        return Completeness.of(self, self.year, as_of=self.as_of, lag_years=self.lag_years)

    def incomplete(self, year: ir.IntegerValue) -> ir.BooleanValue:
        return self.completeness.flag(year)


_HINTS = {
    "families": "run the family enrichment first (patscape.enrich.families)",
    "family_members": "run the family enrichment first (patscape.enrich.families)",
    "family_countries": "run the family enrichment first (patscape.enrich.families)",
    "family_owners": "run the owner grouping first (patscape.enrich.owners)",
    "owner_groups": "run the owner grouping first (patscape.enrich.owners)",
    "genai_labels": "label generative AI first (patscape.enrich.genai)",
    "genai_tags": "label generative AI first (patscape.enrich.genai)",
}


def ratio(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    """``num / den``, NULL when the denominator is 0 or NULL."""
    return ibis.ifelse(den > 0, num.cast("float64") / den.cast("float64"), ibis.null("float64"))
