"""Model × mode and application breakdowns of the selected families (tags from ``genai_tags``).

A family carries a tag when one of its members does. Full counting counts a family once in every cell it falls
in; fractional counting splits it evenly over its cells (1 / (models × modes), 1 / applications).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import Landscape, ratio


def all_family_tags(ctx: Landscape) -> ir.Table:
    """``family_id``, ``year``, ``dimension``, ``tag``: the distinct tags of the selected families (worth
    caching when several breakdowns are built)."""
    t = ctx.table("genai_tags")
    if ctx.filter.genai_method:
        t = t.filter(t.method == ctx.filter.genai_method)
    members = ctx.table("family_members").select("family_id", "pub_key")
    tagged = t.select("pub_key", "dimension", "tag").join(members, "pub_key")
    tagged = tagged.select("family_id", "dimension", "tag").distinct()
    return tagged.join(ctx.selected.select("family_id", "year"), "family_id")


def family_tags(ctx: Landscape, dimension: str, tags: ir.Table | None = None) -> ir.Table:
    """``family_id``, ``year``, ``tag``: distinct tags of one dimension on the selected families (from
    ``tags``, ``all_family_tags`` when already built)."""
    t = tags if tags is not None else all_family_tags(ctx)
    return t.filter(t.dimension == dimension).select("family_id", "year", "tag")


def model_mode(ctx: Landscape, tags: ir.Table | None = None) -> ir.Table:
    """``model``, ``mode``, ``families``, ``share`` (of the families with both a model and a mode tag)."""
    models = family_tags(ctx, "model", tags).select("family_id", model="tag")
    modes = family_tags(ctx, "mode", tags).select("family_id", mode="tag").view()
    pairs = models.join(modes, "family_id")
    if ctx.fractional:
        n = pairs.count().over(group_by=pairs.family_id)
        pairs = pairs.mutate(weight=1.0 / n.cast("float64"))
    cells = pairs.group_by(["model", "mode"]).agg(families=ctx.count(pairs))
    total = pairs.aggregate(tagged=pairs.family_id.nunique())
    j = cells.cross_join(total)
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
        tags = tags.mutate(weight=1.0 / tags.count().over(group_by=tags.family_id).cast("float64"))
    if by_year:
        cells = tags.group_by(["year", dimension]).agg(families=ctx.count(tags))
        totals = tags.group_by("year").agg(tagged=tags.family_id.nunique())
        j = cells.join(totals, "year")
        return j.select(
            "year",
            dimension,
            "families",
            share=ratio(j.families, j.tagged),
            incomplete=ctx.incomplete(j.year),
        ).order_by(["year", dimension])
    cells = tags.group_by(dimension).agg(families=ctx.count(tags))
    j = cells.cross_join(tags.aggregate(tagged=tags.family_id.nunique()))
    return j.select(dimension, "families", share=ratio(j.families, j.tagged)).order_by(
        [ibis.desc("families"), dimension]
    )


def applications(ctx: Landscape, by_year: bool = False) -> ir.Table:
    return breakdown(ctx, "application", by_year)
