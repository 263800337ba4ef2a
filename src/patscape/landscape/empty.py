"""Why a panel of the dashboard has no rows, said by the library from counts of the selected families.

"No families for this filter" is true only when the filter keeps no family. A panel counts the selected
families that have what it needs (a year and a country on the basis, an owner group, a model and a mode
tag...), so it is empty as often because none of the selected families has that: the reason names it, with
the number of families that lack it, and the page shows it as given.

    counts = run(selection_counts(ctx))   # one row
    why_empty("model_mode", counts[0], ctx)
"""

from __future__ import annotations

from collections.abc import Mapping

import ibis.expr.types as ir

from patscape.landscape.context import Landscape, rows_where

# the panels that need a year and a country on the basis; those that need a country alone
_PER_YEAR_AND_COUNTRY = frozenset({"countries", "country_totals", "china_vs_world"})
_PER_COUNTRY = frozenset({"country_quality"})
_PER_OWNER = frozenset({"owners", "owner_quality"})


def selection_counts(ctx: Landscape) -> ir.Table:
    """One row: the selected ``families``; those with a year on the basis (``dated``), with a country on the
    basis (``placed``), with both (``dated_placed``), with an owner group (``owned``), labelled generative
    AI (``genai``)."""
    s = ctx.selected
    placed = s[f"{ctx.country_by}_countries"] > 0
    dated = s.year.notnull()

    return s.aggregate(
        families=s.count(),
        dated=rows_where(dated),
        placed=rows_where(placed),
        dated_placed=rows_where(dated & placed),
        owned=rows_where(s.owner_count > 0),
        genai=rows_where(s.genai.fill_null(False)),
    )


def _none(n: int, one: str, many: str, lacks: str, has: str) -> str:
    """``None of the 12 families in this selection has X.``, and the same said of one family."""
    if n == 1:
        return f"The one {one} in this selection {lacks}."
    return f"None of the {n:,} {many} in this selection {has}."


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def why_empty(panel: str, counts: Mapping[str, int], ctx: Landscape) -> str:
    """The reason ``panel`` has no rows, from ``selection_counts`` of the same selection."""
    n = int(counts["families"])
    if n == 0:
        return "No families for this filter." if not ctx.filter.is_empty() else "The data hold no families."
    year, basis = f"{ctx.year} year", f"{ctx.country_by} country"
    a_year, a_basis = f"{_article(year)} {year}", f"{_article(basis)} {basis}"
    families = ("family", "families")
    if panel in _PER_YEAR_AND_COUNTRY | _PER_COUNTRY and not counts["placed"]:
        lacking = _none(n, *families, f"has no {basis}", f"has {a_basis}")
        return f"{lacking} Another country basis may place them."
    if panel in _PER_YEAR_AND_COUNTRY and not counts["dated"]:
        return _none(n, *families, f"has no {year}", f"has {a_year}")
    if panel in _PER_YEAR_AND_COUNTRY and not counts["dated_placed"]:
        return _none(n, *families, f"lacks {a_year} or {a_basis}", f"has both {a_year} and {a_basis}")
    if panel in _PER_OWNER and not counts["owned"]:
        return _none(n, *families, "has no owner group", "has an owner group")
    if panel == "model_mode" and not counts["genai"]:
        lacking = _none(n, *families, "is not labelled generative AI", "is labelled generative AI")
        return f"{lacking} Models and modes are tagged on generative-AI families only."
    if panel == "model_mode":
        return _none(
            int(counts["genai"]),
            "generative-AI family",
            "generative-AI families",
            "lacks a model or a mode tag",
            "has both a model and a mode tag",
        )
    if panel == "applications":
        lacking = _none(n, *families, "has no application field", "has an application field")
        return f"{lacking} The classification (patscape classify) gives one to every document it labels."
    return _none(n, *families, "is not counted in this panel", "is counted in this panel")
