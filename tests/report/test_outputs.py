"""What the report writes: a self-contained HTML file, a PDF and one CSV per table; the CSET report in under a
minute."""

from __future__ import annotations

import json
import re

import lxml.html

from patscape.landscape import SECTIONS
from tests.report.conftest import Built
from tests.report.readback import read_csv

# every landscape section but the per-family quality, and the report's own tables
TABLES = {s for s in SECTIONS if s != "quality"} | {
    "year_totals",
    "country_totals",
    "source_categories",
    "sources",
    "quarantine",
    "key_figures",
    "method",
}


def test_files(built: Built) -> None:
    r = built.result
    assert r.html == built.out / "report.html" and r.html.stat().st_size > 100_000
    assert r.pdf == built.out / "report.pdf" and r.pdf.read_bytes().startswith(b"%PDF")
    assert {p.stem for p in r.csv} == TABLES
    for path in r.csv:
        assert path.exists()
        read_csv(built.out, path.stem)  # parses


def test_html_works_offline(built: Built) -> None:
    page = built.result.html.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(page)
    # nothing is loaded from elsewhere: no script, stylesheet, image or frame URL, no CSS import
    for el in tree.xpath("//script[@src] | //link[@href] | //img[@src] | //iframe | //object | //embed"):
        raise AssertionError(f"external resource: {lxml.html.tostring(el)[:120]!r}")
    assert not re.search(r"@import|url\(\s*['\"]?https?:", page)
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']?https?://""", page, re.I)
    scripts = tree.xpath("//script")
    assert any(
        "vegaEmbed" in (s.text or "") and len(s.text or "") > 500_000 for s in scripts
    )  # inlined bundle
    specs = json.loads(tree.get_element_by_id("vega-specs").text)
    charts = tree.xpath("//*[@data-spec]")
    assert charts and {c.get("data-spec") for c in charts} == set(specs)
    for el in charts:  # the static SVG stands in until the script draws the interactive chart
        assert el.xpath(".//*[local-name()='svg']")


def test_charts_have_source_units_and_palette(built: Built) -> None:
    tree = lxml.html.fromstring(built.result.html.read_text(encoding="utf-8"))
    specs = json.loads(tree.get_element_by_id("vega-specs").text)
    okabe_ito = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}
    for key, spec in specs.items():
        title = spec["title"]
        assert title["orient"] == "bottom" and " ".join(title["text"]).startswith("Source: patscape"), key
        text = json.dumps(spec)
        axis_titles = re.findall(r'"title": "([^"]*\((?:count|%|count, log scale)\)[^"]*)"', text)
        assert axis_titles or key == "model_mode", f"{key}: no axis with a unit"
        colours = set(re.findall(r'"(#[0-9A-Fa-f]{6})"', text))
        greys = {"#999999", "#BBBBBB", "#777777", "#555555", "#333333", "#222222", "#E6E6E6"}
        assert colours <= okabe_ito | greys | {"#A6CEE3"}, key


def test_cset_report_bases(cset_report: Built) -> None:
    """Its speed is measured in bench/, not asserted here: this machine's speed drifts."""
    r = cset_report.result
    print(f"CSET report: {r.seconds:.1f} s, {r.pages} pages, stages {r.as_dict()['timings']}")
    assert r.year == "priority" and r.country_by == "member"  # CSET has priority years and offices only
