"""``LandscapeFilter``: which families a landscape counts; a value, applied as an Ibis expression over the
family fact table (conditions on the child tables are ``IN`` subqueries).

Every condition is optional and they combine with AND:

- ``genai``: families with at least one member labelled generative AI, by ``genai_method`` when given, else
  by any method.
- ``tags``: every tag must be on at least one member. ``model:GAN``, ``mode:text``, ``application:security``
  are taxonomy tags (``genai_tags``); any other tag (``cset:Machine_Learning``) is one the source gave.
- ``year_from`` / ``year_to``: the family's year on the landscape's year basis, inclusive.
- ``date_from`` / ``date_to``: the family's earliest publication or earliest priority date (same basis),
  inclusive.
- ``countries``: at least one of these countries on the landscape's country basis.
- ``owner``: an owner group, by ``group_id`` or by ``group_name`` (case-insensitive).
- ``dated``: only families with a year on the landscape's year basis (the report: every section then counts
  the same families, those without a year left out of all of them, and said so).
- ``query``: a member found by a query of the search language (:mod:`patscape.search`: ``neural network``,
  ``ti="diffusion model" AND cpc=G06N*``, ``pa=tencent``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from patscape.landscape.tables import COUNTRIES, FACTS, OWNER_NAMES, OWNERS, TAGS, Tables

GENAI_DIMENSIONS = ("model", "mode", "application")
GENAI_FLAG = "genai"  # family_fact_tags.dimension of "a member labelled generative AI by this method"
SOURCE_TAGS = "source"  # family_fact_tags.dimension of the tags a source gave


def tag_key(tag: str) -> tuple[str, str]:
    """A filter's tag as ``family_fact_tags`` holds it, (dimension, tag): ``model:GAN`` is ("model", "GAN"),
    a source's ``cset:Machine_Learning`` is ("source", "cset:Machine_Learning")."""
    dimension, _, value = tag.partition(":")
    return (dimension, value) if dimension in GENAI_DIMENSIONS and value else (SOURCE_TAGS, tag)


def _date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


@dataclass(frozen=True)
class LandscapeFilter:
    genai: bool = False
    genai_method: str | None = None
    tags: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    date_from: dt.date | str | None = None
    date_to: dt.date | str | None = None
    owner: str | None = None
    query: str | None = None
    countries: tuple[str, ...] = ()
    dated: bool = False

    def is_empty(self) -> bool:
        return self == LandscapeFilter(genai_method=self.genai_method)

    def only_years(self) -> bool:
        """Whether the filter keeps families by their year alone (a condition every child table can check)."""
        return self == LandscapeFilter(
            genai_method=self.genai_method, year_from=self.year_from, year_to=self.year_to
        )

    def describe(self) -> str:
        parts = []
        if self.genai:
            parts.append("generative AI" + (f" ({self.genai_method})" if self.genai_method else ""))
        parts += [f"tag {t}" for t in self.tags]
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"years {self.year_from or '…'}-{self.year_to or '…'}")
        if self.date_from or self.date_to:
            parts.append(f"dates {self.date_from or '…'} to {self.date_to or '…'}")
        if self.countries:
            parts.append("countries " + ", ".join(self.countries))
        if self.owner:
            parts.append(f"owner {self.owner}")
        if self.query:
            parts.append(f"query {self.query!r}")
        if self.dated:
            parts.append("with a year")
        return ", ".join(parts) or "all families"

    # -- the expression -------------------------------------------------------------------------
    def apply(self, tables: Tables, families: ir.Table, country_by: str) -> ir.Table:
        """``families`` (fact rows with ``year`` and ``basis_date``) restricted to the families this filter
        keeps."""
        f = families
        if self.dated:
            f = f.filter(f.year.notnull())
        if self.year_from is not None:
            f = f.filter(f.year >= self.year_from)
        if self.year_to is not None:
            f = f.filter(f.year <= self.year_to)
        if (start := _date(self.date_from)) is not None:
            f = f.filter(f.basis_date >= start)
        if (end := _date(self.date_to)) is not None:
            f = f.filter(f.basis_date <= end)
        if self.genai and not self.genai_method:
            f = f.filter(f.genai)
        for keys in self._conditions(tables, country_by):
            f = f.filter(f.family_key.isin(keys.family_key))
        return f

    def _conditions(self, tables: Tables, country_by: str) -> list[ir.Table]:
        """One table of ``family_key`` per condition on a child table."""
        out: list[ir.Table] = []
        if self.genai and self.genai_method:
            out.append(self._tagged(tables, GENAI_FLAG, "yes"))
        for tag in self.tags:
            out.append(self._tagged(tables, *tag_key(tag)))
        if self.countries:
            c = tables(COUNTRIES)
            placed = c.filter((c.basis == country_by) & c.country.isin(self.countries))
            out.append(placed.select("family_key"))
        if self.owner:
            o = tables(OWNERS)
            out.append(
                o.filter(o.group_id.isin(owner_groups(tables, self.owner).group_id)).select("family_key")
            )
        if self.query:
            out.append(query_families(tables, self.query))
        return out

    def _tagged(self, tables: Tables, dimension: str, tag: str) -> ir.Table:
        t = tables(TAGS)
        t = t.filter((t.dimension == dimension) & (t.tag == tag))
        if self.genai_method and dimension != SOURCE_TAGS:
            t = t.filter(t.method == self.genai_method)
        return t.select("family_key")


def owner_groups(tables: Tables, owner: str) -> ir.Table:
    """``group_id`` of the owner groups a filter's ``owner`` names: by id, or by name in any case."""
    names = tables(OWNER_NAMES)
    wanted = ibis.literal(owner.strip())
    return names.filter((names.group_id == wanted) | (names.group_name.lower() == wanted.lower())).select(
        "group_id"
    )


def query_families(tables: Tables, query: str) -> ir.Table:
    """``family_key`` of the families with a member found by ``query``, a query of the search language
    (:mod:`patscape.search`)."""
    facts = tables(FACTS)
    found = tables.found_by(query)
    return facts.filter(facts.family_id.isin(found.family_id)).select("family_key")
