"""The store: one schema, DuckDB embedded by default, PostgreSQL as the server."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from patscape.store.base import BatchCounts, Store

__all__ = ["BatchCounts", "Store", "default_db", "open_store"]


def default_db() -> str:
    """``$PATSCAPE_DB``, else ``patscape.duckdb`` in the user's data directory."""
    return os.environ.get("PATSCAPE_DB") or str(Path(user_data_dir("patscape")) / "patscape.duckdb")


def open_store(
    db: str | None = None, *, create: bool = True, read_only: bool = False, wal: bool = True
) -> Store:
    """Open (and create the schema of) the database at a DuckDB path or a ``postgresql://`` URL.

    ``wal=False``: a DuckDB file writes no write-ahead log and saves its data at checkpoints (see
    ``DuckDBStore``); PostgreSQL keeps its own."""
    target = db or default_db()
    store: Store
    if target.startswith(("postgresql://", "postgres://")):
        from patscape.store.postgres_store import PostgresStore

        store = PostgresStore(target)
    else:
        from patscape.store.duckdb_store import DuckDBStore

        store = DuckDBStore(target, read_only=read_only, wal=wal)
    if create and not read_only:
        store.create_schema()
    return store
