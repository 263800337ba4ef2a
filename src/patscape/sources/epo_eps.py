"""EP publication server full text (``ep-patent-document``, DTD v1.0 to v1.5.1; kinds A1, A2, B1, B2...).

The bibliographic part (``SDOBI``) uses INID-numbered tags: B110 number, B130 kind, B140 date,
B210/B220 application, B300 priorities, B450 grant, B510/B510EP IPC, B520EP CPC, B540 titles,
B560 cited references, B620 parent application, B710/B730/B720/B740 applicants, proprietors,
inventors, agents, B860/B870 the PCT application and publication. Texts follow SDOBI: abstract,
description, one ``claims`` per language (de, en, fr for B documents), search report, references
cited in the description (``ep-reference-list``).
"""

from __future__ import annotations

import re
from typing import ClassVar

from lxml import etree

from patscape.normalise import date_or_none, normalise_pub_key, normalise_space, split_pub_key
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
from patscape.sources.base import Item, XmlReader
from patscape.sources.epo_fields import (
    classification_from_text,
    dedupe_parties,
    english_first,
    finish_classes,
    make_party,
    name_key,
    npl_text,
    patent_citation,
)
from patscape.sources.xmltext import plain_text

# Cited patents in B561 are written ``WO-A-03/008444``, ``US-A1- 2007 204 872``, ``US-E- R E36 154``.
_B561_RE = re.compile(r"^\s*([A-Z]{2})\s*-\s*([A-Z]\d?)\s*-\s*(.+?)\s*$")
_PARTY_TAGS = (
    ("B710", "B711", "applicant", None),
    ("B730", "B731", "applicant", "proprietor"),
    ("B720", "B721", "inventor", None),
    ("B740", "B741", "agent", None),
)


class EpoEpsReader(XmlReader):
    name: ClassVar[str] = "epo-eps"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "EP publication server full text (ep-patent-document, DTD v1.0-v1.5.1)"
    example: ClassVar[str] = "EP1325900A1.xml"
    precedence: ClassVar[int] = 100
    root_tags: ClassVar[tuple[bytes, ...]] = (b"ep-patent-document",)
    biblio: ClassVar[tuple[str, ...]] = ("SDOBI",)

    def parse(self, root: etree._Element, ref: SourceRef) -> Item | None:
        if root.tag != "ep-patent-document":
            raise ValueError(f"expected ep-patent-document, found <{root.tag}>")
        return read_ep_document(root, ref)


def read_ep_document(root: etree._Element, ref: SourceRef) -> Publication:
    sdobi = root.find("SDOBI")
    if sdobi is None:
        sdobi = etree.Element("SDOBI")
    country = root.get("country") or normalise_space(sdobi.findtext("B100/B190")) or "EP"
    number = root.get("doc-number") or normalise_space(sdobi.findtext("B100/B110"))
    kind = root.get("kind") or normalise_space(sdobi.findtext("B100/B130"))
    if not number:
        raise ValueError("ep-patent-document without doc-number")
    pub_key = normalise_pub_key(number, country=country, kind=kind)
    is_grant = (split_pub_key(pub_key)[2] or "").startswith("B")
    proceedings = normalise_space(sdobi.findtext("B200/B251EP")) or root.get("lang")
    claims_texts, claim_count = _claims(root, proceedings)
    return Publication.from_key(
        pub_key,
        ref,
        published=date_or_none(sdobi.findtext("B100/B140/date")) or date_or_none(root.get("date-publ")),
        granted=date_or_none(sdobi.findtext("B400/B450/date")) if is_grant else None,
        doc_type="grant" if is_grant else "application",
        application=_application(sdobi),
        priorities=_priorities(sdobi.find("B300")),
        related=_related(sdobi),
        texts=_titles(sdobi) + _abstracts(root) + claims_texts + _description(root),
        claim_count=claim_count,
        parties=_parties(sdobi.find("B700")),
        classes=_classes(sdobi.find("B500")),
        citations=_citations(root, sdobi),
        version=_version(root),
    )


def _version(root: etree._Element) -> str | None:
    for el in root.iter("search-report-data"):
        date = date_or_none(el.get("date-produced"))
        if date:
            return date
    return None


# -- bibliographic data ----------------------------------------------------------------------


def _application(sdobi: etree._Element) -> Application:
    written = normalise_space(sdobi.findtext("B200/B210"))
    # EP application numbers carry a check digit after the dot (01963450.0); DOCDB leaves it off.
    number = written.split(".")[0] if written else None
    return Application(country="EP", number=number, date=date_or_none(sdobi.findtext("B200/B220/date")))


def _priorities(b300: etree._Element | None) -> list[Priority]:
    """B300 holds (B310 number, B320 date, B330 country) triples in order."""
    if b300 is None:
        return []
    out: list[Priority] = []
    for el in b300:
        if el.tag == "B310":
            out.append(Priority(country=None, number=normalise_space(el.text), date=None))
        elif el.tag == "B320" and out:
            out[-1].date = date_or_none(el.findtext("date"))
        elif el.tag == "B330" and out:
            out[-1].country = normalise_country(el.findtext("ctry"))
    return out


def _related(sdobi: etree._Element) -> list[Related]:
    out: list[Related] = []
    # B620 / B620EP: pdoc is the application this one was divided from, cdoc one divided from it.
    for parent in sdobi.iterfind("B600/*/parent"):
        for doc in parent:
            number = normalise_space(doc.findtext("dnum/anum")) or normalise_space(doc.findtext("dnum/pnum"))
            if number and doc.tag in ("pdoc", "cdoc"):
                date = date_or_none(doc.findtext("date"))
                role = "parent" if doc.tag == "pdoc" else "child"
                out.append(Related("division", "EP", number.split(".")[0], date, role=role))
    pct_app = normalise_space(sdobi.findtext("B800/B860/B861/dnum/anum"))
    if pct_app:
        date = date_or_none(sdobi.findtext("B800/B860/B861/date"))
        out.append(Related("pct-application", normalise_country(pct_app[:2]), pct_app[2:], date))
    pct_pub = normalise_space(sdobi.findtext("B800/B870/B871/dnum/pnum"))
    if pct_pub:
        date = date_or_none(sdobi.findtext("B800/B870/B871/date"))
        out.append(Related("pct-publication", normalise_country(pct_pub[:2]), pct_pub[2:], date))
    return out


def _titles(sdobi: etree._Element) -> list[Text]:
    """B540: pairs of B541 language and B542 title."""
    out: list[Text] = []
    lang: str | None = None
    for el in sdobi.iterfind("B500/B540/*"):
        if el.tag == "B541":
            lang = normalise_space(el.text)
        elif el.tag == "B542":
            title = plain_text(el)
            if title:
                out.append(Text(kind="title", text=title, lang=lang.lower() if lang else None))
    return english_first(out)


def _parties(b700: etree._Element | None) -> list[Party]:
    """Applicants (B711), proprietors (B731, as applicants), inventors (B721), agents (B741), as written."""
    if b700 is None:
        return []
    inventors = {name_key(normalise_space(el.findtext("snm")) or "") for el in b700.iterfind("B720/B721")}
    out: list[Party] = []
    for group, item, role, kind in _PARTY_TAGS:
        for i, el in enumerate(b700.iterfind(f"{group}/{item}"), 1):
            name = normalise_space(el.findtext("snm"))
            if not name:
                continue
            # Applicants and agents are kept as written; an applicant who is also an inventor is a person.
            person = role == "inventor" or (role == "applicant" and name_key(name) in inventors)
            country = el.findtext("adr/ctry")
            city = normalise_space(el.findtext("adr/city"))
            reorder = role == "inventor"
            out.append(
                make_party(
                    role, name, i, person=person, reorder=reorder, country=country, city=city, kind=kind
                )
            )
    return dedupe_parties(out)


def _classes(b500: etree._Element | None) -> list[Classification]:
    """IPC (B510: B511 main, B512 further; B510EP: IPCR text) and CPC (B520EP)."""
    if b500 is None:
        return []
    classes: list[Classification] = []
    for el in b500.iterfind("B510/*"):
        if el.tag in ("B511", "B512", "B513", "B514"):
            c = classification_from_text(el.text, "IPC", len(classes) + 1, first=el.tag == "B511")
            if c:
                classes.append(c)
    for el in b500.iterfind("B510EP/classification-ipcr"):
        c = classification_from_text(el.findtext("text"), "IPC", len(classes) + 1)
        if c:
            classes.append(c)
    for el in b500.iter("classification-cpc"):
        c = classification_from_text(el.findtext("text"), "CPC", len(classes) + 1)
        if c:
            classes.append(c)
    return finish_classes(classes)


# -- texts -----------------------------------------------------------------------------------


def _abstracts(root: etree._Element) -> list[Text]:
    out: list[Text] = []
    for el in root.findall("abstract"):
        paragraphs = [t for t in (plain_text(p) for p in el) if t]
        if paragraphs:
            out.append(Text(kind="abstract", text="\n".join(paragraphs), lang=el.get("lang")))
    return english_first(out)


def _description(root: etree._Element) -> list[Text]:
    out: list[Text] = []
    for el in root.findall("description"):
        paragraphs = [t for t in (plain_text(p) for p in el) if t]
        if paragraphs:
            out.append(Text(kind="description", text="\n".join(paragraphs), lang=el.get("lang")))
    return out


def _claims(root: etree._Element, proceedings: str | None) -> tuple[list[Text], int | None]:
    """One Text per claims language; the count is that of the language of the proceedings."""
    texts: list[Text] = []
    count: int | None = None
    first_count: int | None = None
    for el in root.findall("claims"):
        claims = [t for t in (plain_text(c) for c in el.findall("claim")) if t]
        if not claims:
            continue
        lang = el.get("lang")
        texts.append(Text(kind="claims", text="\n\n".join(claims), lang=lang))
        if first_count is None:
            first_count = len(claims)
        if count is None and lang and lang == proceedings:
            count = len(claims)
    return texts, count if count is not None else first_count


# -- citations -------------------------------------------------------------------------------


def _citations(root: etree._Element, sdobi: etree._Element) -> list[Citation]:
    """Examiner citations (B560, search report) then the applicant's (references in the description)."""
    out: list[Citation] = []
    for el in sdobi.iterfind("B500/B560/*"):
        if el.tag == "B561":
            out.append(_b561(el, len(out) + 1))
        elif el.tag == "B562":
            npl = plain_text(el)
            if npl:
                out.append(Citation(sequence=len(out) + 1, npl=npl, cited_by="examiner"))
    for cit in root.iterfind("search-report-data//srep-citations/citation"):
        category = _srep_category(cit)
        patcit = cit.find("patcit")
        nplcit = cit.find("nplcit")
        if patcit is not None:
            out.append(_patcit(patcit, len(out) + 1, "examiner", category))
        elif nplcit is not None:
            out.append(Citation(len(out) + 1, npl=npl_text(nplcit), cited_by="examiner", category=category))
    for ref_list in root.findall("ep-reference-list"):
        for el in ref_list.iter("patcit", "nplcit"):
            if el.tag == "patcit":
                out.append(_patcit(el, len(out) + 1, "applicant", None))
            else:
                out.append(Citation(sequence=len(out) + 1, npl=npl_text(el), cited_by="applicant"))
    return out


def _b561(el: etree._Element, seq: int) -> Citation:
    patcit = el.find("patcit")
    if patcit is not None:
        return _patcit(patcit, seq, "examiner", None)
    written = plain_text(el) or ""
    m = _B561_RE.match(written)
    if not m:
        return Citation(sequence=seq, npl=written or None, cited_by="examiner")
    country, kind, number = m.groups()
    return patent_citation(seq, country, re.sub(r"[\s/]", "", number), kind, cited_by="examiner")


def _patcit(patcit: etree._Element, seq: int, cited_by: str, category: str | None) -> Citation:
    did = patcit.find("document-id")
    if did is None:
        return Citation(sequence=seq, npl=plain_text(patcit), cited_by=cited_by, category=category)
    return patent_citation(
        seq,
        did.findtext("country"),
        did.findtext("doc-number"),
        did.findtext("kind"),
        did.findtext("date"),
        cited_by=cited_by,
        category=category,
        # dnum-type "L": the number of a cited application, not of a publication
        is_application=(patcit.get("dnum-type") or "").upper() == "L",
    )


def _srep_category(citation: etree._Element) -> str | None:
    direct = [c for c in (normalise_space(el.text) for el in citation.findall("category")) if c]
    if direct:
        return "".join(direct)
    nested: list[str] = []
    for el in citation.iter("category"):
        value = normalise_space(el.text)
        if value and value not in nested:
            nested.append(value)
    return "".join(nested) or None
