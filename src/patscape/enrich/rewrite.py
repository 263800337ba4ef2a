"""Rewriting a derived table as a whole: drop, create, fill, then index (inside the caller's transaction).

Dropping and re-creating is much faster than deleting every row (DuckDB rewrites its indexes row by row),
and building the indexes after the rows are in is faster than maintaining them while inserting. Both
DuckDB and PostgreSQL have transactional DDL, so a failure leaves the previous table in place.

A store without secondary indexes (DuckDB: ``Store.secondary_indexes``) gets none here either: DuckDB's
joins do not use them, and a commit that changes a table re-serialises each of its ART indexes whole (an
incremental enrichment of the 340,375-publication store spent 0.6-1.0 s of its commit on them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def copy_some(store: Store, name: str, source: str, key: str, keys: str, columns: str = "*") -> None:
    """The temporary table ``name`` (replacing any before): the ``columns`` of the rows of ``source`` whose
    ``key`` is in the table ``keys``. An incremental step copies the few rows it reads more than once
    instead of joining whole tables at each use."""
    store.execute(f"DROP TABLE IF EXISTS {name}")
    store.execute(
        f"CREATE TEMPORARY TABLE {name} AS SELECT {columns} FROM {source} "
        f"WHERE {key} IN (SELECT {key} FROM {keys})"
    )


def drop_secondary_indexes(store: Store, tables: Iterable[Table]) -> None:
    """Drop the secondary indexes of ``tables`` from a store that keeps none (those an earlier version
    created while rewriting them)."""
    if store.secondary_indexes:
        return
    for table in tables:
        for idx in table.indexes:
            store.execute(f"DROP INDEX IF EXISTS {table.name}_{'_'.join(idx)}_idx")
