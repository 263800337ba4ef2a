"""Atom feeds: bob makes his feed links on the notifications page, a feed reader (httpx) fetches them, the
documents validate as Atom (RFC 4287's required elements, RFC 3339 dates, a feed parser reads atom10
without complaint), and after he revokes the link it opens nothing. A feed token opens no API route and no
other token opens a feed."""

from __future__ import annotations

import datetime as dt

import feedparser
import httpx
from lxml import etree
from playwright.sync_api import Browser, expect

from tests.web.conftest import GRANT
from tests.web.pages.conftest import Site, new_page, screenshot, sign_in

ATOM = "{http://www.w3.org/2005/Atom}"


def _rfc3339(text: str) -> dt.datetime:
    assert "T" in text and (text.endswith("Z") or text[-6] in "+-"), f"not an RFC 3339 date-time: {text}"
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def assert_valid_atom(document: bytes) -> etree._Element:
    """RFC 4287's MUSTs for a feed and its entries, and a feed parser's reading."""
    root = etree.fromstring(document)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, f"atom:feed has one atom:{name}"
    _rfc3339(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # else every entry needs an author
    assert [link.get("href") for link in root.findall(f"{ATOM}link[@rel='self']")], "a self link"
    ids = []
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, f"atom:entry has one atom:{name}"
        ids.append(entry.findtext(f"{ATOM}id"))
        assert ids[-1].startswith(("http://", "https://", "tag:", "urn:"))  # an absolute IRI
        _rfc3339(entry.findtext(f"{ATOM}updated"))
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None  # no content: an alternate link
    assert len(ids) == len(set(ids))
    parsed = feedparser.parse(document)
    assert parsed.version == "atom10" and not parsed.bozo, parsed.get("bozo_exception")
    return root


def test_feed_links_made_read_and_revoked(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "bob")
    page.goto(f"{site.url}/notifications")
    page.get_by_role("button", name="Make feed links").click()
    links = page.locator(".feed-links a")
    expect(links).to_have_text(["Your notifications"])  # workspaces' activity is for managers
    mine = links.first.get_attribute("href")
    assert mine
    screenshot(page, "feed-links")

    response = httpx.get(mine)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = assert_valid_atom(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert f"alice mentioned you on {GRANT} in GenAI watch" in titles
    ws_feed = mine.replace("/feeds/me.atom", f"/feeds/w/{site.api.ws_id}.atom")
    assert httpx.get(ws_feed).status_code == 403  # his token opens no workspace's activity

    token = mine.split("token=", 1)[1]
    assert httpx.get(f"{site.url}/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    api_token = site.api.tokens["bob"]
    assert httpx.get(f"{site.url}/feeds/me.atom", params={"token": api_token}).status_code == 401

    page.reload()
    token_id = token.split("_")[1]
    page.get_by_role("button", name=f"Revoke feed link {token_id}").click()
    expect(page.get_by_role("button", name=f"Revoke feed link {token_id}")).to_have_count(0)
    assert httpx.get(mine).status_code == 401
    context.close()


def test_a_managers_workspace_feed(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "manager")
    page.goto(f"{site.url}/notifications")
    page.get_by_role("button", name="Make feed links").click()
    href = page.locator(".feed-links a", has_text="GenAI watch").get_attribute("href")
    context.close()
    assert href is not None
    with site.api.client("manager") as manager:
        said = manager.post(
            f"/api/workspaces/{site.api.ws_id}/documents/{GRANT}/comments", json={"text": "seen in the feed"}
        )
    assert said.status_code == 201
    response = httpx.get(href)
    assert response.status_code == 200
    root = assert_valid_atom(response.content)
    newest = root.find(f"{ATOM}entry")
    assert newest is not None
    assert newest.findtext(f"{ATOM}title") == f"manager: comment.added {GRANT}"
    assert newest.findtext(f"{ATOM}summary") == "seen in the feed"
