"""EPO Open Patent Services (OPS 3.2) XML responses (``ops:world-patent-data``).

One response may give several publications (a full-cycle biblio, a search result page, an INPADOC
family), so this reader yields any number of records per document and is not an ``XmlReader``
(whose ``parse_chunk`` gives one record per document). Responses that describe no publication
(image inquiries, number conversions, ``ops:meta`` stamps) give no record.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from lxml import etree

from patscape.normalise import date_or_none, normalise_pub_key, normalise_space, to_int
from patscape.record import Event, Publication, Rejected, SourceRef, Text
from patscape.sources.base import Item, Origin, describe_error, snippet
from patscape.sources.epo_exchange import (
    ids_by_format,
    priority_of,
    read_application,
    read_exchange_document,
)
from patscape.sources.epo_fields import strip_namespaces
from patscape.sources.split import split_xml_documents
from patscape.sources.xmlsafe import parse_xml
from patscape.sources.xmltext import plain_text

# Responses that carry no publication: image inquiries, number-service conversions, usage stamps.
_NO_PUBLICATION = {"meta", "document-inquiry", "standardization"}
_NUMBERED_LINE_RE = re.compile(r"^\s*(\d{1,3})\s*\.", re.MULTILINE)


class EpoOpsReader:
    name: ClassVar[str] = "epo-ops"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "EPO OPS 3.2 XML responses: biblio, full text, search, INPADOC family, legal status"
    )
    example: ClassVar[str] = "ops-biblio-EP1000000.xml"
    precedence: ClassVar[int] = 85  # DOCDB data through the API; the bulk DOCDB and EP full text win

    def sniff(self, head: bytes) -> bool:
        return b"<ops:world-patent-data" in head or (
            b"world-patent-data" in head and b"http://ops.epo.org" in head
        )

    def read(self, stream: BinaryIO, origin: Origin) -> Iterator[Item]:
        for chunk in split_xml_documents(stream):
            ref = origin.ref(self, index=chunk.index, offset=chunk.offset, line=chunk.line)
            try:
                items = list(self.parse(parse_xml(chunk.data), ref))
            except Exception as exc:  # a bad response is quarantined, the file goes on
                yield Rejected(source=ref, reason=describe_error(exc), snippet=snippet(chunk.data))
                continue
            yield from items

    def parse(self, root: etree._Element, ref: SourceRef) -> Iterator[Publication]:
        """All publications of one response; raises for a response of a kind this reader does not know."""
        strip_namespaces(root)
        if root.tag != "world-patent-data":
            raise ValueError(f"expected ops:world-patent-data, found <{root.tag}>")
        for part in root:
            tag = part.tag
            if not isinstance(tag, str) or tag in _NO_PUBLICATION:
                continue
            if tag == "exchange-documents":
                yield from _exchange_documents(part, ref)
            elif tag == "fulltext-documents":
                for doc in part.findall("fulltext-document"):
                    yield _fulltext(doc, copy.copy(ref))
            elif tag == "biblio-search":
                yield from _search(part, ref)
            elif tag == "patent-family":
                yield from _family(part, ref)
            else:
                raise ValueError(f"unsupported OPS response <{tag}>")


def _exchange_documents(part: etree._Element, ref: SourceRef) -> Iterator[Publication]:
    for doc in part.findall("exchange-document"):
        yield read_exchange_document(doc, copy.copy(ref))


def _key_publication(did: etree._Element, ref: SourceRef, **fields: object) -> Publication:
    """A Publication with just what a reference gives: key, and date when there is one."""
    country = normalise_space(did.findtext("country"))
    number = normalise_space(did.findtext("doc-number"))
    if not country or not number:
        raise ValueError("publication reference without country and doc-number")
    pub_key = normalise_pub_key(number, country=country, kind=normalise_space(did.findtext("kind")))
    return Publication.from_key(
        pub_key,
        copy.copy(ref),
        published=date_or_none(did.findtext("date")),
        **fields,  # type: ignore[arg-type]
    )


def _docdb_id(ref_el: etree._Element) -> etree._Element:
    ids = ids_by_format([ref_el])
    did = ids.get("docdb")
    if did is None:
        raise ValueError("publication reference without a docdb document-id")
    return did


# -- full text: claims or description of one publication ---------------------------------------


def _fulltext(doc: etree._Element, ref: SourceRef) -> Publication:
    pub_ref = doc.find("bibliographic-data/publication-reference")
    if pub_ref is None:
        raise ValueError("fulltext-document without publication-reference")
    pub = _key_publication(_docdb_id(pub_ref), ref)
    for claims in doc.findall("claims"):
        text, count = _claims(claims)
        if text:
            pub.texts.append(Text(kind="claims", text=text, lang=_lang(claims)))
            if pub.claim_count is None:
                pub.claim_count = count
    for description in doc.findall("description"):
        paragraphs = [t for t in (plain_text(p) for p in description.findall("p")) if t]
        text = "\n".join(paragraphs) if paragraphs else plain_text(description)
        if text:
            pub.texts.append(Text(kind="description", text=text, lang=_lang(description)))
    return pub


def _lang(el: etree._Element) -> str | None:
    lang = el.get("lang")
    return lang.lower() if lang else None


def _claims(claims: etree._Element) -> tuple[str | None, int]:
    """Claims text and count. OPS gives one claim-text per claim, or all claims in one numbered text."""
    texts = [el for claim in claims.iter("claim") for el in claim.findall("claim-text")]
    if len(texts) == 1:
        whole = "".join(texts[0].itertext())
        starts = [m.start() for m in _NUMBERED_LINE_RE.finditer(whole)]
        if starts:
            pieces = [whole[a:b] for a, b in zip(starts, [*starts[1:], len(whole)], strict=True)]
            parts = [p for p in (normalise_space(x) for x in pieces) if p]
            return "\n\n".join(parts), len(parts)
    parts = [p for p in (plain_text(el) for el in texts) if p]
    if not parts:
        whole_text = plain_text(claims)
        return whole_text, 1 if whole_text else 0
    return "\n\n".join(parts), len(parts)


# -- search results ---------------------------------------------------------------------------


def _search(search: etree._Element, ref: SourceRef) -> Iterator[Publication]:
    """Search results: full records when the response has biblio, else one key-only record per hit."""
    for result in search.findall("search-result"):
        for hit in result:
            if hit.tag == "exchange-documents":
                yield from _exchange_documents(hit, ref)
            elif hit.tag == "publication-reference":
                yield _key_publication(_docdb_id(hit), ref, family_id=normalise_space(hit.get("family-id")))


# -- INPADOC family and legal status ----------------------------------------------------------


def _family(family: etree._Element, ref: SourceRef) -> Iterator[Publication]:
    """One Publication per family member, with family id and size, application, priorities, events."""
    size = to_int(family.get("total-result-count"))
    for member in family.findall("family-member"):
        events = [_event(el) for el in member.findall("legal")]
        for pub_ref in member.findall("publication-reference"):
            yield _key_publication(
                _docdb_id(pub_ref),
                ref,
                family_id=normalise_space(member.get("family-id")),
                family_size=size,
                application=read_application(member.findall("application-reference")),
                priorities=[p for p in (priority_of(e) for e in member.findall("priority-claim")) if p],
                events=[copy.copy(e) for e in events],
            )


def _event(legal: etree._Element) -> Event:
    """An INPADOC legal event: its gazette date, code and description as OPS gives them."""
    return Event(
        date=date_or_none(legal.findtext("L007EP")),
        code=(legal.get("code") or "").strip(),
        description=normalise_space(legal.get("desc")),
    )
