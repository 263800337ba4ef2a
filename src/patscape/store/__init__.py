"""The store: one schema, DuckDB embedded by default, PostgreSQL as the server."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

from patscape.store.base import BatchCounts, Store
from patscape.store.target import (
    NoDatabase,
    ReadOnlyStorage,
    StoreError,
    UnknownScheme,
    create_hint,
    duckdb_path,
    is_server_url,
    redact,
)

__all__ = [
    "BatchCounts",
    "NoDatabase",
    "ReadOnlyStorage",
    "Store",
    "StoreError",
    "UnknownScheme",
    "default_db",
    "is_server_url",
    "open_store",
]


def default_db() -> str:
    """``$PATSCAPE_DB``, else ``patscape.duckdb`` in the user's data directory."""
    return os.environ.get("PATSCAPE_DB") or str(Path(user_data_dir("patscape")) / "patscape.duckdb")


def _writable(path: Path) -> bool:
    """The file (when it exists) and its folder (for the write-ahead log) can be written; a folder still to
    be created counts as writable."""
    folder = path.absolute().parent
    while not folder.exists():
        folder = folder.parent
    return os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def open_store(
    db: str | None = None, *, create: bool = True, read_only: bool = False, wal: bool = True
) -> Store:
    """Open the database at a DuckDB path or a ``postgresql://`` URL.

    ``read_only``: for commands that only read; the store is opened read-only (a DuckDB file in read-only
    storage works) and must exist: :class:`NoDatabase` otherwise, with nothing created. ``create``: a
    writing command creates the database and its schema (``create=False``: it must exist too).
    ``wal=False``: a DuckDB file writes no write-ahead log and saves its data at checkpoints (see
    ``DuckDBStore``); PostgreSQL keeps its own. Any other target (``md:``, ``sqlite:``, ``mysql://``) is
    refused with :class:`UnknownScheme`."""
    target = db or default_db()
    store: Store
    if is_server_url(target):
        from patscape.store.postgres_store import PostgresStore

        store = PostgresStore(target, read_only=read_only)
    else:
        path = duckdb_path(target)
        if (read_only or not create) and not path.is_file():
            raise NoDatabase(f"no database at {target}: {create_hint(target)}")
        if not read_only and not _writable(path):
            raise ReadOnlyStorage(f"{target} cannot be written (read-only file or folder)")
        from patscape.store.duckdb_store import DuckDBStore

        store = DuckDBStore(path, read_only=read_only, wal=wal)
    if create and not read_only:
        store.create_schema()
    elif not store.has_table("publications"):
        store.close()
        shown = redact(target)
        raise NoDatabase(f"no patscape database at {shown} (no patscape tables): {create_hint(shown)}")
    return store
