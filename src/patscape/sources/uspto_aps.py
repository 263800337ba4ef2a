"""USPTO APS "Green Book" fixed-field text: the weekly grant files of 1976-2001.

The layout of the text (header line, ``PATN`` records, tags, continuation lines, sections) is read by
:mod:`patscape.sources.aps_records`; this module turns the sections of one patent into a
:class:`Publication`. The file is read line by line, one patent at a time, so memory stays bounded whatever
the size of a weekly file; a patent that cannot be read becomes a :class:`Rejected` and reading goes on.

Kind codes: APS carries none, so they follow from the number's series prefix and the issue date. Until 2001
the USPTO printed no kind code on grants; DOCDB gives them ``A`` (utility), ``S`` (design), ``P`` (plant),
``E`` (reissue), ``H`` (statutory invention registration) and ``I4`` (defensive publication, ``T``
numbers). From 2 January 2001 the USPTO printed WIPO ST.16 codes: ``S1``, ``P2``, ``E1``, ``H1`` and, for
utility grants, ``B1`` or ``B2`` (with a pre-grant publication). APS does not say whether there was one, and
hardly any grant of 2001 had been published (publication began for applications filed from 29 November
2000), so a 2001 utility grant is ``B1``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import BinaryIO

from patscape.normalise import (
    date_or_none,
    normalise_class,
    normalise_date,
    normalise_pub_key,
    pub_key_or_none,
    to_int,
)
from patscape.record import (
    Application,
    Citation,
    Classification,
    Party,
    Priority,
    Publication,
    Rejected,
    Related,
    Role,
    SourceRef,
    Text,
    normalise_country,
)
from patscape.sources.aps_records import Group, decode, parse_groups, split_patents
from patscape.sources.base import Item, Origin, describe_error, snippet
from patscape.sources.split import Chunk

DESCRIPTION_SECTIONS = frozenset({"GOVT", "PARN", "BSUM", "DRWD", "DETD"})
TEXT_TAGS = frozenset({"PAR", "PAL", "PAC", "PA0", "PA1", "PA2", "PA3", "PA4", "PA5", "TBL", "TBL3", "EQU"})
AGENT_TAGS = frozenset({"FR2", "AAT", "AGT", "ATT", "NAM"})  # people in LREP; FRM is the firm

# APT, the application type.
APPLICATION_TYPES = {
    "1": "utility", "2": "reissue", "3": "tvpp", "4": "design",
    "5": "defensive-publication", "6": "plant", "7": "sir",
}  # fmt: skip
# The number's series prefix -> (document type, kind until 2000, kind from 2001).
SERIES = {
    "": ("grant", "A", "B1"),
    "D": ("design", "S", "S1"),
    "PP": ("plant", "P", "P2"),
    "RE": ("reissue", "E", "E1"),
    "H": ("sir", "H", "H1"),
    "T": ("defensive-publication", "I4", "I4"),
}
ST16_FROM = "2001-01-02"
# RLAP COD, the parent code (72 = continuation-in-part as the parent-case text of US3932709 says).
PARENT_RELATIONS = {"71": "continuation", "72": "continuation-in-part", "73": "division"}
# SRC, the application series code: design applications give "D" for series 29.
SERIES_CODES = {"D": "29"}

_WKU_RE = re.compile(r"^(RE|PP|RX|D|T|H|X)?(\d{6,8})(\S)$")
_LOCARNO_RE = re.compile(r"^D?\s*(\d\d)\s*(\d\d)$")


# -- field values -----------------------------------------------------------------------------------------


def parse_wku(wku: str) -> tuple[str, str]:
    """``039373754`` -> ("", "3937375"), ``D02681420`` -> ("D", "D268142"): nine characters, the last a check.

    The check character is usually a digit, sometimes a symbol (``06332220&``).
    """
    value = wku.strip()
    m = _WKU_RE.match(value)
    if not m or len(value) != 9:
        raise ValueError(f"not an APS patent number (WKU): {wku!r}")
    prefix = m.group(1) or ""
    return prefix, prefix + (m.group(2).lstrip("0") or "0")


def kind_of(prefix: str, issued: str | None) -> tuple[str, str]:
    """(kind, document type) of a grant from its series prefix and issue date (see the module docstring)."""
    doc_type, until_2000, from_2001 = SERIES.get(prefix, SERIES[""])
    return (from_2001 if issued and issued >= ST16_FROM else until_2000), doc_type


def application_number(series: str | None, apn: str | None) -> str | None:
    """APN is the six-digit serial number and a check character; SRC, the series code, goes in front.

    ``SRC 5``, ``APN 5184541`` -> ``05518454`` (application 05/518,454).
    """
    if not apn:
        return None
    serial = apn[:6] if len(apn) == 7 and apn[:6].isdigit() else apn
    if not series:
        return serial
    series = SERIES_CODES.get(series, series)
    return (series.zfill(2) if series.isdigit() else series) + serial


def uspc(value: str) -> str:
    """Fixed columns (class 1-3, subclass 4-6, then decimals or letters) -> ``224/42.07``, ``179/2DD``."""
    cls, sub, rest = value[:3].replace(" ", ""), value[3:6].strip(), value[6:].strip()
    if not cls or not sub:
        raise ValueError(f"not a US class: {value!r}")
    if rest:
        sub += "." + rest if rest[0].isdigit() else rest
    return f"{cls}/{sub}"


def loosely(parse: Callable[[str], str | None], value: str | None) -> str | None:
    """A value of secondary importance (a class symbol, a cited number): a wrong one is left out rather than
    failing the whole patent."""
    if not value:
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def party(role: Role, name: str, sequence: int, group: Group | None = None, kind: str | None = None) -> Party:
    """A party; APS writes people "Family; Given", and the record's name is "Given Family".

    An address with a state and no country is in the US.
    """
    where: dict[str, str | None] = {}
    if group is not None:
        state, country = group.get("STA"), group.get("CNT")
        where = {
            "city": group.get("CTY"),
            "state": state,
            "country": normalise_country(country) if country else ("US" if state else None),
        }
    family, sep, given = (part.strip() for part in name.partition(";"))
    if not sep:
        return Party(role=role, name=name, sequence=sequence, kind=kind, **where)
    return Party(
        role=role,
        name=f"{given} {family}".strip(),
        sequence=sequence,
        given_name=given or None,
        family_name=family or None,
        kind=kind,
        **where,
    )


# -- sections -> record -----------------------------------------------------------------------------------


def parse_patent(groups: list[Group], ref: SourceRef) -> Publication:
    patn = groups[0]
    wku = patn.get("WKU")
    if not wku:
        raise ValueError("no patent number (WKU)")
    prefix, number = parse_wku(wku)
    issued = normalise_date(patn.get("ISD"))
    kind, doc_type = kind_of(prefix, issued)
    pub_key = normalise_pub_key("US" + number, kind=kind)
    app_type = APPLICATION_TYPES.get(patn.get("APT") or "", "utility" if doc_type == "grant" else doc_type)
    pub = Publication.from_key(
        pub_key,
        ref,
        published=issued,
        granted=issued,
        doc_type=doc_type,
        application=Application(
            "US",
            application_number(patn.get("SRC"), patn.get("APN")),
            normalise_date(patn.get("APD")),
            app_type,
        ),
        figure_count=to_int(patn.get("NFG")),
        sheet_count=to_int(patn.get("NDR")),
    )
    if title := patn.get("TTL"):
        pub.texts.append(Text("title", title, "en"))
    examiners = [(name, "primary") for name in patn.all("EXP")] + [(n, "assistant") for n in patn.all("EXA")]
    for seq, (name, rank) in enumerate(examiners, 1):
        pub.parties.append(party("examiner", name, seq, kind=rank))
    for group in groups[1:]:
        read_section = SECTION_READERS.get(group.tag)
        if read_section:
            read_section(pub, group)
    add_texts(pub, groups)
    pub.claim_count = to_int(patn.get("NCL")) or len(claim_texts(groups)) or None
    return pub


def add_person_or_firm(pub: Publication, group: Group) -> None:
    """INVT or ASSG: one inventor or assignee, with the address."""
    name = group.get("NAM")
    if not name:
        return
    role: Role = "inventor" if group.tag == "INVT" else "assignee"
    sequence = sum(1 for p in pub.parties if p.role == role) + 1
    pub.parties.append(party(role, name, sequence, group))


def add_agents(pub: Publication, group: Group) -> None:
    for tag, value in group.fields:
        if tag == "FRM" or (tag in AGENT_TAGS and value):
            sequence = sum(1 for p in pub.parties if p.role == "agent") + 1
            if tag == "FRM":
                pub.parties.append(Party(role="agent", name=value, sequence=sequence, kind="firm"))
            else:
                pub.parties.append(party("agent", value, sequence))


def add_priority(pub: Publication, group: Group) -> None:
    """PRIR: a foreign priority claim."""
    number, date = group.get("APN"), date_or_none(group.get("APD"))
    if number or date:
        pub.priorities.append(Priority(normalise_country(group.get("CNT")), number, date, "national"))


def add_parent(pub: Publication, group: Group) -> None:
    """RLAP (a parent US application) or REIS (the patent a reissue replaces)."""
    relation = (
        "reissue-of" if group.tag == "REIS" else PARENT_RELATIONS.get(group.get("COD") or "", "related")
    )
    if number := group.get("APN"):
        date = date_or_none(group.get("APD"))
        pub.related.append(Related(relation, "US", number, date, "application", "parent"))
    if number := group.get("PNO"):
        date = date_or_none(group.get("ISD"))
        pub.related.append(Related(relation, "US", number, date, "patent", "parent"))


def add_pct(pub: Publication, group: Group) -> None:
    """PCTA: the international application (PCN, filed PD3) and its publication (PCP, PCD)."""
    if number := group.get("PCN"):
        date = date_or_none(group.get("PD3"))
        pub.related.append(Related("pct-application", "WO", number, date, "application"))
    if number := group.get("PCP"):
        date = date_or_none(group.get("PCD"))
        pub.related.append(Related("pct-publication", "WO", number, date, "publication"))


def add_classes(pub: Publication, group: Group) -> None:
    """OCL (original US class) and XCL (cross-references) -> USPC; ICL -> IPC, or Locarno for designs."""
    us = [code for value in group.all("OCL") + group.all("XCL") if (code := loosely(uspc, value))]
    has_original = bool(group.all("OCL"))
    for i, code in enumerate(us):
        pub.classes.append(Classification("USPC", code, i + 1, first=i == 0 and has_original))
    sequence = 0
    for value in group.all("ICL"):
        locarno = _LOCARNO_RE.match(value) if pub.doc_type == "design" else None
        if locarno:
            sequence += 1
            code = f"{locarno.group(1)}-{locarno.group(2)}"
            pub.classes.append(Classification("LOCARNO", code, sequence, first=sequence == 1))
        elif code := loosely(normalise_class, value):
            sequence += 1
            pub.classes.append(Classification("IPC", code, sequence, first=sequence == 1))


def add_cited_patent(pub: Publication, group: Group) -> None:
    """UREF (a cited US patent) or FREF (a cited foreign patent); APS does not say who cited it."""
    number = group.get("PNO")
    if not number:
        return
    country = "US" if group.tag == "UREF" else normalise_country(group.get("CNT"))
    date = date_or_none(group.get("ISD"))
    key = pub_key_or_none(number, country)
    pub.citations.append(Citation(len(pub.citations) + 1, key, country, number, date=date))


def add_npl(pub: Publication, group: Group) -> None:
    """OREF: each paragraph is one non-patent reference."""
    for tag, value in group.fields:
        if tag in TEXT_TAGS and value:
            pub.citations.append(Citation(len(pub.citations) + 1, npl=value))


SECTION_READERS: dict[str, Callable[[Publication, Group], None]] = {
    "INVT": add_person_or_firm,
    "ASSG": add_person_or_firm,
    "LREP": add_agents,
    "PRIR": add_priority,
    "RLAP": add_parent,
    "REIS": add_parent,
    "PCTA": add_pct,
    "CLAS": add_classes,
    "UREF": add_cited_patent,
    "FREF": add_cited_patent,
    "OREF": add_npl,
}


def add_texts(pub: Publication, groups: list[Group]) -> None:
    """Abstract, claims and description (GOVT, PARN, BSUM, DRWD, DETD in the order given)."""
    abstract = [v for g in groups if g.tag == "ABST" for t, v in g.fields if t in TEXT_TAGS and v]
    if abstract:
        pub.texts.append(Text("abstract", "\n".join(abstract), "en"))
    if claims := claim_texts(groups):
        pub.texts.append(Text("claims", "\n\n".join(claims), "en"))
    description = [
        v for g in groups if g.tag in DESCRIPTION_SECTIONS for t, v in g.fields if t in TEXT_TAGS and v
    ]
    if description:
        pub.texts.append(Text("description", "\n".join(description), "en"))


def claim_texts(groups: list[Group]) -> list[str]:
    """One text per claim: ``NUM`` starts a claim in CLMS and a design's DCLM is one; the STM lead-in
    ("What is claimed is:") is left out."""
    claims: list[list[str]] = []
    for group in groups:
        if group.tag == "DCLM":
            claims.append([v for t, v in group.fields if t in TEXT_TAGS and v])
        elif group.tag == "CLMS":
            for tag, value in group.fields:
                if tag == "NUM" or (not claims and tag in TEXT_TAGS):
                    claims.append([])
                if tag in TEXT_TAGS and value:
                    claims[-1].append(value)
    return ["\n".join(lines) for lines in claims if lines]


# -- the reader -------------------------------------------------------------------------------------------


class UsptoApsReader:
    name = "uspto-aps"
    version = "1"
    description = 'USPTO APS "Green Book" fixed-field text grants, 1976-2001 (weekly files of PATN records)'
    example = "pftaps19760106_wk01.txt"
    precedence = 100

    def sniff(self, head: bytes) -> bool:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if text.startswith(b"HHHHHT"):
            return b"APS" in text.split(b"\n", 1)[0] or b"\nPATN" in text
        return re.match(rb"PATN[ \t]*\r?\nWKU  ", text) is not None

    def chunks(self, stream: BinaryIO) -> Iterator[Chunk]:
        """One chunk per patent; ``parse_chunk`` can then run in worker processes, as for the XML readers."""
        return split_patents(stream)

    def parse_chunk(self, chunk: Chunk, origin: Origin) -> Item:
        ref = origin.ref(self, index=chunk.index, offset=chunk.offset, line=chunk.line)
        pub_key = None
        try:
            groups = parse_groups(decode(chunk.data))
            number = loosely(lambda wku: parse_wku(wku)[1], groups[0].get("WKU"))
            pub_key = f"US-{number}" if number else None
            return parse_patent(groups, ref)
        except Exception as exc:  # any failure of one patent is quarantined; the file goes on
            return Rejected(ref, describe_error(exc), snippet(chunk.data), pub_key)

    def read(self, stream: BinaryIO, origin: Origin) -> Iterator[Item]:
        for chunk in self.chunks(stream):
            yield self.parse_chunk(chunk, origin)
