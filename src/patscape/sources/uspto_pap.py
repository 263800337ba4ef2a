"""USPTO pre-grant application publication XML v1.5 / v1.6 (``patent-application-publication``, 2001-2004).

One document holds ``subdoc-bibliographic-information`` (number, filing, priorities, classes, title,
continuity data, inventors, assignee, correspondence address) and the ``subdoc-abstract``,
``subdoc-description``, ``subdoc-claims`` and ``subdoc-drawings`` parts. Some early files carry a
wrong XHTML DOCTYPE and no XML declaration; the content is the same format.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from patscape.normalise import date_or_none, normalise_date, normalise_pub_key
from patscape.record import (
    Application,
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
from patscape.sources.uspto_values import ipc_code, related_document
from patscape.sources.xmltext import plain_text

__all__ = ["PapReader"]

# continuity-data elements -> relation, named as in the ICE formats (``continuations`` wraps the first two).
_RELATIONS = {
    "continuation-of": "continuation",
    "continuation-in-part-of": "continuation-in-part",
    "division-of": "division",
    "a-371-of-international": "371-of-international",
    "non-provisional-of-provisional": "us-provisional-application",
    "reissue-of": "reissue",
    "substitution-of": "substitution",
}
_FRONT_PAGE_IMAGE = "D00000"  # v1.6 adds the front-page drawing to the drawing sheets


class PapReader(XmlReader):
    name: ClassVar[str] = "uspto-pap"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "USPTO application publication XML v1.5/v1.6 (patent-application-publication), 2001-2004"
    )
    example: ClassVar[str] = "pa010315.xml"
    root_tags: ClassVar[tuple[bytes, ...]] = (b"patent-application-publication",)
    biblio: ClassVar[tuple[str, ...]] = ("subdoc-bibliographic-information",)

    def parse(self, root: etree._Element, ref: SourceRef) -> Publication:
        if root.tag != "patent-application-publication":
            raise ValueError(f"not a patent-application-publication: root <{root.tag}>")
        bib = root.find("subdoc-bibliographic-information")
        if bib is None:
            raise ValueError("missing <subdoc-bibliographic-information>")
        doc_id = bib.find("document-id")
        number = plain_text(None if doc_id is None else doc_id.find("doc-number"))
        if doc_id is None or not number:
            raise ValueError("missing <document-id>/<doc-number>")
        country = normalise_country(plain_text(doc_id.find("country-code"))) or "US"
        kind = plain_text(doc_id.find("kind-code"))
        key = normalise_pub_key(number, country=country, kind=kind)
        pub = Publication.from_key(
            key,
            ref,
            published=normalise_date(plain_text(doc_id.find("document-date"))),
            doc_type="application",
        )
        pub.application = _application(bib)
        pub.priorities = [_priority(el) for el in bib.iterfind("foreign-priority-data")]
        tech = bib.find("technical-information")
        if tech is not None:
            pub.classes = _ipc_classes(tech.find("classification-ipc")) + _us_classes(
                tech.find("classification-us")
            )
            title = plain_text(tech.find("title-of-invention"))
            if title:
                pub.texts.append(Text("title", title, "en"))
        continuity = bib.find("continuity-data")
        if continuity is not None:
            pub.related = _related(continuity)
        pub.parties = _parties(bib)
        _texts(pub, root)
        return pub


# -- bibliography ------------------------------------------------------------------------------


def _application(bib: etree._Element) -> Application:
    filing = bib.find("domestic-filing-data")
    filing_type = (plain_text(bib.find("publication-filing-type")) or "").lower()
    app_type = "plant" if "plant" in filing_type else "utility"  # designs are not published before grant
    if filing is None:
        return Application(country="US", type=app_type)
    return Application(
        country="US",
        number=plain_text(filing.find("application-number/doc-number")),
        date=normalise_date(plain_text(filing.find("filing-date"))),
        type=app_type,
    )


def _priority(el: etree._Element) -> Priority:
    return Priority(
        country=normalise_country(plain_text(el.find("country-code"))),
        number=plain_text(el.find("priority-application-number/doc-number")),
        date=date_or_none(plain_text(el.find("filing-date"))),
    )


def _ipc_classes(el: etree._Element | None) -> list[Classification]:
    if el is None:
        return []
    classes: list[Classification] = []
    for group in el:
        if group.tag not in ("classification-ipc-primary", "classification-ipc-secondary"):
            continue
        for ipc in group.iterfind("ipc"):
            raw = plain_text(ipc)
            if raw:
                first = group.tag == "classification-ipc-primary"
                classes.append(Classification("IPC", ipc_code(raw), len(classes) + 1, first=first))
    return classes


def _us_classes(el: etree._Element | None) -> list[Classification]:
    if el is None:
        return []
    classes: list[Classification] = []
    for group in el:
        if group.tag not in ("classification-us-primary", "classification-us-secondary"):
            continue
        for uspc in group.iterfind("uspc"):
            code = uspc_code(plain_text(uspc.find("class")), plain_text(uspc.find("subclass")))
            if code:
                first = group.tag == "classification-us-primary"
                classes.append(Classification("USPC", code, len(classes) + 1, first=first))
    return classes


def uspc_code(cls: str | None, subclass: str | None) -> str | None:
    """``134`` + ``031000`` -> ``134 31``: the fixed-column form of the grant formats, stripped.

    Class and the subclass's main part are right-justified in three columns each, followed by the
    subclass's decimal or alpha part (``015`` + ``327600`` -> ``153276``, as grants write 15/327.6), so that
    the USPC codes of applications and grants compare equal.
    """
    if not cls:
        return None
    main_class = cls.strip().upper()
    if main_class[:1] == "D" and main_class[1:].isdigit():  # design classes: D, then two columns
        main_class = "D" + (main_class[1:].lstrip("0") or "0").rjust(2)
    else:
        main_class = main_class.lstrip("0") or main_class
    sub = (subclass or "").strip()
    if not sub:
        return main_class
    head, tail = sub[:3], sub[3:]
    head = (head.lstrip("0") or "0") if head.isdigit() else head
    tail = tail.rstrip("0") if tail.isdigit() else tail
    return (main_class.rjust(3) + head.rjust(3) + tail).strip()


def _related(continuity: etree._Element) -> list[Related]:
    related: list[Related] = []
    for el in continuity.iter():
        relation = _RELATIONS.get(el.tag)  # type: ignore[arg-type]
        if relation is None:
            continue
        direct = el.find("document-id")
        if direct is not None:  # provisional: the document itself
            related += _related_doc(relation, direct, "parent")
        for pair in el.iterfind("parent-child"):
            related += _related_doc(relation, pair.find("parent/document-id"), "parent")
            related += _related_doc(relation, pair.find("parent-patent/document-id"), "parent-grant")
    return related


_DOC_TAGS = ("doc-number", "country-code", "document-date", "kind-code")


def _related_doc(relation: str, doc: etree._Element | None, role: str | None) -> list[Related]:
    return related_document(relation, doc, role, _DOC_TAGS)


def _parties(bib: etree._Element) -> list[Party]:
    parties: list[Party] = []
    applicants = 0
    inventors = bib.find("inventors")
    if inventors is not None:
        for el in inventors:
            if el.tag not in ("first-named-inventor", "inventor"):
                continue
            person = _person(el, "inventor", len(parties) - applicants + 1)
            if person is None:
                continue
            parties.append(person)
            authority = plain_text(el.find("authority-applicant"))
            if authority:  # the inventor is also the applicant (INV), as US law then required
                applicants += 1
                kind = "applicant-inventor" if authority.upper() == "INV" else authority.lower()
                person.kind = kind
                parties.append(_copy(person, "applicant", applicants, kind))
    for seq, el in enumerate(bib.iterfind("assignee"), start=1):
        assignee = _person(el, "assignee", seq)
        if assignee is not None:
            parties.append(assignee)
    corr = bib.find("correspondence-address")
    if corr is not None:
        name = plain_text(corr.find("name-1"))
        if name:
            city, state, country = _place(corr.find("address"))
            country = country or ("US" if state else None)  # a US correspondence address gives no country
            parties.append(
                Party(
                    "agent", name, 1, country=country, city=city, state=state, kind="correspondence-address"
                )
            )
    return parties


def _person(el: etree._Element, role: str, seq: int) -> Party | None:
    """An inventor or assignee: organisation-name or a person's name parts, residence or address."""
    organisation = plain_text(el.find("organization-name"))
    given = family = None
    if organisation:
        name = organisation
    else:
        nm = el.find("name")
        if nm is None:
            return None
        given = (
            " ".join(p for p in (plain_text(nm.find("given-name")), plain_text(nm.find("middle-name"))) if p)
            or None
        )
        family = plain_text(nm.find("family-name"))
        name = " ".join(p for p in (given, family, plain_text(nm.find("name-suffix"))) if p)
        if not name:
            return None
    residence = el.find("residence")
    if residence is not None and len(residence):
        place = residence.find("residence-us")
        us = place is not None
        if place is None:
            place = residence.find("residence-non-us")
        city, state, country = _place(place)
        if country is None and us:
            country = "US"
    else:
        city, state, country = _place(el.find("address"))
    return Party(
        role=role,  # type: ignore[arg-type]
        name=name,
        sequence=seq,
        country=country,
        city=city,
        state=state,
        given_name=given,
        family_name=family,
    )


def _place(el: etree._Element | None) -> tuple[str | None, str | None, str | None]:
    if el is None:
        return None, None, None
    code = plain_text(el.find("country-code")) or plain_text(el.find("country/country-code"))
    return plain_text(el.find("city")), plain_text(el.find("state")), normalise_country(code)


def _copy(person: Party, role: str, seq: int, kind: str) -> Party:
    return Party(
        role=role,  # type: ignore[arg-type]
        name=person.name,
        sequence=seq,
        country=person.country,
        city=person.city,
        state=person.state,
        given_name=person.given_name,
        family_name=person.family_name,
        kind=kind,
    )


# -- texts -------------------------------------------------------------------------------------


def _texts(pub: Publication, root: etree._Element) -> None:
    abstract = _paragraphs(root.find("subdoc-abstract"))
    if abstract:
        pub.texts.append(Text("abstract", abstract, "en"))
    claims_el = root.find("subdoc-claims")
    claims = [] if claims_el is None else [t for t in map(plain_text, claims_el.iterfind("claim")) if t]
    if claims:
        pub.texts.append(Text("claims", "\n\n".join(claims), "en"))
        pub.claim_count = len(claims)
    description = _paragraphs(root.find("subdoc-description"))
    if description:
        pub.texts.append(Text("description", description, "en"))
    drawings = root.find("subdoc-drawings")
    if drawings is not None:
        sheets = [
            f for f in drawings.iterfind("figure") if not (f.get("id") or "").endswith(_FRONT_PAGE_IMAGE)
        ]
        pub.sheet_count = len(sheets) or None


def _paragraphs(section: etree._Element | None) -> str | None:
    """Headings and paragraphs, one a line, without the paragraph numbers ([0001])."""
    if section is None:
        return None
    etree.strip_elements(section, "number", with_tail=False)  # the tree is ours and read once
    lines = [plain_text(el) for el in section.iter("heading", "paragraph")]
    return "\n".join(line for line in lines if line) or None
