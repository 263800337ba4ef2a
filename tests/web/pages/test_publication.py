"""A publication's page: its codes with their titles, its citations (backward, and forward within the
database) and the classifier's evidence, as stored when the site was prepared."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.web.conftest import GRANT
from tests.web.pages.conftest import TITLES, Site, new_page, screenshot, sign_in


def test_a_publication_shows_codes_citations_and_evidence(browser: Browser, site: Site, data: Path) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "bob")
    page.goto(f"{site.url}/search?q=pn%3D{GRANT}")
    page.get_by_role("link", name=GRANT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vacuum cleaner")
    expect(page.locator("ul.citations:not(.forward) li")).to_have_count(int(site.facts["grant_cites"]))
    # the title of the IPC main group A47L5 of the grant's code A47L5/14, as the scheme's file has it
    scheme = (data / TITLES / "labels_group_id_6.tsv").read_text().splitlines()
    [title] = [line.split("\t", 1)[1] for line in scheme if line.startswith("A47L 5\t")]
    expect(page.locator("dd.codes").first).to_contain_text(f"A47L5/14 {title}")
    verdict = "yes" if site.facts["grant_genai"] else "no"
    evidence = page.locator("table.evidence tbody tr").first
    expect(evidence.locator("td").first).to_have_text(f"generative AI: {verdict}")
    screenshot(page, "publication")
    context.close()
