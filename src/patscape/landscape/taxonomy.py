"""Model × mode and application breakdowns of the selected families (taxonomy tags of ``genai_tags``, by
family in ``family_fact_tags``).

A family carries a tag when one of its members does. Full counting counts a family once in every cell it falls
in; fractional counting splits it evenly over its cells (1 / (models × modes), 1 / applications).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import Landscape, ratio, rows_where
from patscape.landscape.filters import GENAI_DIMENSIONS, SOURCE_TAGS
from patscape.landscape.tables import FIRST, TAG_PAIRS, TAGS


def all_family_tags(ctx: Landscape) -> ir.Table:
    """``family_key``, ``year``, ``dimension``, ``tag``: the distinct taxonomy tags of the selected families
    (worth caching when several breakdowns are built)."""
    t = ctx.child(TAGS)
    t = t.filter(t.dimension.isin(GENAI_DIMENSIONS))
    if ctx.filter.genai_method:
        t = t.filter(t.method == ctx.filter.genai_method)
    elif ctx.tables.merged_tags:  # a tag once per family already, its first of a dimension marked
        return t.select("family_key", "year", "dimension", "tag", FIRST)
    return t.select("family_key", "year", "dimension", "tag").distinct()


def family_tags(ctx: Landscape, dimension: str, tags: ir.Table | None = None) -> ir.Table:
    """``family_key``, ``year``, ``tag``: distinct tags of one dimension on the selected families (from
    ``tags``, ``all_family_tags`` when already built), and ``FIRST`` when they mark it."""
    t = tags if tags is not None else all_family_tags(ctx)
    marked = (FIRST,) if FIRST in t.columns else ()
    return t.filter(t.dimension == dimension).select("family_key", "year", "tag", *marked)


def counted(ctx: Landscape, rows: ir.Table, keys: list[str], by: list[str] | None = None) -> ir.Table:
    """Per ``keys`` of ``rows`` (a family's tags or model × mode pairs, once each): ``families``, and
    ``tagged``, the families with any row (within the same ``by``). Where the rows mark each family's
    first (``FIRST``), one pass over them counts both: the marks summed over the cells
    (a family's first row falls in one cell), where a DISTINCT over the family keys reads them again
    (model × mode and applications of "CN or US" on a million families: 36 -> 5 and 21 -> 10 ms,
    bench/README.md)."""
    if FIRST in rows.columns:
        cells = rows.group_by(keys).agg(families=ctx.count(rows), _first=rows_where(rows[FIRST]))
        tagged = cells._first.sum().over(group_by=by) if by else cells._first.sum().over()
        return cells.mutate(tagged=tagged).drop("_first")
    cells = rows.group_by(keys).agg(families=ctx.count(rows))
    if by:
        return cells.join(rows.group_by(by).agg(tagged=rows.family_key.nunique()), by)
    return cells.cross_join(rows.aggregate(tagged=rows.family_key.nunique()))


def model_mode(ctx: Landscape, tags: ir.Table | None = None) -> ir.Table:
    """``model``, ``mode``, ``families``, ``share`` (of the families with both a model and a mode tag)."""
    if tags is None and ctx.tables.has(TAG_PAIRS) and not ctx.filter.genai_method:
        pairs = ctx.child(TAG_PAIRS)  # made with their weights (the dashboard's working copies)
    else:
        models = family_tags(ctx, "model", tags).select("family_key", model="tag")
        modes = family_tags(ctx, "mode", tags).select("family_key", mode="tag").view()
        pairs = models.join(modes, "family_key")
        if ctx.fractional:
            n = pairs.count().over(group_by=pairs.family_key)
            pairs = pairs.mutate(weight=1.0 / n.cast("float64"))
    j = counted(ctx, pairs, ["model", "mode"])
    return j.select("model", "mode", "families", share=ratio(j.families, j.tagged)).order_by(
        ["model", "mode"]
    )


def breakdown(
    ctx: Landscape, dimension: str, by_year: bool = False, tags: ir.Table | None = None
) -> ir.Table:
    """Families per tag of one dimension (``model``, ``mode`` or ``application``; the column is named after
    it): ``families``, ``share`` (of the families with a tag of that dimension); with ``by_year``, per year
    (families with a year only) with the ``incomplete`` flag."""
    tags = family_tags(ctx, dimension, tags)
    if by_year:
        tags = tags.filter(tags.year.notnull())
    tags = tags.rename(**{dimension: "tag"})
    if ctx.fractional:
        tags = tags.mutate(weight=1.0 / tags.count().over(group_by=tags.family_key).cast("float64"))
    if by_year:
        j = counted(ctx, tags, ["year", dimension], by=["year"])
        return j.select(
            "year",
            dimension,
            "families",
            share=ratio(j.families, j.tagged),
            incomplete=ctx.incomplete(j.year),
        ).order_by(["year", dimension])
    j = counted(ctx, tags, [dimension])
    return j.select(dimension, "families", share=ratio(j.families, j.tagged)).order_by(
        [ibis.desc("families"), dimension]
    )


def applications(ctx: Landscape, by_year: bool = False) -> ir.Table:
    return breakdown(ctx, "application", by_year)


EXCLUDED_SOURCE_TAGS = ("cset:number-lost",)  # a marker of the CSET reader, not a category


def source_categories(ctx: Landscape) -> ir.Table:
    """Per category given by the source (ingested ``tags``, e.g. the CSET AI categories): ``category``,
    ``families`` (full counting) and ``share`` of the selected families that carry a category."""
    t = ctx.child(TAGS)
    t = t.filter((t.dimension == SOURCE_TAGS) & ~t.tag.isin(EXCLUDED_SOURCE_TAGS))
    per = t.group_by("tag").agg(families=t.count())  # one row per family and source tag
    j = per.cross_join(t.aggregate(tagged=t.family_key.nunique()))
    return j.select(category=j.tag, families=j.families, share=ratio(j.families, j.tagged)).order_by(
        [ibis.desc("families"), "category"]
    )
