"""Parsing untrusted patent XML safely and without the network.

Patent XML declares DTDs that are not on the machine and uses named character entities from the HTML
and ISO 8879 sets (``&mdash;``, ``&lgr;``). We never load a DTD: the DOCTYPE is dropped before
parsing, named entities are replaced by the characters they stand for, and a document whose internal
subset declares parsed entities (the vehicle of "billion laughs" and external-entity attacks) is
refused. Unparsed NDATA image entities, which USPTO documents declare, are harmless and ignored.
"""

from __future__ import annotations

import html.entities
import re

from lxml import etree

MAX_DOCUMENT_BYTES = 512 * 1024 * 1024


class UnsafeDocument(ValueError):
    """A document refused for safety (entity declarations, size)."""


# ISO 8879 Greek (ISOgrk1) entity names used by USPTO and EPO documents; not part of HTML5.
_GREEK = {
    "agr": "α",
    "bgr": "β",
    "ggr": "γ",
    "dgr": "δ",
    "egr": "ε",
    "zgr": "ζ",
    "eegr": "η",
    "thgr": "θ",
    "igr": "ι",
    "kgr": "κ",
    "lgr": "λ",
    "mgr": "μ",
    "ngr": "ν",
    "xgr": "ξ",
    "ogr": "ο",
    "pgr": "π",
    "rgr": "ρ",
    "sgr": "σ",
    "sfgr": "ς",
    "tgr": "τ",
    "ugr": "υ",
    "phgr": "φ",
    "khgr": "χ",
    "psgr": "ψ",
    "ohgr": "ω",
    "Agr": "Α",
    "Bgr": "Β",
    "Ggr": "Γ",
    "Dgr": "Δ",
    "Egr": "Ε",
    "Zgr": "Ζ",
    "EEgr": "Η",
    "THgr": "Θ",
    "Igr": "Ι",
    "Kgr": "Κ",
    "Lgr": "Λ",
    "Mgr": "Μ",
    "Ngr": "Ν",
    "Xgr": "Ξ",
    "Ogr": "Ο",
    "Pgr": "Π",
    "Rgr": "Ρ",
    "Sgr": "Σ",
    "Tgr": "Τ",
    "Ugr": "Υ",
    "PHgr": "Φ",
    "KHgr": "Χ",
    "PSgr": "Ψ",
    "OHgr": "Ω",
}
_XML_BUILTIN = {b"lt", b"gt", b"amp", b"quot", b"apos"}


def _entity_table() -> dict[bytes, bytes]:
    table: dict[bytes, bytes] = {}
    for name, chars in html.entities.html5.items():
        if name.endswith(";"):
            table[name[:-1].encode()] = _numeric(chars)
    for name, chars in _GREEK.items():
        table[name.encode()] = _numeric(chars)
    for name in _XML_BUILTIN:
        table.pop(name, None)
    return table


def _numeric(chars: str) -> bytes:
    return "".join(f"&#{ord(c)};" for c in chars).encode()


ENTITIES = _entity_table()
# An ampersand to rewrite: a named entity XML does not define, or a bare "&" that the source forgot to
# escape. Character references and XML's own five entities are passed over inside the regex engine, not by a
# Python call each: modern files hold thousands of them.
_AMPERSAND_RE = re.compile(
    rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)(?:([A-Za-z][A-Za-z0-9]*);)?"
)
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE\s[^\[>]*(\[(?P<subset>.*?)\]\s*)?>", re.DOTALL)
_ENTITY_DECL_RE = re.compile(rb"<!ENTITY\s+(%\s*)?[^\s>]+\s+(?P<body>[^>]*)>", re.DOTALL)


def _replace_entity(m: re.Match[bytes]) -> bytes:
    name = m.group(1)
    if name is None:
        return b"&amp;"  # a bare "&" (some EP files write "UDAPI & ASOCIADOS")
    known = ENTITIES.get(name)
    # An unknown entity is kept visibly as text rather than dropped.
    return known if known is not None else b"&amp;" + name + b";"


def _doctype_position(data: bytes) -> int:
    """Where the DOCTYPE starts in the prolog (skipping comments and processing instructions), or -1."""
    pos = 0
    while True:
        pos = data.find(b"<", pos)
        if pos < 0:
            return -1
        if data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            if end < 0:
                return -1
            pos = end + 3
        elif data.startswith(b"<?", pos):
            end = data.find(b"?>", pos + 2)
            if end < 0:
                return -1
            pos = end + 2
        elif data.startswith(b"<!DOCTYPE", pos):
            return pos
        else:
            return -1  # the root element: no DOCTYPE in the prolog


def sanitise(data: bytes) -> bytes:
    """Drop the DOCTYPE (refusing parsed entity declarations) and resolve named entities."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnsafeDocument(f"document of {len(data):,} bytes exceeds {MAX_DOCUMENT_BYTES:,}")
    start = _doctype_position(data)
    if start >= 0:
        m = _DOCTYPE_RE.match(data, start)
        if not m:
            raise UnsafeDocument("malformed DOCTYPE")
        subset = m.group("subset") or b""
        for decl in _ENTITY_DECL_RE.finditer(subset):
            if b"NDATA" not in decl.group("body"):
                raise UnsafeDocument("document declares parsed entities (entity expansion refused)")
        # its lines are kept (as blank ones) so that a line libxml2 reports is the line of the source
        data = data[:start] + b"\n" * data.count(b"\n", start, m.end()) + data[m.end() :]
    if b"&" in data:
        data = _AMPERSAND_RE.sub(_replace_entity, data)
    return data


def _parser(recover: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,  # long descriptions are legitimate; size is bounded by MAX_DOCUMENT_BYTES
        remove_comments=True,
        remove_pis=True,
        strip_cdata=False,
        collect_ids=False,
    )


_PARSER = _parser()


def recovering_parser() -> etree.XMLParser:
    """A parser in lxml's recovery mode, as safe as the strict one; a new one per document, since its
    ``error_log`` is where the recovery says what it met (see :mod:`patscape.sources.recovery`)."""
    return _parser(recover=True)


def parse_xml(data: bytes) -> etree._Element:
    """Parse one untrusted XML document; raises UnsafeDocument or etree.XMLSyntaxError."""
    return etree.fromstring(sanitise(data), _PARSER)


def local(tag: object) -> str:
    """Element tag without namespace."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
