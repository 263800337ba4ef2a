"""Top owner groups: families, share and growth."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import WEIGHT_DIGITS, Landscape, ratio, rows_where
from patscape.landscape.countries import _window, cagr
from patscape.landscape.summaries import quality_figures, quality_sums, with_overall
from patscape.landscape.tables import OWNER_NAMES, OWNERS


def owner_names(ctx: Landscape) -> ir.Table:
    """One name and country per group (the smallest, so that every backend picks the same)."""
    return ctx.table(OWNER_NAMES).select("group_id", "group_name", "country")


def growth_window(ctx: Landscape, start: int | None, end: int | None) -> tuple[int, int] | None:
    """The owners' growth window (``countries._window``); None when the data cannot tell it (no dates)."""
    try:
        return _window(ctx, start, end)
    except ValueError:
        return None


OWNER_SUMMARY = "owner_summary {}"  # kept per growth window


def owner_summary(ctx: Landscape, start: int | None = None, end: int | None = None) -> ir.Table:
    """Per ``group_id``, what both owner tables read (``top_owners``, ``compare.by_owner``): the
    ``summaries.quality_figures`` of its rows, ``summaries.with_overall`` (the selected families with an
    owner: counted on the fact rows, ``owner_count``, not as the distinct families of the owner rows, which
    costs a hash of every family key) and, when there is a growth window (``growth_window``),
    ``start_families`` and ``end_families``, the families of its first and last year."""
    window = growth_window(ctx, start, end)

    def build() -> ir.Table:
        rows = ctx.child(OWNERS)
        metrics = quality_sums(ctx, rows)
        if window is not None:
            metrics["start_families"] = _count_where(ctx, rows, rows.year == window[0])
            metrics["end_families"] = _count_where(ctx, rows, rows.year == window[1])
        per = rows.group_by("group_id").agg(**metrics)
        return with_overall(ctx, per.mutate(**quality_figures(ctx, per)), "owners")

    return ctx.kept_or(OWNER_SUMMARY.format(window), build)


def ranked_top(per: ir.Table, n: int) -> ir.Table:
    """The ``n`` groups of ``per`` with most ``families`` (ties broken by ``group_id``) and their ``rank``
    (1 = most): the first ``n`` in that order, then ranked among themselves (the same ranks: a window over
    every group took 3 of the 9 ms of each owner panel on a million families)."""
    top = per.order_by([ibis.desc(per.families), per.group_id]).limit(n)
    return top.mutate(rank=ibis.row_number().over(order_by=[ibis.desc(top.families), top.group_id]) + 1)


def top_owners(ctx: Landscape, n: int = 20, start: int | None = None, end: int | None = None) -> ir.Table:
    """The ``n`` owner groups with most families in the selection (all years).

    Columns: ``rank`` (1 = most; ties broken by group id), ``group_id``, ``group_name``, ``country``,
    ``families``, ``share`` (of the selected families that have an owner), ``start_families``,
    ``end_families``, ``cagr`` over the window (default: five years to the last complete year) and
    ``incomplete`` (window ends in an incomplete year).
    """
    window = growth_window(ctx, start, end)
    per = owner_summary(ctx, start, end)
    j = ranked_top(per, n).join(owner_names(ctx), "group_id")
    if window is not None:
        first, last = window
        grown = {
            "start_families": j.start_families,
            "end_families": j.end_families,
            "cagr": cagr(j.start_families, j.end_families, last - first),
        }
    else:
        none = ibis.null("float64" if ctx.fractional else "int64")
        grown = {"start_families": none, "end_families": none, "cagr": ibis.null("float64")}
    return j.select(
        "rank",
        "group_id",
        "group_name",
        "country",
        "families",
        share=ratio(j.families, j.counted),  # of the selected families with an owner
        **grown,
        incomplete=ibis.literal(window is not None and ctx.completeness.is_incomplete(window[1])),
    ).order_by("rank")


def _count_where(ctx: Landscape, t: ir.Table, cond: ir.BooleanValue) -> ir.Scalar:
    if ctx.fractional:
        return t.weight.sum(where=cond).fill_null(0).round(WEIGHT_DIGITS)
    return rows_where(cond)  # one row per (family, group)
