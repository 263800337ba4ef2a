"""Every table behind the report, computed once: the landscape's sections, the key figures the summary
quotes, and the method facts (the landscape computes every table; the report only reads them).

Each table is written as ``<name>.csv``; a table that is empty or could not be computed is listed in
``skipped`` with a reason a reader understands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from patscape.enrich.sectors import SECTORS
from patscape.landscape import SECTIONS as LANDSCAPE_SECTIONS
from patscape.landscape import Landscape, Panels, commercial, sectors, talent
from patscape.landscape.basis import AUTO, Placement, placement, with_bases
from patscape.landscape.coverage import YearComposition, selected_composition, stable_windows
from patscape.landscape.diagnosis import EmptySelection, check_years, warnings
from patscape.landscape.provenance import COUNTED, provenance
from patscape.report import method
from patscape.report.options import Coverage, ReportOptions, growth_window

# The landscape sections the report shows (the per-family ``quality`` table stays behind the two summaries).
SECTIONS = tuple(section for section in LANDSCAPE_SECTIONS if section != "quality")
GENAI_SECTIONS = frozenset({"models", "modes", "model_mode", "applications", "applications_by_year"})
OWNER_SECTIONS = frozenset({"owners", "owner_quality"})
DIGITS = 6
CHART_FLOOR = 0.01  # charts start at the first year with 1 % of the busiest year's families


@dataclass
class ReportData:
    options: ReportOptions
    ctx: Landscape
    coverage: Coverage
    window: tuple[int, int] | None
    composition: list[YearComposition] = field(default_factory=list)  # the selected families' source mix
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    genai: method.GenAIFacts = field(default_factory=method.GenAIFacts)
    counts: dict[str, int] = field(default_factory=dict)  # rows of the base tables (publications, citations…)
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    placement: Placement | None = None  # the families every section counts, and those it cannot place
    warnings: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.frames and not self.frames[name].empty

    def frame(self, name: str) -> pd.DataFrame:
        return self.frames.get(name, pd.DataFrame())

    def figure(self, name: str) -> Any:
        kf = self.frame("key_figures")
        hit = kf.loc[kf["figure"] == name, "value"] if not kf.empty else []
        return hit.iloc[0] if len(hit) else None


def landscape_context(con: Any, options: ReportOptions) -> tuple[Landscape, Coverage]:
    """The Landscape with the bases chosen (``auto``: from what the selected families carry, by the rule
    ``patscape landscape`` follows too)."""
    base = Landscape(con, filter=options.landscape_filter(), fractional=options.fractional)
    return with_bases(base, options.year, options.country_by)


def gather(con: Any, options: ReportOptions, readers: dict[str, str]) -> ReportData:
    """Every table of the report. Raises ``EmptySelection`` when the options select no family: a report of
    zeros is refused with the reason."""
    check_years(options.year_from, options.year_to)
    ctx, cov = landscape_context(con, options)
    any_year = ctx.with_options(filter=replace(ctx.filter, dated=False))  # for what is left out, and why
    placed = placement(any_year, chosen=AUTO in (options.year, options.country_by))
    advice = warnings(any_year, cov, placed)
    if not placed.families or not placed.placed:
        raise EmptySelection("nothing to report: " + "; ".join(advice or ["no family is placed"]))
    mix = selected_composition(ctx)
    window = growth_window(ctx, options.year_from, options.year_to, [e.year for e in mix if e.changes])
    data = ReportData(options, ctx, cov, window, mix, placement=placed, warnings=advice)
    data.frames.update(composition_frames(mix))
    data.frames["commercial"] = commercial_signals(ctx)
    data.frames["sectors"] = applicant_sectors(ctx)
    data.frames["talent"] = inventors(ctx)
    panels = Panels(
        con,
        year=ctx.year,
        country_by=ctx.country_by,
        fractional=ctx.fractional,
        top=options.top_owners,
        window=window,
        panels=SECTIONS,
    )
    tables = panels.compute(ctx.filter)
    data.frames.update({name: _round(t.to_pandas()) for name, t in tables.items()})
    data.skipped.update({name: _missing_reason(name, why) for name, why in panels.skipped.items()})
    found = provenance(ctx.tables)
    data.frames["sources"] = method.sources(found, readers)
    data.frames["quarantine"] = found.quarantine
    data.genai = method.genai_facts(found)
    data.counts = {name: found.counts.get(name, 0) for name in (*COUNTED, "claims")}
    data.counts["selected_families"] = placed.families
    _explain_empty(data)
    data.frames["key_figures"] = key_figures(data)
    data.frames["method"] = method_table(data)
    return data


def _stable_composition(data: ReportData) -> tuple[int, int] | None:
    """The window of stable composition holding the growth window's end (else the last complete year, else
    the last year); None when the sources never change (every year is then comparable)."""
    if not any(e.changes for e in data.composition):
        return None
    last = data.ctx.completeness.last_complete
    anchor = data.window[1] if data.window else last if last is not None else data.composition[-1].year
    before = [(first, end) for first, end, _ in stable_windows(data.composition) if first <= anchor]
    return before[-1] if before else None


def commercial_signals(ctx: Landscape) -> pd.DataFrame:
    """Per country of the selected families (full counting): the families filed in two or more IP5 offices,
    triadic, granted and cited from abroad, and their shares (``landscape/commercial.py``)."""
    needed = ("families", "family_members", "family_countries", "citations")
    if not all(ctx.has(t) for t in needed):
        return pd.DataFrame(columns=["country", "families"])
    table = commercial.by_country(ctx.con, basis=ctx.country_by, families=ctx.selected_ids()).to_pandas()
    return table.sort_values(["families", "country"], ascending=[False, True]).reset_index(drop=True)


TALENT_COLUMNS = ["year", "country", "inventors", "families", "per_family", "placed_by_office"]


def inventors(ctx: Landscape) -> pd.DataFrame:
    """Per year and country of the selected families: distinct inventors, the families naming one, inventors
    per family, and the inventors placed by the first-filing office (``landscape/talent.py``)."""
    if not all(ctx.has(t) for t in ("parties", "family_members", "families")):
        return pd.DataFrame(columns=TALENT_COLUMNS)
    selected = set(ctx.selected_ids().to_pyarrow().column("family_id").to_pylist())
    rows = [r for r in talent.inventor_rows(ctx.con, f"{ctx.year}_year") if r.family_id in selected]
    return pd.DataFrame(talent.inventors_by_country_year(rows), columns=TALENT_COLUMNS)


def leading_inventor_countries(data: ReportData, n: int = 5) -> list[str]:
    """The countries with most distinct inventors in the growth window's last year."""
    df = data.frame("talent")
    if df.empty or not data.window:
        return []
    last = df[df["year"] == data.window[1]].sort_values(["inventors", "country"], ascending=[False, True])
    return list(last["country"].head(n))


SECTOR_COLUMNS = [
    "country",
    "families",
    *SECTORS,
    "academic",
    "academic_share",
    "co_applications",
    "co_share",
]


def applicant_sectors(ctx: Landscape) -> pd.DataFrame:
    """Per country of the selected families with an owner of known sector (full counting): the share of
    them with an owner of each sector, the families with an academic owner (university or institute) and
    those of them co-applied with a company (``landscape/sectors.py``)."""
    empty = pd.DataFrame(columns=SECTOR_COLUMNS)
    if not all(ctx.has(t) for t in ("owner_groups", "family_owners", "family_countries")):
        return empty
    selected = ctx.selected_ids()
    long = sectors.by_sector(ctx.con, basis=ctx.country_by, year=None, families=selected).to_pandas()
    if long.empty:
        return empty
    shares = long.pivot(index="country", columns="sector", values="share").reindex(columns=list(SECTORS))
    co = sectors.co_applications(ctx.con, basis=ctx.country_by, year=None, families=selected).to_pandas()
    out = co.merge(shares.fillna(0.0).reset_index(), on="country")
    out["academic_share"] = (out["academic"] / out["families"]).round(4)
    return (
        out[SECTOR_COLUMNS]
        .sort_values(["families", "country"], ascending=[False, True])
        .reset_index(drop=True)
    )


def composition_frames(mix: list[YearComposition]) -> dict[str, pd.DataFrame]:
    """``composition``: per year, its families, the sources making it up, the distance of its mix from its
    window's first year, whether the composition changes there, and its window of stable composition;
    ``source_shares``: per year and source, the source's share of the year's families."""
    window = {}
    for first, last, _ in stable_windows(mix):
        window.update({y: (first, last) for y in range(first, last + 1)})
    years = pd.DataFrame(
        [(e.year, e.families, "; ".join(e.sources), e.distance, e.changes, *window[e.year]) for e in mix],
        columns=[
            "year",
            "families",
            "sources",
            "distance",
            "composition_changes",
            "window_first",
            "window_last",
        ],
    )
    shares = pd.DataFrame(
        [(e.year, s, share) for e in mix for s, share in sorted(e.shares.items())],
        columns=["year", "source", "share"],
    )
    return {"composition": years, "source_shares": shares}


def _round(df: pd.DataFrame) -> pd.DataFrame:
    floats = [c for c in df.columns if pd.api.types.is_float_dtype(df[c])]
    return df.assign(**{c: df[c].round(DIGITS) for c in floats}) if floats else df


# -- why a section is empty ---------------------------------------------------------------------------------


def _missing_reason(name: str, why: str) -> str:
    if name in GENAI_SECTIONS:
        return f"no generative-AI labels in the database ({why}); run `patscape classify` first"
    if name in OWNER_SECTIONS:
        return f"no owner groups in the database ({why}); run `patscape enrich` first"
    return why


def _explain_empty(data: ReportData) -> None:
    for name, df in data.frames.items():
        if not df.empty or name in data.skipped or name in ("quarantine",):
            continue
        if name in GENAI_SECTIONS:
            data.skipped[name] = (
                "no publication carries a generative-AI tag yet: run `patscape classify` to label them"
                if not data.counts.get("genai_tags")
                else "none of the selected families carries a generative-AI tag of this kind"
            )
        elif name in OWNER_SECTIONS:
            data.skipped[name] = (
                "the sources name no applicant or assignee for these families, so there is no owner to rank"
                if not data.counts.get("family_owners")
                else "none of the selected families has an owner group"
            )
        elif name == "source_categories":
            data.skipped[name] = "the sources give no categories (tags) for these families"
        elif name == "growth":
            data.skipped[name] = "no country has families in the growth window"
        else:
            data.skipped[name] = "no selected family has a year and a country on the chosen bases"


# -- key figures: every number of the summary that is not a cell of a landscape table ---------------------


def key_figures(data: ReportData) -> pd.DataFrame:
    ctx = data.ctx
    rows: list[tuple[str, Any, str]] = []

    def add(figure: str, value: Any, definition: str) -> None:
        rows.append((figure, value, definition))

    add("families", data.counts["selected_families"], "selected patent families (any year)")
    if data.placement is not None:
        add("families_without_year", data.placement.undated, "selected families without a year on the basis")
        add(
            "families_placed",
            data.placement.placed,
            "selected families with a year and a country on the bases",
        )
    totals = data.frame("year_totals")
    dated = int(totals["total"].sum()) if not totals.empty else 0
    add("families_with_year", dated, "sum of year_totals.total: selected families with a year on the basis")
    if not totals.empty:
        add("first_year", int(totals["year"].min()), "first year in year_totals")
        add("last_year", int(totals["year"].max()), "last year in year_totals")
        incomplete = totals.loc[totals["incomplete"].astype(bool)]
        add(
            "families_in_incomplete_years",
            int(incomplete["total"].sum()),
            "sum of year_totals.total over the years flagged incomplete",
        )
        threshold = CHART_FLOOR * float(totals["total"].max())
        add(
            "chart_first_year",
            int(totals.loc[totals["total"] >= threshold, "year"].min()),
            "first year whose families reach 1 % of the busiest year's (charts start there)",
        )
    stable = _stable_composition(data)
    if stable is not None:
        add("stable_from", stable[0], "first year of the stable composition holding the last complete year")
        add("stable_to", stable[1], "last year of that stable composition")
    if not totals.empty:
        peak = totals.loc[~totals["incomplete"].astype(bool)]
        if stable is not None:  # the busiest year of other sources says nothing of these
            peak = peak.loc[peak["year"].between(*stable)]
        if not peak.empty:
            top = peak.sort_values(["total", "year"], ascending=[False, True]).iloc[0]
            add(
                "peak_year",
                int(top["year"]),
                "complete year with most families (year_totals), within the stable composition",
            )
            add("peak_families", int(top["total"]), "year_totals.total of the peak year")
    first = ctx.completeness.first_incomplete
    if first is not None:
        add("first_incomplete_year", first, "first year flagged incomplete (publication lag)")
    if data.window:
        start, end = data.window
        by_year = dict(zip(totals["year"], totals["total"], strict=True)) if not totals.empty else {}
        s, e = int(by_year.get(start, 0)), int(by_year.get(end, 0))
        add("window_start", start, "first year of the growth window")
        add("window_end", end, "last year of the growth window (the last complete year)")
        add("window_start_families", s, "year_totals.total of the window's first year")
        add("window_end_families", e, "year_totals.total of the window's last year")
        cagr = (e / s) ** (1 / (end - start)) - 1 if s > 0 else None
        add("window_cagr", None if cagr is None else round(cagr, DIGITS), "(end / start) ** (1 / years) - 1")
    changes = [e.year for e in data.composition if e.changes]
    add("composition_changes", len(changes), "years where the sources' composition changes (composition)")
    owners = data.frame("owners")
    if not owners.empty:
        add("top_owners", len(owners), "owner groups ranked in the owners table")
        for country, n in owners["country"].fillna("unknown").value_counts().items():
            add(f"owners_from:{country}", int(n), "owner groups of the owners table based in this country")
    out = pd.DataFrame(rows, columns=["figure", "value", "definition"])
    out["value"] = pd.Series([r[1] for r in rows], dtype=object)  # ints stay ints in the CSV
    return out


def method_table(data: ReportData) -> pd.DataFrame:
    """Method facts as ``key``, ``value`` (numbers the appendix prints, and the versions)."""
    g = data.genai
    ctx = data.ctx
    rows: list[tuple[str, Any]] = [
        ("year_basis", ctx.year),
        ("country_basis", ctx.country_by),
        ("counting", "fractional" if ctx.fractional else "full"),
        ("filter", ctx.filter.describe()),
        ("placement", data.placement.line() if data.placement else None),
        ("reference_date", ctx.completeness.reference.isoformat() if ctx.completeness.reference else None),
        ("first_incomplete_year", ctx.completeness.first_incomplete),
        ("selected_families", data.coverage.families),
        ("families_with_publication_year", data.coverage.years["publication"]),
        ("families_with_priority_year", data.coverage.years["priority"]),
        *((f"families_placed_by_{b}", n) for b, n in data.coverage.countries.items()),
        ("publications", data.counts.get("publications", 0)),
        ("publications_with_claim_count", data.counts.get("claims", 0)),
        ("citations", data.counts.get("citations", 0)),
        ("genai_labelled_publications", g.labelled),
        ("genai_publications", g.genai),
        ("genai_label_versions", "; ".join(g.label_versions) or None),
        ("genai_query_version", g.query_version),
        ("genai_classifier_version", g.classifier_version),
        ("genai_precision", g.precision),
        ("genai_recall", g.recall),
        ("genai_measured_on", g.measured_on or method.NOT_MEASURED),
    ]
    out = pd.DataFrame(rows, columns=["key", "value"])
    out["value"] = pd.Series([r[1] for r in rows], dtype=object)
    return out
