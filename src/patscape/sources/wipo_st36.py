"""WIPO ST.36 ``patent-document`` XML: the generic ST.36 layout that offices and data hosts exchange.

The EPO's and the USPTO's own ST.36 variants (``ep-patent-document``, ``us-patent-grant``) and the CNIPA and
JPO ones have readers of their own; this one reads documents whose root is ST.36's ``patent-document``.
"""

from __future__ import annotations

from lxml import etree

from patscape.record import Publication, SourceRef
from patscape.sources.base import XmlReader
from patscape.sources.rootsniff import root_tag
from patscape.sources.st36 import St36Builder
from patscape.sources.xmlsafe import local


class WipoSt36Reader(XmlReader):
    name = "wipo-st36"
    version = "1"
    description = "WIPO ST.36 patent-document XML (generic ST.36 layout)"
    example = "patent-document.xml"
    biblio = ("bibliographic-data",)

    def sniff(self, head: bytes) -> bool:
        return root_tag(head) == b"patent-document"

    def parse(self, root: etree._Element, ref: SourceRef) -> Publication | None:
        tag = local(root.tag)
        if tag == "Application-body":  # a publication package's table of contents, not a publication
            return None
        if tag != "patent-document":
            raise ValueError(f"not an ST.36 patent document: <{tag}>")
        return St36Builder().build(root, ref)
