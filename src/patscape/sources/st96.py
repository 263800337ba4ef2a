"""Reading ST.96-style patent XML by local element names: WIPO ST.96 and CNIPA's new format share them.

CNIPA's ``business:``/``base:`` schema (2021-) follows ST.96's naming (``BibliographicData``, ``ClaimText``,
``InventionTitle``) under its own namespaces and with a few names of its own (``WIPOST3Code`` for
``IPOfficeCode``, ``DocNumber`` for ``PublicationNumber``, ``Paragraphs`` for ``P``). Matching local names
lets one set of helpers read both, whatever prefix or namespace version a document uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from patscape.normalise import class_from_parts, normalise_class, normalise_date, pub_key_or_none
from patscape.record import Citation, Classification, Party, Related, Role, normalise_country
from patscape.sources.classcodes import Scheme, inventive
from patscape.sources.docnum import cited_by
from patscape.sources.xmlsafe import local
from patscape.sources.xmltext import attr, flat_text

_COUNTRY = frozenset({"IPOfficeCode", "WIPOST3Code"})
_NUMBER = frozenset(
    {"PublicationNumber", "DocNumber", "DocumentNumber", "ApplicationNumberText", "PatentNumber"}
)
_KIND = frozenset({"PatentDocumentKindCode", "Kind"})
_DATE = frozenset({"PublicationDate", "FilingDate", "Date", "PatentDocumentDate"})
_PARAGRAPHS = frozenset({"P", "Paragraphs", "Heading"})
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])")


def kid(el: etree._Element | None, *names: str) -> etree._Element | None:
    """The first direct child with one of the local names."""
    if el is not None:
        for c in el:
            if isinstance(c.tag, str) and local(c.tag) in names:
                return c
    return None


def kids(el: etree._Element | None, *names: str) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str) and local(c.tag) in names]


def path(el: etree._Element | None, *names: str) -> etree._Element | None:
    """Follow direct children by local name: ``path(biblio, "PartyBag", "ApplicantBag")``."""
    for name in names:
        el = kid(el, name)
    return el


def real(value: str | None) -> str | None:
    """A value, or None for empty fields and CNIPA's ``0`` / ``00000000`` placeholders."""
    if value is None:
        return None
    s = value.strip()
    return s if s and set(s) != {"0"} else None


def kid_text(el: etree._Element | None, *names: str) -> str | None:
    c = kid(el, *names)
    return real("".join(c.itertext())) if c is not None else None


def raw_text(el: etree._Element | None, *names: str) -> str | None:
    """A child's text as written (``00`` stays ``00``), None when absent or empty."""
    c = kid(el, *names)
    value = "".join(c.itertext()).strip() if c is not None else ""
    return value or None


def descendant_text(el: etree._Element | None, names: Iterable[str]) -> str | None:
    if el is None:
        return None
    wanted = frozenset(names)
    for d in el.iter():
        if isinstance(d.tag, str) and local(d.tag) in wanted:
            value = real("".join(d.itertext()))
            if value:
                return value
    return None


@dataclass(slots=True)
class DocId:
    """A document identification as written (country, number, kind, date)."""

    country: str | None = None
    number: str | None = None
    kind: str | None = None
    date: str | None = None


def doc_id(el: etree._Element | None) -> DocId:
    """The first country, number, kind and date under an identification element, by ST.96 or CNIPA name."""
    found = DocId()
    if el is None:
        return found
    for d in el.iter():
        if not isinstance(d.tag, str) or len(d):
            continue
        name = local(d.tag)
        value = real(d.text)
        if value is None:
            continue
        if name in _COUNTRY and found.country is None:
            found.country = normalise_country(value) or value
        elif name in _NUMBER and found.number is None:
            found.number = value
        elif name in _KIND and found.kind is None:
            found.kind = value
        elif name in _DATE and found.date is None:
            found.date = value
    return found


# -- classification ---------------------------------------------------------------------------
def class_code(el: etree._Element) -> str | None:
    """A classification symbol from its parts (``Section`` / ``MainClass`` or ``Class`` ...) or its text."""
    section = raw_text(el, "Section", "CPCSection")
    cls = raw_text(el, "Class", "MainClass")
    subclass, main, sub = raw_text(el, "Subclass"), raw_text(el, "MainGroup"), raw_text(el, "Subgroup")
    if section and cls and subclass and main:
        return class_from_parts(section, cls, subclass, main, sub or "00")
    text = raw_text(el, "Text", "PatentClassificationText")
    return normalise_class(text) if text else None


def classification(el: etree._Element, scheme: Scheme, seq: int, first: bool) -> Classification | None:
    code = class_code(el)
    if code is None:
        return None
    position = kid_text(el, "SymbolPositionCode")
    value = kid_text(el, "IPCClassificationValueCode", "CPCClassificationValueCode")
    return Classification(
        scheme=scheme,
        code=code,
        sequence=seq,
        first=first or position == "F",
        inventive=inventive(value),
    )


# -- parties ----------------------------------------------------------------------------------
def person_name(el: etree._Element) -> tuple[str, str | None, str | None] | None:
    """(name, given, family) from ``PersonStructuredName``, a full name or an organisation's name."""
    for d in el.iter():
        if not isinstance(d.tag, str):
            continue
        name = local(d.tag)
        if name == "PersonStructuredName":
            given = kid_text(d, "FirstName")
            family = kid_text(d, "LastName")
            parts = [given, kid_text(d, "MiddleName"), family, kid_text(d, "NameSuffix")]
            return " ".join(p for p in parts if p), given, family
        if name in ("PersonFullName", "EntityName", "OrganizationStandardName", "OrganizationName", "Name"):
            text = real("".join(d.itertext())) if not len(d) or name != "Name" else None
            if text:
                return text, None, None
    return None


def party(
    el: etree._Element, role: Role, seq: int, lang: str | None, kind: str | None = None
) -> Party | None:
    """A party from a contact / address book element: its name, and country and city when given."""
    named = person_name(el)
    if named is None:
        return None
    name, given, family = named
    country = descendant_text(el, ("CountryCode", "WIPOST3Code"))
    return Party(
        role=role,
        name=name,
        sequence=seq,
        country=normalise_country(country) if country else None,
        city=descendant_text(el, ("CityName", "City")),
        state=descendant_text(el, ("GeographicRegionName", "Province")),
        given_name=given,
        family_name=family,
        lang=lang,
        kind=kind,
    )


def sequence_of(el: etree._Element, position: int) -> int:
    value = attr(el, "sequenceNumber") or attr(el, "sequence")
    return int(value) if value and value.isdigit() else position


# -- texts ------------------------------------------------------------------------------------
def paragraphs(el: etree._Element, skip: Iterable[str] = ()) -> str:
    """The paragraphs and headings under an element, in order, one per line."""
    skipped = frozenset(skip)
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        for c in node:
            if not isinstance(c.tag, str):
                continue
            name = local(c.tag)
            if name in _PARAGRAPHS:
                text = flat_text(c)
                if text:
                    out.append(text)
            elif name not in skipped:
                walk(c)

    walk(el)
    return "\n".join(out)


def claims(el: etree._Element) -> tuple[str, int]:
    """All claims joined by blank lines (nested claim texts on their own lines), and their number."""
    items = kids(el, "Claim")
    texts = [flat_text(c, blocks=("ClaimText",), skip=("ClaimNumber", "ClaimTypeCategory")) for c in items]
    return "\n\n".join(t for t in texts if t), len(items)


# -- references -------------------------------------------------------------------------------
def citations(el: etree._Element | None) -> list[Citation]:
    """Patent and non-patent citations under a citation bag (``ReferenceCitation`` and the like)."""
    out: list[Citation] = []
    if el is None:
        return out
    for d in el.iter():
        if not isinstance(d.tag, str) or local(d.tag) not in ("PatentCitation", "NPLCitation"):
            continue
        holder = d.getparent()
        who = cited_by(attr(holder, "citingPartyCategory")) if holder is not None else None
        seq = sequence_of(d, len(out) + 1)
        if local(d.tag) == "NPLCitation":
            text = kid_text(d, "NPLCitationText") or flat_text(d)
            out.append(Citation(sequence=seq, npl=text, cited_by=who))
            continue
        ident = doc_id(_identification(d, "CitedPatentDocumentIdentification"))
        out.append(
            Citation(
                sequence=seq,
                cited_key=pub_key_or_none(ident.number, ident.country, ident.kind),
                country=ident.country,
                number=ident.number,
                kind=ident.kind,
                date=normalise_date(ident.date),
                cited_by=who,
                category=kid_text(d, "CitationCategory", "CitedDocumentCategory"),
            )
        )
    return out


def related(el: etree._Element | None) -> list[Related]:
    """Parents of divisions, continuations ... and earlier publications under a related-documents bag."""
    out: list[Related] = []
    for relation_el in el if el is not None else []:
        if not isinstance(relation_el.tag, str):
            continue
        relation = _CAMEL_RE.sub("-", local(relation_el.tag)).lower()
        if relation == "related-publication":
            holders = [relation_el]
        else:
            holders = [d for d in relation_el.iter() if local(d.tag) == "ParentDocument"]
        for holder in holders:
            ident = doc_id(_identification(holder, "PatentDocumentIdentification", "DocumentID"))
            if ident.number:
                out.append(
                    Related(
                        relation=relation,
                        country=ident.country,
                        number=ident.number,
                        date=normalise_date(ident.date),
                        kind=ident.kind,
                        role=None if relation == "related-publication" else "parent",
                    )
                )
    return out


def _identification(el: etree._Element, *names: str) -> etree._Element:
    """The identification child of a reference (its first one: a parent's own PCT parent comes later)."""
    found = kid(el, *names)
    return found if found is not None else el
