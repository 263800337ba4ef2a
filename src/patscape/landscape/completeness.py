"""Which years are incomplete because of the publication lag, by one stated rule.

The reference date R is the latest publication date of a family member (``family_facts.latest_publication``);
when no publication carries a date (the CSET table has only priority years), the latest earliest-priority date
of a family, else 1 January of the latest priority year. ``as_of`` overrides it. L is the year of R.

- Earliest-priority years: a family becomes visible when it is first published, about 18 months after its
  first filing (longer at some offices), so years L-1 and L are incomplete (``lag_years=2``: the last two
  years).
- Publication years: publication is the event counted, so only a partial last year is incomplete: L, when R is
  before 31 December of L (``lag_years=0`` plus the partial year).

A flagged year is reported with ``incomplete = true``, never dropped and never to be read as a fall.
``Completeness`` is a value: it is computed once, where the execution of a landscape starts (when its
``Landscape`` is made), so that building the landscape's expressions runs no query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from patscape.landscape.tables import FACTS, Tables

DEFAULT_LAG = {"priority": 2, "publication": 0}


def _as_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True, slots=True)
class Completeness:
    basis: str  # publication | priority
    reference: dt.date | None  # R
    lag_years: int

    @classmethod
    def of(
        cls, tables: Tables, basis: str, *, as_of: dt.date | None = None, lag_years: int | None = None
    ) -> Completeness:
        """The rule on ``basis``; R read from the fact table (one query) unless ``as_of`` gives it."""
        lag = DEFAULT_LAG[basis] if lag_years is None else lag_years
        return cls(basis, as_of or reference_date(tables), lag)

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


def reference_date(tables: Tables) -> dt.date | None:
    """R: the latest publication date, else the latest earliest-priority date or priority year of a family."""
    if not tables.has(FACTS):
        return None
    f = tables(FACTS)
    row = f.aggregate(
        published=f.latest_publication.max(), priority=f.earliest_priority.max(), year=f.priority_year.max()
    ).to_pyarrow()
    found = _as_date(row["published"][0].as_py()) or _as_date(row["priority"][0].as_py())
    if found is not None:
        return found
    year = row["year"][0].as_py()
    return dt.date(int(year), 1, 1) if year is not None else None
