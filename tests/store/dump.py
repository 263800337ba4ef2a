"""A backend-neutral dump of a whole database, to compare two runs (timestamps and the ingest generation,
which counts the runs that changed the data, left out)."""

from __future__ import annotations

from typing import Any

from patscape.store import schema
from patscape.store.base import Store
from patscape.store.freshness import GENERATION_KEY

_VOLATILE = {"ingested_at", "quarantined_at", "started_at", "finished_at"}


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for table in schema.ALL_TABLES:
        cols = [c for c in table.column_names if c not in _VOLATILE]
        rows = store.fetch(f"SELECT {', '.join(cols)} FROM {table.name}")
        if table is schema.META:
            rows = [r for r in rows if r["key"] != GENERATION_KEY and not r["key"].startswith("covers:")]
        out[table.name] = sorted(tuple(str(r[c]) for c in cols) for r in rows)
    return out
