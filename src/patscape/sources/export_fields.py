"""Field parsers shared by the export readers: numbers, name lists, code lists, literal lists."""

from __future__ import annotations

import ast
import datetime as dt
import functools
import re
from collections.abc import Iterable

from patscape.record import (
    Classification,
    Party,
    Publication,
    SourceRef,
    normalise_class,
    normalise_date,
    normalise_pub_key,
    split_pub_key,
)

# -- publication numbers -------------------------------------------------------------------------

# Numbers that record.normalise_pub_key does not know (yet), kept as DOCDB writes them: letter series
# prefixes (TW I123456 B inventions, TW M123456 U utility models, JP S/H era prefixes, JP WO... re-
# publications of PCT applications, BR PI/MU, MX PA, HU E, AT A) and letters inside the number
# (SG 11201502189U A, IN 1442CH2015 A).
_GLUED_RE = re.compile(r"^(?P<num>[A-Z]{1,3}\d[\d/.,]*)(?P<kind>[A-Z]\d?)?$")
_KIND_RE = re.compile(r"^[A-Z]\d?$")
_NUMBER_RE = re.compile(r"^(?=.*\d)[A-Z0-9]{1,20}$")


def pub_key(text: str, *, country: str | None = None, kind: str | None = None) -> str:
    """Any spelling of a publication number -> ``CC-NUMBER-KIND`` (see record.normalise_pub_key).

    Falls back on numbers with letters (``TWI843770B`` -> ``TW-I843770-B``, ``JP S6222727 A`` ->
    ``JP-S6222727-A``, ``SG 11201502189U A`` -> ``SG-11201502189U-A``), which the record's
    normaliser refuses.
    """
    try:
        return normalise_pub_key(text, country=country, kind=kind)
    except ValueError:
        pass
    raw = text.strip().upper()
    if country and not raw.startswith(country.upper()):
        raw = country.upper() + " " + raw
    cc, rest = raw[:2], raw[2:].strip(" -/.")
    found_kind = None
    tokens = re.split(r"[\s\-]+", rest)
    if len(tokens) > 1:
        if _KIND_RE.match(tokens[-1]):
            found_kind = tokens.pop()
        number = "".join(tokens)
    else:
        glued = _GLUED_RE.match(rest)
        number, found_kind = (glued.group("num"), glued.group("kind")) if glued else (rest, None)
    number = re.sub(r"[/.,]", "", number)
    if not (cc.isalpha() and cc.isascii() and _NUMBER_RE.match(number)):
        raise ValueError(f"not a publication number: {text!r}")
    the_kind = (kind or found_kind or "").upper().strip()
    return f"{cc}-{number}-{the_kind}" if the_kind else f"{cc}-{number}"


def new_publication(key: str, ref: SourceRef) -> Publication:
    country, number, kind = split_pub_key(key)
    return Publication(pub_key=key, country=country, number=number, kind=kind, source=ref)


# -- dates ---------------------------------------------------------------------------------------

_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_NUMERIC_RE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


def export_date(value: str | None, *, day_first: bool) -> str | None:
    """An export's date -> ISO: ``2021-10-19``, ``2021-10-19T00:00:00Z``, and ``10/19/2021`` (month first,
    Google) or ``19.10.2021`` (day first, PATENTSCOPE) as the caller says; other forms go to
    record.normalise_date. Parsed directly: strptime costs too much for exports of 100k rows.
    """
    if value is None:
        return None
    s = value.strip()
    if not s:
        return None
    m = _ISO_RE.match(s)
    if m:
        year, month, day = (int(g) for g in m.groups())
    else:
        m = _NUMERIC_RE.match(s)
        if not m:
            return normalise_date(s)
        first, second, year = (int(g) for g in m.groups())
        day, month = (first, second) if day_first else (second, first)
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError as exc:
        raise ValueError(f"not a date: {value!r}") from exc


# -- lists ---------------------------------------------------------------------------------------


def split_list(value: str | None, sep: str) -> list[str]:
    """``a;;b;; c`` -> ``["a", "b", "c"]``: stripped, empty items dropped."""
    if not value:
        return []
    return [part.strip() for part in value.split(sep) if part.strip()]


_SIMPLE_LIST_RE = re.compile(r"^\[\s*(?:'[^'\\]*'\s*(?:,\s*'[^'\\]*'\s*)*,?\s*)?\]$")
_QUOTED_RE = re.compile(r"'([^'\\]*)'")


def literal_list(value: str | None, limit: int = 1_000_000) -> list[str]:
    """A Python-literal list of strings (``"['G06F18/22', 'Y02D10/00']"``), parsed without eval.

    The common form (single-quoted items without escapes) is read by a regular expression; any other
    goes to ``ast.literal_eval``, which accepts literals only.
    """
    if not value or not value.strip():
        return []
    if len(value) > limit:
        raise ValueError(f"list literal of {len(value):,} characters is too long")
    text = value.strip()
    if _SIMPLE_LIST_RE.match(text):
        return [x.strip() for x in _QUOTED_RE.findall(text) if x.strip()]
    parsed = ast.literal_eval(text)
    if not isinstance(parsed, (list, tuple)) or not all(isinstance(x, str) for x in parsed):
        raise ValueError(f"not a list of strings: {value[:80]!r}")
    return [x.strip() for x in parsed if x.strip()]


_normalised_class = functools.lru_cache(maxsize=1 << 16)(normalise_class)  # exports repeat the same codes


def add_classes(pub: Publication, scheme: str, codes: Iterable[str], *, normalise: bool = True) -> None:
    """Append a scheme's codes in the order given: the first listed is ``first``, duplicates dropped.

    CPC and IPC symbols are normalised (``G06N 3/0475`` -> ``G06N3/0475``); a symbol that cannot be
    read raises, so that the row goes to quarantine rather than losing a class silently.
    """
    seen = {c.code for c in pub.classes if c.scheme == scheme}
    first = not seen
    for raw in codes:
        code = _normalised_class(raw) if normalise else raw.strip()
        if not code or code in seen:
            continue
        seen.add(code)
        pub.classes.append(Classification(scheme, code, len(pub.classes) + 1, first))  # type: ignore[arg-type]
        first = False


# -- names ---------------------------------------------------------------------------------------

# Items that continue the name before them when a list of names is split on commas:
# legal forms ("Samsung Electronics Co., Ltd.", "At&T Intellectual Property I, L.P.",
# "Курна, Инк.", "구글 엘엘씨, 인크.") and generational suffixes of persons ("John Smith, Jr.").
_CONTINUATIONS = frozenset(
    re.sub(r"[\s.]", "", s).casefold()
    for s in """
    Inc|Incorporated|LLC|L.L.C.|LLP|L.L.P.|LP|L.P.|PLLC|Ltd|Limited|Ltda|Co|Co.Ltd|Corp|Corporation|
    Company|N.A.|S.A.|S.A.S.|S.L.|S.p.A.|SpA|S.r.l.|Srl|SE|AG|GmbH|KG|B.V.|BV|N.V.|NV|PLC|P.L.C.|Pty|
    Pty Ltd|Pte|Pte Ltd|K.K.|KK|AB|A/S|AS|ASA|Oy|OYJ|SAS|SARL|PC|P.C.|Jr|Sr|II|III|IV|Esq|
    Инк|Лтд|ООО|Корпорейшн|인크|인코포레이티드|엘엘씨|엘.피.|리미티드|코포레이션|게엠베하|에스.에이.|엘티디|
    """.replace("\n", "").split("|")
    if s.strip()
)


# A governing body named before its institution: "Board Of Regents, The University Of Texas System".
_BODY_RE = re.compile(r"\bboard of (regents|trustees|governors|directors)$", re.IGNORECASE)


def _continues(before: str, item: str) -> bool:
    return re.sub(r"[\s.]", "", item).casefold() in _CONTINUATIONS or bool(_BODY_RE.search(before))


def split_names(value: str | None) -> list[str]:
    """A comma-separated list of names, keeping the commas inside names.

    Rule: split on commas, then join an item back to the one before it when the item is a legal
    form or a generational suffix (see ``_CONTINUATIONS``: "Samsung Electronics Co., Ltd.",
    "At&T Intellectual Property I, L.P.", "John Smith, Jr.") or when the one before ends with a
    governing body ("Board Of Regents, The University Of Texas System"). Any other comma separates
    names: a name with another kind of comma cannot be told from two names, as Google writes both
    the same way, and is split.
    """
    if not value:
        return []
    names: list[str] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if names and _continues(names[-1], item):
            names[-1] = f"{names[-1]}, {item}"
        else:
            names.append(item)
    return names


def party(role: str, name: str, sequence: int, country: str | None = None) -> Party:
    """A party from a name as the export writes it.

    ``Family; Given`` (USPTO's old person form, met in Google's assignee column) becomes
    "Given Family" with both parts filled; other names are kept as written, with given and family
    names left empty since a single string cannot tell them apart reliably across scripts.
    """
    if name.count(";") == 1:
        family, given = (s.strip() for s in name.split(";"))
        if family and given:
            return Party(
                role=role,  # type: ignore[arg-type]
                name=f"{given} {family}",
                sequence=sequence,
                country=country,
                given_name=given,
                family_name=family,
            )
    return Party(role=role, name=name, sequence=sequence, country=country)  # type: ignore[arg-type]


def add_parties(pub: Publication, role: str, names: Iterable[str]) -> None:
    for i, name in enumerate(names, 1):
        pub.parties.append(party(role, name, i))


def int_or_none(value: str | None) -> int | None:
    if value is None or not str(value).strip():
        return None
    return int(float(value)) if "." in str(value) else int(value)
