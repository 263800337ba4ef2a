"""Writing the append-only event log: who did what, when, to which object, with the value before and after
(an event as read back, and reading the log: ``patscape.monitor.event``).

Every change of the monitor is written here in the transaction that makes it. The evaluation state
(``patscape.monitor.state``) is a fold over these events; configuration tables are changed in place and
their changes are logged here too, so the log is the audit trail of everything.

Writers take locks so that the order of the events of one document is the order of their effects: on
PostgreSQL an advisory lock per (workspace, family) taken before the event gets its id, so that of two
concurrent ratings the one with the higher id is also the one applied last; on DuckDB, one file in one
process, a lock per database file (DuckDB would otherwise abort one of two transactions touching a row).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from patscape.monitor import state
from patscape.monitor.event import COLUMNS, Event
from patscape.monitor.sql import from_json, now, to_json
from patscape.store import Store


def record(
    store: Store,
    action: str,
    *,
    actor_id: int | None,
    ws_id: int | None = None,
    pub_key: str | None = None,
    subject: Any = None,
    old: Any = None,
    new: Any = None,
) -> Event:
    """Append one event and fold it into the derived state; call it inside ``writing``."""
    values = (
        now(),
        actor_id,
        action,
        ws_id,
        pub_key,
        None if subject is None else str(subject),
        to_json(old),
        to_json(new),
    )
    event_id = store.scalar(
        f"INSERT INTO monitor_events ({COLUMNS}) VALUES (nextval('monitor_event_ids'), ?, ?, ?, ?, ?, ?, "
        "?, ?) "
        "RETURNING event_id",
        values,
    )
    # the event as it will be read back (JSON values), so that the fold sees what a rebuild sees
    event = Event(int(event_id), *values[:6], from_json(values[6]), from_json(values[7]))  # type: ignore[arg-type]
    state.apply(store, event)
    return event


# -- locks ---------------------------------------------------------------------------------------------
_duckdb_locks: dict[str, threading.RLock] = {}
_duckdb_locks_guard = threading.Lock()


def _duckdb_lock(store: Store) -> threading.RLock:
    key = str(Path(store.url).resolve())
    with _duckdb_locks_guard:
        return _duckdb_locks.setdefault(key, threading.RLock())


def _lock_number(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def lock(store: Store, key: str) -> None:
    """Inside ``writing``: wait for and hold ``key`` until the transaction ends (PostgreSQL; DuckDB's writers
    already hold the file's lock)."""
    if store.dialect == "postgresql":
        store.execute("SELECT pg_advisory_xact_lock(?)", (_lock_number(key),))


@contextmanager
def writing(store: Store, *keys: str) -> Iterator[None]:
    """One transaction holding ``keys`` (taken in sorted order, so two writers never wait for each other)."""
    if store.dialect == "duckdb":
        with _duckdb_lock(store), store.transaction():
            yield
        return
    with store.transaction():
        for key in sorted(set(keys)):
            lock(store, key)
        yield


def family_key(ws_id: int, family_id: str | None, pub_key: str) -> str:
    """The lock of a document: its family's in the workspace (a rating is passed on to the family)."""
    return f"ws{ws_id}:family:{family_id or pub_key}"


@contextmanager
def session_lock(store: Store, key: str) -> Iterator[None]:
    """A lock held across several transactions (a routing run), released at the end."""
    if store.dialect == "duckdb":
        with _duckdb_lock(store):
            yield
        return
    number = _lock_number(key)
    store.execute("SELECT pg_advisory_lock(?)", (number,))
    try:
        yield
    finally:
        store.execute("SELECT pg_advisory_unlock(?)", (number,))
