"""Rewriting a derived table as a whole: drop, create, fill, then index (inside the caller's transaction).

Dropping and re-creating is much faster than deleting every row (DuckDB rewrites its indexes row by row),
and building the indexes after the rows are in is faster than maintaining them while inserting. Both
DuckDB and PostgreSQL have transactional DDL, so a failure leaves the previous table in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from patscape.store.base import Store
from patscape.store.schema import Table


@contextmanager
def rewrite(store: Store, table: Table) -> Iterator[None]:
    create, *indexes = table.ddl(store.secondary_indexes)
    store.execute(f"DROP TABLE IF EXISTS {table.name}")
    store.execute(create)
    yield
    for stmt in indexes:
        store.execute(stmt)
