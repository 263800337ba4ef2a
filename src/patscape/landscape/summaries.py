"""Per group of the selected families' rows (a year; a year and country; an owner group, in
``owners.owner_summary``), the sums that quantity and quality derive from, in one pass over the rows, so
that several tables can read them: the dashboard keeps them once per filter change (``Landscape.kept``),
where each panel grouped the rows again (the two owner panels of "CN or US" on a million families grouped
the owner rows in 62 ms, the summary does it in 38, bench/README.md). Means are sums over counts (or
weights), so they can be summed again over groups of groups (the countries' years).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import WEIGHT_DIGITS, Landscape, ratio, rows_where
from patscape.landscape.tables import COUNTRIES


def _quality_values(ctx: Landscape, rows: ir.Table) -> dict[str, ir.NumericValue]:
    """The values whose means the quality tables give, on rows that carry their family's figures."""
    return {
        "index": rows[f"{ctx.year}_index6"],
        "forward5": rows.forward5,
        "family_size": rows.family_size,
        "granted": rows.granted,
    }


def quality_sums(ctx: Landscape, rows: ir.Table) -> dict[str, ir.Scalar]:
    """Aggregates over rows of a child table: ``_rows``, ``_weight`` (counting fractionally), and for
    each quality value its sum and how much of the rows know it (``_<value>_sum``, ``_<value>_known``),
    weighted when counting fractionally; the grant status is known on every row (``_rows``, ``_weight``).
    Each can be summed again over groups."""
    w = rows.weight.cast("float64") if ctx.fractional else None
    out: dict[str, ir.Scalar] = {"_rows": rows.count()}
    if w is not None:
        out["_weight"] = w.sum()
    for name, value in _quality_values(ctx, rows).items():
        if name == "granted":  # known on every row (not granted when NULL): its count is the rows'
            if w is None:
                out["_granted_sum"] = rows_where(value)
            else:  # PostgreSQL casts no boolean to a float
                out["_granted_sum"] = (ibis.ifelse(value, 1, 0).cast("float64") * w).sum()
        elif w is None:
            # full counting: a sum over a count, the same figure as weights of 1.0 (a sum of integers is
            # exact, and x * 1.0 = x) with a third fewer expressions per row
            out[f"_{name}_sum"], out[f"_{name}_known"] = value.sum(), value.count()
        else:
            # the rows where the value is unknown drop out of both sums as NULLs, not by a FILTER on each
            # aggregate (four such means grouped over a million rows: a third of the time on DuckDB)
            out[f"_{name}_sum"] = (value.cast("float64") * w).sum()
            out[f"_{name}_known"] = ibis.ifelse(value.notnull(), w, ibis.null("float64")).sum()
    return out


def summed_again(t: ir.Table, keys: list[str]) -> ir.Table:
    """``quality_sums`` per group (``t``) summed over groups of ``keys``."""
    sums = [c for c in t.columns if c.startswith("_")]
    return t.group_by(keys).agg(**{c: t[c].sum() for c in sums})


def families(ctx: Landscape, t: ir.Table) -> ir.NumericValue:
    """The families of a group of ``quality_sums``, counted as everywhere else (``Landscape.count``)."""
    return t._weight.round(WEIGHT_DIGITS) if ctx.fractional else t._rows


def quality_figures(ctx: Landscape, t: ir.Table) -> dict[str, ir.Value]:
    """From a group's ``quality_sums``: ``families``, the means of the composite index, the 5-year forward
    citations, the family size and the grant rate, and ``_cited``, the citations summed (0 when none)."""
    return {
        "families": families(ctx, t),
        "mean_index": ratio(t._index_sum, t._index_known),
        "mean_forward5": ratio(t._forward5_sum, t._forward5_known),
        "mean_family_size": ratio(t._family_size_sum, t._family_size_known),
        "grant_rate": ratio(t._granted_sum, t._weight if ctx.fractional else t._rows),
        # weighted when counting fractionally: a family's weight is 1/n > 0, so it is positive exactly
        # when a family with a weight is cited, as the unweighted sum was
        "_cited": t._forward5_sum.fill_null(0),
    }


FAMILY_SUMMARY = "family_summary"
COUNTRY_SUMMARY = "country_summary"
# the fact column that places a family among those ``with_overall`` counts
PLACED = {"countries": "{basis}_countries", "owners": "owner_count"}


def family_summary(ctx: Landscape) -> ir.Table:
    """Per ``year`` (NULL included) of the selected families: ``total``, and for the families placed in a
    country on the basis and those with an owner (``PLACED``): how many, and their composite index's sum
    and how many know it (for ``year_totals`` and ``with_overall``: one pass over the fact rows)."""

    def build() -> ir.Table:
        s = ctx.selected
        index = s[f"{ctx.year}_index6"]
        sums: dict[str, ir.Scalar] = {"total": s.count()}
        for name, column in PLACED.items():
            placed = s[column.format(basis=ctx.country_by)] > 0
            sums[f"_{name}"] = rows_where(placed)
            sums[f"_{name}_index_sum"] = index.sum(where=placed)
            sums[f"_{name}_index_known"] = index.count(where=placed)
        return s.group_by("year").agg(**sums)

    return ctx.kept_or(FAMILY_SUMMARY, build)


def with_overall(ctx: Landscape, per: ir.Table, placed: str) -> ir.Table:
    """``per`` with, on each row, ``counted``: the selected families placed in the child table it grouped
    (``placed``: ``countries`` or ``owners``, ``PLACED``), and ``overall_index``: their mean composite
    index."""
    f = family_summary(ctx)
    overall = f.aggregate(
        counted=f[f"_{placed}"].sum(),
        overall_index=ratio(f[f"_{placed}_index_sum"].sum(), f[f"_{placed}_index_known"].sum()),
    )
    return per.cross_join(overall)


def country_summary(ctx: Landscape) -> ir.Table:
    """Per ``year`` (NULL included) and ``country`` on the landscape's basis: ``quality_sums`` and ``sole``,
    the families attributed to this country alone (weight 1: a family's weight on a basis is 1/n over its
    n countries)."""

    def build() -> ir.Table:
        fc = ctx.child(COUNTRIES)
        att = fc.filter(fc.basis == ctx.country_by)
        return att.group_by(["year", "country"]).agg(
            **quality_sums(ctx, att), sole=rows_where(att.weight == 1.0)
        )

    return ctx.kept_or(COUNTRY_SUMMARY, build)
