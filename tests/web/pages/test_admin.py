"""Administration in a real browser: the admin adds a user, a manager makes them a member of a workspace and
creates a tag category with a tag; the new user signs in with the password given. The database is then read
through the API."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.web.pages.conftest import Site, new_page, screenshot, sign_in

PASSWORD = "carol's first passphrase"


def test_users_members_and_tags(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "admin")
    page.get_by_role("link", name="Users").click()
    page.get_by_label("User name").fill("carol")
    page.get_by_label("Role", exact=True).select_option("evaluator")
    page.get_by_label("Initial password (at least 10 characters)").fill(PASSWORD)
    page.get_by_label("E-mail (for digests)").fill("carol@example.org")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("#users tr", has_text="carol")).to_contain_text("carol@example.org")
    screenshot(page, "admin-users")
    context.close()

    context, page = new_page(browser)
    sign_in(page, site, "manager")
    page.get_by_role("listitem").filter(has_text="GenAI watch").get_by_role("link", name="settings").click()
    page.get_by_label("User to add").fill("carol")
    page.get_by_role("button", name="Add member").click()
    expect(page.get_by_role("button", name="Remove carol")).to_be_visible()
    page.get_by_label("New category").fill("Technology")
    page.get_by_role("button", name="Add category").click()
    page.get_by_label("New tag").fill("diffusion")
    page.get_by_label("In category").select_option(label="Technology")
    page.get_by_role("button", name="Add tag").click()
    expect(page.locator(".categories li", has_text="Technology")).to_have_text("Technology: diffusion")
    screenshot(page, "workspace-settings")
    context.close()

    with site.api.client("admin") as admin:
        [carol] = [u for u in admin.get("/api/users").json() if u["name"] == "carol"]
        members = admin.get(f"/api/workspaces/{site.api.ws_id}/members").json()
        categories = admin.get(f"/api/workspaces/{site.api.ws_id}/categories").json()
        tags = admin.get(f"/api/workspaces/{site.api.ws_id}/tags").json()
    assert carol["role"] == "evaluator" and carol["email"] == "carol@example.org"
    assert "carol" in [m["name"] for m in members]
    [technology] = [c for c in categories if c["name"] == "Technology"]
    assert [t["category_id"] for t in tags if t["name"] == "diffusion"] == [technology["category_id"]]

    context, page = new_page(browser)
    sign_in(page, site, "carol", PASSWORD)
    expect(page.get_by_role("link", name="GenAI watch")).to_be_visible()
    context.close()
