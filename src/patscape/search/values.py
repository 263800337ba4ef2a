"""The values of non-text fields, parsed when the query is: dates, numbers, classification codes, numbers of
publications, applications and priorities. A value that cannot be read raises ``ValueError`` with what was
expected; the parser turns it into a syntax error at the value's position."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from patscape.normalise import normalise_class, normalise_pub_key, split_pub_key

# -- dates: a year, a month or a day; a bound compares with the first or the last day ----------------

_DATE = re.compile(r"^(\d{4})(?:[-/.]?(\d{1,2})(?:[-/.]?(\d{1,2}))?)?$")


@dataclass(frozen=True)
class DateRange:
    first: dt.date
    last: dt.date
    text: str

    def describe(self) -> str:
        return self.text if self.first == self.last else f"{self.first}..{self.last}"


def parse_date(text: str) -> DateRange:
    """``2021`` (the year), ``2021-07`` (the month), ``2021-07-01``, ``20210701``, ``2021/7/1`` (the day)."""
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError("a date: 2021, 2021-07 or 2021-07-01")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if month is None:
            return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31), text)
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return DateRange(dt.date(year, int(month), 1), dt.date(year, int(month), last), text)
        day_ = dt.date(year, int(month), int(day))
    except ValueError as exc:
        raise ValueError("a valid date: 2021, 2021-07 or 2021-07-01") from exc
    return DateRange(day_, day_, text)


def _pair(text: str, parse_one, expected: str):  # type: ignore[no-untyped-def]
    """``within "a b"`` (or ``"a, b"``): from the start of ``a`` to the end of ``b``."""
    parts = [p for p in re.split(r"[\s,;]+", text.strip()) if p]
    if len(parts) != 2:
        raise ValueError(expected)
    first, last = parse_one(parts[0]), parse_one(parts[1])
    if first.first > last.last:
        raise ValueError("the first value before the second")
    return type(first)(first.first, last.last, f"{first.text} {last.text}")


def parse_date_pair(text: str) -> DateRange:
    """``within "2020 2022"``: from the first day of one to the last of the other."""
    return _pair(text, parse_date, 'two dates in quotes: "2020 2022"')  # type: ignore[no-any-return]


# -- numbers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberRange:
    first: Decimal
    last: Decimal
    text: str

    def describe(self) -> str:
        return self.text


def parse_number(text: str) -> NumberRange:
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError("a number") from exc
    if not value.is_finite():
        raise ValueError("a number")
    return NumberRange(value, value, text)


def parse_number_pair(text: str) -> NumberRange:
    return _pair(text, parse_number, 'two numbers in quotes: "1 3"')  # type: ignore[no-any-return]


# -- classification codes ---------------------------------------------------------------------

_SECTION_CLASS = re.compile(r"^[A-HY](\d\d)?$")  # G, G06
_SUBCLASS = re.compile(r"^[A-HY]\d\d[A-Z]$")  # G06N
_MAIN_GROUP = re.compile(r"^([A-HY]\d\d[A-Z])\s*0*(\d{1,4})/?$")  # G06N3, G06N 3/
_TRUNCATED = re.compile(r"^([A-HY]\d\d[A-Z])\s*0*(\d{1,4})/(\d{0,6})\*$")  # G06N3/04*


@dataclass(frozen=True)
class CodeMatch:
    """A code matches itself (``exact``); a section, class, subclass or main group, or a code ending in ``*``
    matches every code below it (``prefix``: ``G06N`` -> ``G06N%``, ``G06N3`` -> ``G06N3/%``)."""

    exact: str | None = None
    prefix: str | None = None

    def describe(self) -> str:
        return self.exact or f"{self.prefix}* (and below)"


def parse_code(text: str) -> CodeMatch:
    s = text.strip().upper()
    if _SECTION_CLASS.match(s.rstrip("*")) or _SUBCLASS.match(s.rstrip("*")):
        return CodeMatch(prefix=s.rstrip("*"))
    if m := _MAIN_GROUP.match(s.rstrip("*")):
        return CodeMatch(prefix=f"{m.group(1)}{int(m.group(2))}/")
    if m := _TRUNCATED.match(s):
        return CodeMatch(prefix=f"{m.group(1)}{int(m.group(2))}/{m.group(3)}")
    if s.endswith("*"):
        raise ValueError("a code with '*' after its subgroup digits: G06N3/04*")
    try:
        return CodeMatch(exact=normalise_class(s))
    except ValueError as exc:
        raise ValueError("a CPC or IPC code: G06N, G06N3, G06N3/0475 or G06N3/04*") from exc


# -- publication, application and priority numbers ------------------------------------------------

_NUMBER = re.compile(
    r"^(?P<cc>[A-Z]{2})?[\s\-/.]*(?P<num>[A-Z]{0,2}[\d][\d\s/.,\-]*?)"
    r"(?:[\s\-/.]*(?P<kind>[A-Z]\d?))?(?P<star>\*)?$"
)


@dataclass(frozen=True)
class DocNumber:
    """A document number in any spelling: country (when given), number (DOCDB form), kind (when given);
    ``truncated`` when it ends in ``*`` (every number starting so)."""

    country: str | None
    number: str
    kind: str | None
    truncated: bool = False
    text: str = ""

    @property
    def key(self) -> str:
        return "-".join(p for p in (self.country, self.number, self.kind) if p)

    def describe(self) -> str:
        return self.key + ("*" if self.truncated else "")


def parse_doc_number(text: str) -> DocNumber:
    """``US11532378B2``, ``US-11532378-B2``, ``US 11532378``, ``US 2023/0377099 A1``, ``11532378``."""
    s = text.strip().upper()
    m = _NUMBER.match(s)
    if not m:
        raise ValueError("a document number: US11532378B2, US-11532378-B2 or US 11532378")
    country, kind = m.group("cc"), m.group("kind")
    digits = m.group("num")
    if m.group("star"):
        number = re.sub(r"[\s/.,\-]", "", digits)
        return DocNumber(country, number, kind, True, text)
    if country:  # DOCDB's number, as the readers key it (US 2023/0377099 -> 2023377099)
        number = split_pub_key(normalise_pub_key(digits, country=country, kind=kind))[1]
    else:
        number = re.sub(r"[\s/.,\-]", "", digits).lstrip("0") or digits
    return DocNumber(country, number, kind, False, text)


def canonical_number(number: str | None) -> str:
    """The comparable form of a stored application or priority number: letters and digits, no leading
    zeros (``2019-012345`` -> ``2019012345``). The SQL twin is in :mod:`patscape.search.builtin_fields`."""
    s = re.sub(r"[^0-9A-Z]", "", (number or "").upper())
    return s.lstrip("0")
