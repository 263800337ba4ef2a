"""The lines of a text export (CSV, JSON lines), decoded line by line.

A byte-order mark is honoured (UTF-8, UTF-16). Otherwise every line is read as UTF-8, and a line that is not
UTF-8 is read in the legacy Windows code page (windows-1252) and reported, for the row it belongs to. The
encoding is never decided on a prefix of the file: a UTF-8 Google Patents export with one latin-1 row near
its top was once decoded whole as cp1252, garbling its Chinese party names (辉达公司 -> ``è¾‰è¾¾å…¬å\\x8f¸``;
issue 12). A file wholly in the legacy code page comes out as before, each line with such bytes reported.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

from patscape.sources.textcodec import legacy_text

BLOCK = 1024 * 1024


def sniff_encoding(head: bytes) -> str:
    """The encoding a file's byte-order mark states: utf-8-sig, utf-16, else utf-8 (read line by line)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text, for sniffing (a character cut at the end is replaced)."""
    if sniff_encoding(head) == "utf-16":
        return head.decode("utf-16", errors="replace")
    lines = head.removeprefix(codecs.BOM_UTF8).splitlines(keepends=True)
    return "".join(decode_line(line)[0] for line in lines)


def decode_line(raw: bytes) -> tuple[str, str | None]:
    """A line as UTF-8 or, when it is not UTF-8, as windows-1252, with a word saying so."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        column = len(raw[: exc.start].decode("utf-8", "replace")) + 1
        odd = " ".join(f"0x{b:02X}" for b in raw[exc.start : exc.end])
        return legacy_text(raw), f"not UTF-8 (bytes {odd} at column {column}): read as windows-1252"


class TextLines:
    """The lines of a stream as text with their line ends (``\\n``, ``\\r\\n`` or ``\\r``), numbered from 1.

    Iterating, or ``readline``, gives the lines; :meth:`note` says which bytes of a range of lines were not
    UTF-8, for the record those lines make.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._odd: dict[int, str] = {}
        self._lines = self._decoded()

    def __iter__(self) -> Iterator[str]:
        return self._lines  # the generator itself: no call of ours per line

    def readline(self) -> str:
        return next(self._lines, "")

    def note(self, first: int, last: int) -> str | None:
        """What was read in the legacy code page on lines ``first`` to ``last`` (forgotten once said)."""
        if not self._odd:
            return None
        found = [f"line {n}: {self._odd.pop(n)}" for n in range(first, last + 1) if n in self._odd]
        return "recovered: " + "; ".join(found) if found else None

    def _decoded(self) -> Iterator[str]:
        head = self._stream.read(BLOCK)
        if sniff_encoding(head) == "utf-16":
            raw = io.BufferedReader(_Prefixed(head, self._stream))
            yield from io.TextIOWrapper(raw, "utf-16", newline="")
            return
        for number, raw in enumerate(_raw_lines(head.removeprefix(codecs.BOM_UTF8), self._stream), start=1):
            text, odd = decode_line(raw)
            if odd:
                self._odd[number] = odd
            yield text


def _raw_lines(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    r"""The lines of the stream as bytes, with their ends; a last line without ``\n`` waits for the next block
    (it may be cut, or its ``\r`` the first half of ``\r\n``)."""
    rest = b""
    data = head
    while data:
        lines = (rest + data).splitlines(keepends=True)
        rest = lines.pop() if lines[-1][-1:] != b"\n" else b""
        yield from lines
        data = stream.read(BLOCK)
    if rest:
        yield rest


class _Prefixed(io.RawIOBase):
    """The bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
