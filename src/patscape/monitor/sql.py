"""Small SQL helpers shared by the monitor's modules (the store's own dialect differences, stated once)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from patscape.store import Store

CHUNK = 10_000


def now() -> dt.datetime:
    """UTC without a time zone (the store's TIMESTAMP columns), to the microsecond:
    events keep their order."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def next_id(store: Store, sequence: str = "monitor_ids") -> int:
    return int(store.scalar(f"SELECT nextval('{sequence}')"))


def in_list(store: Store, column: str, sql_type: str = "text") -> str:
    """A condition ``column IN <one list parameter>`` in the store's dialect."""
    if store.dialect == "postgresql":
        return f"{column} = ANY(?::{sql_type}[])"
    return f"{column} IN (SELECT unnest(?))"


def fetch_in(store: Store, sql: str, column: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list:
    """``sql`` (with ``{keys}`` where the IN condition goes) over ``values`` in chunks;
    ``params`` come first."""
    out: list[dict[str, Any]] = []
    values = list(values)
    for start in range(0, len(values), CHUNK):
        out += store.fetch(sql.format(keys=in_list(store, column)), (*params, values[start : start + CHUNK]))
    return out


def to_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def from_json(text: str | None) -> Any:
    return None if text is None else json.loads(text)
