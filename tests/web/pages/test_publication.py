"""A publication's page: its codes with their titles, its claims one by one, its citations (backward, and
forward within the database) and the classifier's evidence, as stored when the site was prepared."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.web.conftest import GRANT
from tests.web.pages.conftest import TITLES, Site, new_page, screenshot, sign_in


def test_a_publication_shows_codes_claims_citations_and_evidence(
    browser: Browser, site: Site, data: Path
) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "bob")
    page.goto(f"{site.url}/search?q=pn%3D{GRANT}")
    page.get_by_role("link", name=GRANT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vacuum cleaner")
    cites = int(site.facts["grant_cites"])
    expect(page.locator("ul.citations:not(.forward) li")).to_have_count(cites)
    # a long list of cited documents is folded under its count, so that it does not push the rest away
    folded = page.locator("details.citations")
    expect(folded.locator("summary")).to_have_text(f"{cites} cited documents")
    assert cites > 5 and folded.get_attribute("open") is None
    # one paragraph per claim, in their order
    claims = page.locator(".claims p")
    expect(claims).to_have_count(int(site.facts["grant_claims"]))
    expect(claims.first).to_contain_text("1. A vacuum cleaner comprising")
    # the grant's independent claims open with "A vacuum cleaner comprising", its dependent ones refer back
    for claim in page.locator(".claims p:not(.dependent)").all_text_contents():
        assert ". A vacuum cleaner comprising" in claim[:40]
    for claim in page.locator(".claims p.dependent").all_text_contents():
        assert "The vacuum cleaner according to claim" in claim[:60]
    assert 0 < page.locator(".claims p.dependent").count() < int(site.facts["grant_claims"])
    # the title of the IPC main group A47L5 of the grant's code A47L5/14, as the scheme's file has it
    scheme = (data / TITLES / "labels_group_id_6.tsv").read_text().splitlines()
    [title] = [line.split("\t", 1)[1] for line in scheme if line.startswith("A47L 5\t")]
    expect(page.locator("dd.codes").first).to_contain_text(f"A47L5/14 {title}")
    verdict = "yes" if site.facts["grant_genai"] else "no"
    evidence = page.locator("table.evidence tbody tr").first
    expect(evidence.locator("td").first).to_have_text(f"generative AI: {verdict}")
    screenshot(page, "publication")
    context.close()
