"""Document numbers and kinds as office XML writes them: cited keys, document types, partial dates."""

from __future__ import annotations

import re
import unicodedata

from patscape.record import normalise_country, normalise_date, normalise_pub_key

_JP_YEAR_NUMBER_RE = re.compile(r"^((?:19|20)\d\d)\s*[-/]\s*(\d{1,6})$")
_JP_ERA_NUMBER_RE = re.compile(r"^[A-Z]?\d{1,2}\s*-\s*\d+$")
_YEAR_MONTH_RE = re.compile(r"^((?:18|19|20)\d\d)[-/.]?(0[1-9]|1[0-2])$")

_DOC_TYPES = {
    "A": "application",
    "T": "application",  # JP translations of international applications
    "B": "grant",
    "C": "grant",  # CN invention grants before 2010
    "U": "utility-model",
    "Y": "utility-model",
    "S": "design",
}


def cited_key(country: str | None, number: str | None, kind: str | None = None) -> str | None:
    """The pub key of a cited or related document when its number says it unambiguously, else None.

    Japanese numbers are written ``2000-56265`` (year and serial: DOCDB pads the serial to six digits)
    or with an imperial-era year (``63-101085``): those have no unambiguous key here.
    """
    if not country or not number:
        return None
    cc = normalise_country(country) or country.strip().upper()
    num = unicodedata.normalize("NFKC", number).strip().upper()
    if cc == "JP":
        m = _JP_YEAR_NUMBER_RE.match(num)
        if m:
            num = m.group(1) + m.group(2).zfill(6)
        elif _JP_ERA_NUMBER_RE.match(num):
            return None
    try:
        return normalise_pub_key(num, country=cc, kind=kind or None)
    except ValueError:
        return None


def doc_type(kind: str | None) -> str | None:
    """Application, grant, utility model or design from a CN / JP / ST.16 kind code."""
    if not kind:
        return None
    return _DOC_TYPES.get(kind.strip().upper()[:1])


def partial_date(value: str | None) -> str | None:
    """A date that may give only year and month (``2004-11`` in citations): the day becomes 01."""
    if not value or not value.strip() or set(value.strip()) == {"0"}:
        return None
    m = _YEAR_MONTH_RE.match(value.strip())
    if m:
        return f"{m.group(1)}-{m.group(2)}-01"
    return normalise_date(value)


def cited_by(text: str | None) -> str | None:
    """Who cited a document, from ``cited by examiner``, ``Examiner``, ``applicant``, ``third party`` ..."""
    if not text:
        return None
    lowered = text.lower()
    if "examiner" in lowered:
        return "examiner"
    if "applicant" in lowered:
        return "applicant"
    if "third" in lowered:
        return "third-party"
    return None
