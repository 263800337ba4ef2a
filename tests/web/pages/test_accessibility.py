"""axe-core (its npm package, installed by `make install`) on every page type: no serious or critical
violation, WCAG 2 A/AA rules (labels, contrast, landmarks, focus order) included."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from patscape.web.pages.assets import node_modules
from tests.web.pages.conftest import Site, new_page, screenshot, sign_in

AXE = node_modules() / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical findings on the page as it is now (injected through the DevTools
    protocol, which the page's CSP does not block)."""
    assert AXE.is_file(), f"{AXE} is missing: run `make install`"
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', "
        "'best-practice']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_page_type_passes_axe(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    found = {}
    page.goto(f"{site.url}/signin")
    found["signin"] = serious_violations(page)
    sign_in(page, site, "bob")
    page.wait_for_url(f"{site.url}/")
    found["home"] = serious_violations(page)
    for view in ("mine", "all"):
        page.goto(f"{site.url}/w/{site.api.ws_id}/queue?view={view}")
        found[f"queue {view}"] = serious_violations(page)
    page.goto(f"{site.url}/w/{site.api.ws_id}/doc/{site.queue[0]}?view=all")
    found["document"] = serious_violations(page)
    page.get_by_role("button", name="Shortcuts (?)").click()
    found["shortcuts"] = serious_violations(page)
    screenshot(page, "axe-document-shortcuts")
    page.goto(f"{site.url}/notifications")
    page.get_by_role("button", name="Make feed links").click()
    found["notifications"] = serious_violations(page)
    page.goto(f"{site.url}/search?q=pd%3E%3D2000")
    found["search"] = serious_violations(page)
    page.goto(f"{site.url}/search?q=ti%3D(")
    found["search error"] = serious_violations(page)
    page.goto(f"{site.url}/p/{site.queue[0]}")
    found["publication"] = serious_violations(page)
    page.goto(f"{site.url}/dashboard")
    expect(page.locator("body")).to_have_attribute("data-dashboard", "year=auto&country_by=auto")
    page.locator("#panel-countries summary").click()
    found["dashboard"] = serious_violations(page)
    screenshot(page, "axe-dashboard")
    page.goto(f"{site.url}/w/99999/queue")
    found["error"] = serious_violations(page)
    assert page.get_by_role("alert").inner_text() == "no workspace 99999"
    context.close()

    context, page = new_page(browser)  # a manager's pages: watch profiles with a preview, administration
    sign_in(page, site, "manager")
    page.wait_for_url(f"{site.url}/")
    page.goto(f"{site.url}/w/{site.api.ws_id}/profiles")
    page.get_by_label("Query (search language)").fill("pd>=2000")
    page.get_by_role("button", name="Test this profile").click()
    expect(page.locator("#preview-count")).to_be_visible()
    found["profiles"] = serious_violations(page)
    for name, path in (
        ("manager home", "/"),
        ("users", "/admin/users"),
        ("tokens", "/tokens"),
        ("workspace settings", f"/w/{site.api.ws_id}/settings"),
    ):
        page.goto(site.url + path)
        found[name] = serious_violations(page)
    context.close()
    assert found == {name: [] for name in found}
