"""One event of the append-only log (``monitor_events``) as it is read back, and the reading of the log;
writing is ``patscape.monitor.events.record``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from patscape.monitor.sql import from_json
from patscape.store import Store

COLUMNS = "event_id, happened_at, actor_id, action, ws_id, pub_key, subject, old_value, new_value"


@dataclass(frozen=True, slots=True)
class Event:
    event_id: int
    happened_at: dt.datetime
    actor_id: int | None
    action: str
    ws_id: int | None
    pub_key: str | None
    subject: str | None
    old: Any
    new: Any

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Event:
        return cls(
            row["event_id"],
            row["happened_at"],
            row["actor_id"],
            row["action"],
            row["ws_id"],
            row["pub_key"],
            row["subject"],
            from_json(row["old_value"]),
            from_json(row["new_value"]),
        )


def events(
    store: Store,
    where: str = "",
    params: tuple[Any, ...] = (),
    limit: int | None = None,
    offset: int = 0,
    newest_first: bool = False,
) -> list[Event]:
    order = "DESC" if newest_first else "ASC"
    condition = f"WHERE {where}" if where else ""
    sql = f"SELECT {COLUMNS} FROM monitor_events {condition} ORDER BY event_id {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return [Event.from_row(r) for r in store.fetch(sql, params)]
