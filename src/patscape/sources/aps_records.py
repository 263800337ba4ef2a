"""APS "Green Book" text, structurally: a weekly file -> one chunk per patent -> its groups of fields.

A weekly file may open with a ``HHHHHT ... APS1 ... ISSUE - YYMMDD`` header line; each patent then starts
with a line holding only ``PATN``. A data line is a four-column tag, one space and the value (columns 6-);
a line that starts with a space continues the previous value (tables and equations keep their line layout,
blank lines are spacing); a line holding only a section tag opens a section, and repeatable sections (one
inventor, one cited patent ...) open a new group each time. Lines end in LF or CR LF and may be padded with
spaces to column 80.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from patscape.sources.split import Chunk

# Lines holding only one of these tags open a section.
SECTIONS = frozenset({"PATN", "INVT", "ASSG", "PRIR", "REIS", "RLAP", "CLAS", "UREF", "FREF", "OREF"})
SECTIONS |= {"LREP", "PCTA", "ABST", "GOVT", "PARN", "BSUM", "DRWD", "DETD", "CLMS", "DCLM"}
VERBATIM_TAGS = frozenset({"TBL", "TBL3", "EQU"})  # tables and equations keep their line layout
_LINE_END = b" \t\r\n"


# -- splitting a weekly file -------------------------------------------------------------------------------


def iter_lines(stream: BinaryIO, block: int = 1024 * 1024) -> Iterator[bytes]:
    """The lines of a stream with their line ends, read in blocks (works on raw and buffered streams)."""
    rest = b""
    while data := stream.read(block):
        rest += data
        lines = rest.split(b"\n")
        rest = lines.pop()
        for line in lines:
            yield line + b"\n"
    if rest:
        yield rest


def split_patents(stream: BinaryIO) -> Iterator[Chunk]:
    """One chunk per ``PATN`` record (0-based index, byte offset, line); file headers are dropped."""
    index = offset = 0
    start: int | None = None
    start_line = 0
    lines: list[bytes] = []
    for number, line in enumerate(iter_lines(stream), start=1):
        bare = line.rstrip(_LINE_END)
        if bare == b"PATN" or bare.startswith(b"HHHHHT"):
            if start is not None:
                yield Chunk(index, start, b"".join(lines), start_line)
                index += 1
            start, start_line, lines = (offset, number, [line]) if bare == b"PATN" else (None, 0, [])
        elif start is not None:
            lines.append(line)
        offset += len(line)
    if start is not None:
        yield Chunk(index, start, b"".join(lines), start_line)


# -- one patent: lines -> groups of fields ------------------------------------------------------------------


@dataclass(slots=True)
class Group:
    """One section occurrence: its tag and its fields in order."""

    tag: str
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, tag: str) -> str | None:
        for t, value in self.fields:
            if t == tag and value:
                return value
        return None

    def all(self, tag: str) -> list[str]:
        return [value for t, value in self.fields if t == tag and value]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def parse_groups(text: str) -> list[Group]:
    """The sections of one patent; continuation lines are joined to their field's value."""
    groups: list[Group] = []
    tag, parts = "", []  # the field being assembled
    current: Group | None = None

    def close() -> None:
        if current is not None and tag:
            current.fields.append((tag, ("\n" if tag in VERBATIM_TAGS else " ").join(parts)))

    for raw in text.split("\n"):
        line = raw.rstrip()
        if not line or line[0] == " ":
            if tag and line.strip():
                parts.append(line[5:] if tag in VERBATIM_TAGS else line.strip())
            continue
        close()
        tag, parts = "", []
        if line in SECTIONS:
            current = Group(line)
            groups.append(current)
            continue
        if current is None:
            raise ValueError(f"field before the PATN line: {line[:40]!r}")
        tag = line[:4].rstrip()
        value = line[5:] if tag in VERBATIM_TAGS else line[5:].strip()
        parts = [value] if value.strip() else []
    close()
    if not groups or groups[0].tag != "PATN":
        raise ValueError("no PATN section")
    return groups
