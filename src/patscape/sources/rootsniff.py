"""The root element of an XML document from its first bytes, for sniffing by content.

Matching a tag anywhere in the head would also claim a README that mentions it or a document that
embeds it; the root element's name is what identifies a format.
"""

from __future__ import annotations

import re

_PROLOG_RE = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.DOTALL)
_START_RE = re.compile(rb"\s*<((?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)[\s/>]")
_BOM = b"\xef\xbb\xbf"


def root_tag(head: bytes) -> bytes | None:
    """The qualified name of the first element (``business:PatentDocumentAndRelated``), None if not XML."""
    pos = len(_BOM) if head.startswith(_BOM) else 0
    while True:
        m = _PROLOG_RE.match(head, pos)
        if not m:
            break
        pos = m.end()
    m = _START_RE.match(head, pos)
    return m.group(1) if m else None


def root_local_name(head: bytes) -> bytes | None:
    """The root element's name without its prefix."""
    tag = root_tag(head)
    return tag.rsplit(b":", 1)[-1] if tag else None
