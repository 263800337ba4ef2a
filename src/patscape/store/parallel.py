"""Parsing XML documents in worker processes while the main process writes to the store."""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Iterable, Iterator

from patscape.sources.base import Item, Origin, XmlReader
from patscape.sources.split import Chunk

_reader: XmlReader | None = None
_origin: Origin | None = None


def _init(reader: XmlReader, origin: Origin) -> None:
    global _reader, _origin
    _reader, _origin = reader, origin


def _parse(chunk: Chunk) -> Item | None:
    assert _reader is not None and _origin is not None
    return _reader.parse_chunk(chunk, _origin)


def parse_chunks(reader: XmlReader, origin: Origin, chunks: Iterable[Chunk], workers: int) -> Iterator[Item]:
    """The records of ``chunks`` in their order, parsed by ``workers`` processes."""
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init, initargs=(reader, origin)) as pool:
        for item in pool.imap(_parse, chunks, chunksize=16):
            if item is not None:
                yield item
