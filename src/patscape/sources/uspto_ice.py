"""USPTO ICE XML: ``us-patent-grant`` v4.0-v4.7, ``us-patent-application`` v4.0-v4.6, ``sequence-cwu``.

One reader covers the full-text weekly files (``ipgYYMMDD.xml``, ``ipaYYMMDD.xml``), the bibliographic-only
ones (``ipgb``/``ipab``: the same root elements without description and claims) and the ``sequence-cwu``
documents that weekly grant files carry next to the patent they belong to (yielded as an
:class:`Attachment`, never as a publication).

The DTD versions differ only in where things sit, so the extraction is one pass over the children of the
bibliographic element with a handler per tag: ``parties``/``applicants``/``applicant`` (v4.0-v4.2) or
``us-parties``/``us-applicants``/``us-applicant`` + ``inventors`` (v4.3+), ``references-cited``/``citation`` or
``us-references-cited``/``us-citation``, ``classification-ipc`` (v4.0) or ``classifications-ipcr``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from lxml import etree

from patscape.record import (
    Application,
    Attachment,
    Citation,
    Classification,
    Party,
    Priority,
    Publication,
    Related,
    SourceRef,
    Text,
    class_from_parts,
    normalise_class,
    normalise_country,
    normalise_date,
    normalise_pub_key,
)
from patscape.sources.base import XmlReader

Element = etree._Element

_ROOT_RE = re.compile(rb"<(us-patent-grant|us-patent-application|sequence-cwu)[\s>/]")
# The pre-2005 USPTO formats, read by another reader: a file of theirs is never ours.
_OLDER_RE = re.compile(rb"<(PATDOC|patent-application-publication)[\s>]")

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
_GRANT_TYPES = {"design": "design", "plant": "plant", "reissue": "reissue", "sir": "sir"}
_KIND_TYPES = {"S": "design", "P": "plant", "E": "reissue", "H": "sir"}


class UsptoIceReader(XmlReader):
    name = "uspto-ice"
    version = "1"
    description = (
        "USPTO ICE XML 2005-: us-patent-grant v4.0-v4.7 and us-patent-application v4.0-v4.6 "
        "(full text and bibliographic), with their sequence listings"
    )
    example = "ipg230103.xml"
    root_tags = (b"us-patent-grant", b"us-patent-application", b"sequence-cwu")

    def sniff(self, head: bytes) -> bool:
        m = _ROOT_RE.search(head)
        if m is None:
            return False
        older = _OLDER_RE.search(head, 0, m.start())
        return older is None

    def parse(self, root: Element, ref: SourceRef) -> Publication | Attachment:
        tag = root.tag
        if tag == "us-patent-grant" or tag == "us-patent-application":
            return read_publication(root, ref)
        if tag == "sequence-cwu":
            return read_sequence_listing(root, ref)
        raise ValueError(f"not a USPTO ICE document: root element <{tag}>")


# -- small helpers ------------------------------------------------------------------------------


def _t(el: Element | None, path: str) -> str | None:
    """Stripped text at ``path`` below ``el``; None when absent or empty."""
    if el is None:
        return None
    value = el.findtext(path)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _fields(el: Element | None) -> dict[str, str]:
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


def _flat(el: Element) -> str:
    """All text of an element with runs of whitespace collapsed (some USPTO files are pretty-printed)."""
    text: str = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text.strip()


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() else None


def _date(value: str | None, strict: bool = False) -> str | None:
    """``YYYYMMDD`` (``00`` for an unknown day or month) -> ISO, as :func:`normalise_date` does, faster.

    A malformed secondary date (``strict=False``) is dropped rather than failing the whole document.
    """
    if not value:
        return None
    s = value.strip()
    try:
        if len(s) == 8 and s.isdigit() and s[:2] in ("18", "19", "20"):
            return dt.date(int(s[:4]), int(s[4:6]) or 1, int(s[6:]) or 1).isoformat()
        return normalise_date(s)
    except ValueError:
        if strict:
            raise ValueError(f"not a date: {value!r}") from None
        return None


def pub_key(country: str | None, number: str, kind: str | None) -> str:
    """USPTO's ``doc-number`` (``07521043``, ``D0656296``, ``RE041234``, ``PP017234``) -> ``US-7521043-B2``.

    The country is prefixed here rather than passed to :func:`normalise_pub_key`, which would read the
    ``RE``/``PP`` series prefixes of reissues and plants as a country code.
    """
    cc = (country or "US").strip().upper()
    num = number.strip()
    if cc == "US" and num.isdigit() and len(num) <= 8 and kind and kind.isalnum():
        return f"US-{num.lstrip('0') or num}-{kind.upper()}"  # the common case, without the regexes
    raw = num if num[:2].upper() == cc and not num[2:3].isalpha() else cc + num
    return normalise_pub_key(raw, kind=kind)


def _cited_key(country: str | None, number: str | None, kind: str | None) -> str | None:
    if not country or not number:
        return None
    try:
        return pub_key(country, number, kind)
    except ValueError:
        return None


def _doc_type(is_grant: bool, appl_type: str | None, kind: str | None) -> str:
    if not is_grant:
        return "application"
    by_type = _GRANT_TYPES.get((appl_type or "").lower())
    if by_type:
        return by_type
    return _KIND_TYPES.get((kind or "")[:1], "grant")


# -- the publication ----------------------------------------------------------------------------


def read_publication(root: Element, ref: SourceRef) -> Publication:
    is_grant = root.tag == "us-patent-grant"
    bib = root.find("us-bibliographic-data-grant" if is_grant else "us-bibliographic-data-application")
    if bib is None:
        raise ValueError(f"<{root.tag}> without its bibliographic data element")
    doc_id = bib.find("publication-reference/document-id")
    number = _t(doc_id, "doc-number")
    if number is None:
        raise ValueError("no publication-reference/document-id/doc-number")
    country = _t(doc_id, "country") or "US"
    kind = _t(doc_id, "kind")
    key = pub_key(country, number, kind)
    published = _date(_t(doc_id, "date") or root.get("date-publ"), strict=True)
    lang = (root.get("lang") or "").lower() or None
    produced = root.get("date-produced")
    pub = Publication(
        pub_key=key,
        country=key.split("-", 1)[0],
        number=key.split("-")[1],
        kind=kind,
        source=ref,
        published=published,
        granted=published if is_grant else None,
        version=_date(produced) if produced else None,
    )
    number_of_claims: int | None = None
    for child in bib:
        tag = child.tag
        if tag == "number-of-claims":
            number_of_claims = _int(child.text)
            continue
        handler = _BIB_HANDLERS.get(tag)  # type: ignore[arg-type]
        if handler is not None:
            handler(child, pub, lang)
    pub.doc_type = _doc_type(is_grant, pub.application.type, kind)
    pub.classes = _dedupe(pub.classes)
    _read_texts(root, pub, lang)
    if pub.claim_count is None:
        pub.claim_count = number_of_claims
    return pub


def _read_texts(root: Element, pub: Publication, lang: str | None) -> None:
    abstract = root.find("abstract")
    if abstract is not None:
        text = _paragraphs(abstract)
        if text:
            pub.texts.append(Text("abstract", text, (abstract.get("lang") or "").lower() or lang))
    claims = root.find("claims")
    if claims is not None:
        found = claims.findall("claim")
        if found:
            pub.claim_count = len(found)
            joined = "\n\n".join(t for t in (_flat(c) for c in found) if t)
            pub.texts.append(Text("claims", joined, (claims.get("lang") or "").lower() or lang))
    description = root.find("description")
    if description is not None:
        text = _paragraphs(description)
        if text:
            pub.texts.append(Text("description", text, (description.get("lang") or "").lower() or lang))


def _paragraphs(el: Element) -> str:
    """Headings and paragraphs, one per line; sections (description-of-drawings ...) are walked into."""
    lines: list[str] = []

    def walk(node: Element) -> None:
        for child in node:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag != "p" and tag != "heading" and len(child):
                walk(child)
                continue
            line = _flat(child)
            if line:
                lines.append(line)

    walk(el)
    if not lines:
        return _flat(el)
    return "\n".join(lines)


# -- handlers of the children of us-bibliographic-data-* -----------------------------------------

Handler = Callable[[Element, Publication, "str | None"], None]


def _application(el: Element, pub: Publication, lang: str | None) -> None:
    doc = el.find("document-id")
    pub.application = Application(
        country=normalise_country(_t(doc, "country")),
        number=_t(doc, "doc-number"),
        date=_date(_t(doc, "date")),
        type=el.get("appl-type"),
    )


def _title(el: Element, pub: Publication, lang: str | None) -> None:
    text = _flat(el)
    if text:
        pub.texts.insert(0, Text("title", text, (el.get("lang") or "").lower() or lang))


def _priorities(el: Element, pub: Publication, lang: str | None) -> None:
    for claim in el.iterchildren("priority-claim"):
        pub.priorities.append(
            Priority(
                country=normalise_country(_t(claim, "country")),
                number=_t(claim, "doc-number"),
                date=_date(_t(claim, "date")),
                kind=claim.get("kind"),
            )
        )


def _figures(el: Element, pub: Publication, lang: str | None) -> None:
    pub.figure_count = _int(el.findtext("number-of-figures"))
    pub.sheet_count = _int(el.findtext("number-of-drawing-sheets"))


# classifications


def _ipcr(el: Element, pub: Publication, lang: str | None) -> None:
    for c in el.iterchildren("classification-ipcr"):
        f = _fields(c)
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
            f = _fields(c)
            _add_class(pub, "CPC", _split_code(f), first, f.get("classification-value"))


def _split_code(f: dict[str, str]) -> str:
    return class_from_parts(
        f.get("section", ""), f.get("class", ""), f.get("subclass", ""), f.get("main-group", ""),
        f.get("subgroup", ""),
    )


def _national(el: Element, pub: Publication, lang: str | None) -> None:
    if (_t(el, "country") or "US") != "US":
        return
    for c in el:
        if c.tag in ("main-classification", "further-classification") and c.text and c.text.strip():
            _add_class(pub, "USPC", c.text.strip(), c.tag == "main-classification", None)


def _locarno(el: Element, pub: Publication, lang: str | None) -> None:
    code = _t(el, "main-classification")
    if code:
        if len(code) == 4 and code.isdigit():
            code = f"{code[:2]}-{code[2:]}"  # 0101 -> 01-01, the notation of the Locarno classification
        _add_class(pub, "LOCARNO", code, True, None)


def _add_class(pub: Publication, scheme: str, code: str, first: bool, value: str | None) -> None:
    inventive = True if value == "I" else False if value == "A" else None
    pub.classes.append(Classification(scheme, code, len(pub.classes) + 1, first, inventive))  # type: ignore[arg-type]


def _dedupe(classes: list[Classification]) -> list[Classification]:
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
            f = _fields(patcit.find("document-id"))
            country, number, kind = f.get("country"), f.get("doc-number"), f.get("kind")
            citations.append(
                Citation(
                    sequence=len(citations) + 1,
                    cited_key=_cited_key(country, number, kind),
                    country=normalise_country(country) or country,
                    number=number,
                    kind=kind,
                    date=_date(f.get("date")),
                    cited_by=cited_by,
                )
            )
        elif npl is not None:
            text = _flat(npl)
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
    number = _t(doc, "doc-number")
    if number is None:
        return
    pub.related.append(
        Related(
            relation=relation,
            country=normalise_country(_t(doc, "country")),
            number=number,
            date=_date(_t(doc, "date")),
            kind=_t(doc, "kind"),
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
    list names only those who are not applicants); from v4.3 ``inventors`` lists them all.
    """
    old_style = el.tag == "parties"
    for group in el:
        tag = group.tag
        if tag == "applicants" or tag == "us-applicants":
            for i, a in enumerate(group, 1):
                kind = a.get("applicant-authority-category") or a.get("app-type")
                party = _party(a, "applicant", i, kind)
                if party is None:
                    continue
                pub.parties.append(party)
                if old_style and a.get("app-type") == "applicant-inventor":
                    pub.parties.append(_party(a, "inventor", i, "applicant-inventor"))  # type: ignore[arg-type]
        elif tag == "inventors":
            _add_parties(pub, group, "inventor", None)
        elif tag == "agents":
            for i, a in enumerate(group, 1):
                party = _party(a, "agent", i, a.get("rep-type"))
                if party is not None:
                    pub.parties.append(party)


def _assignees(el: Element, pub: Publication, lang: str | None) -> None:
    for i, a in enumerate(el, 1):
        if a.tag != "assignee":
            continue
        role = _t(a, "addressbook/role") or _t(a, "role")
        party = _party(a, "assignee", i, _ASSIGNEE_TYPES.get(role or "", role))
        if party is not None:
            pub.parties.append(party)


def _examiners(el: Element, pub: Publication, lang: str | None) -> None:
    for i, e in enumerate(el, 1):
        tag = e.tag
        if isinstance(tag, str) and tag.endswith("-examiner"):
            party = _party(e, "examiner", i, tag[: -len("-examiner")])
            if party is not None:
                party.sequence = i
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
    f = _fields(book)
    address = book.find("address")
    where = _fields(address) if address is not None else f
    org = f.get("orgname")
    last = f.get("last-name")
    given = " ".join(x for x in (f.get("first-name"), f.get("middle-name")) if x) or None
    name = org or " ".join(x for x in (given, last) if x) or f.get("name")
    if not name:
        return None
    country = normalise_country(where.get("country")) or normalise_country(_t(el, "residence/country"))
    sequence = _int(el.get("sequence"))
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


_BIB_HANDLERS: dict[str, Handler] = {
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


# -- sequence listings ----------------------------------------------------------------------------


def read_sequence_listing(root: Element, ref: SourceRef) -> Attachment:
    """A ``sequence-cwu`` document: the sequence listing of the patent named in its publication-reference."""
    doc = root.find("publication-reference/document-id")
    number = _t(doc, "doc-number")
    if number is None:
        raise ValueError("sequence listing without publication-reference/document-id/doc-number")
    key = pub_key(_t(doc, "country"), number, _t(doc, "kind"))
    detail = root.get("id") or "sequence-cwu"
    count = _t(root, "sequence-list-new-rules/s100/s160")
    if count:
        detail = f"{detail}: {count} sequences"
    return Attachment(pub_key=key, kind="sequence-listing", source=ref, detail=detail)
