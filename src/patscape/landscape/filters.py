"""``LandscapeFilter``: which families a landscape counts; itself an Ibis expression (a semi-join).

Every condition is optional and they combine with AND:

- ``genai``: families with at least one member labelled generative AI (``genai_labels.is_genai``), by
  ``genai_method`` when given, else by any method.
- ``tags``: every tag must be on at least one member. ``model:GAN``, ``mode:text``, ``application:security``
  look in ``genai_tags`` (dimension:tag); any other tag (``cset:Machine_Learning``) in the ingested ``tags``
  table.
- ``year_from`` / ``year_to``: the family's year on the landscape's year basis, inclusive.
- ``date_from`` / ``date_to``: the family's earliest publication or earliest priority date (same basis),
  inclusive.
- ``owner``: an owner group, by ``group_id`` or by ``group_name`` (case-insensitive).
- ``query``: a member found by a query of the search language (:mod:`patscape.search`: ``neural network``,
  ``ti="diffusion model" AND cpc=G06N*``, ``pa=tencent``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ibis.expr.types as ir

if TYPE_CHECKING:
    from patscape.landscape.context import Landscape

GENAI_DIMENSIONS = ("model", "mode", "application")


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

    def is_empty(self) -> bool:
        return self == LandscapeFilter(genai_method=self.genai_method)

    def describe(self) -> str:
        parts = []
        if self.genai:
            parts.append("generative AI" + (f" ({self.genai_method})" if self.genai_method else ""))
        parts += [f"tag {t}" for t in self.tags]
        if self.year_from is not None or self.year_to is not None:
            parts.append(f"years {self.year_from or '…'}-{self.year_to or '…'}")
        if self.date_from or self.date_to:
            parts.append(f"dates {self.date_from or '…'} to {self.date_to or '…'}")
        if self.owner:
            parts.append(f"owner {self.owner}")
        if self.query:
            parts.append(f"query {self.query!r}")
        return ", ".join(parts) or "all families"

    # -- the expression -------------------------------------------------------------------------
    def apply(self, ctx: Landscape, families: ir.Table) -> ir.Table:
        """``families`` (with ``year`` and ``basis_date``) restricted to the families this filter keeps."""
        f = families
        if self.year_from is not None:
            f = f.filter(f.year >= self.year_from)
        if self.year_to is not None:
            f = f.filter(f.year <= self.year_to)
        if (start := _date(self.date_from)) is not None:
            f = f.filter(f.basis_date >= start)
        if (end := _date(self.date_to)) is not None:
            f = f.filter(f.basis_date <= end)
        # IN (subquery) rather than chained semi-joins, which Ibis renders as SEMI JOIN for PostgreSQL
        for ids in self._member_conditions(ctx):
            f = f.filter(f.family_id.isin(ids.family_id))
        if self.owner:
            fo = ctx.table("family_owners")
            wanted = self.owner.strip()
            owned = fo.filter((fo.group_id == wanted) | (fo.group_name.lower() == wanted.lower()))
            f = f.filter(f.family_id.isin(owned.family_id))
        return f

    def _member_conditions(self, ctx: Landscape) -> list[ir.Table]:
        """One table of ``family_id`` per condition on the members' publications."""
        out: list[ir.Table] = []

        def families_of(pubs: ir.Table) -> ir.Table:
            members = ctx.table("family_members").select("family_id", "pub_key")
            return members.filter(members.pub_key.isin(pubs.pub_key)).select("family_id").distinct()

        if self.genai:
            labels = ctx.table("genai_labels")
            chosen = labels.filter(labels.is_genai)
            if self.genai_method:
                chosen = chosen.filter(chosen.method == self.genai_method)
            out.append(families_of(chosen))
        for tag in self.tags:
            out.append(families_of(self._tagged(ctx, tag)))
        if self.query:
            out.append(families_of(self._matching(ctx, self.query)))
        return out

    def _tagged(self, ctx: Landscape, tag: str) -> ir.Table:
        dimension, _, value = tag.partition(":")
        if dimension in GENAI_DIMENSIONS and value:
            t = ctx.table("genai_tags")
            t = t.filter((t.dimension == dimension) & (t.tag == value))
            if self.genai_method:
                t = t.filter(t.method == self.genai_method)
            return t
        t = ctx.table("tags")
        return t.filter(t.tag == tag)

    @staticmethod
    def _matching(ctx: Landscape, query: str) -> ir.Table:
        from patscape.search.expressions import matching

        return matching(ctx.con, query)
