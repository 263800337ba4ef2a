"""Reading the evaluation: task queues, a document's state in a workspace, its history, a user's activity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.monitor.errors import Invalid, NotFound
from patscape.monitor.event import Event, events
from patscape.monitor.keys import resolve
from patscape.monitor.sql import in_list
from patscape.monitor.users import find_user
from patscape.store import Store

STATES = ("open", "done", "all")
ORDERS = ("due", "arrival", "uncertainty")
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Task:
    ws_id: int
    pub_key: str
    title: str | None
    published: dt.date | None
    family_id: str | None
    assignee: int
    assignee_name: str
    state: str
    due: dt.date | None
    assigned_at: dt.datetime
    done_at: dt.datetime | None
    rating: int | None
    inherited_from: str | None
    genai_score: float | None


@dataclass(frozen=True, slots=True)
class Rating:
    level: int
    comment: str | None
    rated_by: int | None
    rated_by_name: str | None
    rated_at: dt.datetime
    inherited_from: str | None


@dataclass(frozen=True, slots=True)
class Comment:
    comment_id: int
    author_id: int | None
    author_name: str | None
    text: str
    pinned: bool
    colour: str | None
    created_at: dt.datetime
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentTag:
    tag_id: int
    name: str
    category_id: int | None
    tagged_by: int | None
    tagged_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Document:
    ws_id: int
    pub_key: str
    title: str | None
    published: dt.date | None
    family_id: str | None
    added_at: dt.datetime
    source: str | None
    profile_id: int | None
    rating: Rating | None
    tags: list[DocumentTag] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    event_id: int
    happened_at: dt.datetime
    actor_id: int | None
    actor_name: str | None
    action: str
    ws_id: int | None
    pub_key: str | None
    subject: str | None
    old: Any
    new: Any


def page(limit: int, offset: int) -> tuple[int, int]:
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise Invalid(f"limit is 1-{MAX_LIMIT}, offset at least 0")
    return limit, offset


_TASKS = (
    "SELECT t.ws_id, t.pub_key, p.title, p.published, d.family_id, t.assignee, u.name AS assignee_name, "
    "t.state, "
    "t.due, t.assigned_at, t.done_at, d.rating, d.inherited_from, g.score AS genai_score "
    "FROM monitor_tasks t JOIN monitor_documents d ON d.ws_id = t.ws_id AND d.pub_key = t.pub_key "
    "JOIN monitor_users u ON u.user_id = t.assignee "
    "LEFT JOIN publications p ON p.pub_key = t.pub_key "
    "LEFT JOIN genai_labels g ON g.pub_key = t.pub_key AND g.method = 'classifier' "
)
_ORDER = {
    "due": "t.due IS NULL, t.due, t.assigned_at, t.pub_key",
    "arrival": "t.assigned_at, t.pub_key",
    # the documents the classifier is least sure about first (score nearest its 0.5 threshold)
    "uncertainty": "abs(coalesce(g.score, 0) - 0.5), t.pub_key",
}


def tasks(
    store: Store,
    caller: Caller,
    ws_id: int,
    assignee: str | int | None = "me",
    state: str = "open",
    order: str = "due",
    limit: int = 50,
    offset: int = 0,
) -> list[Task]:
    """A workspace's tasks: of ``assignee`` ("me", a name or id; None: everyone's), in ``state``."""
    access.check(store, caller, "ws.read", ws_id)
    if state not in STATES or order not in ORDERS:
        raise Invalid(f"state is one of {', '.join(STATES)}; order one of {', '.join(ORDERS)}")
    limit, offset = page(limit, offset)
    where, params = ["t.ws_id = ?"], [ws_id]
    if assignee is not None:
        where.append("t.assignee = ?")
        params.append(caller.user_id if assignee == "me" else find_user(store, assignee).user_id)
    if state != "all":
        where.append("t.state = ?")
        params.append(state)
    rows = store.fetch(
        f"{_TASKS} WHERE {' AND '.join(where)} ORDER BY {_ORDER[order]} LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [Task(**r) for r in rows]


def documents(
    store: Store, caller: Caller, ws_id: int, rated: bool | None = None, limit: int = 50, offset: int = 0
) -> list[Document]:
    """The workspace's documents, newest first (``rated``: only those with or without a rating)."""
    access.check(store, caller, "ws.read", ws_id)
    limit, offset = page(limit, offset)
    cond = {None: "", True: " AND rating IS NOT NULL", False: " AND rating IS NULL"}[rated]
    keys = [
        r["pub_key"]
        for r in store.fetch(
            f"SELECT pub_key FROM monitor_documents WHERE ws_id = ?{cond} ORDER BY added_at DESC, pub_key "
            "LIMIT ? OFFSET ?",
            (ws_id, limit, offset),
        )
    ]
    return [_document(store, ws_id, k) for k in keys]


def document(store: Store, caller: Caller, ws_id: int, key: str) -> Document:
    access.check(store, caller, "ws.read", ws_id)
    return _document(store, ws_id, resolve(store, key, ws_id))


def _document(store: Store, ws_id: int, pub_key: str) -> Document:
    rows = store.fetch(
        "SELECT d.*, p.title, p.published, u.name AS rated_by_name FROM monitor_documents d "
        "LEFT JOIN publications p ON p.pub_key = d.pub_key LEFT JOIN monitor_users u ON u.user_id = "
        "d.rated_by "
        "WHERE d.ws_id = ? AND d.pub_key = ?",
        (ws_id, pub_key),
    )
    if not rows:
        raise NotFound(f"no document {pub_key} in workspace {ws_id}")
    d = rows[0]
    rating = (
        None
        if d["rating"] is None
        else Rating(
            d["rating"],
            d["rating_comment"],
            d["rated_by"],
            d["rated_by_name"],
            d["rated_at"],
            d["inherited_from"],
        )
    )
    tag_rows = store.fetch(
        "SELECT dt.tag_id, t.name, t.category_id, dt.tagged_by, dt.tagged_at FROM monitor_document_tags dt "
        "JOIN monitor_tags t USING (tag_id) WHERE dt.ws_id = ? AND dt.pub_key = ? ORDER BY t.name",
        (ws_id, pub_key),
    )
    comment_rows = store.fetch(
        "SELECT c.comment_id, c.author_id, u.name AS author_name, c.text, c.pinned, c.colour, c.created_at "
        "FROM monitor_comments c LEFT JOIN monitor_users u ON u.user_id = c.author_id "
        "WHERE c.ws_id = ? AND c.pub_key = ? ORDER BY c.pinned DESC, c.comment_id",
        (ws_id, pub_key),
    )
    mentions: dict[int, list[str]] = {}
    for m in store.fetch(
        "SELECT m.comment_id, u.name FROM monitor_mentions m JOIN monitor_users u USING (user_id) "
        "WHERE m.ws_id = ? AND m.pub_key = ? ORDER BY u.name",
        (ws_id, pub_key),
    ):
        mentions.setdefault(int(m["comment_id"]), []).append(m["name"])
    task_rows = store.fetch(f"{_TASKS} WHERE t.ws_id = ? AND t.pub_key = ? ORDER BY u.name", (ws_id, pub_key))
    return Document(
        ws_id,
        pub_key,
        d["title"],
        d["published"],
        d["family_id"],
        d["added_at"],
        d["source"],
        d["profile_id"],
        rating,
        [DocumentTag(**r) for r in tag_rows],
        [
            Comment(
                **{**r, "pinned": bool(r["pinned"])}, mentions=tuple(mentions.get(int(r["comment_id"]), ()))
            )
            for r in comment_rows
        ],
        [Task(**r) for r in task_rows],
    )


def entries(store: Store, found: list[Event]) -> list[HistoryEntry]:
    ids = sorted({e.actor_id for e in found if e.actor_id is not None})
    names = {}
    if ids:
        rows = store.fetch(
            f"SELECT user_id, name FROM monitor_users WHERE {in_list(store, 'user_id', 'bigint')}", (ids,)
        )
        names = {int(r["user_id"]): r["name"] for r in rows}
    return [
        HistoryEntry(
            e.event_id,
            e.happened_at,
            e.actor_id,
            names.get(e.actor_id or -1),
            e.action,
            e.ws_id,
            e.pub_key,
            e.subject,
            e.old,
            e.new,
        )
        for e in found
    ]


def history(store: Store, caller: Caller, ws_id: int, key: str) -> list[HistoryEntry]:
    """Everything that happened to a document in a workspace, oldest first."""
    access.check(store, caller, "ws.read", ws_id)
    pub_key = resolve(store, key, ws_id)
    return entries(store, events(store, "ws_id = ? AND pub_key = ?", (ws_id, pub_key)))


def activity(
    store: Store,
    caller: Caller,
    user: str | int | None = None,
    ws_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[HistoryEntry]:
    """What a user did (default: oneself), newest first; within one workspace, or across those the caller
    may read (an admin: everything, configuration included)."""
    limit, offset = page(limit, offset)
    target = caller.user_id if user is None else find_user(store, user).user_id
    where, params = [], []
    if user is not None and target != caller.user_id:
        access.check(store, caller, "activity.others")
    if ws_id is not None:
        access.check(store, caller, "ws.read" if target == caller.user_id else "ws.activity", ws_id)
        where.append("ws_id = ?")
        params.append(ws_id)
    elif not caller.is_admin and target != caller.user_id:
        readable = access.readable_workspaces(store, caller) or [-1]
        where.append(f"ws_id IN ({', '.join(str(int(w)) for w in readable)})")
    where.append("actor_id = ?")
    params.append(target)
    return entries(store, events(store, " AND ".join(where), tuple(params), limit, offset, newest_first=True))


def workspace_activity(
    store: Store, caller: Caller, ws_id: int, limit: int = 100, offset: int = 0
) -> list[HistoryEntry]:
    """Everything that happened in a workspace, newest first (the activity log the admin can hide)."""
    access.check(store, caller, "ws.activity", ws_id)
    limit, offset = page(limit, offset)
    return entries(store, events(store, "ws_id = ?", (ws_id,), limit, offset, newest_first=True))
