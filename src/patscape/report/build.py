"""``write_report``: the landscape report of a store as ``report.html`` (self-contained, interactive),
``report.pdf`` and one CSV per table behind it."""

from __future__ import annotations

import shlex
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ibis.backends import BaseBackend

from patscape.landscape import connect_store
from patscape.report import charts, content, html, sections, text
from patscape.report.data import ReportData, gather
from patscape.report.options import AUTO, ReportOptions
from patscape.report.pdf import write_pdf
from patscape.safe_output import spreadsheet_frame
from patscape.store.base import Store


@dataclass
class ReportResult:
    out_dir: Path
    html: Path
    pdf: Path | None
    csv: list[Path]
    pages: int  # of the PDF (0 without one)
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    year: str = ""  # the bases used
    country_by: str = ""
    shown: list[str] = field(default_factory=list)  # sections with something to show
    missing: dict[str, str] = field(default_factory=dict)  # table -> why it is empty or absent
    placement: str = ""  # "placed N of M families (basis …)"
    warnings: list[str] = field(default_factory=list)  # what to know before reading it

    def as_dict(self) -> dict[str, Any]:
        return {
            "html": str(self.html),
            "pdf": str(self.pdf) if self.pdf else None,
            "csv": [str(p) for p in self.csv],
            "pages": self.pages,
            "seconds": round(self.seconds, 2),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
            "year": self.year,
            "country_by": self.country_by,
            "missing": self.missing,
            "placement": self.placement,
            "warnings": self.warnings,
        }


def _readers() -> dict[str, str]:
    from patscape.sources.detect import readers

    return {r.name: r.description for r in readers()}


REPORT_COMMAND = ("patscape", "report")


def command_line(out_dir: Path, options: ReportOptions, command: Sequence[str] = REPORT_COMMAND) -> str:
    """The command that writes this report again (``command``: the program and its arguments before
    ``--out``, e.g. ``patscape spark report --lake lake/``)."""
    parts = [*command, "--out", str(out_dir)]
    if options.title:
        parts += ["--title", options.title]
    if options.genai:
        parts.append("--genai")
    if options.year_from is not None:
        parts += ["--from", str(options.year_from)]
    if options.year_to is not None:
        parts += ["--to", str(options.year_to)]
    if options.year != AUTO:
        parts += ["--year", options.year]
    if options.country_by != AUTO:
        parts += ["--country-by", options.country_by]
    return " ".join(shlex.quote(p) for p in parts)


def write_csv(data: ReportData, out_dir: Path) -> list[Path]:
    """One CSV per table; text a spreadsheet would evaluate is neutralised (``safe_output``)."""
    written = []
    for name, df in data.frames.items():
        path = out_dir / f"{name}.csv"
        spreadsheet_frame(df).to_csv(path, index=False)
        written.append(path)
    return written


def write_report(
    store: Store | str | Path,
    out_dir: str | Path,
    *,
    title: str | None = None,
    genai: bool = False,
    year_from: int | None = None,
    year_to: int | None = None,
    year: str = AUTO,
    country_by: str = AUTO,
    query: str | None = None,
    pdf: bool = True,
) -> ReportResult:
    """Write the report of an open store (or of a DuckDB path / PostgreSQL URL) into ``out_dir``.

    ``genai``: only families with a member labelled generative AI; ``year_from`` / ``year_to``: the years
    counted (on the year basis); ``year`` / ``country_by``: the bases (``auto``: chosen from the data, see
    ``options.py``); ``query``: only families with a member found by this search (``patscape.search``).
    """
    chosen = {
        "title": title,
        "genai": genai,
        "year_from": year_from,
        "year_to": year_to,
        "year": year,
        "country_by": country_by,
        "query": query,
    }
    if isinstance(store, str | Path):
        from patscape.store import open_store

        with open_store(str(store), read_only=True) as opened:
            return write_report(opened, out_dir, pdf=pdf, **chosen)  # type: ignore[arg-type]
    return write_report_on(connect_store(store), out_dir, ReportOptions(**chosen), pdf=pdf)  # type: ignore[arg-type]


def write_report_on(
    con: BaseBackend,
    out_dir: str | Path,
    options: ReportOptions,
    *,
    pdf: bool = True,
    command: Sequence[str] = REPORT_COMMAND,
) -> ReportResult:
    """``write_report`` on any Ibis backend holding the store's tables (e.g. Spark over a lake, see
    ``lake/report.py``); ``command``: how the method appendix says the report was made."""
    out = Path(out_dir)
    timings: dict[str, float] = {}
    start = clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    data = gather(con, options, _readers())  # refuses a report of no family
    out.mkdir(parents=True, exist_ok=True)
    lap("tables")
    csv = write_csv(data, out)
    lap("csv")
    source = content.source_line(data)
    figs = charts.figures(data, source)
    svgs = {key: html.svg(fig) for key, fig in figs.items()}
    lap("charts")
    context = {
        **content.cover(data),
        "findings": text.findings(data),
        "sections": sections.build_sections(data, figs),
        "figures": figs,
        "intros": content.intros(data),
        "captions": content.captions(data),
        "method": content.method(data, [p.name for p in csv], command_line(out, options, command)),
    }
    page = html.render(context, interactive=True, svgs=svgs)
    html_path = out / "report.html"
    html_path.write_text(page, encoding="utf-8")
    lap("html")
    pdf_path, pages = None, 0
    if pdf:
        pdf_path = out / "report.pdf"
        pages = write_pdf(html.render(context, interactive=False, svgs=svgs), pdf_path)
        lap("pdf")
    shown = [s.id for s in context["sections"] if s.figures or s.tables]
    return ReportResult(
        out,
        html_path,
        pdf_path,
        csv,
        pages,
        time.perf_counter() - start,
        timings,
        data.ctx.year,
        data.ctx.country_by,
        ["summary", *shown],
        dict(data.skipped),
        data.placement.line() if data.placement else "",
        list(data.warnings),
    )
