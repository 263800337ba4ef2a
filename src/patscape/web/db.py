"""The server's database connections: a small pool of stores, one lent to each request.

DuckDB: every store of the pool is a connection to the same database instance (DuckDB shares one instance
per file within a process), so reads run side by side; the monitor serialises its writes itself. PostgreSQL:
each worker process keeps its own connections.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from patscape.store import Store, open_store

POOL_SIZE = 8


class Database:
    def __init__(self, url: str, size: int = POOL_SIZE) -> None:
        self.url = url
        self.size = size
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        self._opened = 0
        self._lock = threading.Lock()
        self._all: list[Store] = []

    def _open(self) -> Store:
        store = open_store(self.url, create=False)
        self._all.append(store)
        return store

    def _borrow(self) -> Store:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if self._opened < self.size:
                self._opened += 1
                try:
                    return self._open()
                except BaseException:
                    self._opened -= 1
                    raise
        return self._idle.get()

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A store for the length of one request; a connection that failed is replaced, not reused."""
        store = self._borrow()
        broken = False
        try:
            yield store
        except Exception as exc:
            broken = _is_connection_error(exc)
            raise
        finally:
            if broken:
                with self._lock:
                    self._opened -= 1
                    self._all.remove(store)
                with suppress(Exception):
                    store.close()
            else:
                self._idle.put(store)

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                with suppress(Exception):
                    store.close()
            self._all.clear()
            self._opened = 0
            self._idle = queue.LifoQueue()


def _is_connection_error(exc: Exception) -> bool:
    import psycopg

    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
