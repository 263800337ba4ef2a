"""USPTO APS "Green Book" fixed-field text: the weekly grant files of 1976-2001.

A weekly file may open with a ``HHHHHT ... APS1 ... ISSUE - YYMMDD`` header line; each patent then starts with a
line holding only ``PATN``. A data line is a four-column tag, one space and the value (columns 6-); a line that
starts with a space continues the previous value; a line holding only a section tag (``INVT``, ``CLAS``,
``UREF`` ...) opens a section, and repeatable ones (one inventor, one cited patent ...) open a new group each time.

The file is read line by line and one patent at a time (:meth:`UsptoApsReader.chunks`), so memory stays bounded
whatever the size of the weekly file; one patent that cannot be read becomes a :class:`Rejected` and reading goes on.

Kind codes: APS carries none, so they are inferred from the number's series prefix and the issue date. Until
2001 the USPTO printed no kind code on grants; DOCDB gives them ``A`` (utility), ``S`` (design), ``P`` (plant),
``E`` (reissue), ``H`` (statutory invention registration) and ``I4`` (defensive publication, ``T`` numbers).
From 2 January 2001 the USPTO printed WIPO ST.16 codes: ``B1`` (utility without pre-grant publication; APS does
not say whether there was one, and hardly any 2001 grant had been published, so ``B1``), ``S1``, ``P2``, ``E1``
and ``H1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from patscape.record import (
    Application,
    Citation,
    Classification,
    Party,
    Priority,
    Publication,
    Rejected,
    Related,
    SourceRef,
    Text,
    normalise_class,
    normalise_country,
    normalise_date,
    normalise_pub_key,
    split_pub_key,
)
from patscape.sources.aps_records import Group, decode, parse_groups, split_patents
from patscape.sources.base import Item, Origin, describe_error, snippet
from patscape.sources.split import Chunk

DESCRIPTION_SECTIONS = frozenset({"GOVT", "PARN", "BSUM", "DRWD", "DETD"})
TEXT_TAGS = frozenset({"PAR", "PAL", "PAC", "PA0", "PA1", "PA2", "PA3", "PA4", "PA5", "TBL", "TBL3", "EQU"})

# APT: the application type.
APPLICATION_TYPES = {
    "1": "utility",
    "2": "reissue",
    "3": "tvpp",
    "4": "design",
    "5": "defensive-publication",
    "6": "plant",
    "7": "sir",
}
# The number's series prefix -> (document type, kind before 2001, kind from 2001).
SERIES = {
    "": ("grant", "A", "B1"),
    "D": ("design", "S", "S1"),
    "PP": ("plant", "P", "P2"),
    "RE": ("reissue", "E", "E1"),
    "H": ("sir", "H", "H1"),
    "T": ("defensive-publication", "I4", "I4"),
}
ST16_FROM = "2001-01-02"
# RLAP COD, the parent code (72 is confirmed by the parent-case text of US3932709).
PARENT_RELATIONS = {"71": "continuation", "72": "continuation-in-part", "73": "division"}
# SRC, the application series code; design applications carry "D" for series 29.
SERIES_CODES = {"D": "29"}

_WKU_RE = re.compile(r"^(RE|PP|RX|D|T|H|X)?(\d{6,8})(\S)$")


# -- field values -------------------------------------------------------------------------------------------


def parse_wku(wku: str) -> tuple[str, str]:
    """``039373754`` -> ("", "3937375"); ``D02681420`` -> ("D", "D268142"): the last character is a check digit."""
    m = _WKU_RE.match(wku.strip())
    if not m or len(wku.strip()) != 9:
        raise ValueError(f"not an APS patent number (WKU): {wku!r}")
    prefix = m.group(1) or ""
    return prefix, prefix + (m.group(2).lstrip("0") or "0")


def kind_of(prefix: str, issued: str | None) -> tuple[str, str]:
    """(kind, document type) of a grant from its series prefix and issue date (see the module docstring)."""
    doc_type, old, st16 = SERIES.get(prefix, SERIES[""])
    return (st16 if issued and issued >= ST16_FROM else old), doc_type


def application_number(series: str | None, apn: str | None) -> str | None:
    """APN is the six-digit serial number and a check character; SRC, the series code, goes in front."""
    if not apn:
        return None
    apn = apn.strip()
    serial = apn[:6] if len(apn) == 7 and apn[:6].isdigit() else apn
    if not series:
        return serial
    series = SERIES_CODES.get(series.strip(), series.strip())
    return (series.zfill(2) if series.isdigit() else series) + serial


def uspc(value: str) -> str:
    """Fixed columns (class 1-3, subclass 4-6, decimals or letters after) -> ``224/42.07``, ``179/2DD``."""
    cls, sub, rest = value[:3].replace(" ", ""), value[3:6].strip(), value[6:].strip()
    if not cls or not sub:
        raise ValueError(f"not a US class: {value!r}")
    if rest:
        sub += "." + rest if rest[0].isdigit() else rest
    return f"{cls}/{sub}"


def loose_date(value: str | None) -> str | None:
    """A date of a cited or related document: a wrong one is dropped rather than failing the patent."""
    try:
        return normalise_date(value)
    except ValueError:
        return None


def loose_key(country: str | None, number: str | None) -> str | None:
    if not country or not number:
        return None
    try:
        return normalise_pub_key(country + number.strip())
    except ValueError:
        return None


def number_of(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def person(role: str, name: str, sequence: int, **where: str | None) -> Party:
    """APS writes people "Family; Given"; the record's name is "Given Family"."""
    family, sep, given = name.partition(";")
    if not sep:
        return Party(role=role, name=name.strip(), sequence=sequence, **where)  # type: ignore[arg-type]
    family, given = family.strip(), given.strip()
    return Party(
        role=role,  # type: ignore[arg-type]
        name=f"{given} {family}".strip(),
        sequence=sequence,
        given_name=given or None,
        family_name=family or None,
        **where,
    )


def place(group: Group) -> dict[str, str | None]:
    """City, state and ISO country of an address; an address with a state and no country is in the US."""
    state, country = group.get("STA"), group.get("CNT")
    iso = normalise_country(country) if country else ("US" if state else None)
    return {"city": group.get("CTY"), "state": state, "country": iso}


# -- one patent: groups -> record ----------------------------------------------------------------------------


def parse_patent(groups: list[Group], ref: SourceRef) -> Publication:
    patn = groups[0]
    wku = patn.get("WKU")
    if not wku:
        raise ValueError("no patent number (WKU)")
    prefix, number = parse_wku(wku)
    issued = normalise_date(patn.get("ISD"))
    kind, doc_type = kind_of(prefix, issued)
    pub_key = normalise_pub_key("US" + number, kind=kind)
    apt = patn.get("APT")
    pub = Publication(
        pub_key=pub_key,
        country="US",
        number=split_pub_key(pub_key)[1],
        kind=kind,
        source=ref,
        published=issued,
        granted=issued,
        doc_type=doc_type,
        application=Application(
            country="US",
            number=application_number(patn.get("SRC"), patn.get("APN")),
            date=normalise_date(patn.get("APD")),
            type=APPLICATION_TYPES.get(apt or "", doc_type if doc_type != "grant" else "utility"),
        ),
        figure_count=number_of(patn.get("NFG")),
        sheet_count=number_of(patn.get("NDR")),
    )
    title = patn.get("TTL")
    if title:
        pub.texts.append(Text("title", title, "en"))
    for tag, kind_of_examiner in (("EXP", "primary"), ("EXA", "assistant")):
        for name in patn.all(tag):
            pub.parties.append(
                person("examiner", name, len(pub.parties_of("examiner")) + 1, kind=kind_of_examiner)
            )
    for group in groups[1:]:
        add_group(pub, group, design=doc_type == "design")
    add_texts(pub, groups)
    pub.claim_count = number_of(patn.get("NCL")) or count_claims(groups)
    return pub


def add_group(pub: Publication, group: Group, design: bool) -> None:
    """The bibliographic sections; text sections are read by :func:`add_texts`."""
    tag = group.tag
    if tag in ("INVT", "ASSG"):
        name = group.get("NAM")
        if name:
            role = "inventor" if tag == "INVT" else "assignee"
            seq = len(pub.parties_of(role)) + 1  # type: ignore[arg-type]
            if role == "assignee" and ";" not in name:
                pub.parties.append(Party(role="assignee", name=name, sequence=seq, **place(group)))
            else:
                pub.parties.append(person(role, name, seq, **place(group)))
    elif tag == "LREP":
        for t, value in group.fields:
            seq = len(pub.parties_of("agent")) + 1
            if t == "FRM":
                pub.parties.append(Party(role="agent", name=value, sequence=seq, kind="firm"))
            elif t in ("FR2", "AAT", "AGT", "ATT", "NAM") and value:
                pub.parties.append(person("agent", value, seq))
    elif tag == "PRIR":
        if group.get("APN") or group.get("APD"):
            pub.priorities.append(
                Priority(
                    normalise_country(group.get("CNT")),
                    group.get("APN"),
                    loose_date(group.get("APD")),
                    "national",
                )
            )
    elif tag in ("RLAP", "REIS"):
        relation = "reissue-of" if tag == "REIS" else PARENT_RELATIONS.get(group.get("COD") or "", "related")
        if group.get("APN"):
            pub.related.append(
                Related(
                    relation, "US", group.get("APN"), loose_date(group.get("APD")), "application", "parent"
                )
            )
        if group.get("PNO"):
            pub.related.append(
                Related(relation, "US", group.get("PNO"), loose_date(group.get("ISD")), "patent", "parent")
            )
    elif tag == "PCTA":
        if group.get("PCN"):
            pub.related.append(
                Related(
                    "pct-application", "WO", group.get("PCN"), loose_date(group.get("PD3")), "application"
                )
            )
        if group.get("PCP"):
            pub.related.append(
                Related(
                    "pct-publication", "WO", group.get("PCP"), loose_date(group.get("PCD")), "publication"
                )
            )
    elif tag == "CLAS":
        add_classes(pub, group, design)
    elif tag in ("UREF", "FREF"):
        number = group.get("PNO")
        if number:
            country = "US" if tag == "UREF" else normalise_country(group.get("CNT"))
            pub.citations.append(
                Citation(
                    len(pub.citations) + 1,
                    loose_key(country, number),
                    country,
                    number,
                    None,
                    loose_date(group.get("ISD")),
                )
            )
    elif tag == "OREF":
        for t, value in group.fields:
            if t in TEXT_TAGS and value:
                pub.citations.append(Citation(len(pub.citations) + 1, npl=value))


def add_classes(pub: Publication, group: Group, design: bool) -> None:
    """OCL (original US class) and XCL (cross-reference) -> USPC; ICL -> IPC, or Locarno for designs.

    A symbol that cannot be read is left out rather than failing the whole patent.
    """
    us = [c for c in (_try(uspc, v) for v in group.all("OCL") + group.all("XCL")) if c]
    for i, code in enumerate(us):
        pub.classes.append(Classification("USPC", code, i + 1, first=i == 0 and bool(group.all("OCL"))))
    intl: list[tuple[str, str]] = []
    for value in group.all("ICL"):
        locarno = re.fullmatch(r"D?\s*(\d\d)\s*(\d\d)", value.strip()) if design else None
        if locarno:
            intl.append(("LOCARNO", f"{locarno.group(1)}-{locarno.group(2)}"))
        elif code := _try(normalise_class, value):
            intl.append(("IPC", code))
    for i, (scheme, code) in enumerate(intl):
        pub.classes.append(Classification(scheme, code, i + 1, first=i == 0))  # type: ignore[arg-type]


def _try(parse, value: str) -> str | None:  # type: ignore[no-untyped-def]
    try:
        return parse(value)
    except ValueError:
        return None


def add_texts(pub: Publication, groups: list[Group]) -> None:
    abstract = [v for g in groups if g.tag == "ABST" for t, v in g.fields if t in TEXT_TAGS and v]
    if abstract:
        pub.texts.append(Text("abstract", "\n".join(abstract), "en"))
    claims = claim_texts(groups)
    if claims:
        pub.texts.append(Text("claims", "\n\n".join(claims), "en"))
    description = [
        v for g in groups if g.tag in DESCRIPTION_SECTIONS for t, v in g.fields if t in TEXT_TAGS and v
    ]
    if description:
        pub.texts.append(Text("description", "\n".join(description), "en"))


def claim_texts(groups: list[Group]) -> list[str]:
    """One text per claim: ``NUM`` starts a claim in CLMS; a design's DCLM is one claim. STM is left out."""
    claims: list[list[str]] = []
    for group in groups:
        if group.tag == "DCLM":
            claims.append([v for t, v in group.fields if t in TEXT_TAGS and v])
        elif group.tag == "CLMS":
            for t, value in group.fields:
                if t == "NUM" or (not claims and t in TEXT_TAGS):
                    claims.append([])
                if t in TEXT_TAGS and value:
                    claims[-1].append(value)
    return ["\n".join(lines) for lines in claims if lines]


def count_claims(groups: list[Group]) -> int | None:
    return len(claim_texts(groups)) or None


# -- the reader --------------------------------------------------------------------------------------------


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
        return split_patents(stream)

    def parse_chunk(self, chunk: Chunk, origin: Origin) -> Item:
        ref = origin.ref(self, index=chunk.index, offset=chunk.offset)
        pub_key = None
        try:
            groups = parse_groups(decode(chunk.data))
            pub_key = _try(lambda wku: "US-" + parse_wku(wku)[1], groups[0].get("WKU") or "")
            return parse_patent(groups, ref)
        except Exception as exc:
            return Rejected(
                source=ref, reason=describe_error(exc), snippet=snippet(chunk.data), pub_key=pub_key
            )

    def read(self, stream: BinaryIO, origin: Origin) -> Iterator[Item]:
        for chunk in self.chunks(stream):
            yield self.parse_chunk(chunk, origin)
