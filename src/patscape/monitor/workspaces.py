"""Workspaces (monitoring or project), their members, tag categories and tags."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.monitor.errors import Conflict, Invalid, NotFound
from patscape.monitor.events import record, writing
from patscape.monitor.sql import next_id, now
from patscape.monitor.users import find_user
from patscape.store import Store

KINDS = ("monitoring", "project")
COLOURS = ("grey", "red", "orange", "yellow", "green", "blue", "purple")
_LABEL = re.compile(r"\S(.{0,118}\S)?", re.S)  # names of workspaces, categories and tags: 1-120 characters


def _label(text: str, what: str) -> str:
    text = (text or "").strip()
    if not _LABEL.fullmatch(text) or any(ord(c) < 32 for c in text):
        raise Invalid(f"a {what} name has 1-120 printable characters")
    return text


@dataclass(frozen=True, slots=True)
class Workspace:
    ws_id: int
    name: str
    kind: str
    description: str | None
    watch_from: dt.datetime | None
    allow_training: bool
    created_at: dt.datetime
    created_by: int | None


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    name: str
    display_name: str | None
    role: str
    added_at: dt.datetime


@dataclass(frozen=True, slots=True)
class TagCategory:
    category_id: int
    ws_id: int
    name: str
    colour: str | None


@dataclass(frozen=True, slots=True)
class Tag:
    tag_id: int
    ws_id: int
    category_id: int | None
    name: str


_COLUMNS = "ws_id, name, kind, description, watch_from, allow_training, created_at, created_by"
_SELECT = f"SELECT {_COLUMNS} FROM monitor_workspaces"


def _workspace(store: Store, ws_id: int) -> Workspace:
    rows = store.fetch(f"{_SELECT} WHERE ws_id = ?", (ws_id,))
    if not rows:
        raise NotFound(f"no workspace {ws_id}")
    return Workspace(**rows[0])


def create_workspace(
    store: Store,
    caller: Caller,
    name: str,
    kind: str = "monitoring",
    description: str | None = None,
    watch_from: dt.datetime | None = None,
    allow_training: bool = False,
) -> Workspace:
    """A new workspace with its creator as first member. A monitoring workspace receives the publications
    that arrive in the database from ``watch_from`` on (default: now)."""
    access.check(store, caller, "workspaces.create")
    name = _label(name, "workspace")
    if kind not in KINDS:
        raise Invalid(f"a workspace is {' or '.join(KINDS)}")
    created = now()
    if kind == "monitoring" and watch_from is None:
        watch_from = created.replace(microsecond=0)  # the ingest stamps arrivals to the second
    with writing(store, f"workspace:{name}"):
        if store.scalar("SELECT count(*) FROM monitor_workspaces WHERE name = ?", (name,)):
            raise Conflict(f"a workspace {name} exists already")
        ws_id = next_id(store)
        store.execute(
            f"INSERT INTO monitor_workspaces ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (ws_id, name, kind, description, watch_from, allow_training, created, caller.actor_id),
        )
        record(
            store,
            "workspace.created",
            actor_id=caller.actor_id,
            ws_id=ws_id,
            new={
                "name": name,
                "kind": kind,
                "description": description,
                "watch_from": watch_from,
                "allow_training": allow_training,
            },
        )
        if caller.user_id:
            _add_member(store, caller, ws_id, caller.user_id)
    return _workspace(store, ws_id)


def list_workspaces(store: Store, caller: Caller) -> list[Workspace]:
    ids = access.readable_workspaces(store, caller)
    return [_workspace(store, ws_id) for ws_id in ids]


def get_workspace(store: Store, caller: Caller, ws_id: int) -> Workspace:
    access.check(store, caller, "ws.read", ws_id)
    return _workspace(store, ws_id)


def update_workspace(
    store: Store,
    caller: Caller,
    ws_id: int,
    *,
    description: str | None = None,
    allow_training: bool | None = None,
) -> Workspace:
    access.check(store, caller, "ws.manage", ws_id)
    before = _workspace(store, ws_id)
    changes = {
        k: v
        for k, v in {"description": description, "allow_training": allow_training}.items()
        if v is not None
    }
    if changes:
        with writing(store):
            sets = ", ".join(f"{k} = ?" for k in changes)
            store.execute(f"UPDATE monitor_workspaces SET {sets} WHERE ws_id = ?", (*changes.values(), ws_id))
            record(
                store,
                "workspace.changed",
                actor_id=caller.actor_id,
                ws_id=ws_id,
                old={k: getattr(before, k) for k in changes},
                new=changes,
            )
    return _workspace(store, ws_id)


# -- members ---------------------------------------------------------------------------------------------
def members(store: Store, caller: Caller, ws_id: int) -> list[Member]:
    access.check(store, caller, "ws.read", ws_id)
    return workspace_members(store, ws_id)


def workspace_members(store: Store, ws_id: int) -> list[Member]:
    rows = store.fetch(
        "SELECT u.user_id, u.name, u.display_name, u.role, m.added_at FROM monitor_members m "
        "JOIN monitor_users u USING (user_id) WHERE m.ws_id = ? ORDER BY u.name",
        (ws_id,),
    )
    return [Member(**r) for r in rows]


def _add_member(store: Store, caller: Caller, ws_id: int, user_id: int) -> None:
    store.execute(
        "INSERT INTO monitor_members (ws_id, user_id, added_at) VALUES (?, ?, ?)", (ws_id, user_id, now())
    )
    record(store, "member.added", actor_id=caller.actor_id, ws_id=ws_id, subject=user_id)


def add_member(store: Store, caller: Caller, ws_id: int, user: str | int) -> Member:
    access.check(store, caller, "ws.manage", ws_id)
    target = find_user(store, user)
    with writing(store, f"members:{ws_id}"):
        if not store.scalar(
            "SELECT count(*) FROM monitor_members WHERE ws_id = ? AND user_id = ?", (ws_id, target.user_id)
        ):
            _add_member(store, caller, ws_id, target.user_id)
    return next(m for m in workspace_members(store, ws_id) if m.user_id == target.user_id)


def remove_member(store: Store, caller: Caller, ws_id: int, user: str | int) -> None:
    """Take a user out of the workspace; their open tasks stay (a manager forwards them)."""
    access.check(store, caller, "ws.manage", ws_id)
    target = find_user(store, user)
    with writing(store, f"members:{ws_id}"):
        if not store.scalar(
            "SELECT count(*) FROM monitor_members WHERE ws_id = ? AND user_id = ?", (ws_id, target.user_id)
        ):
            raise NotFound(f"{target.name} is not a member of workspace {ws_id}")
        store.execute("DELETE FROM monitor_members WHERE ws_id = ? AND user_id = ?", (ws_id, target.user_id))
        record(store, "member.removed", actor_id=caller.actor_id, ws_id=ws_id, subject=target.user_id)


# -- tag categories and tags -------------------------------------------------------------------------------
def categories(store: Store, caller: Caller, ws_id: int) -> list[TagCategory]:
    access.check(store, caller, "ws.read", ws_id)
    rows = store.fetch(
        "SELECT category_id, ws_id, name, colour FROM monitor_tag_categories WHERE ws_id = ? ORDER BY name",
        (ws_id,),
    )
    return [TagCategory(**r) for r in rows]


def create_category(
    store: Store, caller: Caller, ws_id: int, name: str, colour: str | None = None
) -> TagCategory:
    access.check(store, caller, "ws.manage", ws_id)
    name = _label(name, "category")
    if colour is not None and colour not in COLOURS:
        raise Invalid(f"a colour is one of {', '.join(COLOURS)}")
    with writing(store, f"tags:{ws_id}"):
        if store.scalar(
            "SELECT count(*) FROM monitor_tag_categories WHERE ws_id = ? AND name = ?", (ws_id, name)
        ):
            raise Conflict(f"a category {name} exists already")
        category_id = next_id(store)
        store.execute(
            "INSERT INTO monitor_tag_categories VALUES (?, ?, ?, ?)", (category_id, ws_id, name, colour)
        )
        record(
            store,
            "category.created",
            actor_id=caller.actor_id,
            ws_id=ws_id,
            subject=category_id,
            new={"name": name, "colour": colour},
        )
    return TagCategory(category_id, ws_id, name, colour)


def tags(store: Store, caller: Caller, ws_id: int) -> list[Tag]:
    access.check(store, caller, "ws.read", ws_id)
    return workspace_tags(store, ws_id)


def workspace_tags(store: Store, ws_id: int) -> list[Tag]:
    rows = store.fetch(
        "SELECT tag_id, ws_id, category_id, name FROM monitor_tags WHERE ws_id = ? ORDER BY name", (ws_id,)
    )
    return [Tag(**r) for r in rows]


def create_tag(store: Store, caller: Caller, ws_id: int, name: str, category_id: int | None = None) -> Tag:
    access.check(store, caller, "tags.create", ws_id)
    name = _label(name, "tag")
    if category_id is not None and not store.scalar(
        "SELECT count(*) FROM monitor_tag_categories WHERE ws_id = ? AND category_id = ?",
        (ws_id, category_id),
    ):
        raise Invalid(f"no tag category {category_id} in workspace {ws_id}")
    with writing(store, f"tags:{ws_id}"):
        if store.scalar("SELECT count(*) FROM monitor_tags WHERE ws_id = ? AND name = ?", (ws_id, name)):
            raise Conflict(f"a tag {name} exists already")
        tag_id = next_id(store)
        store.execute(
            "INSERT INTO monitor_tags VALUES (?, ?, ?, ?, ?, ?)",
            (tag_id, ws_id, category_id, name, caller.actor_id, now()),
        )
        record(
            store,
            "tag.created",
            actor_id=caller.actor_id,
            ws_id=ws_id,
            subject=tag_id,
            new={"name": name, "category_id": category_id},
        )
    return Tag(tag_id, ws_id, category_id, name)


def find_tag(store: Store, ws_id: int, tag: str | int) -> Tag | None:
    rows = store.fetch(
        "SELECT tag_id, ws_id, category_id, name FROM monitor_tags WHERE ws_id = ? AND "
        + ("tag_id = ?" if isinstance(tag, int) else "lower(name) = lower(?)"),
        (ws_id, tag),
    )
    return Tag(**rows[0]) if rows else None
