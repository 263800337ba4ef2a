"""Field parsers shared by the EPO readers (EP publication server, DOCDB, OPS).

The three EPO formats write classification symbols, party names, citations and bibliographic
references in the same few ways; the helpers here turn those spellings into record fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from patscape.normalise import date_or_none, normalise_space, pub_key_or_none
from patscape.record import (
    Citation,
    Classification,
    Party,
    Text,
    normalise_country,
)
from patscape.sources.xmltext import plain_text


def strip_namespaces(root: etree._Element) -> None:
    """Drop namespaces from element tags so that lookups use local names only.

    DOCDB and OPS mix prefixed (``exch:``, ``ops:``, ``ftxt:``) and unprefixed elements, and some
    DOCDB files use no namespace at all; local names are what identify an element in all of them.
    """
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str) and tag[:1] == "{":
            el.tag = tag.split("}", 1)[1]


# -- classification symbols ------------------------------------------------------------------

# An optional IPC edition (" 7C 07C  29/44") before section, class, subclass, main group / subgroup.
_SYMBOL_RE = re.compile(
    r"^\s*(?:\d{1,2}(?=\s*[A-HY]\s*\d\d\s*[A-Z]))?\s*([A-HY])\s*(\d\d)\s*([A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})(.*)$",
    re.DOTALL,
)
# After the symbol (IPCR / CPC text form): version date, level (A/C/S), position (F/L), value (I/N/A).
_FLAGS_RE = re.compile(r"^\s*(\d{8})?([ACS ])?([FL ])?([IAN])?")


def classification_from_text(
    text: str | None, scheme: str, sequence: int, *, first: bool = False
) -> Classification | None:
    """``C07K  14/47        20060101AFI20050713BHEP`` -> Classification(code="C07K14/47", first, inventive).

    Reads the fixed-column IPCR / CPC text of EP, DOCDB and OPS (also when its spaces were collapsed),
    the edition-prefixed IPC of old EP documents (`` 7C 07C  29/44   A``) and bare symbols (``B28B5/02``).
    """
    if not text:
        return None
    m = _SYMBOL_RE.match(text)
    if not m:
        return None
    section, cls, subclass, main, subgroup, rest = m.groups()
    code = f"{section}{cls}{subclass}{int(main)}/{subgroup}"
    flags = _FLAGS_RE.match(rest)
    position = flags.group(3) if flags else None
    value = flags.group(4) if flags else None
    inventive = {"I": True, "N": False, "A": False}.get(value or "")
    return Classification(
        scheme=scheme,  # type: ignore[arg-type]
        code=code,
        sequence=sequence,
        first=first or position == "F",
        inventive=inventive,
    )


def finish_classes(classes: list[Classification]) -> list[Classification]:
    """Drop repeated (scheme, code) pairs, number each scheme 1.., and mark a first symbol per scheme.

    DOCDB repeats a CPC symbol once per office that allocated it; the first occurrence is kept.
    When a scheme has no symbol marked first (F), its first symbol is taken as the main one.
    """
    seen: dict[tuple[str, str], Classification] = {}
    for c in classes:
        key = (c.scheme, c.code)
        if key in seen:
            kept = seen[key]
            kept.first = kept.first or c.first
            if kept.inventive is None:
                kept.inventive = c.inventive
            continue
        seen[key] = c
    out = list(seen.values())
    counters: dict[str, int] = {}
    for c in out:
        counters[c.scheme] = counters.get(c.scheme, 0) + 1
        c.sequence = counters[c.scheme]
    for scheme in counters:
        of_scheme = [c for c in out if c.scheme == scheme]
        firsts = [c for c in of_scheme if c.first]
        for c in firsts[1:]:
            c.first = False
        if not firsts:
            of_scheme[0].first = True
    return out


# -- parties ---------------------------------------------------------------------------------

_TRAILING_RE = re.compile(r"[\s,;]+$")
_EPODOC_COUNTRY_RE = re.compile(r"^(.*?)\s*\[([A-Z]{2})\]\s*$")
_TITLE_RE = re.compile(r"(?i)^(dr|prof|dipl|ing|mag|ph\.?\s*d|mba|m\.?sc|b\.?sc|lic)\b")
_SUFFIX_RE = re.compile(r"(?i)^(jr|sr|ii|iii|iv)\.?$")


def tidy_name(raw: str | None) -> str | None:
    """A name with collapsed whitespace and without the trailing commas OPS leaves (``FANG, HOWARD L, ``)."""
    s = normalise_space(raw)
    if not s:
        return None
    return _TRAILING_RE.sub("", s) or None


def split_epodoc_name(raw: str) -> tuple[str, str | None]:
    """``BOER BEHEER NIJMEGEN BV DE [NL]`` -> (``BOER BEHEER NIJMEGEN BV DE``, ``NL``)."""
    m = _EPODOC_COUNTRY_RE.match(raw)
    if m:
        return m.group(1), m.group(2)
    return raw, None


def name_key(name: str) -> frozenset[str]:
    """The words of a name, to match a party across spellings (``FANG, Howard L`` ~ ``FANG HOWARD L``)."""
    return frozenset(re.findall(r"\w+", name.upper()))


def make_party(
    role: str,
    written: str,
    sequence: int,
    *,
    person: bool,
    reorder: bool = True,
    country: str | None = None,
    city: str | None = None,
    kind: str | None = None,
) -> Party:
    """A Party; a person written ``Family, Given`` gets both parts and is named ``Given Family``.

    ``reorder=False`` keeps the name exactly as written (applicants) while still splitting it.
    EP writes more parts after the given name: initials and middle names (``ROGERS, Bruce, L.``),
    generation suffixes (``Jr.``) and academic titles (``Schmidt, Thomas, Dr.``); titles are left out.
    """
    given = family = None
    name = written
    parts = [p.strip() for p in written.split(",")] if person else []
    if len(parts) >= 2 and parts[0] and parts[1]:
        family = parts[0]
        given_parts = [parts[1]]
        suffixes: list[str] = []
        for extra in parts[2:]:
            if not extra or _TITLE_RE.match(extra):
                continue
            (suffixes if _SUFFIX_RE.match(extra) else given_parts).append(extra)
        given = " ".join(given_parts)
        if reorder:
            name = " ".join([given, family, *suffixes])
    return Party(
        role=role,  # type: ignore[arg-type]
        name=name,
        sequence=sequence,
        country=normalise_country(country),
        city=city,
        given_name=given,
        family_name=family,
        kind=kind,
    )


def dedupe_parties(parties: Iterable[Party]) -> list[Party]:
    """Drop a party repeated under another case (OPS lists ``FANG, HOWARD L`` and ``Fang, Howard L``)."""
    out: list[Party] = []
    seen: set[tuple[str, str]] = set()
    for p in parties:
        key = (p.role, p.name.casefold())
        if key in seen:
            continue
        seen.add(key)
        p.sequence = sum(1 for q in out if q.role == p.role) + 1
        out.append(p)
    return out


# -- citations -------------------------------------------------------------------------------


def cited_by_of(cited_by: str | None, phase: str | None) -> str | None:
    """Who cited, from OPS's ``cited-by`` or the DOCDB / OPS ``cited-phase`` (APP, SEA, ISR, EXA, OPP...)."""
    if cited_by in ("examiner", "applicant", "third-party"):
        return cited_by
    p = (phase or "").strip().lower()
    if not p:
        return None
    if p in ("app", "applicant") or p.startswith("applicant"):
        return "applicant"
    if p in ("opp", "tpo", "115") or "opposition" in p or "third" in p:
        return "third-party"
    if p in ("sea", "isr", "sup", "exa", "ipe", "ch2", "prs", "srch") or "search" in p or "exam" in p:
        return "examiner"
    return "other"


def patent_citation(
    sequence: int,
    country: str | None,
    number: str | None,
    kind: str | None = None,
    date: str | None = None,
    *,
    cited_by: str | None,
    category: str | None = None,
    is_application: bool = False,
) -> Citation:
    """A cited patent document; ``cited_key`` only for publications (not for cited application numbers)."""
    cc = normalise_country(country) or (country.strip().upper() if country else None)
    num = normalise_space(number)
    knd = normalise_space(kind)
    key = None if is_application else pub_key_or_none(num, cc, knd)
    return Citation(
        sequence=sequence,
        cited_key=key,
        country=cc,
        number=num,
        kind=knd,
        date=date_or_none(date),
        cited_by=cited_by,
        category=category,
    )


def npl_text(nplcit: etree._Element) -> str | None:
    """The text of a non-patent citation: its ``text`` when given, else built from the structured parts."""
    t = nplcit.find("text")
    if t is not None:
        written = plain_text(t)
        if written:
            return written
    authors = [a for a in (plain_text(el) for el in nplcit.iter("author")) if a]
    title = _first_text(nplcit, "atl", "book-title", "online-title")
    source = _first_text(nplcit, "sertitle")
    vid = _first_text(nplcit, "vid")
    ino = _first_text(nplcit, "ino")
    sdate = _first_text(nplcit, "sdate")
    ppf = _first_text(nplcit, "ppf")
    ppl = _first_text(nplcit, "ppl")
    parts = [
        "; ".join(authors) if authors else None,
        title,
        source,
        f"vol. {vid}" if vid else None,
        f"no. {ino}" if ino else None,
        sdate[:4] if sdate and sdate[:4].isdigit() else None,
        (f"pages {ppf}-{ppl}" if ppl else f"page {ppf}") if ppf else None,
    ]
    built = ", ".join(p for p in parts if p)
    return built or plain_text(nplcit)


def _first_text(el: etree._Element, *tags: str) -> str | None:
    """The first non-empty text among descendants with one of ``tags``."""
    for found in el.iter(*tags):
        text = plain_text(found)
        if text:
            return text
    return None


def english_first(texts: list[Text]) -> list[Text]:
    """Texts with the English one first, the others in source order (``Publication.title`` is the first)."""
    return sorted(texts, key=lambda t: t.lang != "en")
