"""USPTO ICE XML: ``us-patent-grant`` v4.0-v4.7, ``us-patent-application`` v4.0-v4.6, ``sequence-cwu``.

One reader covers the full-text weekly files (``ipgYYMMDD.xml``, ``ipaYYMMDD.xml``), the bibliographic-only
ones (``ipgb``/``ipab``: the same root elements without description and claims) and the ``sequence-cwu``
documents that weekly grant files carry next to the patent they belong to (yielded as an
:class:`Attachment`, never as a publication).

The DTD versions differ only in where things sit, so the extraction is one pass over the children of the
bibliographic element with one handler per tag (:mod:`patscape.sources.uspto_ice_biblio`).
"""

from __future__ import annotations

import re

from lxml import etree

from patscape.normalise import date_or_none, normalise_date, normalise_pub_key, to_int
from patscape.record import Attachment, Publication, Rejected, SourceRef, Text
from patscape.sources.base import Item, Origin, XmlReader
from patscape.sources.split import Chunk
from patscape.sources.uspto_ice_biblio import BIB_HANDLERS, dedupe_classes
from patscape.sources.xmltext import plain_text, text_at

Element = etree._Element

_ROOT_RE = re.compile(rb"<(us-patent-grant|us-patent-application|sequence-cwu)[\s>/]")
# The pre-2005 USPTO formats, read by another reader: a file of theirs is never ours.
_OLDER_RE = re.compile(rb"<(PATDOC|patent-application-publication)[\s>]")
# The publication number of a document that fails to parse, for its quarantine row.
_PUBREF_RE = re.compile(
    rb"<publication-reference>\s*<document-id>\s*<country>\s*([A-Z]{2})\s*</country>\s*"
    rb"<doc-number>\s*([^<\s]+)\s*</doc-number>\s*(?:<kind>\s*([^<\s]+)\s*</kind>)?"
)
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
    biblio = ("us-bibliographic-data-grant", "us-bibliographic-data-application")

    def sniff(self, head: bytes) -> bool:
        m = _ROOT_RE.search(head)
        if m is None:
            return False
        older = _OLDER_RE.search(head, 0, m.start())
        return older is None

    def parse_chunk(self, chunk: Chunk, origin: Origin) -> Item | None:
        item = super().parse_chunk(chunk, origin)
        if isinstance(item, Rejected) and item.pub_key is None:
            item.pub_key = _key_of_bytes(chunk.data)
        return item

    def parse(self, root: Element, ref: SourceRef) -> Publication | Attachment:
        tag = root.tag
        if tag == "us-patent-grant" or tag == "us-patent-application":
            return read_publication(root, ref)
        if tag == "sequence-cwu":
            return read_sequence_listing(root, ref)
        raise ValueError(f"not a USPTO ICE document: root element <{tag}>")


def _key_of_bytes(data: bytes) -> str | None:
    m = _PUBREF_RE.search(data, 0, 16384)
    if m is None:
        return None
    try:
        kind = m.group(3).decode("ascii", "replace") if m.group(3) else None
        return normalise_pub_key(
            m.group(2).decode("ascii", "replace"), country=m.group(1).decode(), kind=kind
        )
    except ValueError:
        return None


# -- the publication ----------------------------------------------------------------------------


def _doc_type(is_grant: bool, appl_type: str | None, kind: str | None) -> str:
    if not is_grant:
        return "application"
    by_type = _GRANT_TYPES.get((appl_type or "").lower())
    if by_type:
        return by_type
    return _KIND_TYPES.get((kind or "")[:1], "grant")


def read_publication(root: Element, ref: SourceRef) -> Publication:
    is_grant = root.tag == "us-patent-grant"
    bib = root.find("us-bibliographic-data-grant" if is_grant else "us-bibliographic-data-application")
    if bib is None:
        raise ValueError(f"<{root.tag}> without its bibliographic data element")
    doc_id = bib.find("publication-reference/document-id")
    number = text_at(doc_id, "doc-number")
    if number is None:
        raise ValueError("no publication-reference/document-id/doc-number")
    country = text_at(doc_id, "country") or "US"
    kind = text_at(doc_id, "kind")
    key = normalise_pub_key(number, country=country, kind=kind)
    published = normalise_date(text_at(doc_id, "date") or root.get("date-publ"))
    lang = (root.get("lang") or "").lower() or None
    produced = root.get("date-produced")
    pub = Publication.from_key(
        key,
        ref,
        published=published,
        granted=published if is_grant else None,
        version=date_or_none(produced),
    )
    number_of_claims: int | None = None
    for child in bib:
        tag = child.tag
        if tag == "number-of-claims":
            number_of_claims = to_int(child.text)
            continue
        handler = BIB_HANDLERS.get(tag)  # type: ignore[arg-type]
        if handler is not None:
            handler(child, pub, lang)
    pub.doc_type = _doc_type(is_grant, pub.application.type, kind)
    pub.classes = dedupe_classes(pub.classes)
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
            joined = "\n\n".join(t for t in (plain_text(c) for c in found) if t)
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
            line = plain_text(child)
            if line:
                lines.append(line)

    walk(el)
    if not lines:
        return plain_text(el) or ""
    return "\n".join(lines)


# -- sequence listings ----------------------------------------------------------------------------


def read_sequence_listing(root: Element, ref: SourceRef) -> Attachment:
    """A ``sequence-cwu`` document: the sequence listing of the patent named in its publication-reference."""
    doc = root.find("publication-reference/document-id")
    number = text_at(doc, "doc-number")
    if number is None:
        raise ValueError("sequence listing without publication-reference/document-id/doc-number")
    key = normalise_pub_key(number, country=text_at(doc, "country") or "US", kind=text_at(doc, "kind"))
    detail = root.get("id") or "sequence-cwu"
    count = text_at(root, "sequence-list-new-rules/s100/s160")
    if count:
        detail = f"{detail}: {count} sequences"
    return Attachment(pub_key=key, kind="sequence-listing", source=ref, detail=detail)
