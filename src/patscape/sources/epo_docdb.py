"""EPO DOCDB exchange XML (``exch:exchange-documents``): one Publication per ``exchange-document``.

A DOCDB bulk file holds tens of thousands of exchange-documents under one root and one XML
declaration, so the file is cut at the exchange-document elements (bounded memory, one record per
chunk) rather than parsed whole. Each cut element gets the namespace declarations of the root back;
single-document files sometimes use the ``exch:`` prefix without declaring it, and get it declared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO, ClassVar

from lxml import etree

from patscape.record import SourceRef
from patscape.sources.base import Item, XmlReader
from patscape.sources.epo_exchange import read_exchange_document
from patscape.sources.epo_fields import strip_namespaces
from patscape.sources.split import BLOCK, Chunk

EXCHANGE_NS = b"http://www.epo.org/exchange"

_DOC_START_RE = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?exchange-document[\s>]")
_ROOT_START_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?exchange-documents[\s>][^>]*>")
_XMLNS_RE = re.compile(rb"""(xmlns(?::[A-Za-z_][\w.-]*)?)\s*=\s*["']([^"']*)["']""")
_DECL_RE = re.compile(rb"^\s*(<\?xml[^>]*\?>)")
_PLAIN_ROOT_RE = re.compile(rb"<exchange-documents?[\s>]")
_TAIL = 64  # bytes kept at a block end: an exchange-document start tag may be cut there


class EpoDocdbReader(XmlReader):
    name: ClassVar[str] = "epo-docdb"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "EPO DOCDB exchange XML (exch:exchange-documents): family ids, IPC, CPC, citations"
    )
    example: ClassVar[str] = "DOCDB-202407-009-DE-0074.xml"
    precedence: ClassVar[int] = 90  # bibliographic master data, normalised names; EP full text wins
    root_tags: ClassVar[tuple[bytes, ...]] = (b"exch:exchange-documents", b"exch:exchange-document")
    biblio: ClassVar[tuple[str, ...]] = ("bibliographic-data",)

    def sniff(self, head: bytes) -> bool:
        if b"world-patent-data" in head:  # an OPS response embeds exchange-documents
            return False
        return b"<exch:exchange-document" in head or _PLAIN_ROOT_RE.search(head) is not None

    def parse(self, root: etree._Element, ref: SourceRef) -> Item | None:
        strip_namespaces(root)
        if root.tag != "exchange-document":
            raise ValueError(f"expected an exchange-document, found <{root.tag}>")
        return read_exchange_document(root, ref)

    def chunks(self, stream: BinaryIO) -> Iterator[Chunk]:
        return split_exchange_documents(stream)


def split_exchange_documents(stream: BinaryIO, block: int = BLOCK) -> Iterator[Chunk]:
    """Yield each exchange-document element of a stream as a standalone XML document.

    An element whose end tag never comes is yielded as it is, so that parsing it fails and the
    document is quarantined rather than dropped.
    """
    buffer = b""
    base = 0  # file offset of buffer[0]
    pos = 0
    index = 0
    line = 1  # the line of buffer[pos]
    prelude: tuple[bytes, dict[bytes, bytes]] | None = None
    pending = False
    while True:
        data = stream.read(block)
        buffer += data
        if prelude is None and (data == b"" or _DOC_START_RE.search(buffer)):
            prelude = _prelude(buffer)
        pending = False
        while prelude is not None:
            m = _DOC_START_RE.search(buffer, pos)
            if m is None:
                keep = max(pos, len(buffer) - _TAIL)
                line += buffer.count(b"\n", pos, keep)
                pos = keep
                break
            line += buffer.count(b"\n", pos, m.start())
            pos = m.start()
            prefix = m.group(1)
            end_tag = b"</" + (prefix + b":" if prefix else b"") + b"exchange-document>"
            end = buffer.find(end_tag, m.end())
            if end < 0:
                pending = True
                break
            stop = end + len(end_tag)
            yield Chunk(index, base + pos, _standalone(buffer[pos:stop], prefix, prelude), line)
            index += 1
            line += buffer.count(b"\n", pos, stop)
            pos = stop
        if not data:
            break
        buffer = buffer[pos:]
        base += pos
        pos = 0
    if pending and prelude is not None:
        m = _DOC_START_RE.match(buffer, pos)
        prefix = m.group(1) if m else None
        yield Chunk(index, base + pos, _standalone(buffer[pos:], prefix, prelude), line)


def _prelude(head: bytes) -> tuple[bytes, dict[bytes, bytes]]:
    """The XML declaration and the root's namespace declarations, to repeat on every element."""
    decl_match = _DECL_RE.match(head)
    decl = decl_match.group(1) if decl_match else b""
    namespaces = {b"xmlns:exch": EXCHANGE_NS}
    first_doc = _DOC_START_RE.search(head)
    root = _ROOT_START_RE.search(head, 0, first_doc.start() if first_doc else len(head))
    if root:
        namespaces.update(dict(_XMLNS_RE.findall(root.group(0))))
    return decl, namespaces


def _standalone(element: bytes, prefix: bytes | None, prelude: tuple[bytes, dict[bytes, bytes]]) -> bytes:
    """The element with the declaration and the namespace declarations its start tag lacks."""
    decl, namespaces = prelude
    name_end = len(b"<" + (prefix + b":" if prefix else b"") + b"exchange-document")
    tag_end = element.find(b">")
    start_tag = element[: tag_end if tag_end >= 0 else len(element)]
    own = {name for name, _ in _XMLNS_RE.findall(start_tag)}
    extra = b"".join(b" " + name + b'="' + uri + b'"' for name, uri in namespaces.items() if name not in own)
    return decl + element[:name_end] + extra + element[name_end:]
