"""JPO (Japan) gazette XML, ``jp-official-gazette``: ST.36 elements plus ``jp:`` extensions.

JPO writes the kind in Japanese (``公開特許公報(A)``) and its ST.16 code on the root (``kind-of-st16``),
gives IPC symbols with their ST.8 flags (``H01L 21/301 20060101AFI20210219BHJP``), its own FI symbols and
F-terms, names as written (family and given name separated by two spaces) and addresses as one line of text.
Prior art is cited in the description as text (``特許第６１５１５５７号公報``).
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from patscape.normalise import pub_key_or_none
from patscape.record import Citation, Classification, Party, Publication, SourceRef
from patscape.sources.base import XmlReader
from patscape.sources.cjk_address import place_ja
from patscape.sources.classcodes import fi_code
from patscape.sources.rootsniff import root_local_name
from patscape.sources.st36 import Index, St36Builder, child_text
from patscape.sources.xmlsafe import local
from patscape.sources.xmltext import attr

_NAME_SPLIT_RE = re.compile(r"\s{2,}|\u3000|、")
_DASH = "[-−‐ー―]"
# (pattern, country, kind, era-numbered): numbers of cited documents as the JPO writes them.
_CITED = (
    (re.compile(r"特許第(\d+)号"), "JP", None, False),
    (re.compile(rf"特開((?:19|20)\d\d){_DASH}(\d+)号"), "JP", "A", False),
    (re.compile(rf"特表((?:19|20)\d\d){_DASH}(\d+)号"), "JP", "A", False),
    (re.compile(rf"特開([昭平])(\d+){_DASH}(\d+)号"), "JP", "A", True),
    (re.compile(rf"特公([昭平])(\d+){_DASH}(\d+)号"), "JP", "B", True),
    (re.compile(r"実用新案登録第(\d+)号"), "JP", None, False),
    (re.compile(r"米国特許出願公開第([\d/]+)号"), "US", "A1", False),
    (re.compile(r"米国特許第([\d,]+)号"), "US", None, False),
    (re.compile(r"国際公開第((?:19|20)\d\d)/(\d+)号"), "WO", None, False),
    (re.compile(r"欧州特許(?:出願公開)?第(\d+)号"), "EP", None, False),
    (re.compile(r"中国特許(?:出願公開)?第([\dA-Z.]+)号"), "CN", None, False),
)


def split_name(name: str) -> tuple[str | None, str | None]:
    """(family, given) of a name the JPO writes ``松本  昂`` or, for foreign names, ``ホ、カム・ピウ``."""
    parts = [p for p in _NAME_SPLIT_RE.split(name.strip()) if p]
    if len(parts) == 2:
        return parts[0], parts[1]
    return None, None


def read_cited(text: str) -> tuple[str, str, str | None, bool] | None:
    """(country, number, kind, era-numbered) of a patent document cited as Japanese text."""
    s = unicodedata.normalize("NFKC", text)
    for pattern, country, kind, era in _CITED:
        m = pattern.search(s)
        if not m:
            continue
        groups = m.groups()
        if era:
            return country, f"{groups[0]}{groups[1]}-{groups[2]}", kind, True
        if len(groups) == 2:  # year and serial
            separator = "/" if country == "WO" else "-"
            return country, f"{groups[0]}{separator}{groups[1]}", kind, False
        return country, groups[0].replace(",", ""), kind, False
    return None


class JpoBuilder(St36Builder):
    default_country = "JP"
    default_lang = "ja"

    def kind(self, root: etree._Element, written: str | None) -> str | None:
        st16 = attr(root, "kind-of-st16")
        return st16.strip().upper() if st16 else super().kind(root, written)

    def classes(self, idx: Index) -> list[Classification]:
        out = super().classes(idx)
        for el in idx.get("classification-national", []):
            if (child_text(el, "country") or "JP") != "JP":
                continue
            symbols = [c for c in el if local(c.tag) in ("main-clsf", "further-clsf")]
            for position, c in enumerate(symbols, start=1):
                code = fi_code("".join(c.itertext()))
                if code:
                    out.append(Classification("FI", code, position, first=local(c.tag) == "main-clsf"))
        terms = [t for t in idx.get("f-term", []) if (t.text or "").strip()]
        for position, term in enumerate(terms, start=1):
            out.append(Classification("FTERM", (term.text or "").strip(), position))
        return out

    def split_name(self, name: str) -> tuple[str | None, str | None]:
        return split_name(name)

    def locate_text(self, party: Party, text: str | None) -> None:
        place = place_ja(text)
        party.country, party.state, party.city = place.country, place.state, place.city

    def citation_text(self, text: str, seq: int) -> Citation | None:
        found = read_cited(text)
        if found is None:
            return super().citation_text(text, seq)
        country, number, kind, era = found
        key = None if era else pub_key_or_none(number, country, kind)
        return Citation(sequence=seq, cited_key=key, country=country, number=number, kind=kind)


class JpoReader(XmlReader):
    name = "jpo"
    version = "1"
    description = "JPO gazette XML (jp-official-gazette: published applications and grants)"
    example = "2021044377.xml"
    biblio = ("bibliographic-data",)

    def sniff(self, head: bytes) -> bool:
        return root_local_name(head) == b"jp-official-gazette"

    def parse(self, root: etree._Element, ref: SourceRef) -> Publication:
        if local(root.tag) != "jp-official-gazette":
            raise ValueError(f"not a JPO gazette: <{local(root.tag)}>")
        return JpoBuilder().build(root, ref)
