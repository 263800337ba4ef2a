"""Fixtures of the monitor's tests: a store on both backends with the monitor installed, and its people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from patscape import monitor
from patscape.monitor import SYSTEM, Caller
from patscape.store import Store, open_store

PASSWORD = "correct horse battery"


@pytest.fixture
def mstore(db_url: str) -> Iterator[Store]:
    """An empty store (DuckDB file, then PostgreSQL database) with the monitor's sequences and triggers."""
    store = open_store(db_url)
    monitor.install(store)
    try:
        yield store
    finally:
        store.close()


@dataclass
class People:
    admin: Caller
    manager: Caller
    alice: Caller  # evaluator
    bob: Caller  # evaluator
    viewer: Caller
    outsider: Caller  # an evaluator who is not a member of the workspace
    ws_id: int


def make_people(store: Store, kind: str = "monitoring") -> People:
    callers = {}
    for name, role in [
        ("admin", "admin"),
        ("manager", "manager"),
        ("alice", "evaluator"),
        ("bob", "evaluator"),
        ("viewer", "viewer"),
        ("outsider", "evaluator"),
    ]:
        callers[name] = monitor.add_user(store, SYSTEM, name, role).caller()  # tokens only: argon2 is slow
    ws = monitor.create_workspace(store, callers["manager"], "GenAI watch", kind=kind)
    for name in ("alice", "bob", "viewer"):
        monitor.add_member(store, callers["manager"], ws.ws_id, name)
    return People(**callers, ws_id=ws.ws_id)


@pytest.fixture
def people(mstore: Store) -> People:
    return make_people(mstore)


USPTO = "go_uspto_testdata"


@pytest.fixture
def uspto(mstore: Store, data) -> Store:  # type: ignore[no-untyped-def]
    """The store with the 13 real USPTO test documents (grants and applications of several DTDs)."""
    from patscape.store.ingest import ingest

    ingest(mstore, [data / USPTO], workers=0)
    assert mstore.scalar("SELECT count(*) FROM publications") == 13
    return mstore


GRANT = "US-6530116-B2"
APPLICATION = "US-2021267109-A1"


def with_documents(store: Store) -> People:
    """The people, and their workspace holding a real grant and a real application."""
    p = make_people(store)
    for key in (GRANT, APPLICATION):
        monitor.add_document(store, p.manager, p.ws_id, key)
    return p
