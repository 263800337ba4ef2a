"""The four views of a workspace's queue a page offers, as rows of one shape, and a document's neighbours
in a view (what j/k and "rate and open the next" move to). Built on the monitor library's tasks and
documents, so the rights are checked there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from patscape import monitor
from patscape.monitor import Caller
from patscape.store import Store

VIEWS = {"mine": "Assigned to me", "open": "Open", "rated": "Rated", "all": "All"}
PAGE_SIZE = 25
_SCAN = 100  # rows read at a time when looking for a document's neighbours
_SCAN_MAX = 2000  # beyond this position in a view, a document has no neighbours (the pages still page)


@dataclass(frozen=True, slots=True)
class Row:
    pub_key: str
    title: str | None
    published: dt.date | None
    rating: int | None
    assignee: str | None
    due: dt.date | None


def view_name(view: str) -> str:
    if view not in VIEWS:
        raise monitor.Invalid(f"a queue is one of {', '.join(VIEWS)}")
    return view


def rows(store: Store, caller: Caller, ws_id: int, view: str, limit: int, offset: int) -> list[Row]:
    """One page of a view: ``mine`` (my open tasks), ``open`` (everyone's open tasks), ``rated``, ``all``."""
    view_name(view)
    if view in ("mine", "open"):
        assignee = "me" if view == "mine" else None
        return [
            Row(t.pub_key, t.title, t.published, t.rating, t.assignee_name, t.due)
            for t in monitor.tasks(store, caller, ws_id, assignee, "open", "due", limit, offset)
        ]
    rated = True if view == "rated" else None
    return [
        Row(d.pub_key, d.title, d.published, d.rating.level if d.rating else None, None, None)
        for d in monitor.documents(store, caller, ws_id, rated, limit, offset)
    ]


def neighbours(
    store: Store, caller: Caller, ws_id: int, view: str, key: str
) -> tuple[str | None, str | None]:
    """The documents before and after ``key`` in a view (a document outside it: none before, the view's
    first after)."""
    keys: list[str] = []
    offset = 0
    while offset < _SCAN_MAX:
        page = rows(store, caller, ws_id, view, _SCAN, offset)
        for row in page:
            if row.pub_key not in keys:
                keys.append(row.pub_key)
        if key in keys[:-1] or len(page) < _SCAN:
            break
        offset += _SCAN
    if key not in keys:
        return None, next(iter(keys), None)
    at = keys.index(key)
    return (keys[at - 1] if at else None), (keys[at + 1] if at + 1 < len(keys) else None)
