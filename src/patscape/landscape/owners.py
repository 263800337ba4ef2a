"""Top owner groups: families, share and growth."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import WEIGHT_DIGITS, Landscape, ratio
from patscape.landscape.countries import _window, cagr
from patscape.landscape.tables import OWNER_NAMES, OWNERS


def owner_attributions(ctx: Landscape) -> ir.Table:
    """``family_key``, ``year`` (may be NULL), ``group_id``, ``weight``: the selected families' owners."""
    return ctx.child(OWNERS).select("family_key", "year", "group_id", "weight")


def owner_names(ctx: Landscape) -> ir.Table:
    """One name and country per group (the smallest, so that every backend picks the same)."""
    return ctx.table(OWNER_NAMES).select("group_id", "group_name", "country")


def top_owners(ctx: Landscape, n: int = 20, start: int | None = None, end: int | None = None) -> ir.Table:
    """The ``n`` owner groups with most families in the selection (all years).

    Columns: ``rank`` (1 = most; ties broken by group id), ``group_id``, ``group_name``, ``country``,
    ``families``, ``share`` (of the selected families that have an owner), ``start_families``,
    ``end_families``, ``cagr`` over the window (default: five years to the last complete year) and
    ``incomplete`` (window ends in an incomplete year).
    """
    att = owner_attributions(ctx)
    with_window = True
    try:
        start, end = _window(ctx, start, end)
    except ValueError:
        with_window = False
    metrics = {"families": ctx.count(att)}
    if with_window:
        metrics["start_families"] = _count_where(ctx, att, att.year == start)
        metrics["end_families"] = _count_where(ctx, att, att.year == end)
    per = att.group_by("group_id").agg(**metrics)
    # the selected families with an owner: counted on the fact rows (``owner_count``), not as the distinct
    # families of the owner rows, which costs a hash of every family key (most of the panel's time)
    owning = ctx.selected.filter(lambda t: t.owner_count > 0)
    total = owning.aggregate(owned=owning.count())
    ranked = per.mutate(
        rank=ibis.row_number().over(order_by=[ibis.desc(per.families), per.group_id]) + 1
    ).filter(lambda t: t.rank <= n)
    j = ranked.cross_join(total).join(owner_names(ctx), "group_id")
    if with_window:
        window = {
            "start_families": j.start_families,
            "end_families": j.end_families,
            "cagr": cagr(j.start_families, j.end_families, end - start),
        }
    else:
        none = ibis.null("float64" if ctx.fractional else "int64")
        window = {"start_families": none, "end_families": none, "cagr": ibis.null("float64")}
    return j.select(
        "rank",
        "group_id",
        "group_name",
        "country",
        "families",
        share=ratio(j.families, j.owned),
        **window,
        incomplete=ibis.literal(with_window and ctx.completeness.is_incomplete(end)),
    ).order_by("rank")


def _count_where(ctx: Landscape, t: ir.Table, cond: ir.BooleanValue) -> ir.Scalar:
    if ctx.fractional:
        return t.weight.sum(where=cond).fill_null(0).round(WEIGHT_DIGITS)
    return ibis.ifelse(cond, 1, 0).sum()  # one row per (family, group)
