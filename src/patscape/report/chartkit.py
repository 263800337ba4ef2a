"""The look shared by every chart: a colour-blind-safe palette that survives print, fonts, the source line
under the chart and the shading of incomplete years."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency; yellow (faint on paper)
# comes last.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
OTHER = "#999999"
SHAPES = (
    "circle",
    "square",
    "triangle-up",
    "diamond",
    "cross",
    "triangle-down",
    "triangle-right",
    "triangle-left",
)
MAIN = PALETTE[0]
INCOMPLETE = "#A6CEE3"  # light blue: the incomplete years, distinct from MAIN in luminance too
SHADE = "#BBBBBB"
CHANGE = "#E69F00"  # orange: a year where the sources' composition changes
HEAT = "blues"  # sequential, one hue: reads in grey as well
FONT = "DejaVu Sans, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"  # CJK owner names need a CJK font
WIDTH = 560
HEIGHT = 260


def colour_scale(labels: Sequence[str], other: str | None = None) -> alt.Scale:
    """A fixed colour per label in order (so a country keeps its colour across charts); ``other`` in grey."""
    domain = list(labels)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(domain))]
    if other is not None:
        domain.append(other)
        colours.append(OTHER)
    return alt.Scale(domain=domain, range=colours)


def shape_scale(labels: Sequence[str], other: str | None = None) -> alt.Scale:
    domain = list(labels) + ([other] if other is not None else [])
    return alt.Scale(domain=domain, range=[SHAPES[i % len(SHAPES)] for i in range(len(domain))])


def finish(chart: alt.TopLevelMixin, source: str) -> alt.TopLevelMixin:
    """The source line under the chart, fonts and a quiet frame."""
    return (
        chart.properties(
            title=alt.TitleParams(
                text=wrap(source),
                orient="bottom",
                anchor="start",
                fontSize=9,
                fontWeight="normal",
                color="#555555",
                offset=12,
                limit=WIDTH + 60,
            )
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=10, titleFontSize=11, titleFontWeight="normal", gridColor="#E6E6E6")
        .configure_legend(labelFontSize=10, titleFontSize=10, labelLimit=260, orient="right")
    )


def year_axis(years: Sequence[int], title: str) -> alt.Axis:
    """Every year labelled when they fit, else every fifth."""
    many = len(years) > 22
    return alt.Axis(
        title=title,
        labelAngle=0,
        labelExpr="datum.value % 5 == 0 ? datum.label : ''" if many else "datum.label",
        labelOverlap=False,
        ticks=True,
    )


def incomplete_band(years: pd.DataFrame, axis_years: list[int]) -> alt.Chart | None:
    """A grey band behind the incomplete years (``years`` holds ``year`` and ``incomplete``), from the
    start of the first one's band to the end of the last one's."""
    flagged = years.loc[years["incomplete"].astype(bool), "year"]
    flagged = sorted(int(y) for y in flagged if int(y) in axis_years)
    if not flagged:
        return None
    spans = pd.DataFrame(
        {"start": [flagged[0]], "end": [flagged[-1]], "note": ["incomplete (publication lag)"]}
    )
    return _band(spans, axis_years, SHADE, 0.35, "Shaded years")


def composition_band(changes: Sequence[int], axis_years: list[int]) -> alt.Chart | None:
    """An orange band over each year where the sources' composition changes: counts on either side come
    from different sources and are not a trend."""
    shown = [int(y) for y in changes if int(y) in axis_years]
    if not shown:
        return None
    spans = pd.DataFrame({"start": shown, "end": shown, "note": ["the sources change here"] * len(shown)})
    return _band(spans, axis_years, CHANGE, 0.3, "Orange years")


def _band(spans: pd.DataFrame, axis_years: list[int], colour: str, opacity: float, title: str) -> alt.Chart:
    """Rectangles from the start of each ``start`` year's band to the end of its ``end`` year's."""
    return (
        alt.Chart(spans)
        .mark_rect(color=colour, opacity=opacity)
        .encode(
            # no axis of its own: the chart's explicit title and labels win (axis=None hid the year axis)
            x=alt.X("start:O", bandPosition=0, scale=year_scale(axis_years)),
            x2=alt.X2("end", bandPosition=1),
            tooltip=[alt.Tooltip("note:N", title=title)],
        )
    )


def year_scale(axis_years: list[int]) -> alt.Scale:
    return alt.Scale(domain=axis_years, paddingInner=0.2, paddingOuter=0.1)


def layered(*charts: alt.Chart | None) -> alt.TopLevelMixin:
    """The charts drawn over one another, bands first (a band may be None: nothing to shade)."""
    parts = [c for c in charts if c is not None]
    return alt.layer(*parts) if len(parts) > 1 else parts[0]


def wrap(text: str, width: int = 110) -> list[str]:
    """Lines of at most ``width`` characters (Vega does not wrap a title by itself)."""
    import textwrap

    return textwrap.wrap(text, width) or [""]


def short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
