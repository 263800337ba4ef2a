"""WIPO ST.96 patent publications (``pat:PatentPublication``), read by local names whatever the prefixes.

ST.96's design, trademark and geographical-indication documents (``dgn:``, ``tmk:``, ``gin:``) are not patent
publications: the reader does not claim them, and reading one anyway yields nothing rather than a rejection.
"""

from __future__ import annotations

from lxml import etree

from patscape.normalise import normalise_date, normalise_pub_key, to_int
from patscape.record import Application, Classification, Party, Priority, Publication, Role, SourceRef, Text
from patscape.sources import st96
from patscape.sources.base import XmlReader
from patscape.sources.docnum import doc_type
from patscape.sources.rootsniff import root_local_name
from patscape.sources.xmlsafe import local
from patscape.sources.xmltext import attr, lang_of

PATENT_NS = b"http://www.wipo.int/standards/XMLSchema/ST96/Patent"
_NOT_PATENTS = ("Design", "Trademark", "GI", "Copyright", "Madrid", "Hague")
_PARTY_BAGS: tuple[tuple[str, tuple[str, ...], Role], ...] = (
    ("ApplicantBag", ("Applicant",), "applicant"),
    ("InventorBag", ("Inventor",), "inventor"),
    ("AssigneeBag", ("Assignee",), "assignee"),
    ("RegisteredPractitionerBag", ("RegisteredPractitioner",), "agent"),
    ("ExaminerBag", ("PrimaryExaminer", "AssistantExaminer"), "examiner"),
)


def _classes(biblio: etree._Element | None) -> list[Classification]:
    bag = st96.kid(biblio, "PatentClassificationBag")
    out: list[Classification] = []
    ipcr = st96.kids(st96.kid(bag, "IPCRClassificationBag"), "IPCRClassification")
    for position, el in enumerate(ipcr, start=1):
        found = st96.classification(el, "IPC", st96.sequence_of(el, position), first=False)
        if found is not None:
            out.append(found)
    cpc_bag = st96.kid(bag, "CPCClassificationBag")
    seen: set[str] = set()
    for group, first in (("MainCPC", True), ("FurtherCPC", False)):
        holder = st96.kid(cpc_bag, group)
        # combination sets (CPCCombinationSet/CPCCombinationRank) name symbols too, some of them again
        for el in holder.iter() if holder is not None else ():
            if local(el.tag) == "CPCClassification":
                found = st96.classification(el, "CPC", len(seen) + 1, first=first)
                if found is not None and found.code not in seen:
                    seen.add(found.code)
                    out.append(found)
    return out


def _parties(biblio: etree._Element | None, lang: str | None) -> list[Party]:
    bags = st96.kid(biblio, "PartyBag")
    out: list[Party] = []
    for bag, elements, role in _PARTY_BAGS:
        for position, el in enumerate(st96.kids(st96.kid(bags, bag), *elements), start=1):
            kind = st96.kid_text(el, "ApplicantCategory", "RegisteredPractitionerCategory")
            if role == "examiner":
                kind = "primary" if local(el.tag) == "PrimaryExaminer" else "assistant"
            found = st96.party(el, role, st96.sequence_of(el, position), lang_of(el) or lang, kind)
            if found is not None:
                out.append(found)
    return out


def _texts(root: etree._Element, biblio: etree._Element | None, lang: str | None) -> tuple[list[Text], int]:
    texts: list[Text] = []
    for el in st96.kids(st96.kid(biblio, "InventionTitleBag"), "InventionTitle"):
        title = "".join(el.itertext()).strip()
        if title:
            texts.append(Text("title", title, lang_of(el) or lang))
    for el in st96.kids(root, "Abstract"):
        texts.append(Text("abstract", st96.paragraphs(el), lang_of(el) or lang))
    count = 0
    for el in st96.kids(root, "Claims"):
        text, found = st96.claims(el)
        texts.append(Text("claims", text, lang_of(el) or lang))
        count = count or found
    for el in st96.kids(root, "Description"):
        texts.append(Text("description", st96.paragraphs(el), lang_of(el) or lang))
    return [t for t in texts if t.text], count


def build(root: etree._Element, ref: SourceRef) -> Publication:
    biblio = st96.kid(root, "BibliographicData")
    pub = st96.doc_id(st96.kid(biblio, "PatentPublicationIdentification"))
    country = pub.country or st96.kid_text(root, "IPOfficeCode")
    if not country or not pub.number:
        raise ValueError("no publication number")
    pub_key = normalise_pub_key(pub.number, country=country, kind=pub.kind)
    published = normalise_date(pub.date or attr(root, "documentPublicationDate"))
    app_el = st96.kid(biblio, "ApplicationIdentification")
    app = st96.doc_id(app_el)
    category = st96.kid_text(app_el, "InventionSubjectMatterCategory")
    dtype = doc_type(pub.kind)
    lang = lang_of(root)
    texts, counted = _texts(root, biblio, lang)
    figures = st96.kid(biblio, "FigureBag")
    return Publication.from_key(
        pub_key,
        ref,
        published=published,
        granted=published if dtype == "grant" else None,
        doc_type=dtype,
        application=Application(
            country=app.country or country,
            number=app.number,
            date=normalise_date(app.date),
            type=category.lower() if category else None,
        ),
        priorities=[
            Priority(ident.country, ident.number, normalise_date(ident.date), kind.lower() if kind else None)
            for el in st96.kids(st96.kid(biblio, "PriorityClaimBag"), "PriorityClaim")
            for ident, kind in [(st96.doc_id(el), st96.kid_text(el, "ApplicationFilingCategory"))]
        ],
        related=st96.related(st96.kid(biblio, "RelatedDocumentBag")),
        texts=texts,
        claim_count=to_int(st96.kid_text(biblio, "ClaimTotalQuantity")) or counted or None,
        figure_count=to_int(st96.kid_text(figures, "FigureTotalQuantity")),
        sheet_count=to_int(st96.kid_text(figures, "DrawingSheetTotalQuantity")),
        parties=_parties(biblio, lang),
        classes=_classes(biblio),
        citations=st96.citations(st96.kid(biblio, "ReferenceCitationBag")),
        version=normalise_date(attr(root, "creationDate")),
    )


class WipoSt96Reader(XmlReader):
    name = "wipo-st96"
    version = "1"
    description = "WIPO ST.96 patent publication XML (pat:PatentPublication)"
    example = "PatentPublication_Example.xml"
    biblio = ("BibliographicData",)

    def sniff(self, head: bytes) -> bool:
        return root_local_name(head) == b"PatentPublication" and PATENT_NS in head

    def parse(self, root: etree._Element, ref: SourceRef) -> Publication | None:
        tag = local(root.tag)
        if tag == "PatentPublication":
            return build(root, ref)
        if tag.startswith(_NOT_PATENTS):  # ST.96 design / trademark / GI documents: out of scope
            return None
        raise ValueError(f"not an ST.96 patent publication: <{tag}>")
