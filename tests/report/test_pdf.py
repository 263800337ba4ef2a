"""The PDF: the expected sections in its text (pdftotext), and every page renders (pdftoppm)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import lxml.html
from PIL import Image

from tests.report.conftest import Built
from tests.report.readback import pdf_pages, pdf_text

SECTIONS = (
    "Key findings",
    "Trends",
    "Sources and coverage",
    "Top owners",
    "Inventors",
    "Models and modes",
    "Application fields",
    "Quantity and quality",
    "Method and sources",
    "Sources",
    "Definitions",
    "Generative AI",
    "Files",
)


def test_sections_in_the_text(built: Built) -> None:
    text = pdf_text(built.result.pdf)
    for heading in SECTIONS:
        assert heading in text, heading
    noun = "offices" if built.result.country_by in ("office", "member") else "countries"
    assert f"Leading {noun}" in text
    figures = lxml.html.fromstring(built.result.html.read_text(encoding="utf-8")).xpath("//figure")
    assert figures
    for n in range(1, len(figures) + 1):
        assert f"Figure {n}." in text
    assert text.count("Source: patscape analysis") == len(figures)  # one source line under every chart
    assert "Incomplete years" in text and "Page 1 of" in text


def test_missing_inputs_are_said(cset_report: Built) -> None:
    text = " ".join(pdf_text(cset_report.result.pdf).split())
    assert "Not shown: the sources name no applicant or assignee" in text
    assert "no publication carries a generative-AI tag yet: run `patscape classify`" in text
    assert "Not measured" in text


def test_genai_title_and_versions(genai_report: Built) -> None:
    text = pdf_text(genai_report.result.pdf)
    assert "Generative AI in the office sample" in text
    from patscape.enrich.genai.query import load_query

    assert load_query().method_version in text


def test_pages_render(built: Built, tmp_path: Path) -> None:
    pages = pdf_pages(built.result.pdf)
    assert pages == built.result.pages and pages >= 8
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(built.result.pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == pages
    for path in images:
        with Image.open(path) as im:
            low, _ = im.convert("L").getextrema()
            assert low < 128, f"{path.name} is blank"


def test_no_page_is_left_with_a_few_lines(built: Built) -> None:
    """A paragraph's last lines never stand alone on a page before the next chapter's page break."""
    pages = pdf_text(built.result.pdf).split("\f")[:-1]  # pdftotext ends every page with a form feed
    for number, page in enumerate(pages[1:-1], start=2):  # the cover is set apart; the last page may be short
        lines = [line for line in page.splitlines() if line.strip()]
        # below the running title, without the footer
        body = [line for line in lines[1:] if not re.search(r"Page \d+ of \d+", line)]
        assert len(body) >= 6, f"page {number} holds only {body}"
