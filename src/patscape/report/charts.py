"""The report's charts (Altair), each drawn from one table that is also written as CSV.

A chart function returns None when its table is empty; the section then says why instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import altair as alt
import pandas as pd

from patscape.report import names
from patscape.report.chartkit import (
    HEAT,
    HEIGHT,
    INCOMPLETE,
    MAIN,
    WIDTH,
    colour_scale,
    composition_band,
    finish,
    incomplete_band,
    layered,
    shape_scale,
    short,
    year_axis,
    year_scale,
)
from patscape.report.data import ReportData

TOP_SHARES = 5
TOP_APPLICATIONS = 6
TOP_QUALITY = 15
LABELLED_POINTS = 10
TOP_CATEGORIES = 20
OTHER_COUNTRIES = "Other or unknown"


@dataclass
class Figure:
    key: str  # also the chart's element id
    title: str
    table: str  # the CSV behind it
    chart: alt.TopLevelMixin


def chart_years(data: ReportData) -> list[int]:
    totals = data.frame("year_totals")
    if totals.empty:
        return []
    first = data.figure("chart_first_year")
    years = sorted(int(y) for y in totals["year"])
    return [y for y in years if first is None or y >= first]


def _changes(data: ReportData, years: list[int]) -> alt.Chart | None:
    """The band over the years where the sources' composition changes."""
    return composition_band([e.year for e in data.composition if e.changes], years)


def source_contributions(data: ReportData, source: str) -> Figure | None:
    """Each source's share of the year's families (a family counts for every source holding a member)."""
    shares = data.frame("source_shares")
    years = chart_years(data)
    if shares.empty or shares["source"].nunique() < 2 or not years:
        return None
    df = shares[shares["year"].isin(years)].copy()
    order = df.groupby("source")["share"].sum().sort_values(ascending=False).index
    df["label"] = df["source"].map(short)
    df["_order"] = df["source"].map({s: i for i, s in enumerate(order)})
    df = df.sort_values(["_order", "year"]).drop(columns="_order")
    title = "Share of the year's families (%)"
    chart = _country_lines(data, df, "share", title, ".1%", "%", source, legend="Source")
    return Figure("source_contributions", "Where each year's families come from", "source_shares", chart)


def leading_countries(data: ReportData, n: int) -> list[str]:
    ct = data.frame("country_totals")
    return [] if ct.empty else list(ct["country"].head(n))


def _year_title(data: ReportData) -> str:
    return names.YEAR_BASIS[data.ctx.year].capitalize()


def _noun(data: ReportData) -> str:
    return names.COUNTRY_NOUN[data.ctx.country_by].capitalize()


def families_per_year(data: ReportData, source: str) -> Figure | None:
    totals = data.frame("year_totals")
    years = chart_years(data)
    if totals.empty or not years:
        return None
    df = totals[totals["year"].isin(years)].copy()
    df["status"] = [
        "incomplete (publication lag)" if f else "complete" for f in df["incomplete"].astype(bool)
    ]
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("year:O", scale=year_scale(years), axis=year_axis(years, _year_title(data))),
            y=alt.Y("total:Q", title="Patent families (count)"),
            color=alt.Color(
                "status:N",
                title="Year",
                scale=alt.Scale(
                    domain=["complete", "incomplete (publication lag)"], range=[MAIN, INCOMPLETE]
                ),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("total:Q", title="Families", format=","),
                alt.Tooltip("status:N", title="Status"),
            ],
        )
    )
    chart = layered(incomplete_band(totals, years), _changes(data, years), bars).properties(
        width=WIDTH, height=HEIGHT
    )
    return Figure("families_per_year", "Patent families per year", "year_totals", finish(chart, source))


def _country_lines(
    data: ReportData,
    df: pd.DataFrame,
    value: str,
    title: str,
    fmt: str,
    axis_format: str | None,
    source: str,
    legend: str | None = None,
) -> alt.TopLevelMixin:
    """One line per ``label`` (countries, unless ``legend`` names what else), in the order of ``df``."""
    legend = legend or _noun(data)
    years = chart_years(data)
    order = list(dict.fromkeys(df["label"]))
    pick = alt.selection_point(fields=["label"], bind="legend")
    lines = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=36, filled=True), strokeWidth=2)
        .encode(
            x=alt.X("year:O", scale=year_scale(years), axis=year_axis(years, _year_title(data))),
            y=alt.Y(
                f"{value}:Q", title=title, axis=alt.Axis(format=axis_format) if axis_format else alt.Axis()
            ),
            color=alt.Color("label:N", title=legend, scale=colour_scale(order), sort=order),
            shape=alt.Shape("label:N", title=legend, scale=shape_scale(order), sort=order),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("label:N", title=legend),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip(f"{value}:Q", title=title, format=fmt),
            ],
        )
        .add_params(pick)
    )
    band = incomplete_band(data.frame("year_totals"), years)
    chart = layered(band, _changes(data, years), lines).properties(width=WIDTH, height=HEIGHT)
    return finish(chart, source)


def countries_per_year(data: ReportData, source: str) -> Figure | None:
    cy = data.frame("countries")
    leaders = leading_countries(data, data.options.top_countries)
    if cy.empty or not leaders:
        return None
    df = cy[cy["country"].isin(leaders) & cy["year"].isin(chart_years(data))].copy()
    df["label"] = df["country"].map(names.country_label)
    df["_order"] = df["country"].map({c: i for i, c in enumerate(leaders)})
    df = df.sort_values(["_order", "year"]).drop(columns="_order")
    chart = _country_lines(data, df, "families", "Patent families (count)", ",", None, source)
    return Figure(
        "countries_per_year",
        f"Patent families per year by {names.COUNTRY_NOUN[data.ctx.country_by]}",
        "countries",
        chart,
    )


def country_shares(data: ReportData, source: str) -> Figure | None:
    cy = data.frame("countries")
    leaders = leading_countries(data, TOP_SHARES)
    if cy.empty or not leaders:
        return None
    df = cy[cy["country"].isin(leaders) & cy["year"].isin(chart_years(data))].copy()
    df["label"] = df["country"].map(names.country_label)
    df["_order"] = df["country"].map({c: i for i, c in enumerate(leaders)})
    df = df.sort_values(["_order", "year"]).drop(columns="_order")
    chart = _country_lines(data, df, "share", "Share of the year's families (%)", ".1%", "%", source)
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    return Figure(
        "country_shares", f"Share of the leading {names.plural(noun)} over time", "countries", chart
    )


def china_vs_world(data: ReportData, source: str) -> Figure | None:
    cw = data.frame("china_vs_world")
    if cw.empty or not (cw["china"] > 0).any():
        return None
    years = chart_years(data)
    df = cw[cw["year"].isin(years)]
    long = df.melt(
        id_vars=["year"], value_vars=["china", "rest_of_world"], var_name="side", value_name="families"
    )
    long["side"] = long["side"].map({"china": "China (CN)", "rest_of_world": "Rest of the world"})
    sides = ["China (CN)", "Rest of the world"]
    pick = alt.selection_point(fields=["side"], bind="legend")
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=36, filled=True), strokeWidth=2)
        .encode(
            x=alt.X("year:O", scale=year_scale(years), axis=year_axis(years, _year_title(data))),
            y=alt.Y("families:Q", title="Patent families (count)"),
            color=alt.Color("side:N", title=None, scale=colour_scale(sides), sort=sides),
            shape=alt.Shape("side:N", title=None, scale=shape_scale(sides), sort=sides),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("side:N", title="Side"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("families:Q", title="Families", format=","),
            ],
        )
        .add_params(pick)
    )
    chart = layered(
        incomplete_band(data.frame("year_totals"), years), _changes(data, years), lines
    ).properties(width=WIDTH, height=HEIGHT)
    return Figure(
        "china_vs_world", "China and the rest of the world", "china_vs_world", finish(chart, source)
    )


def growth(data: ReportData, source: str) -> Figure | None:
    g = data.frame("growth")
    if g.empty:
        return None
    df = g.head(data.options.top_countries).dropna(subset=["cagr"]).copy()
    if df.empty:
        return None
    df["label"] = df["country"].map(names.country_label)
    start, end = int(df["start_year"].iloc[0]), int(df["end_year"].iloc[0])
    chart = (
        alt.Chart(df)
        .mark_bar(color=MAIN)
        .encode(
            y=alt.Y("label:N", sort=list(df["label"]), title=None),
            x=alt.X(
                "cagr:Q", title=f"Compound annual growth rate {start}-{end} (%)", axis=alt.Axis(format="%")
            ),
            tooltip=[
                alt.Tooltip("label:N", title=names.COUNTRY_NOUN[data.ctx.country_by].capitalize()),
                alt.Tooltip("start_families:Q", title=f"Families {start}", format=","),
                alt.Tooltip("end_families:Q", title=f"Families {end}", format=","),
                alt.Tooltip("cagr:Q", title="Growth a year", format=".1%"),
            ],
        )
        .properties(width=WIDTH - 120, height=22 * len(df))
    )
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    return Figure("growth", f"Growth of the leading {names.plural(noun)}", "growth", finish(chart, source))


def top_owners(data: ReportData, source: str) -> Figure | None:
    o = data.frame("owners")
    if o.empty:
        return None
    df = o.copy()
    df["label"] = [
        f"{short(str(n), 40)} ({c})" if isinstance(c, str) else short(str(n), 40)
        for n, c in zip(df["group_name"], df["country"], strict=True)
    ]
    df["origin"] = df["country"].fillna("unknown")
    origins = list(df["origin"].value_counts().index)
    named = [c for c in origins if c != "unknown"][:6]
    df["origin"] = [c if c in named else OTHER_COUNTRIES for c in df["origin"]]
    labels = [names.country_label(c) for c in named]
    df["origin_label"] = [names.country_label(c) if c in named else OTHER_COUNTRIES for c in df["origin"]]
    chart = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=list(df["label"]), title=None),
            x=alt.X("families:Q", title="Patent families (count)"),
            color=alt.Color(
                "origin_label:N",
                title="Owner based in",
                scale=colour_scale(labels, OTHER_COUNTRIES if OTHER_COUNTRIES in set(df["origin"]) else None),
            ),
            tooltip=[
                alt.Tooltip("rank:Q", title="Rank"),
                alt.Tooltip("group_name:N", title="Owner"),
                alt.Tooltip("origin_label:N", title="Based in"),
                alt.Tooltip("families:Q", title="Families", format=","),
                alt.Tooltip("share:Q", title="Share of owned families", format=".1%"),
            ],
        )
        .properties(width=WIDTH - 220, height=18 * len(df))
    )
    return Figure("owners", "Top owners", "owners", finish(chart, source))


def model_mode(data: ReportData, source: str) -> Figure | None:
    mm = data.frame("model_mode")
    if mm.empty:
        return None
    df = mm.copy()
    df["Model"] = df["model"].map(names.tag_label)
    df["Mode"] = df["mode"].map(names.tag_label)
    models = _order_by_total(df, "Model")
    modes = _order_by_total(df, "Mode")
    top = float(df["families"].max())
    base = alt.Chart(df).encode(
        x=alt.X("Mode:N", sort=modes, title="Mode (what is generated)", axis=alt.Axis(labelAngle=-30)),
        y=alt.Y("Model:N", sort=models, title="Model"),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("families:Q", title="Families", scale=alt.Scale(scheme=HEAT)),
        tooltip=[
            alt.Tooltip("Model:N"),
            alt.Tooltip("Mode:N"),
            alt.Tooltip("families:Q", title="Families", format=","),
            alt.Tooltip("share:Q", title="Share of tagged families", format=".1%"),
        ],
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("families:Q", format=","),
        color=alt.condition(alt.datum.families > top * 0.55, alt.value("white"), alt.value("#222222")),
    )
    chart = alt.layer(cells, labels).properties(
        width=max(240, 60 * len(modes)), height=max(120, 26 * len(models))
    )
    return Figure("model_mode", "Generative-AI models by mode", "model_mode", finish(chart, source))


def _order_by_total(df: pd.DataFrame, column: str) -> list[str]:
    totals = df.groupby(column)["families"].sum().sort_values(ascending=False, kind="stable")
    return list(totals.index)


def _bars(df: pd.DataFrame, column: str, title: str, key: str, table: str, source: str) -> Figure | None:
    if df.empty:
        return None
    d = df.copy()
    d["label"] = d[column].map(names.tag_label)
    chart = (
        alt.Chart(d)
        .mark_bar(color=MAIN)
        .encode(
            y=alt.Y("label:N", sort=list(d["label"]), title=None),
            x=alt.X("families:Q", title="Patent families (count)"),
            tooltip=[
                alt.Tooltip("label:N", title=title),
                alt.Tooltip("families:Q", title="Families", format=","),
                alt.Tooltip("share:Q", title="Share of tagged families", format=".1%"),
            ],
        )
        .properties(width=WIDTH - 160, height=20 * len(d))
    )
    return Figure(key, title, table, finish(chart, source))


def models(data: ReportData, source: str) -> Figure | None:
    return _bars(data.frame("models"), "model", "Models", "models", "models", source)


def modes(data: ReportData, source: str) -> Figure | None:
    return _bars(data.frame("modes"), "mode", "Modes", "modes", "modes", source)


def applications(data: ReportData, source: str) -> Figure | None:
    return _bars(
        data.frame("applications"),
        "application",
        "Application fields",
        "applications",
        "applications",
        source,
    )


def source_categories(data: ReportData, source: str) -> Figure | None:
    df = data.frame("source_categories").head(TOP_CATEGORIES).rename(columns={"category": "category"})
    return _bars(
        df, "category", "Categories given by the source", "source_categories", "source_categories", source
    )


def applications_by_year(data: ReportData, source: str) -> Figure | None:
    ay = data.frame("applications_by_year")
    top = data.frame("applications")
    years = chart_years(data)
    if ay.empty or top.empty or len(set(ay["year"])) < 2:
        return None
    fields = list(top["application"].head(TOP_APPLICATIONS))
    df = ay[ay["application"].isin(fields) & ay["year"].isin(years)].copy()
    df["label"] = df["application"].map(names.tag_label)
    order = [names.tag_label(f) for f in fields]
    pick = alt.selection_point(fields=["label"], bind="legend")
    lines = (
        alt.Chart(df)
        .mark_line(point=alt.OverlayMarkDef(size=36, filled=True), strokeWidth=2)
        .encode(
            x=alt.X("year:O", scale=year_scale(years), axis=year_axis(years, _year_title(data))),
            y=alt.Y("families:Q", title="Patent families (count)"),
            color=alt.Color("label:N", title="Application field", scale=colour_scale(order), sort=order),
            shape=alt.Shape("label:N", title="Application field", scale=shape_scale(order), sort=order),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                alt.Tooltip("label:N", title="Field"),
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("families:Q", title="Families", format=","),
                alt.Tooltip("share:Q", title="Share of the year's tagged families", format=".1%"),
            ],
        )
        .add_params(pick)
    )
    chart = layered(
        incomplete_band(data.frame("year_totals"), years), _changes(data, years), lines
    ).properties(width=WIDTH, height=HEIGHT)
    return Figure(
        "applications_by_year", "Application fields over time", "applications_by_year", finish(chart, source)
    )


def _decades(values: pd.Series) -> list[float]:
    """Tick values 1, 10, 100… over the data (a log axis labels too many ticks by itself)."""
    positive = values[values > 0]
    if positive.empty:
        return [1.0]
    low, high = math.floor(math.log10(positive.min())), math.ceil(math.log10(positive.max()))
    return [10.0**e for e in range(low, high + 1)]


def _quality_scatter(
    df: pd.DataFrame, label: str, title: str, who: str, key: str, table: str, source: str
) -> Figure:
    d = df.dropna(subset=["relative_quality"]).copy()
    base = alt.Chart(d).encode(
        x=alt.X(
            "families:Q",
            title="Patent families (count, log scale)",
            scale=alt.Scale(type="log"),
            axis=alt.Axis(values=_decades(d["families"]), format=","),
        ),
        y=alt.Y(
            "relative_quality:Q",
            title="Mean quality index (1 = average of the selection)",
            scale=alt.Scale(zero=False, padding=12),
        ),
    )
    points = base.mark_circle(size=70, color=MAIN, opacity=0.85).encode(
        tooltip=[
            alt.Tooltip(f"{label}:N", title=who),
            alt.Tooltip("families:Q", title="Families", format=","),
            alt.Tooltip("relative_quality:Q", title="Relative quality", format=".2f"),
            alt.Tooltip("mean_forward5:Q", title="Forward citations (5 years)", format=".2f"),
            alt.Tooltip("mean_family_size:Q", title="Offices per family", format=".2f"),
            alt.Tooltip("grant_rate:Q", title="Granted", format=".1%"),
        ]
    )
    named = d.head(LABELLED_POINTS)  # the largest ones are labelled, the others have a tooltip
    texts = (
        alt.Chart(named)
        .mark_text(align="left", dx=7, fontSize=9, color="#333333")
        .encode(x="families:Q", y="relative_quality:Q", text=f"{label}:N")
    )
    average = (
        alt.Chart(pd.DataFrame({"y": [1.0]})).mark_rule(strokeDash=[4, 3], color="#777777").encode(y="y:Q")
    )
    chart = alt.layer(average, points, texts).properties(width=WIDTH, height=HEIGHT + 40)
    return Figure(key, title, table, finish(chart, source))


def country_quality(data: ReportData, source: str) -> Figure | None:
    cq = data.frame("country_quality")
    if cq.empty or cq["relative_quality"].isna().all():
        return None
    df = cq.head(TOP_QUALITY).copy()
    df["label"] = df["country"]
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    return _quality_scatter(
        df,
        "label",
        f"Quantity and quality by {noun}",
        noun.capitalize(),
        "country_quality",
        "country_quality",
        source,
    )


def owner_quality(data: ReportData, source: str) -> Figure | None:
    oq = data.frame("owner_quality")
    if oq.empty or oq["relative_quality"].isna().all():
        return None
    df = oq.copy()
    df["label"] = df["group_name"].map(lambda n: short(str(n), 22))
    return _quality_scatter(
        df, "label", "Quantity and quality by owner", "Owner", "owner_quality", "owner_quality", source
    )


FIGURES: dict[str, Callable[[ReportData, str], Figure | None]] = {
    "families_per_year": families_per_year,
    "source_contributions": source_contributions,
    "countries_per_year": countries_per_year,
    "country_shares": country_shares,
    "china_vs_world": china_vs_world,
    "growth": growth,
    "owners": top_owners,
    "model_mode": model_mode,
    "models": models,
    "modes": modes,
    "applications": applications,
    "applications_by_year": applications_by_year,
    "source_categories": source_categories,
    "country_quality": country_quality,
    "owner_quality": owner_quality,
}


def figures(data: ReportData, source: str) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for key, make in FIGURES.items():
        fig = make(data, source)
        if fig is not None:
            out[key] = fig
    return out
