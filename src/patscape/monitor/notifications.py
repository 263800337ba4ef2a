"""A user's notifications, read from the event log: what others did that concerns them.

Three reasons: a comment @-mentions them; a task is given to them (by a colleague, a forward or routing);
someone else changes an annotation (rating, tags, comments, pins, colours) of a document they annotated
or assigned before, or hold a task for. Only workspaces they can still read count. Nothing is stored per
notification: the log already holds it; what a user has seen is itself an event (``notifications.seen``),
so "unread" is everything after the last one.
"""

from __future__ import annotations

from dataclasses import dataclass

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.monitor.errors import Invalid
from patscape.monitor.event import events
from patscape.monitor.events import record, writing
from patscape.monitor.queue import HistoryEntry, entries, page
from patscape.monitor.sql import in_list
from patscape.store import Store

ANNOTATIONS = (
    "document.rated",
    "document.tagged",
    "document.untagged",
    "comment.added",
    "comment.pinned",
    "comment.coloured",
)
_ANNOTATION_LIST = ", ".join(f"'{a}'" for a in ANNOTATIONS)
_INVOLVING_LIST = _ANNOTATION_LIST + ", 'task.assigned'"  # what makes one follow a document

# the reasons in the order they are told (a mention is also an annotation of a watched document)
_MENTIONED = (
    "e.action = 'comment.added' AND EXISTS (SELECT 1 FROM monitor_mentions m "
    "WHERE m.comment_id = e.event_id AND m.user_id = ?)"
)
_ASSIGNED = "e.action = 'task.assigned' AND e.subject = ?"
_WATCHED = (
    f"e.action IN ({_ANNOTATION_LIST}) AND (EXISTS (SELECT 1 FROM monitor_events o WHERE o.ws_id = e.ws_id "
    f"AND o.pub_key = e.pub_key AND o.actor_id = ? AND o.action IN ({_INVOLVING_LIST}) "
    "AND o.event_id < e.event_id) OR EXISTS (SELECT 1 FROM monitor_tasks t WHERE t.ws_id = e.ws_id "
    "AND t.pub_key = e.pub_key AND t.assignee = ?))"
)


@dataclass(frozen=True, slots=True)
class Notification:
    reason: str  # mentioned, assigned, changed
    event: HistoryEntry


def last_seen(store: Store, caller: Caller) -> int:
    """The event id up to which the caller has marked their notifications seen (0: none)."""
    found = events(
        store, "action = 'notifications.seen' AND actor_id = ?", (caller.user_id,), 1, newest_first=True
    )
    return int(found[0].new["up_to"]) if found else 0


def notifications(
    store: Store, caller: Caller, after: int | None = None, limit: int = 100, offset: int = 0
) -> list[Notification]:
    """What others did that concerns the caller, newest first: after event ``after`` (default: the last
    one marked seen)."""
    limit, offset = page(limit, offset)
    if after is None:
        after = last_seen(store, caller)
    readable = access.readable_workspaces(store, caller)
    if not readable or not caller.user_id:
        return []
    me, subject = caller.user_id, str(caller.user_id)
    where = (
        f"e.event_id > ? AND {in_list(store, 'e.ws_id', 'bigint')} "
        "AND (e.actor_id IS NULL OR e.actor_id <> ?) "
        f"AND (({_MENTIONED}) OR ({_ASSIGNED}) OR ({_WATCHED}))"
    )
    rows = store.fetch(
        f"SELECT e.event_id, CASE WHEN {_MENTIONED} THEN 'mentioned' WHEN {_ASSIGNED} THEN 'assigned' "
        f"ELSE 'changed' END AS reason FROM monitor_events e WHERE {where} "
        "ORDER BY e.event_id DESC LIMIT ? OFFSET ?",
        (me, subject, after, readable, me, me, subject, me, me, limit, offset),
    )
    if not rows:
        return []
    reasons = {int(r["event_id"]): r["reason"] for r in rows}
    found = events(store, in_list(store, "event_id", "bigint"), (list(reasons),), newest_first=True)
    return [Notification(reasons[e.event_id], e) for e in entries(store, found)]


def mark_seen(store: Store, caller: Caller, up_to: int) -> int:
    """Mark the caller's notifications up to event ``up_to`` seen (never backwards); returns the mark."""
    if not caller.user_id:
        raise Invalid("patscape itself has no notifications")
    if up_to < 0 or up_to > int(store.scalar("SELECT coalesce(max(event_id), 0) FROM monitor_events")):
        raise Invalid(f"no event {up_to}")
    before = last_seen(store, caller)
    if up_to <= before:
        return before
    with writing(store):
        record(
            store, "notifications.seen", actor_id=caller.user_id, old={"up_to": before}, new={"up_to": up_to}
        )
    return up_to
