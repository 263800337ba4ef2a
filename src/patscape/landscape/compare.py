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
from patscape.landscape.owners import owner_names, owner_summary, ranked_top
from patscape.landscape.summaries import country_summary, quality_figures, summed_again, with_overall


def _summary(x: ir.Table, key: str) -> ir.Table:
    """Per ``key``: quantity and quality from ``x``: ``summaries.quality_figures`` per ``key``,
    ``summaries.with_overall``."""
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
    per = summed_again(country_summary(ctx), ["country"])  # over the years
    per = with_overall(ctx, per.mutate(**quality_figures(ctx, per)), "countries")
    return _summary(per, "country").order_by([ibis.desc("families"), "country"])


def by_owner(ctx: Landscape, n: int = 20, start: int | None = None, end: int | None = None) -> ir.Table:
    """The ``n`` owner groups with most families: quantity and quality; most families first. ``start``,
    ``end``: the growth window of ``owners.top_owners``, whose summary of the owners this reads too."""
    quality = _summary(owner_summary(ctx, start, end), "group_id")
    top = ranked_top(quality, n).join(owner_names(ctx), "group_id")
    return top.select("rank", "group_id", "group_name", "country", *quality.columns[1:]).order_by("rank")
