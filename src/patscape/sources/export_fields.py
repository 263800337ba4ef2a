"""Field parsers shared by the export readers: numbers, name lists, code lists, literal lists."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from patscape.record import (
    Classification,
    Party,
    Publication,
    SourceRef,
    normalise_class,
    normalise_pub_key,
    split_pub_key,
)

# -- publication numbers -------------------------------------------------------------------------

# Numbers with a letter series prefix that record.normalise_pub_key does not know (yet):
# TW I123456 B (invention), TW M123456 U (utility model), JP S/H/T era prefixes, JP WO... (Japanese
# re-publications of PCT applications), BR PI/MU, MX PA, HU E, AT A.  The prefix is kept as DOCDB does.
_PREFIXED_RE = re.compile(
    r"^\s*(?P<cc>[A-Z]{2})[\s\-/.]*(?P<prefix>[A-Z]{1,3})[\s\-/.]*(?P<num>\d(?:[\d\s/.,\-]*\d)?)"
    r"(?:[\s\-/.]*(?P<kind>[A-Z]\d?))?\s*$"
)


def pub_key(text: str, *, country: str | None = None, kind: str | None = None) -> str:
    """Any spelling of a publication number -> ``CC-NUMBER-KIND`` (see record.normalise_pub_key).

    Falls back on numbers with a series prefix (``TWI843770B`` -> ``TW-I843770-B``,
    ``JP S6222727 A`` -> ``JP-S6222727-A``), which the record's normaliser refuses.
    """
    try:
        return normalise_pub_key(text, country=country, kind=kind)
    except ValueError:
        pass
    raw = text.strip().upper()
    if country and not raw.startswith(country.upper()):
        raw = country.upper() + raw
    m = _PREFIXED_RE.match(raw)
    if not m:
        raise ValueError(f"not a publication number: {text!r}")
    number = m.group("prefix") + re.sub(r"[\s/.,\-]", "", m.group("num"))
    the_kind = (kind or m.group("kind") or "").upper().strip()
    cc = m.group("cc")
    return f"{cc}-{number}-{the_kind}" if the_kind else f"{cc}-{number}"


def new_publication(key: str, ref: SourceRef) -> Publication:
    country, number, kind = split_pub_key(key)
    return Publication(pub_key=key, country=country, number=number, kind=kind, source=ref)


# -- lists ---------------------------------------------------------------------------------------


def split_list(value: str | None, sep: str) -> list[str]:
    """``a;;b;; c`` -> ``["a", "b", "c"]``: stripped, empty items dropped."""
    if not value:
        return []
    return [part.strip() for part in value.split(sep) if part.strip()]


def literal_list(value: str | None, limit: int = 1_000_000) -> list[str]:
    """A Python-literal list of strings (``"['G06F18/22', 'Y02D10/00']"``), parsed without eval."""
    if not value or not value.strip():
        return []
    if len(value) > limit:
        raise ValueError(f"list literal of {len(value):,} characters is too long")
    parsed = ast.literal_eval(value.strip())
    if not isinstance(parsed, (list, tuple)) or not all(isinstance(x, str) for x in parsed):
        raise ValueError(f"not a list of strings: {value[:80]!r}")
    return [x.strip() for x in parsed if x.strip()]


def add_classes(pub: Publication, scheme: str, codes: Iterable[str], *, normalise: bool = True) -> None:
    """Append a scheme's codes in the order given: the first listed is ``first``, duplicates dropped.

    CPC and IPC symbols are normalised (``G06N 3/0475`` -> ``G06N3/0475``); a symbol that cannot be
    read raises, so that the row goes to quarantine rather than losing a class silently.
    """
    seen = {c.code for c in pub.classes if c.scheme == scheme}
    first = not seen
    for raw in codes:
        code = normalise_class(raw) if normalise else raw.strip()
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


def _is_continuation(item: str) -> bool:
    return re.sub(r"[\s.]", "", item).casefold() in _CONTINUATIONS


def split_names(value: str | None) -> list[str]:
    """A comma-separated list of names, keeping the commas inside names.

    Rule: split on commas, then join an item back to the one before it when the item is a legal
    form or a generational suffix (see ``_CONTINUATIONS``). Names whose comma is followed by a word
    that is not one ("Board Of Regents, The University Of Texas System") stay split: no list can
    tell them from two names, and Google writes both the same way.
    """
    if not value:
        return []
    names: list[str] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if names and _is_continuation(item):
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
            return Party(role=role, name=f"{given} {family}", sequence=sequence, country=country,  # type: ignore[arg-type]
                         given_name=given, family_name=family)
    return Party(role=role, name=name, sequence=sequence, country=country)  # type: ignore[arg-type]


def add_parties(pub: Publication, role: str, names: Iterable[str]) -> None:
    for i, name in enumerate(names, 1):
        pub.parties.append(party(role, name, i))


def int_or_none(value: str | None) -> int | None:
    if value is None or not str(value).strip():
        return None
    return int(float(value)) if "." in str(value) else int(value)
