"""The value normalisers every reader uses: publication numbers, dates, integers, whitespace, class symbols.

One function per kind of value, so that a publication number, a date or a count read from a USPTO grant, an
EP document, a CNIPA file or a Google Patents export comes out the same way. The fast paths in front of the
general rules (``YYYYMMDD`` dates, US numbers with their kind) serve the forms office XML writes thousands of
times per file: they are on the ingest's hot path.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from patscape.countries import FORMER_CODES, ISO_3166_ALPHA2, OFFICE_CODES, normalise_country

__all__ = [
    "class_from_parts",
    "date_or_none",
    "normalise_class",
    "normalise_date",
    "normalise_pub_key",
    "normalise_space",
    "pub_key_or_none",
    "split_pub_key",
    "to_int",
]

_OTHER_SPACE_RE = re.compile(r"[^\S ]")  # whitespace other than the plain space (no-break, ideographic ...)

# -- whitespace and integers ---------------------------------------------------------------------


def normalise_space(value: str | None) -> str | None:
    """Runs of whitespace -> one space, ends stripped; None when nothing is left."""
    if value is None:
        return None
    # most values have no run to fold: these checks are cheaper than split and join
    plain = "  " not in value and "\n" not in value and "\t" not in value and "\r" not in value
    if plain and (value.isascii() or not _OTHER_SPACE_RE.search(value)):
        return value.strip() or None
    return " ".join(value.split()) or None


def to_int(value: str | float | None, *, strict: bool = False) -> int | None:
    """``"12"``, ``" 12 "``, ``"12.0"`` (spreadsheets), ``"１２"``, ``12.0`` -> 12; None when empty.

    Anything else is None, or a ValueError when ``strict`` (a count that must not be lost silently).
    """
    if value is None or isinstance(value, int):
        return value
    s = str(value).strip()
    if not s:
        return None
    if s.isdecimal():
        return int(s)
    whole, dot, fraction = s.partition(".")
    if dot and whole.isdecimal() and (not fraction or set(fraction) == {"0"}):
        return int(whole)
    if strict:
        raise ValueError(f"not a whole number: {value!r}")
    return None


# -- dates ---------------------------------------------------------------------------------------

_YMD_RE = re.compile(r"((?:18|19|20)\d\d)[-/.]?(\d\d)[-/.]?(\d\d)")
_ISO_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_RE = re.compile(r"(\d{1,2})([/.])(\d{1,2})[/.](\d{4})")
_YEAR_MONTH_RE = re.compile(r"((?:18|19|20)\d\d)[-/.]?(0[1-9]|1[0-2])")
_YEAR_RE = re.compile(r"(?:18|19|20)\d\d")
FIRST_YEAR = 1800  # earlier dates are placeholders (DOCDB's 00010101), not dates


def normalise_date(value: str | None, *, day_first: bool = False) -> str | None:
    """A date in any form met in patent data -> ISO ``YYYY-MM-DD``; None when empty, ValueError when bad.

    ``20211019``, ``2021-10-19``, ``2021-10-19T00:00:00Z``, ``2021/10/19``, ``19.10.2021`` (day first),
    ``10/19/2021`` (month first, or day first when ``day_first``; the other order when the first cannot be).
    Dates that give only year and month (``19420300``, ``2004-11``) or the year get day and month 01; a
    date of zeros (``00000000``) is no date.
    """
    if not value:
        return None
    s = value.strip()
    if len(s) == 8 and s.isdigit() and s[:2] in ("18", "19", "20"):
        return _date(s, int(s[:4]), int(s[4:6]) or 1, int(s[6:]) or 1)
    s = s.split("T")[0].split(" ")[0]
    if not s.strip("0-/."):
        return None
    m = _ISO_RE.fullmatch(s)
    if m:
        return _date(value, int(m.group(1)), int(m.group(2)) or 1, int(m.group(3)) or 1)
    m = _YMD_RE.fullmatch(s)
    if m:
        return _date(value, int(m.group(1)), int(m.group(2)) or 1, int(m.group(3)) or 1)
    m = _NUMERIC_RE.fullmatch(s)
    if m:
        first, sep, second, year = m.groups()
        day, month = (int(first), int(second)) if day_first or sep == "." else (int(second), int(first))
        if month > 12 >= day:  # the other order is the only one that reads
            day, month = month, day
        return _date(value, int(year), month, day)
    m = _YEAR_MONTH_RE.fullmatch(s)
    if m:
        return _date(value, int(m.group(1)), int(m.group(2)), 1)
    if _YEAR_RE.fullmatch(s):
        return f"{s}-01-01"
    raise ValueError(f"not a date: {value!r}")


def _date(value: str, year: int, month: int, day: int) -> str:
    if year < FIRST_YEAR:
        raise ValueError(f"not a date: {value!r}")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(f"not a date: {value!r}") from None


def date_or_none(value: str | None, *, day_first: bool = False) -> str | None:
    """:func:`normalise_date` for a date of secondary importance (a cited document's, a version): a bad one
    is left out rather than failing the whole record."""
    try:
        return normalise_date(value, day_first=day_first)
    except ValueError:
        return None


# -- publication numbers -------------------------------------------------------------------------

_KEY_RE = re.compile(
    r"""^(?P<cc>[A-Z]{2})[\s\-/._]*                            # country
        (?P<num>(?:RE|PP|RX|AI|HD|T|D|H|X)?[\d\s/.,\-_]*\d)  # number, with the US series prefixes
        (?:[\s\-/._]*(?P<kind>[A-Z]\d?))?$""",
    re.VERBOSE,
)
# Lens's display key of a corrected publication carries its date: ``EP 2666481 B9 20190522``.
_DATED_RE = re.compile(r"^(?P<key>.*\s[A-Z]\d?)\s+(?:18|19|20)\d{6}$")
CODES = ISO_3166_ALPHA2 | OFFICE_CODES | FORMER_CODES  # the two letters a publication number starts with
_SEPARATORS_RE = re.compile(r"[\s/.,\-_]")
_US_SERIES_RE = re.compile(r"^(RE|PP|RX|AI|HD|T|D|H|X)0*(\d+)$")
_US_PUBLICATION_KINDS = frozenset({"A1", "A2", "A9"})
# Numbers with letters (DOCDB keeps them): series prefixes (TW I843770 B inventions, TW M612345 U utility
# models, JP S6222727 A era numbers, JP WO... re-publications of PCT applications, BR PI/MU, MX PA, HU E,
# AT A) and letters inside the number (SG 11201502189U A, IN 1442CH2015 A).
_GLUED_RE = re.compile(r"^(?P<num>[A-Z]{1,3}\d[\d/.,]*)(?P<kind>[A-Z]\d?)?$")
_KIND_RE = re.compile(r"^[A-Z]\d?$")
_LETTERED_RE = re.compile(r"^(?=.*\d)[A-Z0-9]{1,20}$")
# Japanese numbers written year-serial (``2000-56265``: DOCDB pads the serial to six digits), and those
# with an imperial-era year (``63-101085``), which cannot be keyed without knowing the era.
_JP_YEAR_SERIAL_RE = re.compile(r"^((?:19|20)\d\d)\s*[-/]\s*(\d{1,6})$")
_JP_ERA_SERIAL_RE = re.compile(r"^[A-Z]?\d{1,2}\s*-\s*\d+$")
# Mexican application-style numbers (``MX PA/a/2005/003863``), keyed as DOCDB writes them: PA + two-digit year
# + serial, MX + four-digit year + serial.
_MX_SERIES_RE = re.compile(r"^MX\s*(PA|MX)/A/(\d{4})/(\d+)$")


def split_pub_key(key: str) -> tuple[str, str, str | None]:
    """``US-11532378-B2`` -> ("US", "11532378", "B2")."""
    parts = key.split("-")
    return parts[0], parts[1], parts[2] if len(parts) > 2 else None


def normalise_pub_key(text: str, *, country: str | None = None, kind: str | None = None) -> str:
    """Any spelling of a publication number -> ``CC-NUMBER-KIND`` (kind left off when unknown).

    Accepts separators and padding (``US 2023/0377099 A1``, ``06530116`` with ``country="US"``), the US
    series (``USD0435854``, ``PP012345``, ``RE042066``), numbers with letters as DOCDB keeps them
    (``TWI843770B``, ``TW M612345 U``, ``JP S6222727 A``, ``SG 11201502189U A``), Mexican application-style
    numbers (``MX PA/a/2005/003863``), Lens's keys (``WO_2017_196847_A1``, ``EP 2666481 B9 20190522``) and
    full-width characters.
    ``kind`` given by the caller wins over a kind in the text.

    >>> normalise_pub_key("US 2023/0377099 A1")
    'US-2023377099-A1'
    >>> normalise_pub_key("06530116", country="US", kind="B2")
    'US-6530116-B2'
    """
    raw = text.strip().upper()
    cc = country.strip().upper() if country else None
    if kind:
        kind = kind.strip().upper() or None
    if cc == "US" and kind and raw.isdigit() and len(raw) <= 8 and raw.isascii() and kind.isalnum():
        return f"US-{raw.lstrip('0') or raw}-{kind}"  # USPTO's doc-number and kind: no regex needed
    if not raw.isascii():
        raw = unicodedata.normalize("NFKC", raw).upper()  # full-width digits and letters
    if cc and not raw.startswith(cc):
        raw = f"{cc} {raw}"
    if raw[-9:-8] == " " and raw[-8:].isdigit() and (dated := _DATED_RE.match(raw)):
        raw = dated.group("key")
    if raw[:2] == "JP" and ("-" in raw or "/" in raw):
        raw = _japanese(raw, text)
    elif raw[:2] == "MX" and (mx := _MX_SERIES_RE.match(raw)):
        series, year, serial = mx.groups()
        raw = f"MX{series}{year[2:]}{serial}" if series == "PA" else f"MX{year}{serial}"
    m = _KEY_RE.match(raw)
    if kind and m and m.group("kind") and m.group("kind") != kind:
        m = None  # the letter ends the number (SG 10201406850V, kind A): DOCDB keeps it there
    if m and m.group("cc") in CODES:
        the_kind = kind or m.group("kind")
        if the_kind == "S" and m.group("cc") == "US":
            the_kind = "S1"  # a US design: USPTO wrote S in 2001 (PATDOC v2.4), S1 since, for the same kind
        number = normalise_number(m.group("cc"), m.group("num"), the_kind)
        return f"{m.group('cc')}-{number}-{the_kind}" if the_kind else f"{m.group('cc')}-{number}"
    return _lettered_key(raw, kind, text)


def normalise_number(country: str, number: str, kind: str | None = None) -> str:
    """The DOCDB-style number: no separators, no padding zeros.

    US pre-grant publications (``2023/0377099``, ``20230377099``) become year + six digits (``2023377099``),
    and WO numbers with a two-digit year (``WO 03/008444``) a four-digit one, as DOCDB writes them.
    """
    num = number if number.isdigit() else _SEPARATORS_RE.sub("", number)
    if country == "US":
        series = _US_SERIES_RE.match(num)
        if series:
            return series.group(1) + series.group(2)
        if (
            len(num) == 11
            and num[:2] in ("19", "20")
            and num[4] == "0"
            and (kind is None or kind in _US_PUBLICATION_KINDS)
        ):
            return num[:4] + num[5:]
    if country == "WO" and num.isdigit() and len(num) in (7, 8):
        year = int(num[:2])
        return f"{1900 + year if year >= 78 else 2000 + year}{int(num[2:]):06d}"
    return num.lstrip("0") or num


def _japanese(raw: str, text: str) -> str:
    """``JP 2000-56265 A`` -> ``JP 2000056265 A``; an era number (``JP 63-101085``) is refused."""
    body = raw[2:].strip(" -/.")
    number, _, kind = body.rpartition(" ")
    if not (number and _KIND_RE.match(kind)):
        number, kind = body, ""
    m = _JP_YEAR_SERIAL_RE.match(number)
    if m:
        return f"JP{m.group(1)}{m.group(2).zfill(6)} {kind}".rstrip()
    if _JP_ERA_SERIAL_RE.match(number):
        raise ValueError(f"not a publication number: {text!r} (a Japanese era year is ambiguous)")
    return raw


def _lettered_key(raw: str, kind: str | None, text: str) -> str:
    cc, rest = raw[:2], raw[2:].strip(" -/._")
    found_kind = None
    tokens = re.split(r"[\s\-_]+", rest)
    if len(tokens) > 1:
        if _KIND_RE.match(tokens[-1]):
            found_kind = tokens.pop()
        if len(tokens) > 1:  # one number with letters: "EP 2666481 B9 20190522 X" is not one
            raise ValueError(f"not a publication number: {text!r}")
        number = tokens[0]
    else:
        glued = _GLUED_RE.match(rest)
        number, found_kind = (glued.group("num"), glued.group("kind")) if glued else (rest, None)
    number = re.sub(r"[/.,]", "", number)
    if cc not in CODES or not _LETTERED_RE.match(number):
        raise ValueError(f"not a publication number: {text!r}")
    the_kind = kind or found_kind
    return f"{cc}-{number}-{the_kind}" if the_kind else f"{cc}-{number}"


def pub_key_or_none(number: str | None, country: str | None, kind: str | None = None) -> str | None:
    """The key of a cited or related document when its number reads as one, else None."""
    if not number or not country:
        return None
    try:
        return normalise_pub_key(number, country=normalise_country(country) or country, kind=kind or None)
    except ValueError:
        return None


# -- classification symbols ----------------------------------------------------------------------

_CLASS_SLASH_RE = re.compile(r"^([A-HY])\s*(\d\d)\s*([A-Z])\s*0*(\d{1,4})\s*/\s*(\d{1,6})")
_CLASS_COMPACT_RE = re.compile(r"^([A-HY]\d\d[A-Z])(\d{4})(\d{6})$")  # G06N0003047500
_SUBCLASS_RE = re.compile(r"^([A-HY]\d\d[A-Z])(.*)$")


def _subgroup(digits: str) -> str:
    trimmed = digits.rstrip("0")
    return trimmed.ljust(2, "0")


def normalise_class(code: str) -> str:
    """A CPC or IPC symbol in any spelling -> ``G06N3/0475``.

    Accepts ``G06N 3/0475``, ``G06N3/0475 (2013.01)``, ``G06N0003047500`` and the fixed-column form of
    the 1976-2004 USPTO formats (``A47L  514`` = A47L 5/14: subclass, three columns of main group,
    then the subgroup).
    """
    s = code.strip().upper()
    m = _CLASS_SLASH_RE.match(s)
    if m:
        sec, cls, sub, main, subgroup = m.groups()
        return f"{sec}{cls}{sub}{int(main)}/{subgroup}"
    m = _CLASS_COMPACT_RE.match(s.replace(" ", ""))
    if m:
        return f"{m.group(1)}{int(m.group(2))}/{_subgroup(m.group(3))}"
    m = _SUBCLASS_RE.match(s)
    if not m:
        raise ValueError(f"not a classification symbol: {code!r}")
    subclass, rest = m.groups()
    if not rest.strip():
        return subclass
    if len(rest) >= 4 and rest[:3].strip().isdigit() and rest[3:].strip().isdigit():
        main, subgroup = rest[:3].strip(), rest[3:].strip()
        return f"{subclass}{int(main)}/{subgroup.ljust(2, '0')}"
    compact = rest.strip()
    if compact.isdigit():  # main group alone
        return f"{subclass}{int(compact)}/00"
    raise ValueError(f"not a classification symbol: {code!r}")


def class_from_parts(section: str, cls: str, subclass: str, main_group: str, subgroup: str) -> str:
    """USPTO's split fields (section / class / subclass / main-group / subgroup) -> ``G06N3/0475``."""
    return normalise_class(f"{section}{cls}{subclass}{main_group.strip()}/{subgroup.strip()}")
