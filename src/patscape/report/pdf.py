"""The PDF: WeasyPrint lays out the print rendering of the page (A4, SVG charts, running header and page
numbers), offline: every resource is inline (``data:`` URLs) and no other URL is fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _fetcher() -> Any:
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # older WeasyPrint: the page holds no URL to fetch anyway
        return None
    return URLFetcher(allowed_protocols=("data",))


def write_pdf(page: str, path: Path) -> int:
    """Write ``page`` (HTML) as a PDF at ``path``; returns the number of pages."""
    from weasyprint import HTML

    document = HTML(string=page, url_fetcher=_fetcher()).render()
    document.write_pdf(path)
    return len(document.pages)
