"""WIPO PATENTSCOPE result lists downloaded as Excel 97 (.xls) workbooks.

Layout: sheet ``ResultSet``, a blank row, ``Query: ...``, then the header ``Publication Number,
Publication Date, Title, Priority Data, IPC, Applicants, Inventors, FP Image`` and one row per
result. Numbers carry no kind code (``US20050286606``, ``EP1820402``, ``kr1020150000637``,
``KR101130924*``, ``mxPA/a/2005/003863``), so the keys have none; dates are ``DD.MM.YYYY``; lists are
``;``-separated; priorities are ``[NUMBER DATE CC, ...]`` (or ``[CC YYYYMMDD NUMBER]``).

Detection (``sniff`` sees only the first 64 KiB): the OLE2 compound-file signature, which every
legacy Office file shares, plus the PATENTSCOPE header labels "Publication Number" and "Priority
Data" as stored in the workbook's shared-string table (8-bit or UTF-16). The table follows the small
workbook globals, so the labels sit in the first few KiB of a PATENTSCOPE list (2 KiB and 13 KiB in
the real files); any other .xls, or a list whose labels fall further on, is not claimed.

A workbook is read whole (xls has no streaming reader; the format caps a sheet at 65,536 rows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from patscape.normalise import normalise_class, normalise_date, normalise_pub_key
from patscape.record import Priority, Publication, SourceRef, Text
from patscape.sources.export_fields import (
    add_classes,
    add_parties,
    split_list,
)
from patscape.sources.tabular import MAX_PREAMBLE, Columns, Row, RowError, RowReader

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_WORKBOOK_BYTES = 256 * 1024 * 1024
_LABELS = ("Publication Number", "Priority Data")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(T.*)?$|^\d{2}\.\d{2}\.\d{4}$")
_EDITION_RE = re.compile(r"^\d\s+(?=[A-H]\s*\d)")  # "6 A 21 D 13/02, A 47 J 37/01": IPC edition 6
_IPC8_RE = re.compile(r"^([A-H]\d\d[A-Z])\s+(\d{1,4})\s+(\d{1,6})\s+\d{8}\s+[A-Z](\s+[A-Z])*$")
_TRUNCATED_RE = re.compile(r"^([A-H]\d\d[A-Z])(\d{1,4})?/$")


def _has_label(head: bytes, label: str) -> bool:
    return label.encode("latin-1") in head or label.encode("utf-16-le") in head


def ipc_symbols(value: str) -> list[str]:
    """One ``;``-separated IPC item -> normalised symbols, salvaging the damaged forms met in lists.

    ``G06F 17//30`` (doubled slash), ``6 A 21 D 13/02, A 47 J 37/01`` (edition prefix, spaced,
    several symbols, ``19/068`` continuing the subclass before it), ``A21D 8 02 20060101 A F I``
    (IPC 8 full format) are read; ``A21D 13/`` (subgroup cut off) is kept at the main-group level it
    names (``A21D13/00``) and ``A21D /`` at the subclass; a bare ``146/32`` (the Canadian class old CA
    patents carry in this column) is not an IPC symbol and is left out. Anything else raises.
    """
    item = value.strip()
    ipc8 = _IPC8_RE.match(item)
    if ipc8:
        return [normalise_class(f"{ipc8.group(1)}{ipc8.group(2)}/{ipc8.group(3)}")]
    item = _EDITION_RE.sub("", item)
    symbols: list[str] = []
    subclass = None
    for part in item.split(","):
        compact = re.sub(r"\s+", "", part).replace("//", "/")
        if not compact:
            continue
        if re.fullmatch(r"\d{1,4}/\d*", compact):
            if subclass is None:
                continue  # a national class in the IPC column (old CA patents: "146/32"), not an IPC symbol
            compact = subclass + compact
        truncated = _TRUNCATED_RE.match(compact)
        if truncated:
            group = truncated.group(2)
            symbol = f"{truncated.group(1)}{int(group)}/00" if group else truncated.group(1)
        else:
            symbol = normalise_class(compact)
        subclass = symbol[:4]
        symbols.append(symbol)
    return symbols


def patentscope_key(number: str) -> str:
    """``kr1020150000637`` -> ``KR-1020150000637``; ``mxPA/a/2005/003863`` -> ``MX-PA05003863``; a trailing
    ``*`` (PATENTSCOPE's mark) is left out."""
    return normalise_pub_key(number.strip().rstrip("*").strip())


_DATE = r"\d{4}-\d{2}-\d{2}T[\d:.]+Z|\d{2}\.\d{2}\.\d{4}"
# One entry of "[...]": "NUMBER DATE CC" with DATE and CC possibly empty ("299537  ", "409, 850  US"),
# entries joined by ", " (numbers may hold ", " themselves: "60/162, 616 1999-10-29T23:59:59.000Z US").
_ENTRY_RE = re.compile(rf"(?P<num>.+?) (?P<date>{_DATE})? ?(?P<cc>[A-Z]{{2}})?(?:, |$)")
_US_FORM_RE = re.compile(r"^[A-Z]{2} \d{8} ")  # "[US 19990222 09/255,212, ...]"
_NULL_ENTRY = "null 30.12.1899 null"  # no priority: Excel's day zero


def priorities(value: str | None) -> list[Priority]:
    """The ``Priority Data`` cell -> priorities, in the order given.

    Entries without a date are other spellings of the dated ones in the real lists (EP results list
    the number as filed, its DOCDB form and the PCT number: ``[0217077  , GB20020017077  , ...,
    0217077 2002-07-23T23:59:59.000Z GB]``) and are kept only when no entry has a date.
    """
    inner = (value or "").strip().removeprefix("[").removesuffix("]").strip()
    if not inner or inner == _NULL_ENTRY:
        return []
    if _US_FORM_RE.match(inner):
        out = []
        for entry in split_list(inner, ", "):
            cc, date, number = entry.split(" ", 2)
            out.append(Priority(cc, number.strip(), normalise_date(date, day_first=True), None))
        return out
    dated: list[Priority] = []
    undated: list[Priority] = []
    pos = 0
    while pos < len(inner):
        m = _ENTRY_RE.match(inner, pos)
        if not m or m.end() == pos:
            raise ValueError(f"not a PATENTSCOPE priority list: {value!r}")
        pos = m.end()
        number, cc = m.group("num").strip(), m.group("cc")
        if m.group("date"):
            dated.append(Priority(cc, number, normalise_date(m.group("date"), day_first=True), None))
        elif number != "null":
            undated.append(Priority(cc, number, None, None))
    return dated or undated


class PatentscopeXlsReader(RowReader):
    name = "patentscope-xls"
    version = "1"
    description = "WIPO PATENTSCOPE result list (Excel 97 .xls)"
    example = "patentscope_pizza_2012_2015_6177.xls"
    precedence = 30
    columns: ClassVar[Columns] = Columns(
        {
            "number": ("Publication Number",),
            "date": ("Publication Date",),
            "title": ("Title",),
            "priorities": ("Priority Data",),
            "ipc": ("IPC", "International Class"),
            "applicants": ("Applicants", "Applicant"),
            "inventors": ("Inventors", "Inventor"),
            "app_number": ("Application Number",),
            "app_date": ("Application Date",),
        },
        required=("number", "date", "title", "priorities"),
    )

    def sniff(self, head: bytes) -> bool:
        return head.startswith(OLE2_MAGIC) and all(_has_label(head, label) for label in _LABELS)

    def rows(self, stream: BinaryIO) -> Iterator[Row | RowError]:
        import xlrd  # only needed here: the rest of patscape runs without it

        data = stream.read(MAX_WORKBOOK_BYTES + 1)
        if len(data) > MAX_WORKBOOK_BYTES:
            yield RowError(line=1, reason=f"workbook larger than {MAX_WORKBOOK_BYTES:,} bytes refused")
            return
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
        found = False
        for sheet_index in range(book.nsheets):
            sheet = book.sheet_by_index(sheet_index)
            index = None
            header: tuple[str, ...] = ()
            first = 0
            for first in range(min(MAX_PREAMBLE, sheet.nrows)):
                header = tuple(str(v) for v in sheet.row_values(first))
                index = self.columns.match(header)
                if index is not None:
                    break
            if index is None:
                continue
            found = True
            for r in range(first + 1, sheet.nrows):
                values = sheet.row_values(r)
                if any(str(v).strip() for v in values):
                    yield Row(r + 1, values, index, header)  # the row number Excel shows
            book.unload_sheet(sheet_index)
        if not found:
            yield RowError(line=1, reason=f"no sheet with the columns {sorted(self.columns.required)}")

    def key_of(self, row: Row) -> str | None:
        number = row.get("number")
        return patentscope_key(number) if number else None

    def parse_row(self, row: Row, ref: SourceRef) -> Publication:
        key = self.key_of(row)
        if key is None:
            raise ValueError("no publication number")
        pub = Publication.from_key(key, ref)
        pub.published = normalise_date(row.get("date"), day_first=True)
        title = row.get("title")
        if title:
            pub.texts.append(Text("title", title))
        pub.priorities = priorities(row.get("priorities"))
        add_classes(pub, "IPC", [c for item in split_list(row.get("ipc"), ";") for c in ipc_symbols(item)])
        add_parties(pub, "applicant", split_list(row.get("applicants"), ";"))
        add_parties(pub, "inventor", split_list(row.get("inventors"), ";"))
        pub.application.number = row.get("app_number")
        pub.application.date = normalise_date(row.get("app_date"), day_first=True)
        return pub
