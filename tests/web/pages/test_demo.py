"""Tried as a new user would after `make demo`: the README's sign-in (checked against the Makefile's demo
user), the dashboard, and a document of the demo workspace rated with the keyboard; the rating is then
read back through the API."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.conftest import ROOT
from tests.web.pages.conftest import Site, make_variable, new_page, screenshot, sign_in


def test_the_readme_gets_a_new_user_from_sign_in_to_a_rating(browser: Browser, site: Site) -> None:
    readme = (ROOT / "README.md").read_text()
    user, password = make_variable("DEMO_USER"), make_variable("DEMO_PASSWORD")
    assert f"username `{user}` and password `{password}`" in readme
    assert "patscape serve --db demo/patscape.duckdb" in readme
    demo_recipe = (ROOT / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert '@echo "demo sign-in: username $(DEMO_USER), password $(DEMO_PASSWORD)"' in demo_recipe
    assert "http://127.0.0.1:8000/" in demo_recipe

    context, page = new_page(browser)
    sign_in(page, site, user, password)
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("body")).to_have_attribute("data-dashboard", "year=auto&country_by=auto")
    expect(page.locator("#panel-countries .chart svg")).to_have_count(1)
    page.get_by_role("link", name="Workspaces").click()
    page.get_by_role("link", name="Demo: generative AI").click()
    expect(page.locator("html[data-keys='ready']")).to_have_count(1)
    first = page.locator("tbody tr.selected").get_attribute("data-key")
    assert first
    page.keyboard.press("2")
    expect(page.locator("#doc-title .key")).not_to_have_text(first)
    screenshot(page, "demo-rated")
    context.close()

    with site.admin() as admin:
        [ws] = [w for w in admin.get("/api/workspaces").json() if w["name"] == "Demo: generative AI"]
        rated = admin.get(f"/api/workspaces/{ws['ws_id']}/documents/{first}").json()
    assert rated["rating"]["level"] == 2 and rated["rating"]["rated_by_name"] == user
