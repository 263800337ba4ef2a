"""A user's digest: their notifications after the last digest delivered on a channel, each told in one
line with a link to the document's page; and the delivery log every channel writes."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from patscape import monitor
from patscape.monitor import Caller, Invalid, Notification, User
from patscape.monitor.event import events
from patscape.monitor.events import record, writing
from patscape.monitor.queue import MAX_LIMIT
from patscape.monitor.sql import next_id, now
from patscape.store import Store

PERIODS = {"daily": dt.timedelta(days=1), "weekly": dt.timedelta(days=7)}
CHOICES = (*PERIODS, "none")  # what a user may choose for their digests
DEFAULT = "daily"
_CHANGES = {
    "document.rated": "rated",
    "document.tagged": "tagged",
    "document.untagged": "untagged",
    "comment.added": "commented on",
    "comment.pinned": "pinned a comment on",
    "comment.coloured": "marked a comment on",
}


def document_url(base: str, ws_id: int, pub_key: str) -> str:
    """A document's page in its workspace (the pages' own address, ``web.pages.urls.doc_url``)."""
    return f"{base}/w/{ws_id}/doc/{quote(pub_key, safe='')}?view=all"


def base_url() -> str:
    """Where the pages are served, for the links of mails and feeds ($PATSCAPE_BASE_URL)."""
    return os.environ.get("PATSCAPE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


@dataclass(frozen=True, slots=True)
class Item:
    event_id: int
    reason: str  # mentioned, assigned, changed
    at: dt.datetime
    workspace: str
    pub_key: str
    text: str  # one line: who did what to which document
    quote: str | None  # the comment's text, the rating's reason
    url: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "reason": self.reason,
            "at": self.at.isoformat() + "Z",
            "workspace": self.workspace,
            "pub_key": self.pub_key,
            "text": self.text,
            "quote": self.quote,
            "url": self.url,
        }


def item(n: Notification, workspaces: dict[int, str], base: str) -> Item:
    e = n.event
    who = e.actor_name or "patscape"
    ws = workspaces.get(e.ws_id or 0, f"workspace {e.ws_id}")
    new = e.new if isinstance(e.new, dict) else {}
    if n.reason == "mentioned":
        text = f"{who} mentioned you on {e.pub_key} in {ws}"
    elif n.reason == "assigned":
        text = f"{who} gave you {e.pub_key} to evaluate in {ws}"
    else:
        level = f" {new['level']}" if e.action == "document.rated" and "level" in new else ""
        text = f"{who} {_CHANGES.get(e.action, e.action)} {e.pub_key}{level} in {ws}"
    quote = new.get("text") or new.get("comment") or None
    url = document_url(base, e.ws_id or 0, e.pub_key or "")
    return Item(e.event_id, n.reason, e.happened_at, ws, e.pub_key or "", text, quote, url)


@dataclass(frozen=True, slots=True)
class Digest:
    user: User
    period: str
    after: int  # the notifications after this event...
    up_to: int  # ...up to this one
    items: list[Item]

    @property
    def subject(self) -> str:
        count = len(self.items)
        return f"patscape {self.period} digest: {count} notification{'' if count == 1 else 's'}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "user": self.user.name,
            "period": self.period,
            "after_event": self.after,
            "up_to_event": self.up_to,
            "items": [i.as_dict() for i in self.items],
        }


def preference(store: Store, user_id: int) -> str:
    """How often the user wants digests (their last ``digest.period`` event; daily when never chosen)."""
    found = events(store, "action = 'digest.period' AND actor_id = ?", (user_id,), 1, newest_first=True)
    return str(found[0].new["period"]) if found else DEFAULT


def set_preference(store: Store, caller: Caller, period: str) -> str:
    """Choose daily, weekly or no digests (an event of the log, as every other change)."""
    if period not in CHOICES:
        raise Invalid(f"digests are {', '.join(CHOICES)}")
    if not caller.user_id:
        raise Invalid("patscape itself has no digests")
    before = preference(store, caller.user_id)
    if before != period:
        with writing(store):
            record(
                store,
                "digest.period",
                actor_id=caller.user_id,
                old={"period": before},
                new={"period": period},
            )
    return period


def last_delivered(store: Store, user_id: int, channel: str, webhook_id: int | None = None) -> int | None:
    """The event up to which the last delivered digest of the channel went (None: none delivered yet)."""
    value = store.scalar(
        "SELECT max(up_to) FROM monitor_deliveries WHERE user_id = ? AND channel = ? AND delivered "
        "AND coalesce(webhook_id, 0) = ?",
        (user_id, channel, webhook_id or 0),
    )
    return None if value is None else int(value)


def pending(
    store: Store, user: User, period: str, channel: str, webhook_id: int | None = None
) -> Digest | None:
    """The user's digest for the channel: notifications after the last delivered one (the first digest:
    those of the last period); None when there is nothing new or the user chose another period."""
    if period not in PERIODS:
        raise ValueError(f"a period is one of {', '.join(PERIODS)}")
    if preference(store, user.user_id) != period:
        return None
    caller = user.caller()
    after = last_delivered(store, user.user_id, channel, webhook_id)
    found = monitor.notifications(store, caller, after=after or 0, limit=MAX_LIMIT)
    if after is None:
        since = now() - PERIODS[period]
        found = [n for n in found if n.event.happened_at >= since]
    if not found:
        return None
    names = {ws.ws_id: ws.name for ws in monitor.list_workspaces(store, caller)}
    base = base_url()
    items = [item(n, names, base) for n in found]
    up_to = max(i.event_id for i in items)
    return Digest(user, period, after or 0, up_to, items)


def log_attempt(
    store: Store,
    digest: Digest,
    channel: str,
    attempt: int,
    delivered: bool,
    status: int | None = None,
    error: str | None = None,
    webhook_id: int | None = None,
) -> None:
    with store.transaction():
        store.execute(
            "INSERT INTO monitor_deliveries (delivery_id, user_id, channel, webhook_id, attempt, "
            "attempted_at, up_to, items, delivered, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                next_id(store),
                digest.user.user_id,
                channel,
                webhook_id,
                attempt,
                now(),
                digest.up_to,
                len(digest.items),
                delivered,
                status,
                (error or "")[:500] or None,
            ),
        )


def users_with_mail(store: Store) -> list[User]:
    return [u for u in monitor.list_users(store, monitor.SYSTEM) if u.active and u.email]
