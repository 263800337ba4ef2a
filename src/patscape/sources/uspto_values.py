"""Values of the 2001-2004 USPTO XML formats (PATDOC grants, PAP applications): classes, related documents.

Shared by :mod:`uspto_patdoc` and :mod:`uspto_pap`; dates, numbers and keys go through
:mod:`patscape.normalise`.
"""

from __future__ import annotations

from lxml import etree

from patscape.normalise import date_or_none, normalise_class
from patscape.record import Related, normalise_country
from patscape.sources.xmltext import plain_text

__all__ = ["ipc_code", "locarno_code", "related_document"]


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
    number = plain_text(doc.find(number_tag))
    if not number:
        return []
    return [
        Related(
            relation=relation,
            country=normalise_country(plain_text(doc.find(country_tag))) or "US",
            number=number,
            date=date_or_none(plain_text(doc.find(date_tag))),
            kind=plain_text(doc.find(kind_tag)),
            role=role,
        )
    ]
