"""The evaluation as it stands, folded from the event log.

``apply`` is the fold's one step: the same function keeps the state tables current as events are written
and rebuilds them from the whole log (``rebuild``), so the tables can always be thrown away and derived
again. Events that change no evaluation state (users, tokens, workspaces, profiles) leave them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from patscape.store import Store, schema

if TYPE_CHECKING:
    from patscape.monitor.event import Event


def _added(store: Store, e: Event) -> None:
    new = e.new or {}
    store.execute(
        "INSERT INTO monitor_documents (ws_id, pub_key, family_id, added_at, added_by, source, profile_id, "
        "last_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            e.ws_id,
            e.pub_key,
            new.get("family_id"),
            e.happened_at,
            e.actor_id,
            new.get("source"),
            new.get("profile_id"),
            e.event_id,
        ),
    )


def _rated(store: Store, e: Event) -> None:
    new = e.new or {}
    store.execute(
        "UPDATE monitor_documents SET rating = ?, rating_comment = ?, rated_by = ?, rated_at = ?, "
        "inherited_from = ? WHERE ws_id = ? AND pub_key = ?",
        (
            new.get("level"),
            new.get("comment"),
            e.actor_id,
            e.happened_at,
            new.get("inherited_from"),
            e.ws_id,
            e.pub_key,
        ),
    )


def _assigned(store: Store, e: Event) -> None:
    new = e.new or {}
    store.execute(
        "INSERT INTO monitor_tasks (ws_id, pub_key, assignee, state, due, assigned_at, assigned_by, done_at, "
        "last_event_id) VALUES (?, ?, ?, 'open', ?, ?, ?, NULL, ?) ON CONFLICT (ws_id, pub_key, assignee) DO "
        "UPDATE SET state = 'open', due = excluded.due, assigned_at = excluded.assigned_at, "
        "assigned_by = excluded.assigned_by, done_at = NULL, last_event_id = excluded.last_event_id",
        (e.ws_id, e.pub_key, int(e.subject or 0), new.get("due"), e.happened_at, e.actor_id, e.event_id),
    )


def _unassigned(store: Store, e: Event) -> None:
    store.execute(
        "DELETE FROM monitor_tasks WHERE ws_id = ? AND pub_key = ? AND assignee = ?",
        (e.ws_id, e.pub_key, int(e.subject or 0)),
    )


def _task_update(sets: str, value: Callable[[Event], tuple[Any, ...]]) -> Callable[[Store, Event], None]:
    def step(store: Store, e: Event) -> None:
        store.execute(
            f"UPDATE monitor_tasks SET {sets}, last_event_id = ? WHERE ws_id = ? AND pub_key = ? AND "
            "assignee = ?",
            (*value(e), e.event_id, e.ws_id, e.pub_key, int(e.subject or 0)),
        )

    return step


def _tagged(store: Store, e: Event) -> None:
    store.execute(
        "INSERT INTO monitor_document_tags (ws_id, pub_key, tag_id, tagged_by, tagged_at) VALUES (?, ?, ?, "
        "?, ?)",
        (e.ws_id, e.pub_key, int(e.subject or 0), e.actor_id, e.happened_at),
    )


def _untagged(store: Store, e: Event) -> None:
    store.execute(
        "DELETE FROM monitor_document_tags WHERE ws_id = ? AND pub_key = ? AND tag_id = ?",
        (e.ws_id, e.pub_key, int(e.subject or 0)),
    )


def _commented(store: Store, e: Event) -> None:
    new = e.new or {}
    store.execute(
        "INSERT INTO monitor_comments (comment_id, ws_id, pub_key, author_id, text, pinned, colour, "
        "created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            e.event_id,
            e.ws_id,
            e.pub_key,
            e.actor_id,
            new.get("text", ""),
            bool(new.get("pinned")),
            new.get("colour"),
            e.happened_at,
        ),
    )
    for user_id in new.get("mentions", []):
        store.execute(
            "INSERT INTO monitor_mentions (comment_id, user_id, ws_id, pub_key, mentioned_at) VALUES (?, "
            "?, ?, ?, ?)",
            (e.event_id, user_id, e.ws_id, e.pub_key, e.happened_at),
        )


def _comment_changed(column: str) -> Callable[[Store, Event], None]:
    def step(store: Store, e: Event) -> None:
        store.execute(
            f"UPDATE monitor_comments SET {column} = ? WHERE comment_id = ?",
            ((e.new or {}).get(column), int(e.subject or 0)),
        )

    return step


STEPS: dict[str, Callable[[Store, Event], None]] = {
    "document.added": _added,
    "document.rated": _rated,
    "task.assigned": _assigned,
    "task.unassigned": _unassigned,
    "task.done": _task_update("state = 'done', done_at = ?", lambda e: (e.happened_at,)),
    "task.reopened": _task_update("state = 'open', done_at = NULL", lambda e: ()),
    "task.due": _task_update("due = ?", lambda e: ((e.new or {}).get("due"),)),
    "document.tagged": _tagged,
    "document.untagged": _untagged,
    "comment.added": _commented,
    "comment.pinned": _comment_changed("pinned"),
    "comment.coloured": _comment_changed("colour"),
}


def apply(store: Store, event: Event) -> None:
    step = STEPS.get(event.action)
    if step is None:
        return
    step(store, event)
    if event.action != "document.added" and event.pub_key is not None:
        store.execute(
            "UPDATE monitor_documents SET last_event_id = ? WHERE ws_id = ? AND pub_key = ?",
            (event.event_id, event.ws_id, event.pub_key),
        )


def rebuild(store: Store, batch: int = 5000) -> int:
    """Throw the state tables away and fold the whole log again; returns the number of events read."""
    from patscape.monitor.event import events

    count = 0
    with store.transaction():
        for table in schema.MONITOR_STATE_TABLES:
            store.execute(f"DELETE FROM {table.name}")
        after = -1
        while True:
            chunk = events(store, "event_id > ?", (after,), limit=batch)
            if not chunk:
                break
            for event in chunk:
                apply(store, event)
            after = chunk[-1].event_id
            count += len(chunk)
    return count


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """The state tables' rows, sorted (to compare the incremental state with a rebuilt one)."""
    out = {}
    for table in schema.MONITOR_STATE_TABLES:
        rows = store.fetch(f"SELECT * FROM {table.name}")
        out[table.name] = sorted(tuple(str(v) for v in r.values()) for r in rows)
    return out
