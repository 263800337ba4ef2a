"""CNIPA (China) patent XML: the ST.36-style ``cn-patent-document`` and the new ``PatentDocumentAndRelated``.

Names are kept exactly as CNIPA writes them (full-width brackets, the agency's code after its name); CNIPA
gives the language of each name (``lang="zh"``) and, in the new format, the party's country code. The old
format gives only a one-line address, from which the country and city are read (``韩国京畿道`` -> KR).
"""

from __future__ import annotations

from lxml import etree

from patscape.normalise import normalise_date, normalise_pub_key
from patscape.record import (
    Application,
    Classification,
    Party,
    Priority,
    Publication,
    Related,
    Role,
    SourceRef,
    Text,
)
from patscape.sources import st96
from patscape.sources.base import XmlReader
from patscape.sources.cjk_address import place_zh
from patscape.sources.docnum import doc_type
from patscape.sources.rootsniff import root_local_name
from patscape.sources.st36 import Index, St36Builder, child_text, unique_parties
from patscape.sources.xmlsafe import local
from patscape.sources.xmltext import attr, lang_of

_APPLICATION_TYPES = {"发明专利": "invention", "实用新型": "utility-model", "外观设计": "design"}
_APPLICATION_TYPE_DIGITS = {"1": "invention", "2": "utility-model", "3": "design"}


def application_type(written: str | None) -> str | None:
    """``发明专利`` (old format) or ``10`` / ``11`` (new: first digit 1 invention, 2 utility model,
    3 design) -> invention, utility-model, design."""
    if not written:
        return None
    s = written.strip()
    return _APPLICATION_TYPES.get(s) or _APPLICATION_TYPE_DIGITS.get(s[:1]) or s


def split_name(name: str) -> tuple[str | None, str | None]:
    """(family, given) of a transliterated foreign name written ``given·family`` (``J-P·索玛迪西``)."""
    if "·" not in name:
        return None, None
    given, _, family = name.rpartition("·")
    return family or None, given or None


def locate(party: Party, address: str | None) -> None:
    """Fill what a one-line Chinese address says and the party does not have yet."""
    place = place_zh(address)
    party.country = party.country or place.country
    if party.country == place.country:
        party.state = party.state or place.state
        party.city = party.city or place.city


class CnipaOldBuilder(St36Builder):
    """``cn-patent-document``: ST.36 with ``cn-`` prefixed elements and hard-wrapped Chinese lines."""

    tag_prefix = "cn-"
    br = ""  # <br/> marks the printed line wraps inside Chinese sentences
    default_country = "CN"
    default_lang = "zh"

    def application_type(self, written: str | None) -> str | None:
        return application_type(written)

    def split_name(self, name: str) -> tuple[str | None, str | None]:
        return split_name(name)

    def locate_text(self, party: Party, text: str | None) -> None:
        locate(party, text)

    def priorities(self, idx: Index) -> list[Priority]:
        """Foreign priorities, then domestic ones (``cn-domestic-priority-claim``)."""
        out = super().priorities(idx)
        for claim in idx.get("domestic-priority-claim", []):
            for doc in claim.iter():
                if local(doc.tag) == "document-id" and child_text(doc, "doc-number"):
                    out.append(
                        Priority(
                            country=child_text(doc, "country") or "CN",
                            number=child_text(doc, "doc-number"),
                            date=normalise_date(child_text(doc, "date")),
                            kind="national",
                        )
                    )
        return out


# -- the new format (2021-): ST.96-style names in CNIPA's own namespaces ----------------------
def _original(elements: list[etree._Element]) -> list[etree._Element]:
    """CNIPA gives references twice, as written ("original") and re-formatted ("standard")."""
    original = [e for e in elements if attr(e, "dataFormat") == "original"]
    return original or elements


def _parties(biblio: etree._Element | None) -> list[Party]:
    parties = st96.kid(biblio, "Parties")
    out: list[Party] = []
    groups: tuple[tuple[str, str, Role], ...] = (
        ("ApplicantDetails", "Applicant", "applicant"),
        ("InventorDetails", "Inventor", "inventor"),
        ("AgentDetails", "Agent", "agent"),
    )
    for group, element, role in groups:
        for position, el in enumerate(st96.kids(st96.kid(parties, group), element), start=1):
            seq = st96.sequence_of(el, position)
            kind = attr(el, "appType") or attr(el, "repType")
            agency = st96.kid(el, "Agency")
            for book in st96.kids(agency, "AddressBook"):
                out += _party(book, role, seq, "agency")
            for book in st96.kids(el, "AddressBook"):
                out += _party(book, role, seq, kind)
    return unique_parties(out)


def _party(book: etree._Element, role: Role, seq: int, kind: str | None) -> list[Party]:
    found = st96.party(book, role, seq, lang_of(book) or "zh", kind)
    if found is None:
        return []
    locate(found, st96.descendant_text(book, ("Text",)))
    if role != "applicant" and kind != "agency":
        found.family_name, found.given_name = split_name(found.name)
    return [found]


def _classes(biblio: etree._Element | None) -> list[Classification]:
    out: list[Classification] = []
    for details, element, scheme in (
        ("ClassificationIPCRDetails", "ClassificationIPCR", "IPC"),
        ("ClassificationCPCDetails", "ClassificationCPC", "CPC"),
    ):
        items = st96.kids(st96.kid(biblio, details), element)
        for position, el in enumerate(items, start=1):
            found = st96.classification(el, scheme, st96.sequence_of(el, position), first=position == 1)
            if found is not None:
                out.append(found)
    return out


def _related(biblio: etree._Element | None) -> list[Related]:
    out = st96.related(st96.kid(biblio, "RelatedDocuments"))
    for name, relation in (
        ("PCTOrRegionalApplicationData", "pct-application"),
        ("PCTOrRegionalPublishingData", "pct-publication"),
    ):
        ident = st96.doc_id(st96.kid(biblio, name))
        if ident.number:
            out.append(Related(relation, ident.country, ident.number, normalise_date(ident.date), ident.kind))
    return out


def _texts(root: etree._Element, biblio: etree._Element | None) -> tuple[list[Text], int | None]:
    texts: list[Text] = []
    for el in st96.kids(biblio, "InventionTitle"):
        title = "".join(el.itertext()).strip()
        if title:
            texts.append(Text("title", title, lang_of(el)))
    for el in st96.kids(root, "Abstract"):
        texts.append(Text("abstract", st96.paragraphs(el, skip=("AbstractFigure",)), lang_of(el)))
    count = None
    for el in st96.kids(root, "Claims"):
        text, found = st96.claims(el)
        texts.append(Text("claims", text, lang_of(el)))
        count = found if count is None else count
    for el in st96.kids(root, "Description"):
        texts.append(Text("description", st96.paragraphs(el, skip=("InventionTitle",)), lang_of(el)))
    return [t for t in texts if t.text], count


def build_new(root: etree._Element, ref: SourceRef) -> Publication:
    biblio = st96.kid(root, "BibliographicData")
    pub_refs = _original(st96.kids(biblio, "PublicationReference"))
    pub = st96.doc_id(pub_refs[0]) if pub_refs else st96.DocId()
    country = pub.country or attr(root, "country")
    number = pub.number or attr(root, "docNumber")
    kind = pub.kind or attr(root, "kind")
    if not country or not number:
        raise ValueError("no publication number")
    pub_key = normalise_pub_key(number, country=country, kind=kind)
    published = normalise_date(pub.date or attr(root, "datePublication"))
    app_refs = _original(st96.kids(biblio, "ApplicationReference"))
    app = st96.doc_id(app_refs[0]) if app_refs else st96.DocId()
    dtype = doc_type(kind)
    texts, counted = _texts(root, biblio)
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
            type=application_type(attr(app_refs[0], "applType")) if app_refs else None,
        ),
        priorities=[
            Priority(ident.country, ident.number, normalise_date(ident.date), attr(el, "kind"))
            for el in _original(st96.kids(st96.kid(biblio, "PriorityDetails"), "Priority"))
            for ident in [st96.doc_id(el)]
        ],
        related=_related(biblio),
        texts=texts,
        claim_count=counted,
        parties=_parties(biblio),
        classes=_classes(biblio),
        citations=st96.citations(biblio),
        version=normalise_date(attr(root, "dateProduced")),
    )


class CnipaReader(XmlReader):
    name = "cnipa"
    version = "1"
    description = "CNIPA patent XML: cn-patent-document (ST.36 style) and business:PatentDocumentAndRelated"
    example = "CN102021001286633CN00001137819740AFULZH20211210CN00G.XML"
    biblio = ("cn-bibliographic-data", "BibliographicData")

    def sniff(self, head: bytes) -> bool:
        root = root_local_name(head)
        if root == b"cn-patent-document":
            return True
        return root == b"PatentDocumentAndRelated" and b"sipo.gov.cn/XMLSchema" in head

    def parse(self, root: etree._Element, ref: SourceRef) -> Publication:
        tag = local(root.tag)
        if tag == "cn-patent-document":
            return CnipaOldBuilder().build(root, ref)
        if tag == "PatentDocumentAndRelated":
            return build_new(root, ref)
        raise ValueError(f"not a CNIPA patent document: <{tag}>")
