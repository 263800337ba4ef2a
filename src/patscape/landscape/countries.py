"""Families per year by country, each country's share, growth (CAGR) and China versus the rest of the world."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import WEIGHT_DIGITS, Landscape, ratio

CHINA = "CN"


def attributions(ctx: Landscape, dated: bool = True) -> ir.Table:
    """``family_id``, ``year``, ``country``, ``weight``: the selected families on the country basis (only those
    with a year unless ``dated`` is false)."""
    fc = ctx.table("family_countries")
    fc = fc.filter((fc.basis == ctx.country_by) & fc.country.notnull())
    families = ctx.dated() if dated else ctx.selected.select("family_id", "year")
    return fc.select("family_id", "country", "weight").join(families, "family_id")


def year_totals(ctx: Landscape) -> ir.Table:
    """Per year: ``total`` selected families and ``attributed`` (with at least one country on the basis)."""
    dated = ctx.dated()
    total = dated.group_by("year").agg(total=dated.family_id.nunique())
    att = attributions(ctx)
    attributed = att.group_by("year").agg(attributed=att.family_id.nunique())
    joined = total.left_join(attributed, "year")
    return joined.select(
        "year", "total", attributed=joined.attributed.fill_null(0), incomplete=ctx.incomplete(joined.year)
    )


def by_country_year(ctx: Landscape) -> ir.Table:
    """``year``, ``country``, ``families``, ``share`` (of the year's attributed families), ``total``,
    ``attributed``, ``incomplete``; sorted by year and country."""
    att = attributions(ctx)
    per = att.group_by(["year", "country"]).agg(families=ctx.count(att))
    totals = year_totals(ctx)
    joined = per.join(totals, "year")
    return joined.select(
        "year",
        "country",
        "families",
        share=ratio(joined.families, joined.attributed),
        total=joined.total,
        attributed=joined.attributed,
        incomplete=joined.incomplete,
    ).order_by(["year", "country"])


def china_vs_world(ctx: Landscape, country: str = CHINA) -> ir.Table:
    """Per year: families of ``country`` (China), of the rest of the world, and China's share.

    Full counting: a family with Chinese and other countries counts on both sides; fractional: its weight is split.
    """
    att = attributions(ctx)
    is_cn = att.country == country
    if ctx.fractional:
        china = att.weight.sum(where=is_cn).fill_null(0).round(WEIGHT_DIGITS)
        rest = att.weight.sum(where=~is_cn).fill_null(0).round(WEIGHT_DIGITS)
    else:
        china = att.family_id.nunique(where=is_cn)
        rest = att.family_id.nunique(where=~is_cn)
    per = att.group_by("year").agg(china=china, rest_of_world=rest)
    joined = year_totals(ctx).join(per, "year")
    return joined.select(
        "year",
        "china",
        "rest_of_world",
        "attributed",
        china_share=ratio(joined.china, joined.attributed),
        incomplete=joined.incomplete,
    ).order_by("year")


def default_window(ctx: Landscape, years: int = 5) -> tuple[int, int] | None:
    """The last complete year and ``years`` before it; None when the data have no dates."""
    end = ctx.completeness.last_complete
    if end is None:
        return None
    return end - years, end


def cagr(start_value: ir.NumericValue, end_value: ir.NumericValue, years: int) -> ir.FloatingValue:
    """Compound annual growth rate; NULL when the start is 0 (growth from nothing has no rate)."""
    grown = (end_value.cast("float64") / start_value.cast("float64")) ** (1.0 / years) - 1.0
    return ibis.ifelse(start_value > 0, grown, ibis.null("float64"))


def growth(ctx: Landscape, start: int | None = None, end: int | None = None) -> ir.Table:
    """Per country: families in ``start`` and ``end``, the CAGR between them and the change in share.

    The default window ends at the last complete year and spans five years; a window reaching into an
    incomplete year is computed but flagged ``incomplete``.
    """
    start, end = _window(ctx, start, end)
    cy = by_country_year(ctx)
    first = cy.filter(cy.year == start).select("country", start_families="families", start_share="share")
    last = cy.filter(cy.year == end).select("country", end_families="families", end_share="share")
    j = first.outer_join(last, "country")
    country = ibis.coalesce(j.country, j.country_right)
    s = j.start_families.fill_null(0)
    e = j.end_families.fill_null(0)
    return j.select(
        country=country,
        start_year=ibis.literal(start, "int64"),
        end_year=ibis.literal(end, "int64"),
        start_families=s,
        end_families=e,
        cagr=cagr(s, e, end - start),
        share_change=j.end_share.fill_null(0) - j.start_share.fill_null(0),
        incomplete=ibis.literal(ctx.completeness.is_incomplete(end)),
    ).order_by([ibis.desc("end_families"), "country"])


def _window(ctx: Landscape, start: int | None, end: int | None) -> tuple[int, int]:
    if start is None or end is None:
        default = default_window(ctx)
        if default is None:
            raise ValueError("the data have no dates: give the growth window (start, end) explicitly")
        start = default[0] if start is None else start
        end = default[1] if end is None else end
    if end <= start:
        raise ValueError(f"the growth window must end after it starts: {start}-{end}")
    return start, end
