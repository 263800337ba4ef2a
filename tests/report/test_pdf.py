"""The PDF: the expected sections in its text (pdftotext), and every page renders (pdftoppm)."""

from __future__ import annotations

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


def test_the_reading_note_is_never_split_across_pages(built: Built) -> None:
    """The key findings' reading note stays whole, on a page it does not hold alone (its tail on a page of
    its own, before the next chapter's page break, was a layout fault)."""
    page_html = lxml.html.fromstring(built.result.html.read_text(encoding="utf-8"))
    words = " ".join(page_html.xpath("//p[@class='reading']")[0].text_content().split())
    first, last = " ".join(words.split()[:4]), " ".join(words.split()[-10:])
    pages = [" ".join(page.split()) for page in pdf_text(built.result.pdf).split("\f")]
    (holding,) = [page for page in pages if first in page]
    assert last in holding
    assert len(holding) > 2 * len(words), "the reading note alone on its page"
