"""Which years are incomplete because of the publication lag, by one stated rule.

The reference date R is the latest publication date in the database (``publications.published``); when no
publication carries a date (the CSET table has only priority years), the latest earliest-priority date of a
family, else 1 January of the latest priority year. ``as_of`` overrides it. L is the year of R.

- Earliest-priority years: a family becomes visible when it is first published, about 18 months after its
  first filing (longer at some offices), so years L-1 and L are incomplete (``lag_years=2``: the last two
  years).
- Publication years: publication is the event counted, so only a partial last year is incomplete: L, when R is
  before 31 December of L (``lag_years=0`` plus the partial year).

A flagged year is reported with ``incomplete = true``, never dropped and never to be read as a fall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.types as ir

if TYPE_CHECKING:
    from patscape.landscape.context import Landscape

DEFAULT_LAG = {"priority": 2, "publication": 0}


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (ImportError, TypeError, ValueError):
        pass
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):  # pandas Timestamp
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True, slots=True)
class Completeness:
    basis: str  # publication | priority
    reference: dt.date | None  # R
    lag_years: int

    @classmethod
    def of(
        cls, ctx: Landscape, basis: str, *, as_of: dt.date | None = None, lag_years: int | None = None
    ) -> Completeness:
        lag = DEFAULT_LAG[basis] if lag_years is None else lag_years
        return cls(basis, as_of or reference_date(ctx), lag)

    @property
    def first_incomplete(self) -> int | None:
        """The first incomplete year (every later year is incomplete too), or None when R is unknown."""
        if self.reference is None:
            return None
        last = self.reference.year
        first = last - self.lag_years + 1
        if self.reference < dt.date(last, 12, 31):
            first = min(first, last)
        return first

    @property
    def last_complete(self) -> int | None:
        first = self.first_incomplete
        return None if first is None else first - 1

    def is_incomplete(self, year: int) -> bool:
        first = self.first_incomplete
        return first is not None and year >= first

    def flag(self, year: ir.IntegerValue) -> ir.BooleanValue:
        first = self.first_incomplete
        if first is None:
            return ibis.literal(False)
        return (year >= first).fill_null(False)

    def describe(self) -> str:
        if self.reference is None:
            return "no dates in the data: no year is flagged incomplete"
        return (
            f"reference date {self.reference.isoformat()}; {self.basis} years from {self.first_incomplete} "
            "are incomplete (publication lag)"
        )


def reference_date(ctx: Landscape) -> dt.date | None:
    """R: the latest publication date, else the latest earliest-priority date or priority year of a family."""
    if ctx.has("publications"):
        found = _as_date(ctx.table("publications").published.max().execute())
        if found is not None:
            return found
    if ctx.has("families"):
        f = ctx.table("families")
        found = _as_date(f.earliest_priority.max().execute())
        if found is not None:
            return found
        year = f.priority_year.max().execute()
        if year is not None and not _is_missing(year):
            return dt.date(int(year), 1, 1)
    return None


def _is_missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN
    except (TypeError, ValueError):
        return False
