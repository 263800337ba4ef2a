"""Quality per family: the raw indicators and the cohort scores that the enrichment keeps in the family fact
table (defined in ``patscape.enrich.quality``), on the landscape's year basis.

``citation_window_complete`` (whether five years have passed since the family's earliest publication, by
the data's reference date) and ``cohort_size`` (the families of the store in the cohort) are read at query
time; the cohorts are formed over every family of the store, so a filter never changes a family's scores.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.enrich.quality import COMPONENTS6, FIVE_YEARS_DAYS
from patscape.enrich.quality import scores as _scores  # the scoring rule, for the tests that check it
from patscape.landscape.context import Landscape

__all__ = ["COMPONENTS6", "FIVE_YEARS_DAYS", "_scores", "family_quality", "scored"]

RAW = ("field", "granted", "members", "family_size", "claims", "scope", "backward", "npl", "forward5")
RAW_MORE = ("forward_all", "grant_lag_days", "originality", "generality")


def _window_complete(ctx: Landscape, start: ir.DateValue) -> ir.BooleanValue:
    ref = ctx.completeness.reference
    if ref is None:
        return ibis.literal(False)
    return (ibis.literal(ref).delta(start, unit="day") >= FIVE_YEARS_DAYS).fill_null(False)


def scored(ctx: Landscape, families: ir.Table) -> ir.Table:
    """``families`` (fact rows) with the indicators named as in the quality table: ``members``,
    ``family_size``, and ``index6``, ``index4``, ``cohort_field``, the scores and ``breakthrough`` of the
    landscape's year basis."""
    b = ctx.year
    scores = {f"{c}_score": families[f"{b}_{c}_score"] for c in COMPONENTS6}
    return families.mutate(
        members=families.member_count,
        family_size=families.office_count,
        cohort_field=families[f"{b}_cohort_field"],
        breakthrough=families[f"{b}_breakthrough"],
        index4=families[f"{b}_index4"],
        index6=families[f"{b}_index6"],
        **scores,
    )


def family_quality(ctx: Landscape, ordered: bool = True) -> ir.Table:
    """Raw indicators, cohort, component scores, ``index4``, ``index6`` and ``breakthrough`` per selected
    family; sorted by family id (unless ``ordered`` is false)."""
    t = scored(ctx, ctx.selected)
    t = t.mutate(cohort_year=t.year.fill_null(-1))
    every = scored(ctx, ctx.all_families())
    every = every.mutate(cohort_year=every.year.fill_null(-1))
    sizes = every.group_by(["cohort_year", "cohort_field"]).agg(cohort_size=every.count())
    j = t.join(sizes, ["cohort_year", "cohort_field"])
    out = j.select(
        "family_id",
        "year",
        *RAW,
        *RAW_MORE,
        citation_window_complete=_window_complete(ctx, j.earliest_publication),
        cohort_year=j.cohort_year,
        cohort_field=j.cohort_field,
        cohort_size=j.cohort_size,
        forward5_score=j.forward5_score,
        breakthrough=j.breakthrough,
        **{f"{c}_score": j[f"{c}_score"] for c in COMPONENTS6[1:]},
        index4=j.index4,
        index6=j.index6,
    )
    return out.order_by("family_id") if ordered else out
