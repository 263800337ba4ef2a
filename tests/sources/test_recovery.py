"""Damaged real documents of every XML family: recovered when their bibliographic data are intact.

Each test damages a real document of ../shared/data the way office files are damaged (stray ``<`` or ``&``,
an undefined entity, a bad character reference, a document cut short, bytes that are not UTF-8, a wrong
encoding declaration), reads it with the reader detection picks, and checks the record against the undamaged
document: its key as written in the table below, its titles read with plain lxml, and every bibliographic
field as the same reader reads the undamaged document. Lines are counted from the file, independently.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from patscape.record import Publication, Rejected
from patscape.sources.base import Item, Origin, Reader
from patscape.sources.detect import detect


@dataclass(frozen=True)
class Family:
    name: str
    path: str  # below ../shared/data
    key: str  # the publication as the file writes it, in DOCDB form
    biblio: str  # local name of the element holding the bibliographic data
    paragraph: str  # local name of the first text element after it, where text damage is put
    title: str  # local name of the title element(s)


FAMILIES = [
    Family(
        "USPTO ICE",
        "go_uspto_testdata/grant/v4-5-B2.xml",
        "US-11147202-B2",
        "us-bibliographic-data-grant",
        "p",
        "invention-title",
    ),
    Family("PATDOC", "go_uspto_testdata/grant/v2-5-B2.xml", "US-6530116-B2", "SDOBI", "PDAT", "B540"),
    Family(
        "PAP",
        "uspto_patentpublicdata_samples/pap/US20010000044A1.xml",
        "US-2001000044-A1",
        "subdoc-bibliographic-information",
        "paragraph",
        "title-of-invention",
    ),
    Family("EP", "go_epo_eps_testdata/application/v1-5-1-A1.xml", "EP-3882239-A1", "SDOBI", "p", "B542"),
    Family(
        "DOCDB",
        "go_epo_bdds_docdb_testdata/epo_docdb/test-data/WO-2023012807-A1_507242069.xml",
        "WO-2023012807-A1",
        "bibliographic-data",
        "p",
        "invention-title",
    ),
    Family(
        "CNIPA",
        "cn_jp_st36_st96_examples/examples/cn_new1.xml",
        "CN-113781974-A",
        "BibliographicData",
        "Paragraphs",
        "InventionTitle",
    ),
    Family(
        "JPO",
        "cn_jp_st36_st96_examples/examples/jp_example1.xml",
        "JP-2021044377-A",
        "bibliographic-data",
        "p",
        "invention-title",
    ),
    Family(
        "ST.36",
        "cn_jp_st36_st96_examples/st36_wipo_examples/cn_old/200880114428_A.xml",
        "CN-103492414-A",
        "cn-bibliographic-data",
        "p",
        "invention-title",
    ),
    Family(
        "ST.96",
        "cn_jp_st36_st96_examples/03-96-vii-example-instances/PatentPublication_Example.xml",
        "US-8936998-B2",
        "BibliographicData",
        "P",
        "InventionTitle",
    ),
]
IDS = [f.name for f in FAMILIES]
BIBLIOGRAPHIC = (
    "pub_key", "country", "number", "kind", "published", "granted", "doc_type", "application", "priorities",
    "related", "parties", "classes", "family_id", "version",
)  # fmt: skip


@pytest.fixture(scope="module", params=FAMILIES, ids=IDS)
def family(request: pytest.FixtureRequest, data: Path) -> tuple[Family, bytes, Reader, Publication]:
    fam: Family = request.param
    raw = (data / fam.path).read_bytes()
    reader = detect(raw[:65536])
    assert reader is not None, fam.path
    (undamaged,) = read(reader, raw)
    assert isinstance(undamaged, Publication) and undamaged.recovered is None
    return fam, raw, reader, undamaged


def read(reader: Reader, raw: bytes) -> list[Item]:
    return list(reader.read(io.BytesIO(raw), Origin("damaged.xml")))


def read_one(reader: Reader, raw: bytes) -> Publication | Rejected:
    items = read(reader, raw)
    assert len(items) == 1, items
    assert isinstance(items[0], Publication | Rejected)
    return items[0]


def biblio_end(fam: Family, raw: bytes) -> int:
    return re.search(rb"</(?:[\w.-]+:)?" + fam.biblio.encode() + rb"\s*>", raw).end()


def paragraph_start(fam: Family, raw: bytes) -> int:
    """Where the text of the first paragraph after the bibliographic data starts."""
    tag = re.compile(rb"<(?:[\w.-]+:)?" + fam.paragraph.encode() + rb"[\s>]")
    start = tag.search(raw, biblio_end(fam, raw)).end()
    return re.compile(rb">\s*([^<\s])").search(raw, start).start(1)


def last_biblio_text_end(fam: Family, raw: bytes) -> int:
    """Where the last text inside the bibliographic data ends (just before an end tag)."""
    end = biblio_end(fam, raw)
    return max(m.start(1) for m in re.finditer(rb"[^>\s](</)", raw[:end]))


def insert(raw: bytes, at: int, what: bytes) -> bytes:
    return raw[:at] + what + raw[at:]


def line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def lxml_titles(fam: Family, raw: bytes) -> set[str]:
    """The titles as plain lxml reads the undamaged file (no DTD, no network), whitespace folded."""
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    unprefixed = re.sub(rb"<(/?)[\w.-]+:", rb"<\1", raw)  # a DOCDB file leaves its exch: prefix undeclared
    resolved = re.sub(rb"&([A-Za-z]\w*);", _html_entity, unprefixed)  # and has no DTD for &ndash;
    root = etree.fromstring(resolved, parser)
    titles = root.xpath(f"//*[local-name()='{fam.title}']")
    assert titles, fam.title
    return {" ".join("".join(t.itertext()).split()) for t in titles}


def _html_entity(m: re.Match[bytes]) -> bytes:
    name = m.group(1).decode()
    return m.group(0) if name in ("amp", "lt", "gt", "quot", "apos") else html.unescape(f"&{name};").encode()


def all_text(pub: Publication) -> str:
    return " ".join([t.text for t in pub.texts] + [c.npl or "" for c in pub.citations])


def assert_bibliographic_data_intact(
    fam: Family, raw: bytes, pub: Publication, undamaged: Publication
) -> None:
    assert pub.pub_key == fam.key
    assert {t.text for t in pub.texts if t.kind == "title"} & lxml_titles(fam, raw)
    for name in BIBLIOGRAPHIC:
        assert getattr(pub, name) == getattr(undamaged, name), name
    assert [t for t in pub.texts if t.kind == "title"] == [t for t in undamaged.texts if t.kind == "title"]


# -- damage after the bibliographic data: recovered ------------------------------------------------------

# What is put at the start of the first paragraph after the bibliographic data, what the record's note says
# then (None: read as written, nothing to say) and the text the record keeps.
TEXT_DAMAGE = {
    "stray-less-than": (b"<First Embodiment ", r"line {line} in <.*dropped ['\"]<First Embodiment", None),
    "stray-ampersand": (b"AT&T & co ", None, "AT&T & co"),
    "undefined-entity": (b"&bogus; ", None, "&bogus;"),
    "bad-character-reference": (b"&#1; ", r"line {line} in <.*invalid xmlChar value 1", None),
    "not-utf8": (b"caf\xe9 ", r"line {line}: bytes 0xE9 are not UTF-8: read as windows-1252 'é'", "café"),
}


@pytest.mark.parametrize("damage", TEXT_DAMAGE)
def test_damage_in_a_text_spares_the_record(family, damage: str) -> None:
    fam, raw, reader, undamaged = family
    inserted, note, kept = TEXT_DAMAGE[damage]
    at = paragraph_start(fam, raw)
    pub = read_one(reader, insert(raw, at, inserted))
    assert isinstance(pub, Publication), pub
    assert_bibliographic_data_intact(fam, raw, pub, undamaged)
    if note is None:
        assert pub.recovered is None
    else:
        assert pub.recovered is not None and re.search(note.format(line=line_of(raw, at)), pub.recovered)
    if kept is not None:
        assert kept in all_text(pub)


def test_document_cut_short_is_recovered(family) -> None:
    fam, raw, reader, undamaged = family
    cut = paragraph_start(fam, raw) + 40
    pub = read_one(reader, raw[:cut])
    assert isinstance(pub, Publication), pub
    assert_bibliographic_data_intact(fam, raw, pub, undamaged)
    assert pub.recovered is not None and f"line {line_of(raw, cut)} " in pub.recovered
    assert "cut short" in pub.recovered
    assert len(all_text(pub)) < len(all_text(undamaged))


def test_wrong_encoding_declaration_garbles_nothing(family) -> None:
    fam, raw, reader, undamaged = family
    body = raw.removeprefix(b"\xef\xbb\xbf")
    declared = re.sub(rb"""encoding=["']utf-8["']""", b'encoding="ISO-8859-1"', body, count=1, flags=re.I)
    if declared == body:  # no declaration: one is added
        declared = b'<?xml version="1.0" encoding="ISO-8859-1"?>' + body
    pub = read_one(reader, declared)
    assert isinstance(pub, Publication), pub
    assert_bibliographic_data_intact(fam, raw, pub, undamaged)
    assert all_text(pub) == all_text(undamaged)
    if raw.isascii():  # latin-1 and UTF-8 agree on ASCII: nothing to recover
        assert pub.recovered is None
    else:
        assert (
            pub.recovered is not None
            and "encoding declared 'ISO-8859-1', but the bytes are UTF-8" in pub.recovered
        )


# -- damage to the bibliographic data: rejected ----------------------------------------------------------


BIBLIO_DAMAGE = {
    "stray-less-than": (
        b"<First Embodiment ",
        "not recovered: the damage (line {line}) is in the bibliographic data",
    ),
    "not-utf8": (
        b"caf\xe9 ",
        "not recovered: bytes that are not UTF-8 in the bibliographic data, line {line}",
    ),
}


@pytest.mark.parametrize("damage", BIBLIO_DAMAGE)
def test_damage_in_the_bibliographic_data_is_rejected(family, damage: str) -> None:
    fam, raw, reader, _ = family
    inserted, reason = BIBLIO_DAMAGE[damage]
    at = last_biblio_text_end(fam, raw)
    rejected = read_one(reader, insert(raw, at, inserted))
    assert isinstance(rejected, Rejected), rejected
    assert rejected.reason.startswith("XMLSyntaxError: ")
    assert reason.format(line=line_of(raw, at)) in rejected.reason


def test_document_cut_in_its_bibliographic_data_is_rejected(family) -> None:
    fam, raw, reader, _ = family
    rejected = read_one(reader, raw[: biblio_end(fam, raw) - len(fam.biblio) - 10])
    assert isinstance(rejected, Rejected), rejected
    assert "not recovered: the bibliographic data are not complete" in rejected.reason


# -- the EP document, and lines counted from the file ------------------------------------------------


def test_ep_heading_with_a_stray_less_than_is_recovered_with_abstract_and_claims(data: Path) -> None:
    """``<heading id="h0011"><First Embodiment</heading>`` in a real EP description (issue 12)."""
    raw = (data / "go_epo_eps_testdata/application/v1-5-1-A1.xml").read_bytes()
    heading = b'<heading id="h0011">Step 1</heading>'
    damaged = raw.replace(heading, b'<heading id="h0011"><First Embodiment</heading>')
    reader = detect(raw[:65536])
    (undamaged,) = read(reader, raw)
    pub = read_one(reader, damaged)
    assert isinstance(pub, Publication), pub
    line = line_of(raw, raw.index(heading))
    assert pub.recovered == (
        f"recovered: line {line} in <ep-patent-document/description/heading>: "
        "Specification mandates value for attribute Embodiment; dropped '<First Embodiment'"
    )
    for kind in ("title", "abstract", "claims"):
        assert [t for t in pub.texts if t.kind == kind] == [t for t in undamaged.texts if t.kind == kind]
    for name in BIBLIOGRAPHIC:
        assert getattr(pub, name) == getattr(undamaged, name), name
    description = pub.text("description", "en") or ""
    heading = "Step 1\nThis step is a step of obtaining Compound 6a-1"
    assert heading in (undamaged.text("description", "en") or "") and heading not in description
    assert (
        "Embodiment" not in description and "\nThis step is a step of obtaining Compound 6a-1" in description
    )


def test_lines_count_from_the_file_in_a_weekly_file(data: Path) -> None:
    """A damaged grant after others in a weekly file: its note and its source line count from the file."""
    raw = (data / "patentsview_db_fixtures/xml/ipg120327.two.xml").read_bytes()
    second = raw.index(b"<?xml", 10)
    at = raw.index(b"<claim-text>", second) + len(b"<claim-text>")
    reader = detect(raw[:65536])
    first, recovered = read(reader, insert(raw, at, b"<First Embodiment "))
    assert isinstance(first, Publication) and first.recovered is None and first.source.line == 1
    assert isinstance(recovered, Publication) and recovered.source.line == line_of(raw, second)
    assert recovered.recovered is not None and f"line {line_of(raw, at)} " in recovered.recovered
    bad_biblio = raw.index(b"<invention-title", second)
    first, rejected = read(reader, insert(raw, bad_biblio, b"<"))
    assert isinstance(rejected, Rejected) and rejected.source.line == line_of(raw, second)
    assert f"line {line_of(raw, bad_biblio)}, column" in rejected.reason


def test_lines_count_from_the_file_in_a_docdb_file(data: Path) -> None:
    """DOCDB exchange documents are reassembled with the root's namespaces; their lines are the file's."""
    raw = (data / "go_epo_bdds_docdb_testdata/epo_docdb/test-data/DE-backfile.xml").read_bytes()
    starts = [m.start() for m in re.finditer(rb"<exch:exchange-document[\s>]", raw)]
    fifth_biblio = raw.index(b"</exch:bibliographic-data>", starts[4])
    reader = detect(raw[:65536])
    items = read(reader, insert(raw, fifth_biblio - 1, b"<"))
    rejected = items[4]
    assert isinstance(rejected, Rejected) and rejected.source.line == line_of(raw, starts[4])
    assert [i.source.line for i in items] == [line_of(raw, s) for s in starts]


def test_a_latin1_document_is_recovered_in_its_own_encoding(data: Path) -> None:
    """A real EP grant re-encoded in the ISO-8859-1 it declares, then damaged after its bibliographic data:
    recovery reads it in that encoding (nothing is taken for odd UTF-8), its accented names intact."""
    raw = (data / "go_epo_eps_testdata/grant/v1-5-1-B2.xml").read_bytes()
    latin1 = raw.decode("utf-8").encode("latin-1").replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"', 1)
    reader = detect(raw[:65536])
    (undamaged,) = read(reader, raw)
    assert any(not p.name.isascii() for p in undamaged.parties)
    fam = Family("EP", "", undamaged.pub_key, "SDOBI", "p", "B542")
    at = paragraph_start(fam, latin1)
    pub = read_one(reader, insert(latin1, at, b"<First Embodiment "))
    assert isinstance(pub, Publication), pub
    assert_bibliographic_data_intact(fam, raw, pub, undamaged)
    assert pub.recovered is not None and "not UTF-8" not in pub.recovered
