"""Parsing XML documents in worker processes while the main process writes to the store.

Workers are started fresh (``spawn``), so they do not carry the main process's memory, and live for the
whole ingest. At most ``window`` documents are in flight, so memory stays bounded whatever the input
size (``Pool.imap`` would read the whole input ahead). The window lets the workers go on parsing while the
main process commits: `bench/ingest.py` (1 GB) took 29 s with 256 documents in flight, 33 s with 64, for
6 MB more; 192 with 64-document tasks was slower again.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from multiprocessing.pool import AsyncResult, Pool
from typing import TypeVar

from patscape.record import Attachment, Publication, Rejected
from patscape.sources.base import Item, Origin, XmlReader
from patscape.sources.limits import check_limits
from patscape.sources.split import Chunk, Span
from patscape.store.rows import Prepared, prepare

T = TypeVar("T")
# Documents sent to a worker at once. Each task costs the main process the same whatever its size:
# `bench/ingest.py --size-mb 200` gave it 7 % less time with 32 than with 16; 64 is faster again but the
# workers then hold 12 MB more each.
PER_TASK = 32
WORKER_NICENESS = 10
Ready = Prepared | Rejected | Attachment  # a record ready for the store


def ready(item: Item, precedence: int) -> Ready:
    """A publication within the size limits becomes its rows; anything else passes through."""
    if isinstance(item, Publication):
        checked = check_limits(item)
        return prepare(item, precedence) if checked is item else checked
    return item


def _start_worker() -> None:
    """Workers yield the processor to the main process: with as many workers as cores, the one process
    that writes the store would otherwise get a share of a core, and the workers would wait for it."""
    os.nice(WORKER_NICENESS)


@cache
def _reader(name: str) -> XmlReader:
    from patscape.sources.detect import readers

    for reader in readers():
        if reader.name == name:
            assert isinstance(reader, XmlReader)
            return reader
    raise LookupError(f"no reader named {name}")


def _parse(reader_name: str, origin: Origin, chunks: list[Chunk]) -> list[Ready]:
    """Parse, check, hash and turn into rows in the worker: the main process has the store to feed."""
    reader = _reader(reader_name)
    items = (reader.parse_chunk(chunk, origin) for chunk in chunks)
    return [ready(item, reader.precedence) for item in items if item]


def _parse_spans(reader_name: str, origin: Origin, path: str, spans: list[Span]) -> list[Ready]:
    """As :func:`_parse`, reading the documents from the file here rather than receiving them."""
    with open(path, "rb") as file:
        fd = file.fileno()
        chunks = [
            Chunk(index, offset, os.pread(fd, length, offset), line) for index, offset, length, line in spans
        ]
    return _parse(reader_name, origin, chunks)


class ParallelParser:
    """A pool of parsing processes, started on first use and reused for every input of a run."""

    def __init__(self, workers: int, min_bytes: int = 0, window: int = 256) -> None:
        self.workers = workers
        self.min_bytes = min_bytes  # smaller inputs are not worth the round trips
        self.window = window
        self._pool: Pool | None = None

    def parse(self, reader: XmlReader, origin: Origin, chunks: Iterable[Chunk]) -> Iterator[Ready]:
        """The records of ``chunks`` in order, ready for the store."""
        tasks = ((_parse, (reader.name, origin, group)) for group in _groups(chunks, PER_TASK))
        return self._run(tasks)

    def parse_file(
        self, reader: XmlReader, origin: Origin, path: str, spans: Iterable[Span]
    ) -> Iterator[Ready]:
        """The records of the documents at ``spans`` of the file at ``path``, in order."""
        tasks = ((_parse_spans, (reader.name, origin, path, group)) for group in _groups(spans, PER_TASK))
        return self._run(tasks)

    def start(self) -> Pool:
        """The pool, started now if it is not yet (its processes take a while to import their modules)."""
        if self._pool is None:
            self._pool = mp.get_context("spawn").Pool(self.workers, initializer=_start_worker)
        return self._pool

    def _run(self, tasks: Iterable[tuple[Callable[..., list[Ready]], tuple]]) -> Iterator[Ready]:
        pool = self.start()
        pending: deque[AsyncResult[list[Ready]]] = deque()
        for function, args in tasks:
            pending.append(pool.apply_async(function, args))
            while len(pending) * PER_TASK >= self.window:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None


def _groups(chunks: Iterable[T], size: int) -> Iterator[list[T]]:
    group: list[T] = []
    for chunk in chunks:
        group.append(chunk)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group
