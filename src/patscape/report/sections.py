"""The report's sections: for each, its charts, its tables (cells referenced to the CSV files) and, when its
input is missing, the plain reason instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from patscape.report import names
from patscape.report.charts import Figure, chart_years, leading_countries
from patscape.report.data import ReportData, leading_inventor_countries
from patscape.report.fmt import cell, num, ref

Column = tuple[str, str, str]  # (column, header, kind: a fmt kind, or text / country / tag)
TEXT_KINDS = frozenset({"text", "country", "code", "tag"})


@dataclass
class TableView:
    table: str  # the CSV file (without .csv)
    caption: str | Markup
    header: list[str]
    rows: list[list[Markup]]
    incomplete: list[bool] = field(default_factory=list)
    note: Markup | None = None


@dataclass
class Section:
    id: str
    title: str
    intro: Markup | None = None
    figures: list[Figure] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # plain reasons why parts are not shown


def _text_cell(value: object, kind: str) -> Markup:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        shown = ""
    elif kind == "country":
        shown = names.country_label(str(value))
    elif kind == "code":
        shown = str(value)
    elif kind == "tag":
        shown = names.tag_label(str(value))
    else:
        shown = str(value)
    return Markup("<td>{}</td>").format(shown)


def table_view(
    data: ReportData,
    table: str,
    caption: str | Markup,
    columns: Sequence[Column],
    key: Sequence[str],
    df: pd.DataFrame | None = None,
    note: Markup | None = None,
) -> TableView:
    frame = data.frame(table) if df is None else df
    empty = (
        [c for c, _, kind in columns if kind not in TEXT_KINDS and frame[c].isna().all()]
        if len(frame)
        else []
    )
    if empty:  # a column the sources cannot fill (no citations…) is left out of the page, not of the CSV
        gone = ", ".join(h.lower() for c, h, _ in columns if c in empty)
        columns = [col for col in columns if col[0] not in empty]
        extra = Markup("Not shown, unknown for every row: {}.").format(gone)
        note = extra if note is None else note + Markup(" ") + extra
    rows: list[list[Markup]] = []
    for _, row in frame.iterrows():
        k = {c: row[c] for c in key}
        rows.append(
            [
                _text_cell(row[c], kind) if kind in TEXT_KINDS else cell(row[c], kind, ref(table, c, **k))
                for c, _, kind in columns
            ]
        )
    flags = [bool(v) for v in frame["incomplete"]] if "incomplete" in frame else [False] * len(frame)
    return TableView(table, caption, [h for _, h, _ in columns], rows, flags, note)


def country_pivot(data: ReportData) -> TableView | None:
    """Years down, the leading countries across: families (share of the year)."""
    cy = data.frame("countries")
    totals = data.frame("year_totals")
    leaders = leading_countries(data, data.options.top_countries)
    if cy.empty or not leaders:
        return None
    years = chart_years(data)
    indexed = cy.set_index(["year", "country"])
    rows: list[list[Markup]] = []
    flags: list[bool] = []
    for year in years:
        t = totals.loc[totals["year"] == year].iloc[0]
        line = [
            Markup("<td>{}</td>").format(num(year, "year", ref("year_totals", "year", year=year))),
            cell(t["total"], "count", ref("year_totals", "total", year=year)),
        ]
        for c in leaders:
            if (year, c) in indexed.index:
                r = indexed.loc[(year, c)]
                line.append(
                    Markup('<td class="n">{}<br><small>{}</small></td>').format(
                        num(r["families"], "count", ref("countries", "families", year=year, country=c)),
                        num(r["share"], "percent", ref("countries", "share", year=year, country=c)),
                    )
                )
            else:
                line.append(Markup('<td class="n"></td>'))
        rows.append(line)
        flags.append(bool(t["incomplete"]))
    header = ["Year", "All families", *(names.country_label(c) for c in leaders)]
    return TableView(
        "countries",
        "Families per year and share of the year's families placed in "
        + names.article(names.COUNTRY_NOUN[data.ctx.country_by]),
        header,
        rows,
        flags,
    )


def talent_section(data: ReportData) -> Section:
    """Distinct inventors per country over the growth window's years (one set of sources)."""
    section = Section("talent", "Inventors")
    df = data.frame("talent")
    if data.window and not df.empty:
        start, end = data.window
        leaders = leading_inventor_countries(data)
        shown = df[df["year"].between(start, end) & df["country"].isin(leaders)].copy()
        shown["_order"] = shown["country"].map({c: i for i, c in enumerate(leaders)})
        shown = shown.sort_values(["_order", "year"]).drop(columns="_order")
        section.tables.append(
            table_view(
                data,
                "talent",
                "Distinct inventors per country and year (a person's country as the documents give it, "
                "else the family's first-filing office), over the years of the growth window",
                [
                    ("country", "Country", "country"),
                    ("year", "Year", "year"),
                    ("inventors", "Inventors", "count"),
                    ("families", "Families", "count"),
                    ("per_family", "Inventors per family", "decimal"),
                    ("placed_by_office", "Placed by office", "count"),
                ],
                ["year", "country"],
                shown,
            )
        )
    elif df.empty:
        section.missing = ["the sources name no inventor for the selected families"]
    else:
        section.missing = ["no growth window: no complete year after the last change of sources"]
    return section


def coverage_section(data: ReportData, figs: dict[str, Figure]) -> Section:
    """Which sources make up each year's families, and the years where that mix changes."""
    section = Section(
        "coverage",
        "Sources and coverage",
        figures=[f for k, f in figs.items() if k == "source_contributions"],
    )
    comp = data.frame("composition")
    if not comp.empty:
        shown = comp[comp["year"].isin(chart_years(data)) | comp["composition_changes"].astype(bool)]
        shown = shown.assign(
            change=["composition changes here" if c else "" for c in shown["composition_changes"]]
        )
        section.tables.append(
            table_view(
                data,
                "composition",
                "Per year: the sources holding at least a twentieth of its families, and where their mix "
                "changes",
                [
                    ("year", "Year", "year"),
                    ("families", "Families", "count"),
                    ("sources", "Sources (share of the year's families)", "text"),
                    ("change", "", "text"),
                    ("window_first", "Same sources from", "year"),
                    ("window_last", "to", "year"),
                ],
                ["year"],
                shown,
            )
        )
    section.missing = _missing(data, "composition")
    return section


def _missing(data: ReportData, *tables: str) -> list[str]:
    seen: list[str] = []
    for t in tables:
        why = data.skipped.get(t)
        if why and why not in seen:
            seen.append(why)
    return seen


def build_sections(data: ReportData, figs: dict[str, Figure]) -> list[Section]:
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    out: list[Section] = []

    trends = Section(
        "trends",
        "Trends",
        figures=[f for k, f in figs.items() if k in ("families_per_year", "countries_per_year")],
    )
    pivot = country_pivot(data)
    if pivot:
        trends.tables.append(pivot)
    trends.missing = _missing(data, "year_totals", "countries") if not trends.figures else []
    out.append(trends)

    out.append(coverage_section(data, figs))

    leaders = Section(
        "countries",
        f"Leading {names.plural(noun)}",
        figures=[f for k, f in figs.items() if k in ("country_shares", "china_vs_world", "growth")],
    )
    if data.has("country_totals"):
        leaders.tables.append(
            table_view(
                data,
                "country_totals",
                f"Families per {noun}, all years",
                [
                    ("country", names.COUNTRY_NOUN[data.ctx.country_by].capitalize(), "country"),
                    ("families", "Families", "count"),
                    ("share", "Share", "percent"),
                ],
                ["country"],
                data.frame("country_totals").head(data.options.top_countries * 2),
            )
        )
    if data.has("growth"):
        window = Markup("from {} to {}").format(
            num(data.figure("window_start"), "year", ref("key_figures", "value", figure="window_start")),
            num(data.figure("window_end"), "year", ref("key_figures", "value", figure="window_end")),
        )
        leaders.tables.append(
            table_view(
                data,
                "growth",
                Markup(
                    "Growth {}: compound annual growth rate of families per year, change of share in "
                    "percentage points"
                ).format(window),
                [
                    ("country", noun.capitalize(), "country"),
                    ("start_families", "Families (from)", "count"),
                    ("end_families", "Families (to)", "count"),
                    ("cagr", "Growth a year", "signed_percent"),
                    ("share_change", "Share change", "points"),
                ],
                ["country"],
                data.frame("growth").head(data.options.top_countries * 2),
            )
        )
    leaders.missing = _missing(data, "country_totals", "growth")
    out.append(leaders)

    owners = Section("owners", "Top owners", figures=[f for k, f in figs.items() if k == "owners"])
    if data.has("owners"):
        owners.tables.append(
            table_view(
                data,
                "owners",
                "Owner groups with most families (share of the families that have an owner)",
                [
                    ("rank", "Rank", "integer"),
                    ("group_name", "Owner", "text"),
                    ("country", "Based in", "code"),
                    ("families", "Families", "count"),
                    ("share", "Share", "percent"),
                    ("start_families", "Families (from)", "count"),
                    ("end_families", "Families (to)", "count"),
                    ("cagr", "Growth a year", "signed_percent"),
                ],
                ["rank"],
            )
        )
    if data.has("sectors"):
        owners.tables.append(
            table_view(
                data,
                "sectors",
                Markup(
                    "Who files, per {}: share of the families with an owner of known sector that have an "
                    "owner of each sector (a family may have several), and the families with a university or "
                    "institute among their owners, co-applied with a company"
                ).format(noun),
                [
                    ("country", noun.capitalize(), "country"),
                    ("families", "Families", "count"),
                    ("company", "Company", "percent"),
                    ("university", "University", "percent"),
                    ("institute", "Institute", "percent"),
                    ("government", "Government", "percent"),
                    ("hospital", "Hospital", "percent"),
                    ("individual", "Individual", "percent"),
                    ("academic", "Academic", "count"),
                    ("co_share", "Of them with a company", "percent"),
                ],
                ["country"],
                data.frame("sectors").head(12),
            )
        )
    owners.missing = _missing(data, "owners")
    out.append(owners)

    out.append(talent_section(data))

    tech = Section(
        "technologies",
        "Models and modes",
        figures=[f for k, f in figs.items() if k in ("model_mode", "models", "modes")],
    )
    for table, column, title in (("models", "model", "Model"), ("modes", "mode", "Mode")):
        if data.has(table):
            tech.tables.append(
                table_view(
                    data,
                    table,
                    f"Families per {title.lower()} (share of the families with a {title.lower()} tag)",
                    [
                        (column, title, "tag"),
                        ("families", "Families", "count"),
                        ("share", "Share", "percent"),
                    ],
                    [column],
                )
            )
    tech.missing = _missing(data, "model_mode", "models", "modes")
    out.append(tech)

    apps = Section(
        "applications",
        "Application fields",
        figures=[f for k, f in figs.items() if k in ("applications", "applications_by_year")],
    )
    if data.has("applications"):
        apps.tables.append(
            table_view(
                data,
                "applications",
                "Families per application field (share of the labelled families)",
                [
                    ("application", "Field", "tag"),
                    ("families", "Families", "count"),
                    ("share", "Share", "percent"),
                ],
                ["application"],
            )
        )
    apps.missing = _missing(data, "applications")
    out.append(apps)

    if data.has("source_categories"):
        cats = Section(
            "categories",
            "Categories given by the source",
            figures=[f for k, f in figs.items() if k == "source_categories"],
        )
        cats.tables.append(
            table_view(
                data,
                "source_categories",
                "Families per category (full counting; share of the families with a category)",
                [
                    ("category", "Category", "tag"),
                    ("families", "Families", "count"),
                    ("share", "Share", "percent"),
                ],
                ["category"],
                data.frame("source_categories").head(20),
            )
        )
        out.append(cats)

    quality = Section(
        "quality",
        "Quantity and quality",
        figures=[f for k, f in figs.items() if k in ("country_quality", "owner_quality")],
    )
    qcols: list[Column] = [
        ("families", "Families", "count"),
        ("share", "Share", "percent"),
        ("relative_quality", "Relative quality", "ratio"),
        ("mean_forward5", "Forward citations (5 y)", "decimal"),
        ("mean_family_size", "Offices per family", "decimal"),
        ("grant_rate", "Granted", "percent"),
    ]
    if data.has("country_quality"):
        quality.tables.append(
            table_view(
                data,
                "country_quality",
                f"Quantity and quality per {noun} (means over its families)",
                [("country", noun.capitalize(), "country"), *qcols],
                ["country"],
                data.frame("country_quality").head(15),
            )
        )
    if data.has("owner_quality"):
        quality.tables.append(
            table_view(
                data,
                "owner_quality",
                "Quantity and quality per owner group (means over its families)",
                [
                    ("rank", "Rank", "integer"),
                    ("group_name", "Owner", "text"),
                    ("country", "Based in", "code"),
                    *qcols,
                ],
                ["rank"],
            )
        )
    if data.has("commercial"):
        quality.tables.append(
            table_view(
                data,
                "commercial",
                Markup(
                    "Commercial signals per {}: families filed in two or more IP5 offices (CN, EP, JP, KR, "
                    "US), in all of EP, JP and US (triadic), granted anywhere, cited by a family from "
                    "another country; share of its families"
                ).format(noun),
                [
                    ("country", noun.capitalize(), "country"),
                    ("families", "Families", "count"),
                    ("ip5_share", "IP5 (two or more)", "percent"),
                    ("triadic_share", "Triadic", "percent"),
                    ("granted_share", "Granted", "percent"),
                    ("cited_abroad_share", "Cited from abroad", "percent"),
                ],
                ["country"],
                data.frame("commercial").head(15),
            )
        )
    quality.missing = _missing(data, "country_quality", "owner_quality")
    out.append(quality)
    return out
