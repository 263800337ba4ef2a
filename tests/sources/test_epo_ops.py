"""EPO OPS 3.2 XML responses: values read by hand from the real files."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest

from patscape.record import Publication, Rejected
from patscape.sources.base import Origin
from patscape.sources.detect import detect
from patscape.sources.epo_ops import EpoOpsReader

OPS = "epo_ops_patent_client"
BIBLIO = "published/test/expected/ep1000000_biblio_result.xml"
FULL_CYCLE = "published/test/full_cycle_example.xml"
US_BIBLIO = "published/test/biblio_example.xml"
AU_BIBLIO = "published/test/biblio_example_3.xml"
JP_BIBLIO = "published/test/biblio_example_2.xml"
ABSTRACT = "published/fixtures/ep1000000_abstract_result.xml"
CLAIMS = "published/test/claims_example.xml"
CLAIMS_ONE_TEXT = "published/test/claims_example_2.xml"
DESCRIPTION = "published/test/description_example.xml"
SEARCH = "published/test/search_example.xml"
SEARCH_100 = "published/test/expected/search_result.xml"
FAMILY = "family/fixtures/family_input.xml"
LEGAL_1 = "legal/fixtures/example_1.xml"
LEGAL_2 = "legal/fixtures/example_2.xml"
LEGAL_3 = "legal/fixtures/example_3.xml"
IMAGES = "published/test/image_example.xml"
XML_FILES = [
    BIBLIO, FULL_CYCLE, US_BIBLIO, AU_BIBLIO, JP_BIBLIO, ABSTRACT, CLAIMS, CLAIMS_ONE_TEXT, DESCRIPTION,
    SEARCH, SEARCH_100, FAMILY, LEGAL_1, LEGAL_2, LEGAL_3, IMAGES,
    "published/test/biblio_example_4.xml", "published/test/expected/ep1000000_abstract_result.xml",
    "published/test/expected/ep1000000_claims_result.xml",
    "published/test/expected/ep1000000_description_result.xml",
    "published/test/expected/ep1000000_full_cycle_result.xml",
    "published/fixtures/ep1000000_full_cycle_result.xml",
]  # fmt: skip
# The library's own parsed output, saved as JSON under an .xml name: not OPS responses.
JSON_FIXTURES = [
    "published/fixtures/ep1000000_description_result.xml",
    "published/fixtures/search_result.xml",
]
FOREIGN = [
    "go_epo_bdds_docdb_testdata/epo_docdb/test-data/DE-backfile.xml",
    "go_epo_bdds_docdb_testdata/epo_docdb/test-data/AP-1206-A_302101161.xml",
    "go_epo_eps_testdata/application/v1-5-A1.xml",
    "go_uspto_testdata/grant/v4-5-B2.xml",
    "cn_jp_st36_st96_examples/examples/cn_new1.xml",
    "cn_jp_st36_st96_examples/03-96-vii-example-instances/PatentPublication_Example.xml",
]


@functools.cache
def _items(path: str) -> list:
    with open(path, "rb") as stream:
        return list(EpoOpsReader().read(stream, Origin(path)))


def read_all(data: Path, rel: str) -> list[Publication]:
    items = _items(str(data / OPS / rel))
    assert all(isinstance(i, Publication) for i in items), items
    return items


def read(data: Path, rel: str) -> Publication:
    items = read_all(data, rel)
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("rel", XML_FILES)
def test_every_response_reads_without_rejection(data: Path, rel: str) -> None:
    items = read_all(data, rel)
    assert all(p.source.reader == "epo-ops" for p in items)


@pytest.mark.parametrize("rel", XML_FILES)
def test_detected_from_content(data: Path, rel: str) -> None:
    head = (data / OPS / rel).read_bytes()[: 64 * 1024]
    assert isinstance(detect(head), EpoOpsReader)


@pytest.mark.parametrize("rel", [f"{OPS}/{j}" for j in JSON_FIXTURES] + FOREIGN)
def test_other_files_are_not_claimed(data: Path, rel: str) -> None:
    assert not EpoOpsReader().sniff((data / rel).read_bytes()[: 64 * 1024])


def test_image_inquiry_gives_no_publication(data: Path) -> None:
    # ops:document-inquiry lists page images (full document, drawings, first page) of EP1000000: no record
    assert read_all(data, IMAGES) == []


def test_biblio(data: Path) -> None:
    pub = read(data, BIBLIO)
    assert (pub.pub_key, pub.kind, pub.published, pub.family_id) == (
        "EP-1000000-A1",
        "A1",
        "2000-05-17",
        "19768124",
    )
    assert (pub.application.country, pub.application.number, pub.application.date) == (
        "EP",
        "99203729",
        "1999-11-08",
    )
    assert [(p.country, p.number, p.date, p.kind) for p in pub.priorities] == [
        ("NL", "1010536", "1998-11-12", "national")
    ]
    assert [t.lang for t in pub.texts if t.kind == "title"] == ["en", "de", "fr"]
    assert pub.title == "Apparatus for manufacturing green bricks for the brick manufacturing industry"
    assert (
        pub.text("title", "de") == "Vorrichtung zur Herstellung von Steinformlingen für die Ziegelindustrie"
    )
    assert pub.abstract.startswith("The invention relates to an apparatus (1) for manufacturing green bricks")
    # original-format names, with the country of the epodoc spelling ("BOER BEHEER NIJMEGEN BV DE [NL]")
    applicant = pub.parties_of("applicant")[0]
    assert (applicant.name, applicant.country) == ("BEHEERMAATSCHAPPIJ DE BOER NIJMEGEN B.V", "NL")
    inventor = pub.parties_of("inventor")[0]  # "KOSMAN, WILHELMUS JACOBUS MARIA"
    assert (inventor.name, inventor.family_name, inventor.country) == (
        "WILHELMUS JACOBUS MARIA KOSMAN",
        "KOSMAN",
        "NL",
    )
    ipc = {c.code: c.first for c in pub.classes if c.scheme == "IPC"}
    assert ipc == {"B28B1/29": False, "B28B5/02": True, "B28B7/00": False, "H02P6/08": False}
    cpc = [c.code for c in pub.classes if c.scheme == "CPC"]
    assert cpc == ["B28B1/29", "B28B5/022", "B28B7/0064"]  # each given twice, by US and by EP
    assert [(c.cited_key, c.cited_by, c.category, c.date) for c in pub.citations] == [
        ("DE-3546191-A1", "examiner", "A", "1987-07-02"),
        ("EP-680812-A1", "examiner", "A", "1995-11-08"),
        ("NL-9400663-A", "examiner", "A", "1995-12-01"),
    ]


def test_full_cycle_gives_each_publication(data: Path) -> None:
    a1, b1 = read_all(data, FULL_CYCLE)
    assert (a1.pub_key, a1.published) == ("EP-1000000-A1", "2000-05-17")
    assert (b1.pub_key, b1.published, b1.family_id) == ("EP-1000000-B1", "2003-02-12", "19768124")
    assert len(a1.citations) == 3 and b1.citations == []
    assert b1.abstract is None


def test_us_and_au_biblio(data: Path) -> None:
    us = read(data, US_BIBLIO)
    assert (us.pub_key, us.published, us.family_id) == ("US-2006142694-A1", "2006-06-29", "35840242")
    assert us.title == "Bi-directional steerable catheter control handle"
    applicant = us.parties_of("applicant")[0]  # original format only: no country given
    assert (applicant.name, applicant.country) == (
        "ST. JUDE MEDICAL, ATRIAL FIBRILLATION DIVISION, INC",
        None,
    )
    inventor = us.parties_of("inventor")[0]  # original "BEDNAREK MICHAEL C, ", epodoc "... [US]"
    assert (inventor.name, inventor.country) == ("BEDNAREK MICHAEL C", "US")
    assert len(us.citations) == 99 and all(c.cited_by == "examiner" for c in us.citations)
    au = read(data, AU_BIBLIO)
    assert au.pub_key == "AU-2013290010-A1"
    assert [p.name for p in au.parties_of("applicant")] == [
        "PRIMUS GREEN ENERGY INC",
        "BLUESCAPE CLEAN FUELS, LLC",
    ]
    # original lists each inventor twice ("FANG, HOWARD L" and "Fang, Howard L"): kept once
    assert [p.name for p in au.parties_of("inventor")] == ["HOWARD L FANG", "MEIFANG QIN", "MOSHE BEN-REUVEN"]


def test_jp_biblio_without_docdb_priorities(data: Path) -> None:
    jp = read(data, JP_BIBLIO)
    assert (jp.pub_key, jp.published, jp.family_id) == ("JP-2005533465-A", "2005-11-04", "30117972")
    # priority claims given in epodoc (country) and original (number) form only
    assert [(p.country, p.number, p.date) for p in jp.priorities] == [
        ("US", "2002 396363", "2002-07-15"),
        ("US", "2002 291320", "2002-11-08"),
        ("WO", "2003/21714", "2003-07-11"),
    ]
    assert [c.cited_key for c in jp.citations] == ["JP-2004088737-A", "JP-2004048632-A"]
    assert jp.parties == [] and jp.title is None


def test_abstract_only_response(data: Path) -> None:
    pub = read(data, ABSTRACT)
    assert pub.pub_key == "EP-1000000-A1"
    assert [t.kind for t in pub.texts] == ["abstract"]
    assert pub.text("abstract", "en").endswith("on at least one side of the green bricks. <IMAGE>")


def test_claims_one_text_per_claim(data: Path) -> None:
    pub = read(data, CLAIMS)
    assert (pub.pub_key, pub.claim_count) == ("EP-1000000-A1", 11)
    claims = pub.text("claims", "en")
    assert claims.startswith("1. Apparatus for manufacturing green bricks from clay")
    assert claims.split("\n\n")[-1].startswith("11. Apparatus as claimed in claim 10, wherein the conveyor")


def test_claims_all_in_one_numbered_text(data: Path) -> None:
    pub = read(data, CLAIMS_ONE_TEXT)
    assert (pub.pub_key, pub.claim_count) == ("WO-2009085664-A2", 20)
    claims = pub.text("claims", "en").split("\n\n")
    assert claims[0].startswith("1. A computer-implemented method comprising: maintaining metadata")
    assert (
        claims[1]
        == "2. The method of claim 1 , wherein the user action inputs text into a Web browser user interface."
    )


def test_description(data: Path) -> None:
    pub = read(data, DESCRIPTION)
    assert pub.pub_key == "EP-1000000-A1"
    paragraphs = pub.text("description", "en").split("\n")
    assert paragraphs[0].startswith(
        "[0001] The invention relates to an apparatus for manufacturing green bricks"
    )
    assert paragraphs[1] == (
        "[0002] A recent demand has developed on the market for bricks which appear as if they have been "
        "manufactured according to traditional methods."
    )


def test_search_results_are_key_only_publications(data: Path) -> None:
    pubs = read_all(data, SEARCH)
    assert len(pubs) == 15
    assert (pubs[0].pub_key, pubs[0].family_id) == ("US-2021381337-A1", "40674565")
    assert (pubs[1].pub_key, pubs[1].family_id) == ("WO-2020086066-A1", "70331881")
    assert all(p.texts == [] and p.parties == [] for p in pubs)
    page = read_all(data, SEARCH_100)
    assert len(page) == 100
    assert (page[0].pub_key, page[0].family_id) == ("WO-2023205392-A1", "88420563")


def test_inpadoc_family_members(data: Path) -> None:
    members = read_all(data, FAMILY)
    assert [m.pub_key for m in members] == [
        "EP-1000000-A1",
        "EP-1000000-B1",
        "AT-232441-T",
        "DE-69905327-D1",
        "NL-1010536-C2",
        "US-6093011-A",
    ]
    assert {m.family_id for m in members} == {"19768124"}
    assert {m.family_size for m in members} == {6}
    at = members[2]
    assert (at.published, at.application.country, at.application.number, at.application.date) == (
        "2003-02-15",
        "AT",
        "99203729",
        "1999-11-08",
    )
    assert [(p.country, p.number, p.date) for p in at.priorities] == [("NL", "1010536", "1998-11-12")]
    assert all(m.events == [] for m in members)


@pytest.mark.parametrize(
    ("rel", "key", "count", "first", "size"),
    [
        (LEGAL_1, "EP-1000000-A1", 50, ("2002-06-05", "17Q", "FIRST EXAMINATION REPORT DESPATCHED"), 6),
        (LEGAL_2, "EP-1000000-A1", 51, ("2002-06-05", "17Q", "FIRST EXAMINATION REPORT DESPATCHED"), 6),
        (LEGAL_3, "US-10465445-B2", 14, ("2018-03-14", "AS", "ASSIGNMENT"), 15),
    ],
)
def test_legal_events(data: Path, rel: str, key: str, count: int, first: tuple, size: int) -> None:
    pub = read(data, rel)
    assert pub.pub_key == key
    assert pub.family_size == size
    assert len(pub.events) == count
    event = pub.events[0]
    assert (event.date, event.code, event.description) == first


def test_legal_events_in_order(data: Path) -> None:
    events = read(data, LEGAL_1).events
    assert [(e.date, e.code) for e in events[:4]] == [
        ("2002-06-05", "17Q"),
        ("2003-02-12", "AK"),
        ("2003-02-14", "REG"),
        ("2003-03-20", "REF"),
    ]


def test_unknown_response_is_quarantined() -> None:
    doc = (
        b'<?xml version="1.0" encoding="UTF-8"?><ops:world-patent-data xmlns:ops="http://ops.epo.org">'
        b"<ops:register-search/></ops:world-patent-data>"
    )
    items = list(EpoOpsReader().read(io.BytesIO(doc), Origin("register.xml")))
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "register-search" in items[0].reason
