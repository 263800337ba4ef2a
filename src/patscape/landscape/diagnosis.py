"""Why a landscape is empty or thin, and what to do about it: nothing an analyst asks for comes back empty
without a word.

- ``check_years``: an impossible year range is an error, before any query.
- ``unknown_filter_values``: an owner or tag the database does not hold, with its closest matches.
- ``warnings``: no family selected (and the data's years, when the filter has years), or a country basis
  placing few of the selected families (and which basis places more).
"""

from __future__ import annotations

from collections.abc import Iterable

import ibis
from rapidfuzz import fuzz, process

from patscape.landscape.basis import COVERAGE, Coverage, Placement
from patscape.landscape.context import Landscape, rows_where
from patscape.landscape.filters import GENAI_DIMENSIONS, SOURCE_TAGS, LandscapeFilter
from patscape.landscape.tables import OWNER_NAMES, TAGS

RAW_NAMES = "owner_groups"  # applicant names as written, with their group (``patscape enrich``)
SUGGESTIONS = 5
MIN_SCORE = 50  # below this a "closest match" is noise


class EmptySelection(ValueError):
    """The request cannot select a family (an impossible year range, an owner or tag the data lack)."""


def check_years(year_from: int | None, year_to: int | None) -> None:
    if year_from is not None and year_to is not None and year_from > year_to:
        raise EmptySelection(
            f"impossible year range: from {year_from} is after to {year_to} (swap them: "
            f"--from {year_to} --to {year_from})"
        )


def closest(wanted: str, candidates: Iterable[str], limit: int = SUGGESTIONS) -> list[str]:
    """The candidates nearest to ``wanted`` (rapidfuzz WRatio, case-insensitive), best first."""
    found = process.extract(
        wanted, list(dict.fromkeys(candidates)), scorer=fuzz.WRatio, processor=str.lower, limit=limit
    )
    return [name for name, score, _ in found if score >= MIN_SCORE]


def _suggest(what: str, wanted: str, matches: list[str], see: str) -> str:
    hint = f"; closest: {', '.join(matches)}" if matches else ""
    return f"no {what} {wanted!r} in the database{hint} ({see})"


def _column(ctx: Landscape, table: str, expr) -> list[str]:  # type: ignore[no-untyped-def]
    return [v for v in expr(ctx.table(table)).to_pyarrow().column(0).to_pylist() if v]


def _groups_spelled(ctx: Landscape, wanted: str) -> list[str]:
    """The owner groups of the applicant names that contain ``wanted`` (case-insensitive), most names
    first."""
    if not ctx.has(RAW_NAMES):
        return []
    g = ctx.table(RAW_NAMES)
    hits = g.filter(g.raw_name.lower().contains(wanted.lower()) & g.group_name.notnull())
    ranked = hits.group_by("group_name").agg(n=hits.count()).order_by([ibis.desc("n"), "group_name"])
    return _column(ctx, RAW_NAMES, lambda _: ranked.select("group_name").limit(SUGGESTIONS))


def tag_names(ctx: Landscape) -> list[str]:
    """Every tag a filter can name: ``model:GAN`` for the taxonomy, the source's own for the rest."""
    t = ctx.table(TAGS)
    rows = t.select("dimension", "tag").distinct().to_pyarrow().to_pylist()
    return sorted(
        r["tag"] if r["dimension"] == SOURCE_TAGS else f"{r['dimension']}:{r['tag']}"
        for r in rows
        if r["dimension"] in (*GENAI_DIMENSIONS, SOURCE_TAGS)
    )


def unknown_filter_values(ctx: Landscape, flt: LandscapeFilter) -> list[str]:
    """One message per owner or tag of ``flt`` that no family carries, with the closest names there are."""
    problems: list[str] = []
    if flt.owner and ctx.has(OWNER_NAMES):
        o = ctx.table(OWNER_NAMES)
        wanted = flt.owner.strip()
        hit = o.filter((o.group_id == wanted) | (o.group_name.lower() == wanted.lower())).count().execute()
        if not hit:
            names = _column(ctx, OWNER_NAMES, lambda t: t.order_by(t.families.desc()).select("group_name"))
            # an applicant's own spelling (百度 in 北京百度网讯科技有限公司) names its group first
            spelled = _groups_spelled(ctx, wanted)
            matches = list(dict.fromkeys([*spelled, *closest(wanted, names)]))[:SUGGESTIONS]
            problems.append(_suggest("owner group", wanted, matches, "see `patscape owners --top 50`"))
    if flt.tags and ctx.has(TAGS):
        known = tag_names(ctx)
        for tag in flt.tags:
            if tag not in known:
                why = "`patscape classify` writes the model:, mode: and application: tags"
                problems.append(_suggest("tag", tag, closest(tag, known), why))
    return problems


def warnings(ctx: Landscape, cov: Coverage, placed: Placement) -> list[str]:
    """What an analyst must know before reading the tables: few or no families placed, and what to try."""
    out: list[str] = []
    basis = ctx.country_by
    if placed.families == 0:
        years = ""
        if ctx.filter.year_from is not None or ctx.filter.year_to is not None:
            span = _years(ctx)
            years = (
                f" (the data's {ctx.year} years run {span[0]}-{span[1]})"
                if span
                else " (no family has a year)"
            )
        return [_why_none(ctx, years)]
    if placed.placed < COVERAGE * placed.families:
        better = cov.best_country()
        hint = ""
        if better != basis and cov.countries.get(better, 0) > cov.countries.get(basis, 0):
            hint = (
                f": try --country-by {better} (places {cov.countries[better]:,} of {cov.families:,} "
                "families, any year)"
            )
        out.append(
            f"the {basis} country basis places only {placed.placed:,} of {placed.families:,} selected "
            f"families{hint}"
        )
    return out


def _years(ctx: Landscape) -> tuple[int, int] | None:
    f = ctx.all_families()
    row = f.aggregate(low=f.year.min(), high=f.year.max()).to_pyarrow().to_pylist()[0]
    return (row["low"], row["high"]) if row["low"] is not None else None


def _why_none(ctx: Landscape, years: str) -> str:
    f = ctx.all_families()
    row = f.aggregate(families=f.count(), genai=rows_where(f.genai)).to_pyarrow().to_pylist()[0]
    if not row["families"]:
        return "the database holds no patent family: `patscape ingest` files, then `patscape enrich`"
    if ctx.filter.genai and not row["genai"]:
        return "no family is labelled generative AI: run `patscape classify`, then `patscape enrich`"
    return f"no family matches {ctx.filter.describe()}{years}: widen the filter"
