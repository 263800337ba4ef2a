"""A manager creates a watch profile in a real browser: tests it first (the preview of the last weeks'
arrivals), then saves it; the page and the database (read through the API) then hold it."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.web.pages.conftest import Site, new_page, screenshot, sign_in

SINCE = 2021


def test_create_a_watch_profile_after_previewing_it(browser: Browser, site: Site) -> None:
    arrived = sum(site.years.values())  # every publication was ingested when the site was prepared
    matched = sum(n for year, n in site.years.items() if year >= SINCE)
    assert 0 < matched < arrived
    context, page = new_page(browser)
    sign_in(page, site, "manager")
    page.get_by_role("link", name="watch profiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GenAI watch: watch profiles")
    page.get_by_label("Name").fill("recent")
    page.get_by_label("Query (search language)").fill(f"pd>={SINCE}")
    page.get_by_role("button", name="Test this profile").click()
    expect(page.locator("#preview-count")).to_have_text(
        f"{matched} of {arrived} publications that arrived in the last 28 days match."
    )
    expect(page.locator(".preview-hits li")).to_have_count(matched)
    expect(page.get_by_label("Name")).to_have_value("recent")  # the form is kept for saving
    screenshot(page, "profile-preview")
    with site.api.client("manager") as manager:
        before = manager.get(f"/api/workspaces/{site.api.ws_id}/profiles").json()
    assert "recent" not in [p["name"] for p in before]  # testing saves nothing

    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Profile saved")
    expect(page.locator("#profiles tr", has_text="recent")).to_contain_text(f"pd>={SINCE}")
    screenshot(page, "profile-saved")
    context.close()
    with site.api.client("manager") as manager:
        after = manager.get(f"/api/workspaces/{site.api.ws_id}/profiles").json()
    [saved] = [p for p in after if p["name"] == "recent"]
    assert saved["query"] == f"pd>={SINCE}" and saved["active"] is True and saved["genai"] is None


def test_a_bad_profile_query_is_refused_with_its_reason(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "manager")
    page.goto(f"{site.url}/w/{site.api.ws_id}/profiles")
    page.get_by_label("Query (search language)").fill("pd>=")
    page.get_by_role("button", name="Test this profile").click()
    expect(page.get_by_role("alert")).to_contain_text("column 4")
    context.close()
