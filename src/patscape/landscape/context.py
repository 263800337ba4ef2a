"""What every landscape expression starts from: the fact tables on a backend, the counting options and the
selected families.

Counting rules (stated once, used everywhere):

- The unit is the patent family (``family_facts``, one row per family), never the document.
- Time: ``year="publication"`` counts a family in the year of its earliest publication (as WIPO);
  ``year="priority"`` in the year of its earliest priority (as the OECD). Families without that year are left
  out.
- Geography: ``family_fact_countries`` rows of one basis (inventor, applicant, office = first-filing office,
  member = every office where a member is published). Full counting counts a family once in every one of its
  countries (shares can sum above 1); fractional counting gives each country the family's weight 1/n
  (shares sum to 1). Shares are taken over the families attributed to at least one country on that basis.
- Incomplete years: see ``completeness.py``.

Portability: a float literal is a DECIMAL in Spark SQL (``1.0 / n`` is decimal division, 6 digits), so every
division has a DOUBLE operand (``.cast("float64")``), and booleans are never cast to numbers (PostgreSQL
refuses).

Making a ``Landscape`` reads the catalog and the data's reference date (the only queries); the expressions
built from it afterwards run none until they are executed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from patscape.landscape.completeness import Completeness
from patscape.landscape.filters import LandscapeFilter
from patscape.landscape.tables import FACTS, MissingTable, Tables

YearBasis = Literal["publication", "priority"]
CountryBasis = Literal["inventor", "applicant", "office", "member"]
YEAR_BASES: tuple[str, ...] = ("publication", "priority")
COUNTRY_BASES: tuple[str, ...] = ("inventor", "applicant", "office", "member")
# Sums of fractional weights (1/n) depend on the order of addition in the last bits: they are rounded to this
# many decimals in the query, so that every backend returns the same number. Ratios of such sums or of counts
# are exact IEEE divisions, the same everywhere; tables are rounded for people only when printed
# (``sections.rounded``).
WEIGHT_DIGITS = 9

__all__ = ["COUNTRY_BASES", "WEIGHT_DIGITS", "YEAR_BASES", "Landscape", "MissingTable", "ratio"]


@dataclass(eq=False)
class Landscape:
    """A backend plus the counting options and the filter; the landscape functions take one of these.

    ``selection`` stands for the filter but for its years (``panels.Panels`` keeps it in a temporary
    table, so that the panels' SQL stays the same whatever the filter): a table of the selected
    ``family_key``; the filter's years are checked on every table's own year."""

    con: BaseBackend
    year: YearBasis = "publication"
    country_by: CountryBasis = "inventor"
    fractional: bool = False
    filter: LandscapeFilter = field(default_factory=LandscapeFilter)
    as_of: dt.date | None = None  # the data's reference date; default: computed from the data
    lag_years: int | None = None  # years flagged incomplete; default by year basis (completeness.py)
    completeness: Completeness = None  # type: ignore[assignment]  # computed when not given
    selection: ir.Table | None = None
    tables: Tables = None  # type: ignore[assignment]  # the catalog, read when not given
    # tables the caller keeps that several expressions derive from (``panels.Panels``' temporary tables), by
    # name: the function building one reads it instead (``kept_or``)
    kept: dict[str, ir.Table] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.year not in YEAR_BASES:
            raise ValueError(f"year must be one of {YEAR_BASES}, not {self.year!r}")
        if self.country_by not in COUNTRY_BASES:
            raise ValueError(f"country_by must be one of {COUNTRY_BASES}, not {self.country_by!r}")
        if self.tables is None:
            self.tables = Tables.of(self.con)
        if self.filter.query:
            self.tables.found_by(self.filter.query)  # compiled now: building the sections runs no query
        if self.completeness is None:
            self.completeness = Completeness.of(
                self.tables, self.year, as_of=self.as_of, lag_years=self.lag_years
            )

    def with_options(self, **changes: object) -> Landscape:
        """The same backend and catalog with other options (the completeness is kept unless the years'
        options change; the kept tables are not, unless given)."""
        if {"year", "as_of", "lag_years"} & set(changes):
            changes.setdefault("completeness", None)
        changes.setdefault("kept", {})  # kept for these options only
        return replace(self, **changes)  # type: ignore[arg-type]

    def kept_or(self, name: str, build: Callable[[], ir.Table]) -> ir.Table:
        """The table ``name`` the caller keeps (``kept``), or the expression ``build`` makes."""
        found = self.kept.get(name)
        return found if found is not None else build()

    # -- tables ---------------------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return self.tables.has(name)

    def table(self, name: str) -> ir.Table:
        return self.tables(name)

    def _year_of(self, t: ir.Table) -> ir.IntegerValue:
        return t[f"{self.year}_year"].cast("int64")

    # -- families -------------------------------------------------------------------------------
    def all_families(self) -> ir.Table:
        """Every family's fact row with ``year`` and ``basis_date`` on the chosen year basis."""
        f = self.table(FACTS)
        date = f.earliest_priority if self.year == "priority" else f.earliest_publication
        return f.mutate(year=self._year_of(f), basis_date=date)

    @property
    def filtered(self) -> bool:
        return self.selection is not None or not self.filter.is_empty()

    def _in_years(self, t: ir.Table) -> ir.Table:
        """``t`` (with ``year``) within the filter's years."""
        if self.filter.year_from is not None:
            t = t.filter(t.year >= self.filter.year_from)
        if self.filter.year_to is not None:
            t = t.filter(t.year <= self.filter.year_to)
        return t

    @cached_property
    def selected(self) -> ir.Table:
        """The fact rows of the families the filter keeps, with ``year`` and ``basis_date``."""
        families = self.all_families()
        if self.selection is None:
            return self.filter.apply(self.tables, families, self.country_by)
        families = self._in_years(families)
        return families.filter(families.family_key.isin(self.selection.family_key))

    def selected_keys(self) -> ir.Table:
        if self.selection is not None:
            return self.selection.select("family_key")
        return self.selected.select("family_key")

    def selected_ids(self) -> ir.Table:
        return self.selected.select("family_id")

    def dated(self) -> ir.Table:
        """The selected families that have a year on the chosen basis."""
        s = self.selected
        return s.filter(s.year.notnull())

    def child(self, name: str) -> ir.Table:
        """The rows of a child table (``family_fact_countries``…) whose family is selected, with ``year`` on
        the chosen basis. A filter on years alone is checked on the child's own year columns."""
        t = self.table(name)
        t = t.mutate(year=self._year_of(t))
        if not self.filtered:
            return t
        t = self._in_years(t)
        if self.selection is None and self.filter.only_years():
            return t
        return t.filter(t.family_key.isin(self.selected_keys().family_key))

    def count(self, table: ir.Table, weight: str = "weight") -> ir.Scalar:
        """Families in ``table``, whose rows are one per family and category (the unique keys of the
        fact tables, or made distinct): the rows, or the sum of the weights."""
        if self.fractional:
            return table[weight].sum().round(WEIGHT_DIGITS)
        return table.count()

    # -- completeness ---------------------------------------------------------------------------
    def incomplete(self, year: ir.IntegerValue) -> ir.BooleanValue:
        return self.completeness.flag(year)


def rows_where(cond: ir.BooleanValue) -> ir.IntegerScalar:
    """The rows where ``cond`` holds (a NULL condition does not), 0 when none: the condition summed as an
    integer, which DuckDB adds faster than a CASE's ones and zeros (the country summary of "CN or US" on a
    million families, two such counts over 1.4 M rows: 68 -> 60 ms, bench/README.md)."""
    return cond.cast("int32").sum().fill_null(0)


def ratio(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    """``num / den``, NULL when the denominator is 0 or NULL."""
    return ibis.ifelse(den > 0, num.cast("float64") / den.cast("float64"), ibis.null("float64"))
