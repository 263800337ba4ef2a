"""ST.36-style patent XML -> Publication, shared by the WIPO ST.36, CNIPA (old format) and JPO readers.

The three formats share ST.36's element names (``publication-reference/document-id``, ``addressbook``,
``classification-ipcr``, ``claims/claim/claim-text``) but nest them differently (CNIPA prefixes its own
elements with ``cn-``, JPO groups applicants with their agents, IFI-style ST.36 wraps classes in
``technical-data``). The builder therefore indexes the bibliographic part by element name in one pass and
reads each container where it is found; office specifics are methods the CNIPA and JPO builders override.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from lxml import etree

from patscape.normalise import class_from_parts, normalise_date, normalise_pub_key, pub_key_or_none
from patscape.record import (
    Application,
    Citation,
    Classification,
    Party,
    Priority,
    Publication,
    Related,
    Role,
    SourceRef,
    Text,
    normalise_country,
)
from patscape.sources.classcodes import Symbol, flagged, inventive, symbol_from_text
from patscape.sources.docnum import cited_by, doc_type
from patscape.sources.xmlsafe import local
from patscape.sources.xmltext import attr, flat_text, join_paragraphs, lang_of

Index = dict[str, list[etree._Element]]

_ST16_RE = re.compile(r"^[A-Z]\d?$")
_KIND_IN_TEXT_RE = re.compile(r"\(([A-Z]\d?)\)")
_MAIN_CLASS = ("main-classification", "main-clsf")
_FURTHER_CLASS = ("further-classification", "further-clsf")
_PARTY_ROLES: tuple[tuple[str, Role], ...] = (
    ("applicant", "applicant"),
    ("inventor", "inventor"),
    ("agent", "agent"),
    ("assignee", "assignee"),
)
_RELATIONS = ("division", "continuation", "continuation-in-part", "reissue", "substitution", "addition")
_CLAIM_BLOCKS = ("claim-text",)


def child(el: etree._Element | None, *names: str) -> etree._Element | None:
    if el is None:
        return None
    for c in el:
        if local(c.tag) in names:
            return c
    return None


def child_text(el: etree._Element | None, *names: str) -> str | None:
    c = child(el, *names)
    if c is None:
        return None
    value = "".join(c.itertext()).strip()
    return value or None


def first_text(el: etree._Element, name: str) -> str | None:
    """The text of the first descendant named ``name``."""
    for d in el.iter():
        if local(d.tag) == name:
            value = "".join(d.itertext()).strip()
            if value:
                return value
    return None


def sequence(el: etree._Element, position: int) -> int:
    value = attr(el, "sequence") or attr(el, "num")
    return int(value) if value and value.isdigit() else position


class St36Builder:
    """Reads one ST.36-style document; subclasses adapt it to an office's variant."""

    tag_prefix = ""  # CNIPA: "cn-"
    br = "\n"  # what <br/> stands for in texts
    default_country: str | None = None
    default_lang: str | None = None

    # -- element names ------------------------------------------------------------------------
    def name(self, el: etree._Element) -> str:
        n = local(el.tag)
        return n[len(self.tag_prefix) :] if self.tag_prefix and n.startswith(self.tag_prefix) else n

    def index(self, el: etree._Element | None) -> Index:
        found: Index = defaultdict(list)
        if el is not None:
            for d in el.iter():
                if isinstance(d.tag, str):
                    found[self.name(d)].append(d)
        return found

    def body_parts(self, root: etree._Element) -> list[etree._Element]:
        """Root children, and those of an ``application-body`` wrapper (CNIPA)."""
        parts = []
        for c in root:
            if self.name(c) == "application-body":
                parts.extend(c)
            else:
                parts.append(c)
        return parts

    def lang(self, el: etree._Element) -> str | None:
        return lang_of(el) or self.default_lang

    # -- the record ---------------------------------------------------------------------------
    def build(self, root: etree._Element, ref: SourceRef) -> Publication:
        biblio = next((c for c in root if self.name(c) == "bibliographic-data"), None)
        idx = self.index(biblio)
        parts = [p for p in self.body_parts(root) if isinstance(p.tag, str)]
        country, number, kind, date = self.publication_id(root, idx)
        if not country or not number:
            raise ValueError("no publication number")
        pub_key = normalise_pub_key(number, country=country, kind=kind)
        published = normalise_date(date)
        dtype = doc_type(kind)
        abstracts = [p for p in parts if self.name(p) == "abstract"] + idx.get("abstract", [])
        descriptions = [p for p in parts if self.name(p) == "description"]
        claims_sets = [p for p in parts if self.name(p) == "claims"]
        texts = self.titles(idx) + self.abstracts(abstracts)
        claim_texts, claim_count = self.claims(claims_sets)
        texts += claim_texts + self.descriptions(descriptions)
        return Publication.from_key(
            pub_key,
            ref,
            published=published,
            granted=published if dtype == "grant" else None,
            doc_type=dtype,
            application=self.application(idx, country),
            priorities=self.priorities(idx),
            related=self.related(idx),
            texts=texts,
            claim_count=self.claim_count(idx, claim_count),
            parties=self.parties(idx),
            classes=self.classes(idx),
            citations=self.citations(biblio, descriptions),
            family_id=attr(root, "family-id"),
            version=normalise_date(attr(root, "date-produced")),
        )

    # -- identification -----------------------------------------------------------------------
    def publication_id(
        self, root: etree._Element, idx: Index
    ) -> tuple[str | None, str | None, str | None, str | None]:
        ref = next(iter(idx.get("publication-reference", [])), None)
        doc = child(ref, "document-id")
        country = child_text(doc, "country") or attr(root, "country") or self.default_country
        number = child_text(doc, "doc-number") or attr(root, "doc-number")
        kind = child_text(doc, "kind") or attr(root, "kind")
        date = child_text(doc, "date") or attr(root, "date-publ") or attr(root, "date")
        return normalise_country(country) or country, number, self.kind(root, kind), date

    def kind(self, root: etree._Element, written: str | None) -> str | None:
        """The ST.16 kind code; offices that write the kind's name give the code in brackets (``…(A)``)."""
        if not written:
            return None
        s = unicodedata.normalize("NFKC", written).strip().upper()
        if _ST16_RE.match(s):
            return s
        m = _KIND_IN_TEXT_RE.search(s)
        return m.group(1) if m else s

    def application(self, idx: Index, pub_country: str | None) -> Application:
        ref = next(iter(idx.get("application-reference", [])), None)
        doc = child(ref, "document-id")
        if doc is None:
            return Application()
        country = child_text(doc, "country") or self.default_country or pub_country
        return Application(
            country=normalise_country(country) or country,
            number=child_text(doc, "doc-number"),
            date=normalise_date(child_text(doc, "date")),
            type=self.application_type(attr(ref, "appl-type") if ref is not None else None),
        )

    def application_type(self, written: str | None) -> str | None:
        return written.strip().lower() if written else None

    def priorities(self, idx: Index) -> list[Priority]:
        out = []
        for el in idx.get("priority-claim", []):
            doc = child(el, "document-id")
            holder = doc if doc is not None else el
            country = child_text(holder, "country")
            out.append(
                Priority(
                    country=normalise_country(country) or country,
                    number=child_text(holder, "doc-number"),
                    date=normalise_date(child_text(holder, "date")),
                    kind=attr(el, "kind"),
                )
            )
        return out

    def related(self, idx: Index) -> list[Related]:
        out = []
        for relation in _RELATIONS:
            for el in idx.get(relation, []):
                for parent in el.iter():
                    if local(parent.tag) == "parent-doc":
                        out.extend(self._related_doc(relation, parent, "parent"))
        for name, relation in (
            ("pct-or-regional-filing-data", "pct-application"),
            ("pct-or-regional-publishing-data", "pct-publication"),
        ):
            for el in idx.get(name, []):
                out.extend(self._related_doc(relation, el, None))
        return out

    def _related_doc(self, relation: str, holder: etree._Element, role: str | None) -> Iterable[Related]:
        doc = child(holder, "document-id")
        if doc is None or not child_text(doc, "doc-number"):
            return []
        country = child_text(doc, "country") or (self.default_country if relation in _RELATIONS else None)
        return [
            Related(
                relation=relation,
                country=normalise_country(country) or country,
                number=child_text(doc, "doc-number"),
                date=normalise_date(child_text(doc, "date")),
                kind=child_text(doc, "kind"),
                role=role,
            )
        ]

    # -- classification -----------------------------------------------------------------------
    def classes(self, idx: Index) -> list[Classification]:
        out = flagged("IPC", [_symbol(el) for el in idx.get("classification-ipcr", [])])
        out += flagged("CPC", [_symbol(el) for el in idx.get("classification-cpc", [])])
        for el in idx.get("classification-ipc", []):
            symbols = [
                symbol_from_text("".join(c.itertext()), main=local(c.tag) in _MAIN_CLASS)
                for c in el
                if local(c.tag) in _MAIN_CLASS + _FURTHER_CLASS
            ]
            out += flagged("IPC", symbols)
        return out

    # -- parties ------------------------------------------------------------------------------
    def parties(self, idx: Index) -> list[Party]:
        out: list[Party] = []
        for element, role in _PARTY_ROLES:
            for position, el in enumerate(idx.get(element, []), start=1):
                out += self.party(el, role, sequence(el, position))
        return unique_parties(out)

    def party(self, el: etree._Element, role: Role, seq: int) -> list[Party]:
        """One Party per addressbook that names it (one per language), the agency of an agent first."""
        out: list[Party] = []
        agency = child(el, "agency", self.tag_prefix + "agency")
        if agency is not None:
            out += self._from_addressbooks(agency, role, seq, kind="agency")
        kind = attr(el, "app-type") or attr(el, "rep-type") or attr(el, "kind")
        out += self._from_addressbooks(el, role, seq, kind=kind)
        return out

    def _from_addressbooks(self, el: etree._Element, role: Role, seq: int, kind: str | None) -> list[Party]:
        books = [c for c in el if local(c.tag) == "addressbook"] or [el]
        out = []
        address_books = [b for b in books if child(b, "address") is not None]
        for book in books:
            party = self.person_or_org(book, role, seq, kind)
            if party is None:
                continue
            address = child(book, "address")
            if address is None and address_books:  # a second addressbook may hold only the address
                address = child(address_books[0], "address")
            self.locate(party, address)
            out.append(party)
        return out

    def person_or_org(self, book: etree._Element, role: Role, seq: int, kind: str | None) -> Party | None:
        lang = self.lang(book)
        last, first = child_text(book, "last-name"), child_text(book, "first-name")
        if last or first:
            name = " ".join(p for p in (first, child_text(book, "middle-name"), last) if p)
            return Party(
                role=role, name=name, sequence=seq, given_name=first, family_name=last, lang=lang, kind=kind
            )
        name = child_text(book, "name") or child_text(book, "orgname")
        if not name:
            return None
        party = Party(role=role, name=name, sequence=seq, lang=lang, kind=kind)
        if role in ("inventor", "examiner") or (role == "agent" and kind != "agency"):
            party.family_name, party.given_name = self.split_name(name)
        return party

    def split_name(self, name: str) -> tuple[str | None, str | None]:
        """(family, given) of a person's name written in one string; (None, None) when unknown."""
        return None, None

    def locate(self, party: Party, address: etree._Element | None) -> None:
        if address is None:
            return
        country = child_text(address, "country")
        party.country = normalise_country(country) if country else None
        party.city = child_text(address, "city")
        party.state = child_text(address, "state")
        if party.country is None:
            self.locate_text(party, child_text(address, "text"))

    def locate_text(self, party: Party, text: str | None) -> None:
        """Country and city from a one-line address (offices that give no country code)."""

    # -- texts --------------------------------------------------------------------------------
    def titles(self, idx: Index) -> list[Text]:
        out: list[Text] = []
        for el in idx.get("invention-title", []):
            title = "".join(el.itertext()).strip()
            text = Text("title", title, self.lang(el))
            if title and text not in out:
                out.append(text)
        return out

    def abstracts(self, elements: list[etree._Element]) -> list[Text]:
        out: list[Text] = []
        for el in elements:
            paras = [p for p in el if local(p.tag) == "p"] or [el]
            text = join_paragraphs(flat_text(p, br=self.br, skip=("bio-deposit",)) for p in paras)
            item = Text("abstract", text, self.lang(el))
            if text and item not in out:
                out.append(item)
        return out

    def claims(self, elements: list[etree._Element]) -> tuple[list[Text], int | None]:
        out: list[Text] = []
        count: int | None = None
        for el in elements:
            claims = [c for c in el if local(c.tag) == "claim"]
            text = "\n\n".join(flat_text(c, br=self.br, blocks=_CLAIM_BLOCKS) for c in claims)
            if text:
                out.append(Text("claims", text, self.lang(el)))
                count = len(claims) if count is None else count
        return out, count

    def claim_count(self, idx: Index, counted: int | None) -> int | None:
        stated = next((first_text(el, "number-of-claims") for el in idx.get("number-of-claims", [])), None)
        return int(stated) if stated and stated.isdigit() else counted

    def descriptions(self, elements: list[etree._Element]) -> list[Text]:
        out = []
        for el in elements:
            paras = [flat_text(p, br=self.br) for p in _paragraphs(el)]
            text = join_paragraphs(paras)
            if text:
                out.append(Text("description", text, self.lang(el)))
        return out

    # -- citations ----------------------------------------------------------------------------
    def citations(self, biblio: etree._Element | None, descriptions: list[etree._Element]) -> list[Citation]:
        """Citations of the bibliographic part, then the prior art an applicant lists in the description."""
        found: list[tuple[etree._Element, str | None]] = []
        for holder, who in [(biblio, None)] + [(d, "applicant") for d in descriptions]:
            if holder is not None:
                found += [(el, who) for el in holder.iter() if local(el.tag) in ("patcit", "nplcit")]
        out = []
        for position, (el, in_text) in enumerate(found, start=1):
            citation = self.citation(el, sequence(el, position) if in_text is None else position)
            if citation is not None:
                citation.cited_by = citation.cited_by or in_text
                out.append(citation)
        return out

    def citation(self, el: etree._Element, seq: int) -> Citation | None:
        holder = el.getparent()
        category = child_text(holder, "category") if holder is not None else None
        who = cited_by(category)
        if who is not None:  # ICE-style "cited by examiner" is who, not an X/Y/A category
            category = None
        if local(el.tag) == "nplcit":
            text = child_text(el, "text") or flat_text(el)
            return Citation(sequence=seq, npl=text, cited_by=who, category=category) if text else None
        doc = child(el, "document-id")
        if doc is None:
            return self.citation_text(child_text(el, "text") or flat_text(el), seq)
        country, number, kind = (
            child_text(doc, "country"),
            child_text(doc, "doc-number"),
            child_text(doc, "kind"),
        )
        return Citation(
            sequence=seq,
            cited_key=pub_key_or_none(number, country, kind),
            country=normalise_country(country) or country,
            number=number,
            kind=kind,
            date=normalise_date(child_text(doc, "date")),
            cited_by=who,
            category=category,
        )

    def citation_text(self, text: str, seq: int) -> Citation | None:
        """A patent citation written as text only (JPO); kept as written when it cannot be read."""
        return Citation(sequence=seq, number=text) if text else None


def unique_parties(parties: Iterable[Party]) -> list[Party]:
    """Parties without repeats (an agency named by each of its agents, a party given in two formats).

    Two people of the same name keep their own sequence numbers and so are both kept.
    """
    out: list[Party] = []
    seen: set[tuple[str, str, str | None, int | None]] = set()
    for party in parties:
        key = (party.role, party.name, party.lang, None if party.kind == "agency" else party.sequence)
        if key not in seen:
            seen.add(key)
            out.append(party)
    return out


def _symbol(el: etree._Element) -> Symbol | None:
    """A ``classification-ipcr`` / ``-cpc``: split into fields (ICE style) or one text (CNIPA, IFI)."""
    if child(el, "main-group") is not None:
        fields = [child_text(el, n) or "" for n in ("section", "class", "subclass", "main-group", "subgroup")]
        position = child_text(el, "symbol-position")
        return (
            class_from_parts(*fields),
            (position == "F") if position else None,
            inventive(child_text(el, "classification-value")),
        )
    return symbol_from_text(child_text(el, "text") or "".join(el.itertext()))


def _paragraphs(el: etree._Element) -> Iterable[etree._Element]:
    """Paragraphs and headings of a description, in order, not those nested in another paragraph."""
    for c in el:
        if not isinstance(c.tag, str):
            continue
        name = local(c.tag)
        if name in ("p", "heading"):
            yield c
        elif name not in ("invention-title", "drawings"):
            yield from _paragraphs(c)
