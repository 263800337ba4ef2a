"""The children of USPTO ICE ``us-bibliographic-data-grant`` / ``-application``, one handler per tag.

Used by :mod:`patscape.sources.uspto_ice`. Each handler reads one child element into the
:class:`Publication` being built; the v4.0-v4.7 differences (``parties`` vs ``us-parties``,
``references-cited``/``citation`` vs ``us-references-cited``/``us-citation``, ``classification-ipc`` text vs
``classifications-ipcr`` fields) are all met here. The hot paths (citations, parties, classes) read a flat
element's children in one loop rather than one ``findtext`` per field: a design patent can cite hundreds of
references.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from patscape.normalise import class_from_parts, date_or_none, normalise_class, pub_key_or_none, to_int
from patscape.record import (
    Application,
    Citation,
    Classification,
    Party,
    Priority,
    Publication,
    Related,
    Text,
    normalise_country,
)
from patscape.sources.xmltext import plain_text, text_at

Element = etree._Element

_CITED_BY = {
    "cited by examiner": "examiner",
    "cited by applicant": "applicant",
    "cited by other": "other",
    "cited by third party": "third-party",
}
# USPTO's assignee type codes (``<role>``); others (e.g. part-interest ``1X`` forms) are kept as written.
_ASSIGNEE_TYPES = {
    "01": "unassigned",
    "02": "us-company",
    "03": "foreign-company",
    "04": "us-individual",
    "05": "foreign-individual",
    "06": "us-federal-government",
    "07": "foreign-government",
    "08": "us-county-government",
    "09": "us-state-government",
}


# -- small helpers --------------------------------------------------------------------------------


def fields(el: Element | None) -> dict[str, str]:
    """Child tag -> stripped text of a flat element (document-id, classification-ipcr ...) in one pass.

    One loop over the children is much cheaper than a ``findtext`` per field on documents that cite
    hundreds of references.
    """
    out: dict[str, str] = {}
    if el is None:
        return out
    for child in el:
        text = child.text
        if text:
            text = text.strip()
            if text:
                out[child.tag] = text  # type: ignore[index]
    return out


# -- handlers --------------------------------------------------------------------------------

Handler = Callable[[Element, Publication, "str | None"], None]


def _application(el: Element, pub: Publication, lang: str | None) -> None:
    doc = el.find("document-id")
    pub.application = Application(
        country=normalise_country(text_at(doc, "country")),
        number=text_at(doc, "doc-number"),
        date=date_or_none(text_at(doc, "date")),
        type=el.get("appl-type"),
    )


def _title(el: Element, pub: Publication, lang: str | None) -> None:
    text = plain_text(el)
    if text:
        pub.texts.insert(0, Text("title", text, (el.get("lang") or "").lower() or lang))


def _priorities(el: Element, pub: Publication, lang: str | None) -> None:
    for claim in el.iterchildren("priority-claim"):
        pub.priorities.append(
            Priority(
                country=normalise_country(text_at(claim, "country")),
                number=text_at(claim, "doc-number"),
                date=date_or_none(text_at(claim, "date")),
                kind=claim.get("kind"),
            )
        )


def _figures(el: Element, pub: Publication, lang: str | None) -> None:
    pub.figure_count = to_int(el.findtext("number-of-figures"))
    pub.sheet_count = to_int(el.findtext("number-of-drawing-sheets"))


# classifications


def _ipcr(el: Element, pub: Publication, lang: str | None) -> None:
    for c in el.iterchildren("classification-ipcr"):
        f = fields(c)
        _add_class(pub, "IPC", _split_code(f), f.get("symbol-position") == "F", f.get("classification-value"))


def _ipc_text(el: Element, pub: Publication, lang: str | None) -> None:
    """v4.0's ``classification-ipc``: ``A41D013/00`` or the fixed-column ``H01L 31107``."""
    for c in el:
        if c.tag in ("main-classification", "further-classification") and c.text and c.text.strip():
            _add_class(pub, "IPC", normalise_class(c.text), c.tag == "main-classification", None)


def _cpc(el: Element, pub: Publication, lang: str | None) -> None:
    for part in el:
        first = part.tag == "main-cpc"
        for c in part.iter("classification-cpc"):
            f = fields(c)
            _add_class(pub, "CPC", _split_code(f), first, f.get("classification-value"))


def _split_code(f: dict[str, str]) -> str:
    return class_from_parts(
        f.get("section", ""),
        f.get("class", ""),
        f.get("subclass", ""),
        f.get("main-group", ""),
        f.get("subgroup", ""),
    )


def _national(el: Element, pub: Publication, lang: str | None) -> None:
    if (text_at(el, "country") or "US") != "US":
        return
    for c in el:
        if c.tag in ("main-classification", "further-classification") and c.text and c.text.strip():
            _add_class(pub, "USPC", c.text.strip(), c.tag == "main-classification", None)


def _locarno(el: Element, pub: Publication, lang: str | None) -> None:
    code = text_at(el, "main-classification")
    if code:
        if len(code) == 4 and code.isdigit():
            code = f"{code[:2]}-{code[2:]}"  # 0101 -> 01-01, the notation of the Locarno classification
        _add_class(pub, "LOCARNO", code, True, None)


def _add_class(pub: Publication, scheme: str, code: str, first: bool, value: str | None) -> None:
    # I: invention information; A (CPC additional) and N (IPC non-invention information): not inventive
    inventive = True if value == "I" else False if value in ("A", "N") else None
    pub.classes.append(Classification(scheme, code, len(pub.classes) + 1, first, inventive))  # type: ignore[arg-type]


def dedupe_classes(classes: list[Classification]) -> list[Classification]:
    """One row per scheme and code (CPC combination sets repeat symbols); sequence is renumbered."""
    seen: set[tuple[str, str]] = set()
    out: list[Classification] = []
    for c in classes:
        if (c.scheme, c.code) in seen:
            continue
        seen.add((c.scheme, c.code))
        c.sequence = len(out) + 1
        out.append(c)
    return out


# citations


def _citations(el: Element, pub: Publication, lang: str | None) -> None:
    citations = pub.citations
    for cit in el:
        if cit.tag != "citation" and cit.tag != "us-citation":
            continue
        patcit = npl = None
        cited_by = None
        for part in cit:
            tag = part.tag
            if tag == "patcit":
                patcit = part
            elif tag == "nplcit":
                npl = part
            elif tag == "category" and part.text:
                cited_by = _CITED_BY.get(part.text.strip().lower())
        if patcit is not None:
            f = fields(patcit.find("document-id"))
            country, number, kind = f.get("country"), f.get("doc-number"), f.get("kind")
            citations.append(
                Citation(
                    sequence=len(citations) + 1,
                    cited_key=pub_key_or_none(number, country, kind),
                    country=normalise_country(country) or country,
                    number=number,
                    kind=kind,
                    date=date_or_none(f.get("date")),
                    cited_by=cited_by,
                )
            )
        elif npl is not None:
            text = plain_text(npl)
            if text:
                citations.append(Citation(sequence=len(citations) + 1, npl=text, cited_by=cited_by))


# related documents


def _related(el: Element, pub: Publication, lang: str | None) -> None:
    for rel in el:
        relation = rel.tag
        if not isinstance(relation, str):
            continue
        relations = rel.findall("relation")
        if not relations:
            for doc in rel.iter("document-id"):
                _add_related(pub, relation, doc, None)
            continue
        for r in relations:
            parent = r.find("parent-doc")
            if parent is not None:
                _parent(pub, relation, parent)
            child = r.find("child-doc/document-id")
            if child is not None:
                _add_related(pub, relation, child, "child")


def _parent(pub: Publication, relation: str, parent: Element) -> None:
    """A parent application, the patent granted on it, its PCT application and its own parents."""
    for part in parent:
        tag = part.tag
        if tag == "document-id":
            _add_related(pub, relation, part, "parent")
        elif tag == "parent-grant-document":
            _add_related(pub, relation, part.find("document-id"), "parent-grant")
        elif tag == "parent-pct-document":
            _add_related(pub, relation, part.find("document-id"), "parent-pct")
        elif tag == "parent-doc":
            _parent(pub, relation, part)


def _add_related(pub: Publication, relation: str, doc: Element | None, role: str | None) -> None:
    number = text_at(doc, "doc-number")
    if number is None:
        return
    pub.related.append(
        Related(
            relation=relation,
            country=normalise_country(text_at(doc, "country")),
            number=number,
            date=date_or_none(text_at(doc, "date")),
            kind=text_at(doc, "kind"),
            role=role,
        )
    )


def _pct(relation: str) -> Handler:
    def handler(el: Element, pub: Publication, lang: str | None) -> None:
        _add_related(pub, relation, el.find("document-id"), None)

    return handler


# parties


def _parties(el: Element, pub: Publication, lang: str | None) -> None:
    """``parties`` (v4.0-v4.2) or ``us-parties`` (v4.3+).

    Up to v4.2 the inventors are the applicants of type ``applicant-inventor`` (a separate ``inventors``
    list names only those who are not applicants); from v4.3 ``inventors`` lists them all, and an
    ``applicant-inventor`` is made an inventor only when that list is missing.
    """
    derive_inventors = el.tag == "parties" or el.find("inventors") is None
    for group in el:
        tag = group.tag
        if tag == "applicants" or tag == "us-applicants":
            for i, a in enumerate(group, 1):
                kind = a.get("applicant-authority-category") or a.get("app-type")
                party = _party(a, "applicant", i, kind)
                if party is None:
                    continue
                pub.parties.append(party)
                if derive_inventors and a.get("app-type") == "applicant-inventor":
                    pub.parties.append(_party(a, "inventor", i, "applicant-inventor"))  # type: ignore[arg-type]
        elif tag == "inventors":
            _add_parties(pub, group, "inventor", None)
        elif tag == "assignees":  # bibliographic-level in the DTDs met so far; accepted here too
            _assignees(group, pub, lang)
        elif tag == "agents":
            for i, a in enumerate(group, 1):
                party = _party(a, "agent", i, a.get("rep-type"))
                if party is not None:
                    pub.parties.append(party)


def _assignees(el: Element, pub: Publication, lang: str | None) -> None:
    for i, a in enumerate(el, 1):
        if a.tag != "assignee":
            continue
        role = text_at(a, "addressbook/role") or text_at(a, "role")
        party = _party(a, "assignee", i, _ASSIGNEE_TYPES.get(role or "", role))
        if party is not None:
            pub.parties.append(party)


def _examiners(el: Element, pub: Publication, lang: str | None) -> None:
    for i, e in enumerate(el, 1):
        tag = e.tag
        if isinstance(tag, str) and tag.endswith("-examiner"):
            party = _party(e, "examiner", i, tag[: -len("-examiner")])
            if party is not None:
                pub.parties.append(party)


def _add_parties(pub: Publication, group: Element, role: str, kind: str | None) -> None:
    for i, p in enumerate(group, 1):
        if isinstance(p.tag, str):
            party = _party(p, role, i, kind)
            if party is not None:
                pub.parties.append(party)


def _party(el: Element, role: str, index: int, kind: str | None) -> Party | None:
    book = el.find("addressbook")
    if book is None:
        book = el  # examiners, and the assignees of some v4.0-v4.2 documents, have no addressbook
    f = fields(book)
    address = book.find("address")
    where = fields(address) if address is not None else f
    org = f.get("orgname")
    last = f.get("last-name")
    given = " ".join(x for x in (f.get("first-name"), f.get("middle-name")) if x) or None
    name = org or " ".join(x for x in (given, last) if x) or f.get("name")
    if not name:
        return None
    country = normalise_country(where.get("country")) or normalise_country(text_at(el, "residence/country"))
    sequence = to_int(el.get("sequence"))
    return Party(
        role=role,  # type: ignore[arg-type]
        name=name,
        sequence=index if sequence is None else sequence,
        country=country,
        city=where.get("city"),
        state=where.get("state"),
        given_name=None if org else given,
        family_name=None if org else last,
        kind=kind,
    )


BIB_HANDLERS: dict[str, Handler] = {
    "application-reference": _application,
    "invention-title": _title,
    "priority-claims": _priorities,
    "figures": _figures,
    "classifications-ipcr": _ipcr,
    "classification-ipc": _ipc_text,
    "classifications-cpc": _cpc,
    "classification-national": _national,
    "classification-locarno": _locarno,
    "references-cited": _citations,
    "us-references-cited": _citations,
    "us-related-documents": _related,
    "pct-or-regional-filing-data": _pct("pct-filing"),
    "pct-or-regional-publishing-data": _pct("pct-publication"),
    "parties": _parties,
    "us-parties": _parties,
    "assignees": _assignees,
    "examiners": _examiners,
}
