"""An evaluator in a real browser: signing in and out, and rating a queue with the keyboard. Each test checks
what the page shows and what the database then holds (read through the API: the server holds the file)."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from patscape.web import create_app
from patscape.web.pages import PUBLIC_ROUTES
from patscape.web.pages.render import PageRoute
from patscape.web.security import all_routes
from tests.monitor.conftest import PASSWORD
from tests.web.pages.conftest import Site, new_page, screenshot, sign_in


def _session_tokens(site: Site, user: str) -> list[dict]:
    with site.admin() as admin:
        found = admin.get("/api/tokens", params={"user": user}).json()
    return [t for t in found if t["label"] == "web session"]


def test_signing_in_and_out(browser: Browser, site: Site) -> None:
    earlier = {t["token_id"] for t in _session_tokens(site, "alice")}  # other tests' sessions of hers

    def sessions() -> list[dict]:
        return [t for t in _session_tokens(site, "alice") if t["token_id"] not in earlier]

    context, page = new_page(browser)
    response = page.goto(f"{site.url}/w/{site.api.ws_id}/queue")
    assert response is not None
    expect(page).to_have_url(f"{site.url}/signin?next=/w/{site.api.ws_id}/queue")
    assert "script-src 'self'" in response.headers["content-security-policy"]

    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong user name or password.")
    assert sessions() == []
    screenshot(page, "signin-refused")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{site.url}/w/{site.api.ws_id}/queue")  # back where she was going
    expect(page.get_by_role("heading", level=1)).to_have_text("GenAI watch: assigned to me")
    cookie = next(c for c in context.cookies() if c["name"] == "patscape_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]  # http: not Secure
    [session] = sessions()
    assert session["revoked_at"] is None
    screenshot(page, "signed-in-queue")

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{site.url}/signin")
    assert not [c for c in context.cookies() if c["name"] == "patscape_session"]
    [session] = sessions()
    assert session["revoked_at"] is not None  # the session's token is revoked, not only the cookie dropped
    # the old cookie no longer opens a page
    with httpx.Client(base_url=site.url, cookies={"patscape_session": "x"}) as stale:
        assert stale.get("/").status_code == 303
    context.close()


def test_every_page_needs_a_session(site: Site) -> None:
    app = create_app("unused.duckdb")
    pages = [
        (method, route.path)
        for route in all_routes(app)
        if isinstance(getattr(route, "original_route", route), PageRoute)
        for method in route.methods
        if (method, route.path) not in PUBLIC_ROUTES
    ]
    assert len(pages) >= 6
    with httpx.Client(base_url=site.url) as anonymous:
        for method, path in pages:
            url = path.format(ws_id=site.api.ws_id, key=site.queue[-1], panel="countries", name="bob")
            form = {"level": "1", "tag": "x", "text": "x", "role": "admin", "token_id": "x" * 16}
            response = anonymous.request(method, url, data=form)
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/signin?next="), (method, path)
    assert _document(site, site.queue[-1])["rating"] is None


def test_forms_need_their_csrf_token(site: Site) -> None:
    with httpx.Client(base_url=site.url) as client:
        client.get("/signin")  # sets the sign-in form's cookie
        refused = client.post("/signin", data={"username": "bob", "password": PASSWORD, "csrf": "forged"})
        assert refused.status_code == 403 and "patscape_session" not in client.cookies
        token = client.cookies["patscape_signin"]
        signed_in = client.post("/signin", data={"username": "bob", "password": PASSWORD, "csrf": token})
        assert signed_in.status_code == 303 and client.cookies["patscape_session"]
        key = site.queue[-1]  # not rated by any other test
        forged = client.post(f"/w/{site.api.ws_id}/doc/{key}/rating", data={"level": "1", "view": "all"})
        assert forged.status_code == 403
    with site.admin() as admin:
        document = admin.get(f"/api/workspaces/{site.api.ws_id}/documents/{key}").json()
    assert document["rating"] is None


def _document(site: Site, key: str) -> dict:
    with site.admin() as admin:
        return admin.get(f"/api/workspaces/{site.api.ws_id}/documents/{key}").json()


def test_rating_five_documents_with_the_keyboard(browser: Browser, site: Site) -> None:
    q = site.queue
    context, page = new_page(browser)
    sign_in(page, site, "alice")
    page.goto(f"{site.url}/w/{site.api.ws_id}/queue?view=mine")
    title = page.locator("#doc-title .key")

    def ready() -> None:
        expect(page.locator("html[data-keys='ready']")).to_have_count(1)

    ready()
    expect(page.locator("tbody tr.selected")).to_have_attribute("data-key", q[0])
    page.keyboard.press("2")  # on the queue: rates the selected (first) document, opens the next
    expect(title).to_have_text(q[1])
    ready()
    page.keyboard.press("1")
    expect(title).to_have_text(q[2])
    ready()
    page.keyboard.press("3")  # a 3 needs a reason: the field gets the focus, nothing is rated yet
    expect(page.get_by_label("Reason (required for 3)")).to_be_focused()
    page.keyboard.type("same dust separator as our V12")
    page.keyboard.press("Escape")
    screenshot(page, "keyboard-reason-for-3")
    page.keyboard.press("3")
    expect(title).to_have_text(q[3])
    ready()
    page.keyboard.press("j")  # move on without rating, and back
    expect(title).to_have_text(q[4])
    ready()
    page.keyboard.press("k")
    expect(title).to_have_text(q[3])
    ready()
    page.keyboard.press("0")
    expect(title).to_have_text(q[4])
    ready()
    page.keyboard.press("t")
    expect(page.get_by_label("Tag (t)")).to_be_focused()
    page.keyboard.type("competitor")
    page.keyboard.press("Enter")
    expect(page.locator("#tags ul.tags")).to_have_text("competitor")
    ready()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    screenshot(page, "keyboard-shortcuts")
    page.keyboard.press("Escape")
    page.keyboard.press("2")
    expect(title).to_have_text(q[5])
    screenshot(page, "keyboard-after-five-ratings")

    expected = {q[0]: 2, q[1]: 1, q[2]: 3, q[3]: 0, q[4]: 2}
    for key, level in expected.items():
        rating = _document(site, key)["rating"]
        assert (rating["level"], rating["rated_by_name"]) == (level, "alice"), key
    assert _document(site, q[2])["rating"]["comment"] == "same dust separator as our V12"
    assert [t["name"] for t in _document(site, q[4])["tags"]] == ["competitor"]
    assert _document(site, q[5])["rating"] is None
    with site.api.client("alice") as alice:
        open_tasks = alice.get(f"/api/workspaces/{site.api.ws_id}/tasks", params={"assignee": "me"}).json()
    assert [t["pub_key"] for t in open_tasks] == q[5:]
    context.close()


def test_a_comment_mentions_a_colleague_who_is_notified(browser: Browser, site: Site) -> None:
    key = site.queue[-1]
    context, page = new_page(browser)
    sign_in(page, site, "alice")
    page.goto(f"{site.url}/w/{site.api.ws_id}/doc/{key}?view=all")
    expect(page.locator("html[data-keys='ready']")).to_have_count(1)
    page.keyboard.press("c")
    expect(page.get_by_label("Comment (c); @name notifies a member")).to_be_focused()
    page.keyboard.type("@bob the claim 1 reads on our dust box")
    page.get_by_role("button", name="Add comment").click()
    comment = page.locator("#comments ul.comments li").last
    expect(comment).to_contain_text("@bob the claim 1 reads on our dust box")
    expect(comment).to_contain_text("mentions bob")
    screenshot(page, "comment-with-mention")
    context.close()

    [stored] = [c for c in _document(site, key)["comments"] if "dust box" in c["text"]]
    assert stored["author_name"] == "alice" and stored["mentions"] == ["bob"]

    context, page = new_page(browser)
    sign_in(page, site, "bob")
    page.get_by_role("link", name="Notifications").click()
    notice = page.locator(".notice-mentioned", has_text=key)
    expect(notice).to_contain_text("alice mentioned you on")
    expect(notice).to_contain_text("the claim 1 reads on our dust box")
    expect(notice).to_have_class("notice-mentioned unread")
    screenshot(page, "notifications-of-bob")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#unread-count")).to_have_text("0 new.")
    expect(notice).to_have_class("notice-mentioned")
    with site.api.client("bob") as bob:
        assert bob.get("/api/notifications").json() == []  # nothing after the mark: the log holds it
    notice.get_by_role("link", name=key).click()
    expect(page.locator("#doc-title .key")).to_have_text(key)
    context.close()
