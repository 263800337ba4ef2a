"""Comparable keys for filings (priority claims and applications) written in different formats.

One application appears as ``13/547,826`` (USPTO), ``201213547826`` (EPODOC-style, Lens), ``54782612``
(DOCDB: serial + two-digit year), ``2007-290922`` or ``9-290033`` (JPO, Gregorian or era year),
``201320854096.9`` (CNIPA with check digit) or ``PCT/US2013/050328``. Rather than parse every
office's numbering, the key keeps what all spellings share: the office, the filing date and the last
six digits of the serial number. The date makes the short serial safe: two filings of one office on one
day with the same last six digits do not occur in practice, except in the PCT, where the receiving
office is kept as well.
"""

from __future__ import annotations

import datetime as dt
import re

_CHECK_DIGIT_RE = re.compile(r"\.\s*[0-9X]$", re.IGNORECASE)
_ERA_RE = re.compile(r"^\D{0,2}(\d{1,2})\s*[-/]\s*(\d+)\D*$")  # JP 9-290033, 53/84696, H11-097727
_PCT_RE = re.compile(r"([A-Z]{2})\s*/?\s*(\d[\d/ ]*)")
_NON_DIGIT_RE = re.compile(r"\D")  # compiled once: re.sub with a pattern text looks it up at every call
_SERIAL_DIGITS = 6


def _date_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _docdb_us_serial(digits: str, year: str) -> str | None:
    """DOCDB writes US application numbers as the six-digit serial followed by the two-digit year."""
    if len(digits) == 8 and year and digits[-2:] == year[2:4]:
        return digits[:6]
    return None


def _pct_core(office: str, digits: str, date: str) -> str | None:
    """PCT/US2013/050328, US2013050328 and PCT/US98/16128: receiving office + serial after the year."""
    year = date[:4]
    if year and digits.startswith(year) and len(digits) > 4:
        digits = digits[4:]
    elif year and digits.startswith(year[2:]) and len(digits) > 2:
        digits = digits[2:]
    if not digits:
        return None
    return f"{office}{int(digits[-_SERIAL_DIGITS:])}"


def serial_core(country: str, number: str, date: object = None) -> str | None:
    """The comparable part of a filing number, or None when it holds no digits."""
    text = number.strip().upper()
    if country == "WO":
        found = _PCT_RE.search(text.replace("PCT", ""))
        if found:
            return _pct_core(found.group(1), _NON_DIGIT_RE.sub("", found.group(2)), _date_text(date))
    text = _CHECK_DIGIT_RE.sub("", text)
    era = _ERA_RE.match(text) if country == "JP" else None
    digits = era.group(2) if era else _NON_DIGIT_RE.sub("", text)
    if not digits:
        return None
    if country == "US":
        docdb = _docdb_us_serial(digits, _date_text(date))
        if docdb:
            digits = docdb
    return str(int(digits[-_SERIAL_DIGITS:]))


def filing_key(country: str | None, number: str | None, date: object = None) -> str | None:
    """``CC:serial:YYYY-MM-DD`` for a filing with an office and a number; None when it cannot link."""
    if not country or not number:
        return None
    country = country.strip().upper()
    core = serial_core(country, number, date)
    if core is None:
        return None
    return f"{country}:{core}:{_date_text(date)}"
