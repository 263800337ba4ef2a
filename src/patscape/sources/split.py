"""Splitting files of many concatenated XML documents (USPTO weekly files) with bounded memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

BLOCK = 8 * 1024 * 1024
_DECL = b"<?xml "
_BLANK = b" \t\r\n\xef\xbb\xbf"  # whitespace, and the UTF-8 byte-order mark some files start with


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int  # 0-based position of the document in the file
    offset: int  # byte offset of the document in the file
    data: bytes


def split_xml_documents(stream: BinaryIO, block: int = BLOCK) -> Iterator[Chunk]:
    """Yield each ``<?xml ...?>``-started document of a stream; a file without declarations is one document.

    Only the current block and the document being assembled are held in memory.
    """
    buffer = b""
    base = 0  # file offset of buffer[0]
    index = 0
    while True:
        data = stream.read(block)
        if data:
            buffer += data
        start = 0
        while True:
            nxt = buffer.find(_DECL, start + 1)
            if nxt < 0:
                break
            doc = buffer[start:nxt]
            if doc.strip(_BLANK):
                yield Chunk(index, base + start, doc)
                index += 1
            start = nxt
        if start:
            base += start
            buffer = buffer[start:]
        if not data:
            break
    if buffer.strip(_BLANK):
        yield Chunk(index, base, buffer)
