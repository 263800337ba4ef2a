"""A backend-neutral dump of a whole database, to compare two runs (timestamps, the ingest generation, which
counts the runs that changed the data, and the search index's fingerprint, which holds the last ingest's time,
left out)."""

from __future__ import annotations

from typing import Any

from patscape.search.index import FINGERPRINT_KEY
from patscape.store import schema
from patscape.store.base import Store
from patscape.store.freshness import GENERATION_KEY

_VOLATILE = {"ingested_at", "quarantined_at", "started_at", "finished_at"}


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    # the fact table's sources and counts exist once a full enrichment made them (``enrich/facts.py``)
    later = (schema.FAMILY_FACT_SOURCES, schema.FAMILY_FACT_COUNTS)
    made = [t for t in later if store.has_table(t.name)]
    for table in (*schema.ALL_TABLES, *made):
        cols = [c for c in table.column_names if c not in _VOLATILE]
        rows = store.fetch(f"SELECT {', '.join(cols)} FROM {table.name}")
        if table is schema.META:
            volatile = (GENERATION_KEY, FINGERPRINT_KEY)
            rows = [r for r in rows if r["key"] not in volatile and not r["key"].startswith("covers:")]
        out[table.name] = sorted(tuple(str(r[c]) for c in cols) for r in rows)
    return out
