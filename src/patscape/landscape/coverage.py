"""Source coverage: what each source in the store covers (offices, years, selection), which sources make up
each year's families, and where that composition changes.

A trend is only a trend while the families of every year come from the same mix of sources: the CSET table
ends around 2018-2020 and the Google Patents exports begin in 2020, so a fall in families or in China's
share across those years is a change of sources, not of filings. :func:`composition` gives each year's
source mix (each source's share of the year's families, normalised to sum to one) and flags "composition
changes here" where the mix has moved away from that of the first year of the current window by more than
``tolerance`` in total variation distance (half the sum of the absolute differences of the shares). Against
the window's first year, not the year before, so that a slow drift is caught too; by a distance, not by which
sources pass a share, so that a small source hovering around a cut-off does not break windows.
:func:`stable_windows` gives the runs of years between changes: the only windows over which a growth rate or
a change of shares may be stated. The sources listed per year are those holding at least ``threshold`` of
its families.

A source is what one reader read from one folder (``publications.reader`` and the folder of
``source_file``, named ``reader: folder``): the three Google Patents exports saved together are one source,
the 2018 export beside another study's data another. A family counts for every source holding one of its
members.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from patscape.enrich.facts import source_name
from patscape.landscape.context import Landscape
from patscape.landscape.tables import SOURCES as SOURCES_TABLE

DEFAULT_THRESHOLD = 0.05  # a source holding less of a year's families is not listed as making it up
DEFAULT_TOLERANCE = 0.3  # total variation distance between source mixes beyond which the composition changed

# What each reader's data are a selection of; office formats hold what the office published.
SELECTIONS = {
    "cset-ai-patents": "families selected by CSET's AI classification (the CSET / 1790 Analytics table)",
    "google-patents-csv": "the results of a saved Google Patents search",
    "google-patents-scraped": "publications scraped from Google Patents for chosen CPC codes",
    "lens-jsonl": "the results of a saved Lens.org search",
    "lens-csv": "the results of a saved Lens.org search",
    "patentscope-xls": "a WIPO PATENTSCOPE result list",
    "patentsview-api-csv": "the results of a PatentsView API query",
}
OFFICE_SELECTION = "office publications as issued (the files given)"


def selection_of(reader: str) -> str:
    return SELECTIONS.get(reader, OFFICE_SELECTION)


def _publications(con: BaseBackend) -> ir.Table:
    pubs = con.table("publications")
    return pubs.mutate(source=source_name(pubs))


def _family_sources(con: BaseBackend) -> ir.Table:
    members = con.table("family_members").select("family_id", "pub_key")
    joined = members.join(_publications(con).select("pub_key", "source"), "pub_key")
    return joined.select("family_id", "source").distinct()


def sources(con: BaseBackend, year: str = "priority_year") -> ir.Table:
    """Per source: ``source``, ``reader``, ``files``, ``publications``, ``offices`` (distinct publishing
    countries), ``families``, ``first_year`` and ``last_year`` of its families on ``year``,
    ``published_from`` and ``published_to`` (dates of its publications)."""
    pubs = _publications(con)
    per_pub = pubs.group_by("source").agg(
        reader=pubs.reader.max(),
        files=pubs.source_file.nunique(),
        publications=pubs.count(),
        offices=pubs.country.nunique(),
        published_from=pubs.published.min(),
        published_to=pubs.published.max(),
    )
    fs = _family_sources(con).join(con.table("families").select("family_id", year), "family_id")
    per_family = fs.group_by("source").agg(
        families=fs.family_id.nunique(), first_year=fs[year].min(), last_year=fs[year].max()
    )
    return per_pub.left_join(per_family, "source").select(
        "source", "reader", "files", "publications", "offices", "families", "first_year", "last_year",
        "published_from", "published_to",
    ).order_by("source")  # fmt: skip


def source_offices(con: BaseBackend) -> ir.Table:
    """``source``, ``office``, ``publications``: the publishing countries of each source."""
    pubs = _publications(con)
    return (
        pubs.group_by(["source", pubs.country.name("office")])
        .agg(publications=pubs.count())
        .order_by(["source", ibis.desc("publications"), "office"])
    )


def contributions(
    con: BaseBackend, year: str = "priority_year", office: bool = False, families: ir.Table | None = None
) -> ir.Table:
    """``year`` (and ``office``: a member's publishing country, when asked), ``source``, ``families`` (with a
    member from the source), ``total`` (the year's families) and ``share``. ``families`` (``family_id`` and
    ``year``, a row per family) restricts the count to a selection, as the report's; by default every
    family. Every row counted is one family's (the pairs of family and source are distinct): counted as
    rows, not as distinct family ids (strings, which cost a million families a second hash)."""
    if families is None:
        families = con.table("families").select("family_id", year)
    families = families.filter(families[year].notnull())
    fs = _family_sources(con).join(families, "family_id")
    if office:
        members = con.table("family_members").select("family_id", "pub_key", office="country")
        pubs = _publications(con).select("pub_key", "source")
        fs = members.join(pubs, "pub_key").join(families, "family_id")
        fs = fs.select("family_id", year, "office", "source").distinct()
        dated = fs.select("family_id", year, "office").distinct()
        keys = [year, "office"]
    else:
        dated = families
        keys = [year]
    per = fs.group_by([*keys, "source"]).agg(families=fs.count())
    totals = dated.group_by(keys).agg(total=dated.count())
    joined = per.join(totals, keys)
    return joined.select(
        *keys, "source", "families", "total", share=(joined.families / joined.total).round(4)
    ).order_by([*keys, "source"])


@dataclass(slots=True)
class YearComposition:
    year: int
    families: int
    sources: tuple[str, ...]  # the sources holding at least the threshold of the year's families
    shares: dict[str, float] = field(default_factory=dict)  # every source's share, however small
    distance: float = 0.0  # total variation distance of the mix from that of the window's first year
    changes: bool = False  # composition changes here: this year opens a new window


def mix_distance(a: dict[str, float], b: dict[str, float]) -> float:
    """Total variation distance between two source mixes, each normalised to sum to one."""
    ta, tb = sum(a.values()) or 1.0, sum(b.values()) or 1.0
    return 0.5 * sum(abs(a.get(s, 0.0) / ta - b.get(s, 0.0) / tb) for s in set(a) | set(b))


def composition(
    con: BaseBackend,
    year: str = "priority_year",
    threshold: float = DEFAULT_THRESHOLD,
    tolerance: float = DEFAULT_TOLERANCE,
    families: ir.Table | None = None,
) -> list[YearComposition]:
    """Per year (ascending), the source mix of its families (of ``families`` when given, as in
    :func:`contributions`) and whether the composition changes there."""
    return _mix(contributions(con, year, families=families), year, threshold, tolerance)


def selected_contributions(ctx: Landscape) -> ir.Table:
    """:func:`contributions` of the selected families with a year on ``ctx``'s basis (``year``), counted over
    the fact table's sources (``family_fact_sources``): integer keys, where the publications' way joins
    members and publications on their string keys."""
    dated = ctx.dated()
    rows = ctx.child(SOURCES_TABLE)
    rows = rows.filter(rows.year.notnull())
    per = rows.group_by(["year", "source"]).agg(families=rows.count())
    totals = dated.group_by("year").agg(total=dated.count())
    joined = per.join(totals, "year")
    return joined.select(
        "year", "source", "families", "total", share=(joined.families / joined.total).round(4)
    ).order_by(["year", "source"])


def selected_composition(
    ctx: Landscape, threshold: float = DEFAULT_THRESHOLD, tolerance: float = DEFAULT_TOLERANCE
) -> list[YearComposition]:
    """:func:`composition` of the selected families of ``ctx`` on its year basis: from the fact table's
    sources when the store has them (a full ``patscape enrich`` writes them), else from the publications;
    empty for a landscape copy with neither."""
    if ctx.has(SOURCES_TABLE):
        return _mix(selected_contributions(ctx), "year", threshold, tolerance)
    if not (ctx.has("publications") and ctx.has("family_members")):
        return []
    dated = ctx.dated()
    families = dated.select("family_id", year=dated.year)
    return composition(ctx.con, "year", threshold, tolerance, families=families)


def _mix(contributed: ir.Table, year: str, threshold: float, tolerance: float) -> list[YearComposition]:
    rows = contributed.to_pyarrow().to_pylist()
    years: dict[int, YearComposition] = {}
    for r in rows:
        y = int(r[year])
        entry = years.setdefault(y, YearComposition(y, int(r["total"]), ()))
        entry.shares[r["source"]] = float(r["share"])
    out = sorted(years.values(), key=lambda e: e.year)
    start: YearComposition | None = None
    for entry in out:
        entry.sources = tuple(sorted(s for s, share in entry.shares.items() if share >= threshold))
        if start is None:
            start = entry
            continue
        entry.distance = round(mix_distance(entry.shares, start.shares), 4)
        if entry.distance > tolerance:
            entry.changes = True
            entry.distance = 0.0
            start = entry
    return out


def stable_windows(years: list[YearComposition]) -> list[tuple[int, int, tuple[str, ...]]]:
    """The runs of years between changes of composition: (first, last, the sources listed in any of them)."""
    windows: list[tuple[int, int, tuple[str, ...]]] = []
    for entry in years:
        if windows and not entry.changes:
            first, _, srcs = windows[-1]
            windows[-1] = (first, entry.year, tuple(sorted({*srcs, *entry.sources})))
        else:
            windows.append((entry.year, entry.year, entry.sources))
    return windows


def after_last_change(start: int, end: int, changes: list[int] | tuple[int, ...]) -> int:
    """The first year of a growth window ``start``-``end`` moved past the last change of composition up to
    ``end`` (a window from then on compares the same sources)."""
    return max([start, *(y for y in changes if y <= end)])


def window_of(years: list[YearComposition], year: int) -> tuple[int, int] | None:
    """The stable window holding ``year``, or None when the year has no families."""
    for first, last, _ in stable_windows(years):
        if first <= year <= last:
            return first, last
    return None


def coverage_report(
    con: BaseBackend,
    year: str = "priority_year",
    threshold: float = DEFAULT_THRESHOLD,
    tolerance: float = DEFAULT_TOLERANCE,
    offices: int = 8,
) -> dict[str, list[dict[str, object]]]:
    """What ``patscape coverage`` prints: ``sources`` (each with its selection and main offices), ``years``
    (the sources making up each year, and "composition changes here") and the stable ``windows``."""
    by_source: dict[str, list[str]] = {}
    for r in source_offices(con).to_pyarrow().to_pylist():
        by_source.setdefault(r["source"], []).append(f"{r['office']} {r['publications']}")
    source_rows = [
        {
            **r,
            "selection": selection_of(str(r["reader"])),
            "main_offices": ", ".join(by_source.get(str(r["source"]), [])[:offices]),
        }
        for r in sources(con, year).to_pyarrow().to_pylist()
    ]
    years = composition(con, year, threshold, tolerance)
    year_rows: list[dict[str, object]] = [
        {
            "year": e.year,
            "families": e.families,
            "sources": "; ".join(f"{s} {e.shares[s]:.0%}" for s in e.sources),
            "distance": e.distance,
            "composition_changes": e.changes,
        }
        for e in years
    ]
    windows: list[dict[str, object]] = [
        {"first_year": first, "last_year": last, "sources": "; ".join(srcs)}
        for first, last, srcs in stable_windows(years)
    ]
    return {"sources": source_rows, "years": year_rows, "windows": windows}
