"""Splitting files of many concatenated XML documents (USPTO weekly files) with bounded memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

BLOCK = 1024 * 1024  # read and searched at a time; a stream holds a few blocks at most
_DECL = b"<?xml "
_BLANK = b" \t\r\n\xef\xbb\xbf"  # whitespace, and the UTF-8 byte-order mark some files start with


Span = tuple[int, int, int, int]  # (index, offset, length, line) of a document in a file


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int  # 0-based position of the document in the file
    offset: int  # byte offset of the document in the file
    data: bytes
    line: int | None = None  # 1-based line of the file on which the document starts


def split_xml_documents(stream: BinaryIO, block: int = BLOCK) -> Iterator[Chunk]:
    """Yield each ``<?xml ...?>``-started document of a stream; a file without declarations is one document.

    Only the current block and the document being assembled are held in memory.
    """
    kept = _Kept(stream)
    for index, offset, length, line in document_spans(kept, block):
        yield Chunk(index, offset, kept.take(offset, length), line)


class _Kept:
    """A stream that keeps the bytes read from it until the document they belong to is taken."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = bytearray()
        self._base = 0  # stream offset of _buffer[0]

    def read(self, size: int) -> bytes:
        data = self._stream.read(size)
        self._buffer += data
        return data

    def take(self, offset: int, length: int) -> bytes:
        start = offset - self._base
        data = bytes(self._buffer[start : start + length])
        del self._buffer[: start + length]  # cheap: a bytearray drops its front without moving the rest
        self._base = offset + length
        return data


def document_spans(stream: BinaryIO, block: int = BLOCK) -> Iterator[Span]:
    """Where the documents of :func:`split_xml_documents` lie in the stream, without keeping them.

    Parsing workers then read their documents from the file themselves: the bytes do not travel through
    the process that found them. Every ``<?xml`` after the first byte starts a document; only the part
    before the first one can be blank. The line each document starts on is counted on the way (a
    quarantined document is then found by its line as well as by its offset).
    """
    index = 0
    start = 0  # offset of the document being delimited
    start_line = 1
    blank = True  # only blanks so far: can only stay true in the part before the first declaration
    tail = b""  # the end of the previous block: a declaration may straddle two blocks
    base = 0  # file offset of the current block
    line = 1  # line at ``counted``: newlines are counted once each, up to ``counted``
    counted = 0
    while data := stream.read(block):
        buffer = tail + data
        origin = base - len(tail)  # file offset of buffer[0]
        pos = buffer.find(_DECL, 1 if origin == 0 else 0)
        while pos >= 0:
            line += buffer.count(b"\n", counted - origin, pos)
            counted = origin + pos
            if not (blank and not buffer[:pos].strip(_BLANK)):
                yield (index, start, origin + pos - start, start_line)
                index += 1
            start, start_line, blank = origin + pos, line, False
            pos = buffer.find(_DECL, pos + 1)
        tail = buffer[1 - len(_DECL) :]
        line += buffer.count(b"\n", counted - origin, len(buffer) - len(tail))
        counted = origin + len(buffer) - len(tail)
        if blank:  # the tail is looked at again with the next block
            blank = not buffer[: len(buffer) - len(tail)].strip(_BLANK)
        base += len(data)
    if blank:
        blank = not tail.strip(_BLANK)
    if base > start and not blank:
        yield (index, start, base - start, start_line)
