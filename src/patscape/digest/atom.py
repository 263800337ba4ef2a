"""Atom feeds (RFC 4287): a user's notifications and a workspace's activity, for feed readers. The feed's
URL carries a feed token (``monitor.tokens.FEED_LABEL``: it opens feeds only, and is revocable)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lxml import etree

from patscape import monitor
from patscape.digest.content import Item, base_url, document_url, item
from patscape.monitor import Caller
from patscape.store import Store

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def _time(at: dt.datetime) -> str:
    """RFC 3339 in UTC (the store's timestamps are UTC without a zone)."""
    return at.replace(microsecond=0).isoformat() + "Z"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def feed(
    title: str, feed_id: str, self_url: str, alternate: str, entries: Iterable[Item], base: str
) -> bytes:
    """An Atom document: feed id, title, updated, author and self link; each entry with id, title,
    updated, link and summary."""
    items = list(entries)
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    _sub(root, "id", feed_id)
    _sub(root, "title", title)
    updated = max((i.at for i in items), default=dt.datetime(2000, 1, 1))
    _sub(root, "updated", _time(updated))
    _sub(_sub(root, "author"), "name", "patscape")
    _sub(root, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(root, "link", rel="alternate", href=alternate, type="text/html")
    _sub(root, "generator", "patscape")
    for i in items:
        entry = _sub(root, "entry")
        _sub(entry, "id", f"{base}/events/{i.event_id}")
        _sub(entry, "title", i.text)
        _sub(entry, "updated", _time(i.at))
        _sub(entry, "link", rel="alternate", href=i.url, type="text/html")
        if i.quote:
            _sub(entry, "summary", i.quote, type="text")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def user_feed(store: Store, caller: Caller, self_url: str, base: str | None = None) -> bytes:
    """The caller's notifications, newest first (links to the pages under ``base``)."""
    names = {ws.ws_id: ws.name for ws in monitor.list_workspaces(store, caller)}
    base = base or base_url()
    found = monitor.notifications(store, caller, after=0, limit=ENTRIES)
    entries = [item(n, names, base) for n in found]
    return feed(
        f"patscape: notifications of {caller.name}",
        f"{base}/feeds/user/{caller.user_id}",
        self_url,
        f"{base}/notifications",
        entries,
        base,
    )


def workspace_feed(store: Store, caller: Caller, ws_id: int, self_url: str, base: str | None = None) -> bytes:
    """What happened in a workspace the caller may read, newest first."""
    workspace = monitor.get_workspace(store, caller, ws_id)
    base = base or base_url()
    entries = [
        Item(
            e.event_id,
            e.action,
            e.happened_at,
            workspace.name,
            e.pub_key or "",
            f"{e.actor_name or 'patscape'}: {e.action}" + (f" {e.pub_key}" if e.pub_key else ""),
            (e.new.get("text") or e.new.get("comment")) if isinstance(e.new, dict) else None,
            document_url(base, ws_id, e.pub_key) if e.pub_key else f"{base}/w/{ws_id}/queue?view=all",
        )
        for e in monitor.workspace_activity(store, caller, ws_id, limit=ENTRIES)
    ]
    return feed(
        f"patscape: {workspace.name}",
        f"{base}/feeds/workspace/{ws_id}",
        self_url,
        f"{base}/w/{ws_id}/queue?view=all",
        entries,
        base,
    )
