"""Families per year by country, each country's share, growth (CAGR) and China versus the rest of the
world."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import COUNTRY_BASES, WEIGHT_DIGITS, Landscape, ratio, rows_where
from patscape.landscape.summaries import country_summary, families, family_summary

CHINA = "CN"


def year_totals(ctx: Landscape) -> ir.Table:
    """Per year: ``total`` selected families and ``attributed`` (with at least one country on the basis)."""
    f = family_summary(ctx)
    dated = f.filter(f.year.notnull())
    return dated.select("year", "total", attributed=dated._countries, incomplete=ctx.incomplete(dated.year))


COUNTS = "country_counts"


def by_country_year(ctx: Landscape, ordered: bool = True) -> ir.Table:
    """``year``, ``country``, ``families``, ``share`` (of the year's attributed families), ``total``,
    ``attributed``, ``incomplete``, and ``sole``: the families attributed to this country alone (weight 1,
    since a family's weight on a basis is 1/n over its n countries); sorted by year and country."""

    def build() -> ir.Table:
        summary = country_summary(ctx)
        dated = summary.filter(summary.year.notnull())
        per = dated.select("year", "country", families=families(ctx, dated), sole=dated.sole)
        joined = per.join(year_totals(ctx), "year")
        return joined.select(
            "year",
            "country",
            "families",
            share=ratio(joined.families, joined.attributed),
            total=joined.total,
            attributed=joined.attributed,
            incomplete=joined.incomplete,
            sole=joined.sole,
        )

    out = ctx.kept_or(COUNTS, build)
    return out.order_by(["year", "country"]) if ordered else out


def china_vs_world(ctx: Landscape, country: str = CHINA) -> ir.Table:
    """Per year: families of ``country`` (China), of the rest of the world, and China's share; derived from
    ``by_country_year``.

    Full counting: a family with Chinese and other countries counts on both sides (the rest of the world is
    every attributed family but those attributed to China alone); fractional: its weight is split.
    """
    counts = by_country_year(ctx, ordered=False)
    years = counts.select("year", "attributed", "incomplete").distinct()
    cn = counts.filter(counts.country == country).select("year", china="families", sole="sole")
    j = years.left_join(cn, "year")
    china = j.china.fill_null(0)
    if ctx.fractional:
        rest = (j.attributed - china).round(WEIGHT_DIGITS)
    else:
        rest = j.attributed - j.sole.fill_null(0)
    return j.select(
        "year",
        china=china,
        rest_of_world=rest,
        attributed=j.attributed,
        china_share=ratio(china, j.attributed),
        incomplete=j.incomplete,
    ).order_by("year")


def country_totals(ctx: Landscape) -> ir.Table:
    """Per country, over every year: ``families``, ``share`` of the families placed in a country with a year
    and ``attributed`` (that denominator); most families first. Derived from ``by_country_year``: a family
    has one year, so the years add up."""
    counts = by_country_year(ctx, ordered=False)
    per = counts.group_by("country").agg(families=counts.families.sum())
    if ctx.fractional:
        per = per.mutate(families=per.families.round(WEIGHT_DIGITS))
    years = counts.select("year", "attributed").distinct()
    j = per.cross_join(years.aggregate(attributed=years.attributed.sum()))
    return j.select(
        "country", "families", share=ratio(j.families, j.attributed), attributed=j.attributed
    ).order_by([ibis.desc("families"), "country"])


def default_window(ctx: Landscape, years: int = 5) -> tuple[int, int] | None:
    """The last complete year and ``years`` before it; None when the data have no dates."""
    end = ctx.completeness.last_complete
    if end is None:
        return None
    return end - years, end


def within_years(
    window: tuple[int, int] | None, year_from: int | None, year_to: int | None
) -> tuple[int, int] | None:
    """A window of years moved to end by ``year_to`` (the last year of a filter) and cut at ``year_from``:
    a filter on years compares years it keeps (2002-2015: 2010 with 2015, not 2016 with 2021); None when
    fewer than two are left."""
    if window is None:
        return None
    start, end = window
    if year_to is not None and year_to < end:
        start, end = start - (end - year_to), year_to
    if year_from is not None:
        start = max(start, year_from)
    return (start, end) if end > start else None


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


def placement(ctx: Landscape) -> ir.Table:
    """One row over the selected families: ``families``, ``publication_year`` and ``priority_year`` (how
    many have one), and ``<basis>`` for each country basis (how many it places in a country)."""
    s = ctx.selected
    return s.aggregate(
        families=s.count(),
        publication_year=s.publication_year.count(),
        priority_year=s.priority_year.count(),
        **{b: rows_where(s[f"{b}_countries"] > 0) for b in COUNTRY_BASES},
    )


def placement_counts(ctx: Landscape) -> dict[str, int]:
    """``placement``, executed."""
    row = placement(ctx).to_pyarrow().to_pylist()[0]
    return {k: int(v or 0) for k, v in row.items()}
