"""Quantity versus quality: per country and per owner group, how many families and how good they are.

``families`` and ``share`` count as everywhere else (full or fractional); the quality columns are means over
the same families (weighted by the fractional weight when counting fractionally) of the cohort-normalised
composite index (``index6``), the 5-year forward citations and the family size, the grant rate, and
``relative_quality``: the mean index divided by the mean index of all the selected families counted (1 =
average).

A figure the data cannot give is NULL ("n/a"), not 0: ``mean_forward5`` of a group none of whose families is
cited in the database (its offices' documents, or those citing them, are not in it: a Google Patents export
carries no citations). ``cited`` says which groups those are; for them the composite index rests on the
other components (the report says so).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import Landscape, ratio
from patscape.landscape.owners import owner_names
from patscape.landscape.tables import COUNTRIES, OWNERS


def _weighted_mean(value: ir.NumericValue, weight: ir.NumericValue | None) -> ir.FloatingValue:
    """The mean of ``value`` over the rows where it is known, each row weighing ``weight`` (None: 1)."""
    if weight is None:
        # full counting: a sum over a count, the same figure as weights of 1.0 (a sum of integers is exact,
        # and x * 1.0 = x) with a third fewer expressions per row: DuckDB's time for the quality panels
        known = value.count().cast("float64")
        return ibis.ifelse(known > 0, value.sum().cast("float64") / known, ibis.null("float64"))
    # the rows where the value is unknown drop out of both sums as NULLs, not by a FILTER on each aggregate
    # (four such means grouped over a million rows: a third of the time on DuckDB)
    num = (value.cast("float64") * weight).sum()
    den = ibis.ifelse(value.notnull(), weight, ibis.null("float64")).sum()
    return ibis.ifelse(den > 0, num / den, ibis.null("float64"))


def _summary(ctx: Landscape, att: ir.Table, key: str, placed: str) -> ir.Table:
    """Per ``key`` of ``att`` (rows of a child table, which carry their family's quality figures): quantity
    and the weighted means of quality. ``placed``: the fact column counting a family's rows in ``att``."""
    j = att.mutate(index6=att[f"{ctx.year}_index6"])
    w = j.weight.cast("float64") if ctx.fractional else None
    per = j.group_by(key).agg(
        families=ctx.count(j),
        mean_index=_weighted_mean(j.index6, w),
        mean_forward5=_weighted_mean(j.forward5, w),
        mean_family_size=_weighted_mean(j.family_size, w),
        grant_rate=_weighted_mean(ibis.ifelse(j.granted, 1, 0), w),
        _cited=j.forward5.sum().fill_null(0),
    )
    s = ctx.selected
    counted = s.filter(s[placed] > 0)  # the selected families with a row in ``att``
    overall = counted.aggregate(counted=counted.count(), overall_index=counted[f"{ctx.year}_index6"].mean())
    x = per.cross_join(overall)
    return x.select(
        key,
        "families",
        share=ratio(x.families, x.counted),
        mean_index=x.mean_index,
        relative_quality=ratio(x.mean_index, x.overall_index),
        mean_forward5=ibis.ifelse(x._cited > 0, x.mean_forward5, ibis.null("float64")),
        mean_family_size=x.mean_family_size,
        grant_rate=x.grant_rate,
        cited=x._cited > 0,
    )


def by_country(ctx: Landscape) -> ir.Table:
    """Per country (on the landscape's country basis): quantity and quality; most families first."""
    fc = ctx.child(COUNTRIES)
    att = fc.filter(fc.basis == ctx.country_by)
    summary = _summary(ctx, att, "country", f"{ctx.country_by}_countries")
    return summary.order_by([ibis.desc("families"), "country"])


def by_owner(ctx: Landscape, n: int = 20) -> ir.Table:
    """The ``n`` owner groups with most families: quantity and quality; most families first."""
    summary = _summary(ctx, ctx.child(OWNERS), "group_id", "owner_count")
    ranked = summary.mutate(
        rank=ibis.row_number().over(order_by=[ibis.desc(summary.families), summary.group_id]) + 1
    )
    top = ranked.filter(ranked.rank <= n).join(owner_names(ctx), "group_id")
    return top.select("rank", "group_id", "group_name", "country", *summary.columns[1:]).order_by("rank")
