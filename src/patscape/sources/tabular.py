"""Shared machinery of the row-oriented exports (CSV, spreadsheets): encodings, headers, rows.

Exports analysts download reorder, rename and add columns from one year to the next, so a reader
names the fields it wants with the header spellings it knows (aliases) and the header row is found
by those names, not by position. Rows stream with their 1-based line numbers; a row that cannot be
read becomes a :class:`Rejected` naming its line, and reading goes on.

Encodings: see :mod:`patscape.sources.textlines` (line by line; a row holding bytes that are not UTF-8 is
read, and marked with a note saying which bytes were read how).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, ClassVar

from patscape.record import Publication, Rejected, SourceRef
from patscape.sources.base import Item, Origin, describe_error
from patscape.sources.textlines import TextLines, decode_head

MAX_PREAMBLE = 20  # lines before the header row (Google's "search URL:", PATENTSCOPE's query line)
MAX_HEADER_CELL = 64  # a longer cell is prose, not a column name
DELIMITERS = (",", "\t", ";")
FIELD_LIMIT = 64 * 1024 * 1024  # Lens NPL cells pass csv's default 128 KiB limit
SNIPPET = 400

# -- headers -------------------------------------------------------------------------------------


def normalise_header(name: str) -> str:
    """``Publication Number``, ``publication_number``, `` PUBLICATION-NUMBER`` -> ``publicationnumber``.

    Only case, spaces, underscores, hyphens and dots are ignored: other punctuation is part of a name
    (``inventor/author``, ``PubMed Id(s)``), which keeps prose from passing for a header.
    """
    return re.sub(r"[\s_\-.]+", "", name.casefold().lstrip("\ufeff"))


class Columns:
    """The fields a reader wants, each with the header spellings that name it.

    ``fields`` maps a field name to its spellings (the first listed that is present wins);
    a header row is recognised when every ``required`` field is present.
    """

    def __init__(self, fields: dict[str, Sequence[str]], required: Iterable[str]) -> None:
        self.fields = {f: tuple(normalise_header(a) for a in aliases) for f, aliases in fields.items()}
        self.required = frozenset(required)
        unknown = self.required - self.fields.keys()
        if unknown:
            raise ValueError(f"required fields without spellings: {sorted(unknown)}")

    def match(self, header: Sequence[str]) -> dict[str, int] | None:
        """Field -> column index for a header row, or None when it lacks a required field."""
        positions: dict[str, int] = {}
        for i, name in enumerate(header):
            positions.setdefault(normalise_header(name), i)
        index: dict[str, int] = {}
        for field, aliases in self.fields.items():
            for alias in aliases:
                if alias in positions:
                    index[field] = positions[alias]
                    break
        return index if self.required <= index.keys() else None


@dataclass(slots=True)
class Row:
    """One data row: its 1-based line (or spreadsheet row) number and its cells."""

    line: int
    values: Sequence[str]
    index: dict[str, int]
    header: Sequence[str] = ()  # the header row's cells (one shared tuple per file)
    note: str | None = None  # bytes of the row that were not UTF-8, and what they were read as

    def get(self, field: str) -> str | None:
        """The stripped cell of a field; None when the column is absent or the cell empty."""
        i = self.index.get(field)
        if i is None or i >= len(self.values):
            return None
        value = self.values[i]
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        return value or None

    def text(self) -> str:
        return ",".join(str(v) for v in self.values)[:SNIPPET]


@dataclass(slots=True)
class RowError:
    """A row the CSV layer could not split into the header's fields."""

    line: int
    reason: str
    snippet: str | None = None


def _header_of(line: str, columns: Columns) -> tuple[str, dict[str, int], tuple[str, ...]] | None:
    for delimiter in DELIMITERS:
        if delimiter not in line:
            continue
        try:
            cells = next(csv.reader([line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if any(len(c) > MAX_HEADER_CELL for c in cells):
            continue
        index = columns.match(cells)
        if index is not None:
            return delimiter, index, tuple(cells)
    return None


def sniff_csv(head: bytes, columns: Columns) -> bool:
    """True when one of the first lines of ``head`` is a header row with the required fields."""
    if b"\x00" in head[:4096] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False  # binary
    text = decode_head(head)
    for i, line in enumerate(io.StringIO(text, newline="")):
        if i >= MAX_PREAMBLE:
            break
        if _header_of(line.rstrip("\r\n").lstrip("\ufeff"), columns) is not None:
            return True
    return False


def iter_rows(stream: BinaryIO, columns: Columns) -> Iterator[Row | RowError]:
    """The data rows after the header row, with the line each starts on; blank lines are skipped.

    A row whose cells do not fit the header (more non-empty cells or fewer cells), and a line the
    CSV parser refuses, come as :class:`RowError` and reading goes on.
    """
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    text = TextLines(stream)
    found = None
    header_line = 0
    while found is None and header_line < MAX_PREAMBLE:
        line = text.readline()
        if not line:
            break
        header_line += 1
        found = _header_of(line.rstrip("\r\n").lstrip("\ufeff"), columns)
    if found is None:
        yield RowError(line=1, reason=f"no header row with the columns {sorted(columns.required)} found")
        return
    delimiter, index, header = found
    width = len(header)
    reader = csv.reader(text, delimiter=delimiter)
    done = 0  # physical lines consumed after the header
    while True:
        start = header_line + done + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(line=start, reason=f"CSV error: {exc}")
            if reader.line_num == done:
                return  # no progress: the parser cannot go on
            done = reader.line_num
            continue
        done = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > width and not any(v.strip() for v in values[width:]):
            values = values[:width]
        if len(values) != width:
            snippet = ",".join(values)[:SNIPPET]
            reason = f"{len(values)} fields where the header has {width}"
            yield RowError(line=start, reason=reason, snippet=snippet)
            continue
        yield Row(start, values, index, header, text.note(start, header_line + done))


# -- readers -------------------------------------------------------------------------------------


class RowReader:
    """Base of the export readers: one :class:`Row` -> one Publication, any failure -> Rejected.

    Subclasses set the Reader attributes and ``columns``, and implement :meth:`parse_row` and
    :meth:`rows` (CSV by default).
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    example: ClassVar[str] = ""
    precedence: ClassVar[int] = 20
    columns: ClassVar[Columns]

    def sniff(self, head: bytes) -> bool:
        return sniff_csv(head, self.columns)

    def rows(self, stream: BinaryIO) -> Iterator[Row | RowError]:
        return iter_rows(stream, self.columns)

    def parse_row(self, row: Row, ref: SourceRef) -> Publication | None:
        raise NotImplementedError

    def key_of(self, row: Row) -> str | None:
        """The publication key of a row, for the quarantine, when it can be read."""
        return None

    def read(self, stream: BinaryIO, origin: Origin) -> Iterator[Item]:
        for row in self.rows(stream):
            ref = origin.ref(self, line=row.line)
            if isinstance(row, RowError):
                yield Rejected(source=ref, reason=row.reason, snippet=row.snippet)
                continue
            try:
                item = self.parse_row(row, ref)
            except Exception as exc:  # one bad row is quarantined, the file goes on
                yield Rejected(
                    source=ref, reason=describe_error(exc), snippet=row.text(), pub_key=self._key(row)
                )
                continue
            if isinstance(item, Publication) and row.note:
                item.recovered = row.note
            if item is not None:
                yield item

    def _key(self, row: Row) -> str | None:
        try:
            return self.key_of(row)
        except Exception:  # the key is only a help to find the row
            return None
