"""A publication's page: its citations (backward, and forward within the database) and the classifier's
evidence, as stored when the site was prepared."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.web.conftest import GRANT
from tests.web.pages.conftest import Site, new_page, screenshot, sign_in


def test_a_publication_shows_citations_and_generative_ai_evidence(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "bob")
    page.goto(f"{site.url}/search?q=pn%3D{GRANT}")
    page.get_by_role("link", name=GRANT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vacuum cleaner")
    expect(page.locator("ul.citations:not(.forward) li")).to_have_count(int(site.facts["grant_cites"]))
    verdict = "yes" if site.facts["grant_genai"] else "no"
    evidence = page.locator("table.evidence tbody tr").first
    expect(evidence.locator("td").first).to_have_text(f"generative AI: {verdict}")
    screenshot(page, "publication")
    context.close()
