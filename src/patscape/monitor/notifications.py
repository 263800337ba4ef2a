"""What a user is told about: tasks given to them, comments that @-mention them, and ratings that others
changed on documents they had rated. Read from the evaluation's current state and its event log, within the
workspaces the user may still read; the pages' notification list and the digests show them."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.store import Store

KINDS = ("task", "mention", "rating")

_TASKS = (
    "SELECT 'task' AS kind, t.assigned_at AS at, t.ws_id, t.pub_key, u.name AS actor, NULL AS detail "
    "FROM monitor_tasks t LEFT JOIN monitor_users u ON u.user_id = t.assigned_by "
    "WHERE t.assignee = ? AND t.state = 'open' AND t.assigned_at >= ?"
)
_MENTIONS = (
    "SELECT 'mention' AS kind, m.mentioned_at AS at, m.ws_id, m.pub_key, u.name AS actor, c.text AS detail "
    "FROM monitor_mentions m JOIN monitor_comments c ON c.comment_id = m.comment_id "
    "LEFT JOIN monitor_users u ON u.user_id = c.author_id "
    "WHERE m.user_id = ? AND m.mentioned_at >= ?"
)
# another's rating of a document after the user's own (inherited ratings carry their rater as actor)
_RATINGS = (
    "SELECT 'rating' AS kind, e.happened_at AS at, e.ws_id, e.pub_key, u.name AS actor, "
    "e.new_value AS detail FROM monitor_events e LEFT JOIN monitor_users u ON u.user_id = e.actor_id "
    "WHERE e.action = 'document.rated' AND e.actor_id IS DISTINCT FROM ? AND e.happened_at >= ? "
    "AND EXISTS (SELECT 1 FROM monitor_events mine WHERE mine.action = 'document.rated' "
    "AND mine.actor_id = ? AND mine.ws_id = e.ws_id AND mine.pub_key = e.pub_key "
    "AND mine.event_id < e.event_id)"
)


@dataclass(frozen=True, slots=True)
class Notification:
    kind: str  # task, mention, rating
    at: dt.datetime
    ws_id: int
    pub_key: str
    actor: str | None  # who assigned, wrote or rated (None: patscape's routing)
    detail: str | None  # the comment's text, the new rating ("2", "3: reason")


def _detail(kind: str, value: str | None) -> str | None:
    if kind != "rating" or value is None:
        return value
    new = json.loads(value)
    return f"{new['level']}: {new['comment']}" if new.get("comment") else str(new["level"])


def notifications(
    store: Store, caller: Caller, since: dt.datetime | None = None, limit: int = 50
) -> list[Notification]:
    """The caller's notifications since ``since`` (all when None), newest first."""
    readable = set(access.readable_workspaces(store, caller))
    start = since or dt.datetime(1970, 1, 1)
    me = caller.user_id
    rows = [
        *store.fetch(_TASKS, (me, start)),
        *store.fetch(_MENTIONS, (me, start)),
        *store.fetch(_RATINGS, (me, start, me)),
    ]
    found = [
        Notification(
            r["kind"], r["at"], int(r["ws_id"]), r["pub_key"], r["actor"], _detail(r["kind"], r["detail"])
        )
        for r in rows
        if int(r["ws_id"]) in readable
    ]
    found.sort(key=lambda n: (n.at, n.kind, n.pub_key), reverse=True)
    return found[:limit]
