"""USPTO grant full text XML v2.4 / v2.5 ("PATDOC", 2001-2004), with WIPO ST.32 tag names.

The bibliography (``SDOBI``) uses numbered INID-style tags: B100 publication, B200 application, B300
priorities, B500 technical data (B510 IPC or Locarno, B520 US classes, B540 title, B560 citations, B570
claims, B590 drawings), B600 related documents, B700 parties, B800 PCT data. Texts are in ``SDOAB``
(abstract), ``SDODE`` (description) and ``SDOCL`` (claims). Values sit in ``PDAT`` leaves.
"""

from __future__ import annotations

import re
from typing import ClassVar

from lxml import etree

from patscape.normalise import date_or_none, normalise_date, normalise_pub_key, pub_key_or_none, to_int
from patscape.record import (
    Application,
    Citation,
    Classification,
    Party,
    Priority,
    Publication,
    Related,
    SourceRef,
    Text,
    normalise_country,
)
from patscape.sources.base import XmlReader
from patscape.sources.uspto_values import ipc_code, locarno_code, related_document
from patscape.sources.xmltext import plain_text

__all__ = ["PatdocReader"]

# B600 children: the relation each stands for, named as in the ICE formats. B630 only wraps B631-B633.
_RELATIONS = {
    "B610": "addition",
    "B620": "division",
    "B631": "continuation",
    "B632": "continuation-in-part",
    "B633": "continuing-reissue",
    "B640": "reissue",
    "B641US": "us-divisional-reissue",
    "B645": "reexamination",
    "B646US": "reexamination",
    "B650": "related-publication",  # previously published document of the same application
    "B660": "substitution",
    "B680US": "us-provisional-application",
    "B690US": "related-publication",  # the pre-grant publication of this application
}
# Number prefixes of the US series other than utility patents.
_DOC_TYPES = (("RE", "reissue"), ("PP", "plant"), ("D", "design"), ("H", "sir"))
_APPLICATION_TYPES = {"reissue": "reissue", "plant": "plant", "design": "design"}
_BUILD_RE = re.compile(r"(\d{8})")


class PatdocReader(XmlReader):
    name: ClassVar[str] = "uspto-patdoc"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "USPTO grant full text XML v2.4/v2.5 (PATDOC, ST.32 tags), 2001-2004"
    example: ClassVar[str] = "pg020101.xml"
    root_tags: ClassVar[tuple[bytes, ...]] = (b"PATDOC",)
    biblio: ClassVar[tuple[str, ...]] = ("SDOBI",)

    def parse(self, root: etree._Element, ref: SourceRef) -> Publication:
        if root.tag != "PATDOC":
            raise ValueError(f"not a PATDOC document: root <{root.tag}>")
        bib = root.find("SDOBI")
        if bib is None:
            raise ValueError("PATDOC without SDOBI")
        b100 = _need(bib, "B100")
        number = _need_text(b100, "B110")
        country = normalise_country(plain_text(b100.find("B190"))) or "US"
        kind = plain_text(b100.find("B130"))
        doc_type = _doc_type(number)
        if doc_type == "design" and kind == "S":
            kind = "S1"  # v2.4 (2001) wrote "S"; v2.5 and the ICE formats write S1 for the same documents
        published = normalise_date(plain_text(b100.find("B140")))
        key = normalise_pub_key(number, country=country, kind=kind)
        pub = Publication.from_key(
            key,
            ref,
            published=published,
            granted=published,
            doc_type=doc_type,
            version=_build_date(root.get("STATUS")),
        )
        pub.application = _application(bib.find("B200"), doc_type)
        pub.priorities = [_priority(b300) for b300 in bib.iterfind("B300")]
        b500 = bib.find("B500")
        if b500 is not None:
            _technical(pub, b500, design=doc_type == "design")
        pub.related = _related(bib.find("B600")) + _pct(bib.find("B800"))
        pub.parties = _parties(bib.find("B700"))
        _texts(pub, root)
        return pub


# -- bibliography ------------------------------------------------------------------------------


def _application(b200: etree._Element | None, doc_type: str) -> Application:
    if b200 is None:
        return Application(country="US")
    return Application(
        country="US",
        number=plain_text(b200.find("B210")),
        date=normalise_date(plain_text(b200.find("B220"))),
        type=_APPLICATION_TYPES.get(doc_type, "utility"),
    )


def _priority(b300: etree._Element) -> Priority:
    return Priority(
        country=normalise_country(plain_text(b300.find("B330"))),
        number=plain_text(b300.find("B310")),
        date=date_or_none(plain_text(b300.find("B320"))),
    )


def _technical(pub: Publication, b500: etree._Element, *, design: bool) -> None:
    for child in b500:
        tag = child.tag
        if tag == "B510":
            pub.classes += _international_classes(child, design=design)
        elif tag == "B520":
            pub.classes += _us_classes(child)
        elif tag == "B540":
            title = plain_text(child)
            if title:
                pub.texts.append(Text("title", title, "en"))
        elif tag == "B560":
            pub.citations = _citations(child)
        elif tag == "B570":
            pub.claim_count = to_int(plain_text(child.find("B577")))
        elif tag == "B590":
            pub.sheet_count = to_int(plain_text(child.find("B595")))
            pub.figure_count = to_int(plain_text(child.find("B596")))


def _international_classes(b510: etree._Element, *, design: bool) -> list[Classification]:
    """B511 (main) and B512 (further): IPC for utility patents, Locarno for designs."""
    classes: list[Classification] = []
    for el in b510:
        if el.tag not in ("B511", "B512"):
            continue
        raw = (el.findtext("PDAT") or "").strip()
        if not raw:
            continue
        scheme = "LOCARNO" if design else "IPC"
        code = locarno_code(raw) if design else ipc_code(raw)
        classes.append(Classification(scheme, code, len(classes) + 1, first=el.tag == "B511"))
    return classes


def _us_classes(b520: etree._Element) -> list[Classification]:
    """B521 (original) and B522 (cross-reference) US classes, kept as written (fixed-column form)."""
    classes: list[Classification] = []
    for el in b520:
        if el.tag not in ("B521", "B522"):
            continue
        raw = (el.findtext("PDAT") or "").strip()
        if raw:
            classes.append(Classification("USPC", raw, len(classes) + 1, first=el.tag == "B521"))
    return classes


def _citations(b560: etree._Element) -> list[Citation]:
    citations: list[Citation] = []
    for el in b560:
        if el.tag not in ("B561", "B562"):
            continue
        if el.find("CITED-BY-EXAMINER") is not None:
            cited_by: str | None = "examiner"
        elif el.find("CITED-BY-OTHER") is not None:
            cited_by = "other"  # the format says only "not the examiner"
        else:
            cited_by = None
        seq = len(citations) + 1
        if el.tag == "B562":
            citations.append(Citation(seq, npl=plain_text(el.find("NCIT")), cited_by=cited_by))
            continue
        doc = el.find("PCIT/DOC")
        if doc is None:
            continue
        number = plain_text(doc.find("DNUM"))
        country = normalise_country(plain_text(doc.find("CTRY"))) or "US"
        kind = plain_text(doc.find("KIND"))
        citations.append(
            Citation(
                seq,
                cited_key=pub_key_or_none(number, country, kind),
                country=country,
                number=number,
                kind=kind,
                date=date_or_none(plain_text(doc.find("DATE"))),
                cited_by=cited_by,
            )
        )
    return citations


def _related(b600: etree._Element | None) -> list[Related]:
    if b600 is None:
        return []
    related: list[Related] = []
    for el in b600:
        items = list(el) if el.tag == "B630" else [el]
        for item in items:
            relation = _RELATIONS.get(item.tag)
            if relation is None:
                continue
            parent = item.find("PARENT-US")
            if parent is None:  # a bare DOC: provisional or publication
                role = "parent" if relation == "us-provisional-application" else None
                related += _related_doc(relation, item.find("DOC"), role)
            else:
                related += _related_doc(relation, parent.find("PDOC/DOC"), "parent")
                related += _related_doc(relation, parent.find("PPUB/DOC"), "parent-grant")
    return related


def _pct(b800: etree._Element | None) -> list[Related]:
    if b800 is None:
        return []
    return _related_doc("pct-filing", b800.find("B860/B861/DOC"), None) + _related_doc(
        "pct-publication", b800.find("B870/B871/DOC"), None
    )


_DOC_TAGS = ("DNUM", "CTRY", "DATE", "KIND")


def _related_doc(relation: str, doc: etree._Element | None, role: str | None) -> list[Related]:
    return related_document(relation, doc, role, _DOC_TAGS)


def _parties(b700: etree._Element | None) -> list[Party]:
    if b700 is None:
        return []
    parties: list[Party] = []
    counts: dict[str, int] = {}

    def add(role: str, party_el: etree._Element | None, kind: str | None = None) -> None:
        if party_el is None:
            return
        party = _party(role, party_el, kind)
        if party is not None:
            counts[role] = party.sequence = counts.get(role, 0) + 1
            parties.append(party)

    for group in b700:
        tag = group.tag
        if tag == "B710":
            for el in group.iterfind("B711"):
                add("applicant", el.find("PARTY-US"))
        elif tag == "B720":
            for el in group.iterfind("B721"):
                add("inventor", el.find("PARTY-US"))
        elif tag == "B730":
            for el in group.iterfind("B731"):
                add("assignee", el.find("PARTY-US"))
        elif tag == "B740":
            for el in group.iterfind("B741"):
                add("agent", el.find("PARTY-US"))
        elif tag == "B745":
            add("examiner", group.find("B746/PARTY-US"), "primary")
            add("examiner", group.find("B747/PARTY-US"), "assistant")
    return parties


def _party(role: str, party_el: etree._Element, kind: str | None) -> Party | None:
    nam = party_el.find("NAM")
    if nam is None:
        return None
    organisation = plain_text(nam.find("ONM"))
    given = plain_text(nam.find("FNM"))
    family = plain_text(nam.find("SNM"))
    if organisation:
        name = organisation
        given = family = None
    else:
        name = " ".join(p for p in (given, family, plain_text(nam.find("SFX"))) if p)
    if not name:
        return None
    adr = party_el.find("ADR")
    city = state = country = None
    if adr is not None:
        city = plain_text(adr.find("CITY"))
        state = plain_text(adr.find("STATE"))
        country = normalise_country(plain_text(adr.find("CTRY"))) or ("US" if state else None)
    return Party(
        role=role,  # type: ignore[arg-type]
        name=name,
        country=country,
        city=city,
        state=state,
        given_name=given,
        family_name=family,
        kind=kind,
    )


# -- texts -------------------------------------------------------------------------------------


def _texts(pub: Publication, root: etree._Element) -> None:
    abstract = _joined(root.find("SDOAB"), ("PARA",), "\n")
    if abstract:
        pub.texts.append(Text("abstract", abstract, "en"))
    cl = root.find("SDOCL/CL")
    claims = [] if cl is None else [t for t in (plain_text(c) for c in cl.iterfind("CLM")) if t]
    if claims:
        pub.texts.append(Text("claims", "\n\n".join(claims), "en"))
        if pub.claim_count is None:
            pub.claim_count = len(claims)
    description = _joined(root.find("SDODE"), ("H", "PARA"), "\n")
    if description:
        pub.texts.append(Text("description", description, "en"))


def _joined(section: etree._Element | None, tags: tuple[str, ...], sep: str) -> str | None:
    if section is None:
        return None
    parts = [t for t in (plain_text(el) for el in section.iter(*tags)) if t]
    return sep.join(parts) or None


# -- values ------------------------------------------------------------------------------------


def _doc_type(number: str) -> str:
    num = number.strip().upper()
    for prefix, doc_type in _DOC_TYPES:
        if num.startswith(prefix):
            return doc_type
    return "grant"


def _build_date(status: str | None) -> str | None:
    """``STATUS="Build 20030116"`` -> 2003-01-16: the build that produced the file."""
    m = _BUILD_RE.search(status or "")
    return date_or_none(m.group(1)) if m else None


def _need(el: etree._Element, tag: str) -> etree._Element:
    found = el.find(tag)
    if found is None:
        raise ValueError(f"missing <{tag}>")
    return found


def _need_text(el: etree._Element, tag: str) -> str:
    value = plain_text(el.find(tag))
    if not value:
        raise ValueError(f"missing <{tag}>")
    return value
