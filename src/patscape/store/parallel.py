"""Parsing XML documents in worker processes while the main process writes to the store.

Workers are started fresh (``spawn``), so they do not carry the main process's memory, and live for the
whole ingest. At most ``window`` documents are in flight, so memory stays bounded whatever the input
size (``Pool.imap`` would read the whole input ahead).
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from functools import cache
from multiprocessing.pool import AsyncResult, Pool

from patscape.record import Publication
from patscape.sources.base import Item, Origin, XmlReader
from patscape.sources.split import Chunk

PER_TASK = 8  # documents sent to a worker at once


@cache
def _reader(name: str) -> XmlReader:
    from patscape.sources.detect import readers

    for reader in readers():
        if reader.name == name:
            assert isinstance(reader, XmlReader)
            return reader
    raise LookupError(f"no reader named {name}")


def _parse(reader_name: str, origin: Origin, chunks: list[Chunk]) -> list[tuple[Item, str | None]]:
    """Parse in the worker, and hash there too: the main process has the store to feed."""
    reader = _reader(reader_name)
    items = (reader.parse_chunk(chunk, origin) for chunk in chunks)
    return [(item, item.content_hash() if isinstance(item, Publication) else None) for item in items if item]


class ParallelParser:
    """A pool of parsing processes, started on first use and reused for every input of a run."""

    def __init__(self, workers: int, window: int = 64) -> None:
        self.workers = workers
        self.window = window
        self._pool: Pool | None = None

    def parse(
        self, reader: XmlReader, origin: Origin, chunks: Iterable[Chunk]
    ) -> Iterator[tuple[Item, str | None]]:
        """The records of ``chunks`` in order, each with its content hash (None but for publications)."""
        if self._pool is None:
            self._pool = mp.get_context("spawn").Pool(self.workers)
        pending: deque[AsyncResult[list[tuple[Item, str | None]]]] = deque()
        for group in _groups(chunks, PER_TASK):
            pending.append(self._pool.apply_async(_parse, (reader.name, origin, group)))
            while len(pending) * PER_TASK >= self.window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None


def _groups(chunks: Iterable[Chunk], size: int) -> Iterator[list[Chunk]]:
    group: list[Chunk] = []
    for chunk in chunks:
        group.append(chunk)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group
