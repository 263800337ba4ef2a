"""Values of the 2001-2004 USPTO XML formats (PATDOC grants, PAP applications): text, dates, numbers, codes.

Shared by :mod:`uspto_patdoc` and :mod:`uspto_pap`. The functions are on the hot path of the ingest,
hence the fast paths in front of the general normalisers of :mod:`patscape.record`.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from patscape.record import Related, normalise_class, normalise_country, normalise_date, normalise_pub_key

__all__ = [
    "ipc_code",
    "iso_date",
    "lenient_date",
    "lenient_key",
    "locarno_code",
    "related_document",
    "text",
    "to_int",
    "us_pub_key",
]


def text(el: etree._Element | None) -> str | None:
    """All text below an element, whitespace collapsed (files may be re-indented or pad values)."""
    if el is None:
        return None
    return collapse(etree.tostring(el, method="text", encoding=str, with_tail=False)) or None


def collapse(s: str) -> str:
    """Runs of whitespace -> one space; most texts have none, and the checks are cheaper than split."""
    if s.isascii() and "  " not in s and "\n" not in s and "\t" not in s and "\r" not in s:
        return s.strip()
    return " ".join(s.split())


def iso_date(value: str | None) -> str | None:
    """``normalise_date`` with a fast path for ``YYYYMMDD`` (a 00 month or day becomes 01, as there)."""
    if value and len(value) == 8 and value.isdigit() and value[:2] in ("18", "19", "20"):
        return dt.date(int(value[:4]), int(value[4:6]) or 1, int(value[6:]) or 1).isoformat()
    return normalise_date(value)


def lenient_date(value: str | None) -> str | None:
    """A date of a cited or related document: a bad one is left out rather than failing the record."""
    try:
        return iso_date(value)
    except ValueError:
        return None


def us_pub_key(country: str, number: str, kind: str | None) -> str:
    """The key of a USPTO-style number (``06530116``, ``D0435854``, ``RE037654``, ``20010000002``).

    The country is prefixed here: ``normalise_pub_key(number, country=...)`` would read the RE and PP
    series prefixes as country codes.
    """
    num = number.strip().upper()
    if country == "US" and kind and len(num) <= 8 and num.isdigit() and kind.isalnum():
        return f"US-{num.lstrip('0') or num}-{kind.upper()}"  # the common case, without the regexes
    if not num.startswith(country):
        num = country + num
    return normalise_pub_key(num, kind=kind)


def lenient_key(country: str, number: str | None, kind: str | None) -> str | None:
    """The key of a cited document, None when its number is not one (``HEI 10-168960``)."""
    if not number:
        return None
    try:
        return us_pub_key(country, number, kind)
    except ValueError:
        return None


def ipc_code(raw: str) -> str:
    """An IPC symbol -> ``A47L5/14``, including the grants' fixed-column form.

    The fixed-column form is subclass, main group right-justified in three columns, subgroup
    (``A47L  514``). Some files have lost the padding (``E03C 104`` for E03C 1/04); there the subgroup
    is taken as the last two digits, since a subgroup is never written with fewer. A symbol that cannot
    be read is kept as written.
    """
    s = raw.strip().upper()
    rest = s[4:]
    digits = rest.replace(" ", "")
    if "/" not in rest and len(rest) < 5 and len(digits) >= 3 and digits.isdigit():
        return normalise_class(f"{s[:4]}{int(digits[:-2])}/{digits[-2:]}")
    try:
        return normalise_class(s)
    except ValueError:
        return s


def locarno_code(raw: str) -> str:
    """A design's Locarno class ``0101`` (class and subclass, two digits each) -> ``01-01``."""
    s = raw.strip()
    if len(s) == 4 and s.isdigit():
        return f"{s[:2]}-{s[2:]}"
    return s


def to_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def related_document(
    relation: str, doc: etree._Element | None, role: str | None, tags: tuple[str, str, str, str]
) -> list[Related]:
    """A related US document, or nothing when it has no number.

    ``tags`` name the number, country, date and kind children, which the 2001-2004 formats spell
    differently: ``doc-number``, ``country-code``, ``document-date``, ``kind-code`` in PAP;
    ``DNUM``, ``CTRY``, ``DATE``, ``KIND`` in PATDOC.
    """
    if doc is None:
        return []
    number_tag, country_tag, date_tag, kind_tag = tags
    number = text(doc.find(number_tag))
    if not number:
        return []
    return [
        Related(
            relation=relation,
            country=normalise_country(text(doc.find(country_tag))) or "US",
            number=number,
            date=lenient_date(text(doc.find(date_tag))),
            kind=text(doc.find(kind_tag)),
            role=role,
        )
    ]
