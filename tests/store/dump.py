"""A backend-neutral dump of a whole database, to compare two runs (timestamps left out)."""

from __future__ import annotations

from typing import Any

from patscape.store import schema
from patscape.store.base import Store

_VOLATILE = {"ingested_at", "quarantined_at", "started_at", "finished_at"}


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for table in schema.ALL_TABLES:
        cols = [c for c in table.column_names if c not in _VOLATILE]
        rows = store.fetch(f"SELECT {', '.join(cols)} FROM {table.name}")
        out[table.name] = sorted(tuple(str(r[c]) for c in cols) for r in rows)
    return out
