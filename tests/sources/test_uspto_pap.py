"""USPTO application publication XML v1.5 / v1.6: values read by hand from the real files."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from patscape.record import Publication
from patscape.sources.base import Origin
from patscape.sources.detect import detect
from patscape.sources.uspto_pap import PapReader

A1_1 = "go_uspto_testdata/application/v1-5-A1_1.xml"  # bibliography and abstract only
A1_2 = "go_uspto_testdata/application/v1-5-A1_2.xml"
P44 = "uspto_patentpublicdata_samples/pap/US20010000044A1.xml"  # XHTML DOCTYPE, no XML declaration
P943 = "uspto_patentpublicdata_samples/pap/US20010000943A1.xml"
P9014 = "uspto_patentpublicdata_samples/pap/US20010009014A1.xml"
V16 = "patentsview_db_fixtures/xml/pa040101.two.xml"  # v1.6; one document despite the name
FILES = [A1_1, A1_2, P44, P943, P9014, V16]


@functools.cache
def _items(path: str) -> list:
    with open(path, "rb") as stream:
        return list(PapReader().read(stream, Origin(path)))


def read(data: Path, rel: str) -> Publication:
    items = _items(str(data / rel))
    assert len(items) == 1
    assert isinstance(items[0], Publication), items[0]
    return items[0]


@pytest.mark.parametrize("rel", FILES)
def test_every_file_reads_without_rejection(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert pub.source.reader == "uspto-pap"
    assert pub.source.index == 0


@pytest.mark.parametrize("rel", FILES)
def test_detected_from_content(data: Path, rel: str) -> None:
    head = (data / rel).read_bytes()[: 64 * 1024]
    assert isinstance(detect(head), PapReader)


# pub_key, published, application number, filing date
HEADERS = {
    A1_1: ("US-2001000001-A1", "2001-03-15", "09725796", "2000-11-29"),
    A1_2: ("US-2001000002-A1", "2001-03-15", "09726341", "2000-12-01"),
    P44: ("US-2001000044-A1", "2001-03-15", "09342866", "1999-06-29"),
    P943: ("US-2001000943-A1", "2001-05-10", "09727454", "2000-12-04"),
    P9014: ("US-2001009014-A1", "2001-07-19", "09777392", "2001-02-05"),
    V16: ("US-2004000002-A1", "2004-01-01", "10189364", "2002-06-27"),
}


@pytest.mark.parametrize("rel", FILES)
def test_header(data: Path, rel: str) -> None:
    pub = read(data, rel)
    key, published, app_number, filed = HEADERS[rel]
    assert pub.pub_key == key
    assert (pub.country, pub.kind, pub.doc_type) == ("US", "A1", "application")
    assert pub.published == published
    assert pub.granted is None
    assert (pub.application.country, pub.application.number, pub.application.date) == (
        "US",
        app_number,
        filed,
    )
    assert pub.application.type == "utility"
    assert pub.version is None  # the format carries no production stamp


# title, claims, drawing sheets
FACTS = {
    A1_1: (
        "Solvent mixture for use in a vapor degreaser and method of cleaning an article in a vapor "
        "degreaser utilizing said solvent",
        None,
        None,
    ),
    A1_2: ("Process for detecting and correcting a fiber orientation cross direction profile change", 33, 10),
    P44: (
        "Systems and Methods For Transacting Business Over A Global Communications Network "
        "Such As The Internet",
        21,
        2,
    ),
    P943: ("Organic electroluminescence device and method of manufacturing same", 13, 35),
    P9014: ("Facilitating real-time, multi-point communications over the internet", 55, 14),
    V16: ("Garment for preventing muscle strain", 1, 7),  # figure-D00000 is the front-page drawing
}


@pytest.mark.parametrize("rel", FILES)
def test_title_and_counts(data: Path, rel: str) -> None:
    pub = read(data, rel)
    title, claims, sheets = FACTS[rel]
    assert pub.title == title
    assert pub.claim_count == claims
    assert pub.sheet_count == sheets
    assert pub.figure_count is None  # the format does not count figures
    claims_text = pub.text("claims")
    if claims is None:
        assert claims_text is None
    else:
        assert claims_text is not None
        assert len(claims_text.split("\n\n")) == claims


# (scheme, code, first): IPC, and the US class in the grants' fixed-column form
CLASSES = {
    A1_1: [("IPC", "B08B3/00", True), ("USPC", "134 31", True)],
    A1_2: [("IPC", "D21C11/12", True), ("USPC", "162259", True)],
    P44: [("IPC", "G06F17/60", True), ("USPC", "705 26", True), ("USPC", "705 37", False)],
    P943: [("IPC", "H01J1/62", True), ("USPC", "313503", True), ("USPC", "313504", False)],
    P9014: [("IPC", "G06F15/16", True), ("USPC", "709204", True), ("USPC", "709227", False)],
    V16: [("IPC", "A41B1/00", True), ("USPC", "2 69", True)],
}


@pytest.mark.parametrize("rel", FILES)
def test_classes(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert [(c.scheme, c.code, c.first) for c in pub.classes] == CLASSES[rel]


PRIORITIES = {
    A1_1: [],
    A1_2: [("DE", "197 33 454", "1997-08-02")],
    P44: [],
    P943: [("JP", "11-097727", "1999-04-05")],
    P9014: [],
    V16: [],
}


@pytest.mark.parametrize("rel", FILES)
def test_priorities(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert [(p.country, p.number, p.date) for p in pub.priorities] == PRIORITIES[rel]
    assert pub.citations == []  # application publications list no citations


# (relation, role, number, date) from continuity-data, in document order
RELATED = {
    A1_1: [
        ("continuation", "parent", "09375495", "1999-08-17"),
        ("continuation", "parent", "08894495", "1997-11-10"),
        ("continuation", "parent-grant", "5938859", None),
        ("371-of-international", "parent", "PCT/US97/05183", "1997-03-28"),
        ("continuation-in-part", "parent", "08580840", "1995-12-29"),
        ("continuation-in-part", "parent-grant", "5616549", None),
    ],
    A1_2: [("division", "parent", "09126808", "1998-07-31"), ("division", "parent-grant", "6174413", None)],
    P44: [],
    P943: [("continuation", "parent", "PCT/JP00/02182", "2000-04-04")],
    P9014: [
        ("division", "parent", "09432885", "1999-11-02"),
        ("continuation-in-part", "parent", "09312927", "1999-05-17"),
        ("us-provisional-application", "parent", "60128037", "1999-04-06"),
    ],
    V16: [
        ("continuation", "parent", "09919271", "2001-07-30"),
        ("continuation", "parent-grant", "6557176", None),
    ],
}


@pytest.mark.parametrize("rel", FILES)
def test_related(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert [(r.relation, r.role, r.number, r.date) for r in pub.related] == RELATED[rel]
    assert all(r.country == "US" for r in pub.related)


# first inventor: name, given, family, city, state, country; inventor count; first assignee (name, country)
PARTIES = {
    A1_1: (("Lawrence A. Clark", "Lawrence A.", "Clark", "Alameda", "CA", "US"), 2, None),
    A1_2: (("Wolfgang Ruf", "Wolfgang", "Ruf", "Herbrachtingen-Bolheim", None, "DE"), 4, None),
    P44: (("Wayne W Lin", "Wayne W", "Lin", "Irvine", "CA", "US"), 1, None),
    P943: (
        ("Kenichi Fukuoka", "Kenichi", "Fukuoka", "Sodegaura-shi", None, "JP"),
        2,
        ("IDEMITSU KOSAN CO., LTD.", None),
    ),
    P9014: (("James A. Savage III", "James A.", "Savage", "San Jose", "CA", "US"), 2, None),
    V16: (
        ("Scott Hollander", "Scott", "Hollander", "Tarzana", "CA", "US"),
        1,
        ("Hill-Rom Services, Inc.", None),
    ),
}


@pytest.mark.parametrize("rel", FILES)
def test_inventors_and_assignee(data: Path, rel: str) -> None:
    pub = read(data, rel)
    inventor, count, assignee = PARTIES[rel]
    inventors = pub.parties_of("inventor")
    assert len(inventors) == count
    first = inventors[0]
    assert (
        first.name,
        first.given_name,
        first.family_name,
        first.city,
        first.state,
        first.country,
    ) == inventor
    assert [p.sequence for p in inventors] == list(range(1, count + 1))
    assignees = pub.parties_of("assignee")
    assert [(a.name, a.country) for a in assignees] == ([] if assignee is None else [assignee])


@pytest.mark.parametrize("rel", [A1_1, A1_2, P943, P9014, V16])
def test_inventors_are_the_applicants(data: Path, rel: str) -> None:
    """``authority-applicant`` INV: each inventor is also an applicant."""
    pub = read(data, rel)
    applicants = pub.parties_of("applicant")
    assert [a.name for a in applicants] == [i.name for i in pub.parties_of("inventor")]
    assert {a.kind for a in applicants} == {"applicant-inventor"}


def test_no_authority_no_applicant(data: Path) -> None:
    pub = read(data, P44)  # its inventor has no authority-applicant element
    assert pub.parties_of("applicant") == []


CORRESPONDENCE = {
    A1_1: ("MARSHALL, O'TOOLE, GERSTEIN, MURRAY & BORUN", "CHICAGO", "IL", "US"),
    A1_2: ("GREENBLUM & BERNSTEIN", "RESTON", "VA", "US"),  # no country element: a US state
    P44: ("Neal", "Newport Beach", "California", "US"),
    P943: ("PARKHURST & WENDEL, L.L.P.", "Alexandria", "VA", "US"),
    P9014: ("Cooley Godward LLP", "Palo Alto", "CA", "US"),
    V16: ("KNOBBE MARTENS OLSON & BEAR LLP", "IRVINE", "CA", "US"),
}


@pytest.mark.parametrize("rel", FILES)
def test_correspondence_address_as_agent(data: Path, rel: str) -> None:
    pub = read(data, rel)
    agents = pub.parties_of("agent")
    assert [(a.name, a.city, a.state, a.country) for a in agents] == [CORRESPONDENCE[rel]]
    assert agents[0].kind == "correspondence-address"


def test_texts_a1_2(data: Path) -> None:
    pub = read(data, A1_2)
    assert pub.abstract is not None
    assert pub.abstract.startswith("Process and a device for detecting a change in the fiber orientation")
    description = pub.text("description")
    assert description is not None
    # headings and paragraphs one a line, without the paragraph numbers
    assert description.startswith(
        "CROSS-REFERENCE TO RELATED APPLICATION\nThe present application claims priority under 35 U.S.C. 119"
    )
    assert "determining the wavelength(s) λ of the change(s)" in description  # &lgr;
    assert "“on line”" in description  # &ldquo; &rdquo;
    claims = pub.text("claims")
    assert claims is not None
    assert claims.startswith(
        "1. A process for detecting a change in fiber orientation cross-direction profile"
    )


def test_padded_values_v15(data: Path) -> None:
    """US20010000044A1 pads values with newlines and spaces."""
    pub = read(data, P44)
    assert pub.abstract is not None and pub.abstract.startswith("Abstract of Disclosure\nA business model")
    claims = pub.text("claims")
    assert claims is not None and claims.startswith(
        "1.A method of doing business over a global communications"
    )


def test_v16_texts(data: Path) -> None:
    pub = read(data, V16)
    description = pub.text("description")
    assert description is not None
    assert description.startswith(
        "BACKGROUND OF THE INVENTION\n1. Field of the Invention\nThe present invention"
    )
    assert "[0001]" not in description
    assert pub.text("claims") == (
        "1. A garment for releasably securing a user's hands at a fixed location along the user's body, "
        "comprising: an upper portion adapted for wear on the user's upper body, said upper portion having a "
        "first attachment means; and a hand portion adapted for wear along at least one of the user's hands, "
        "said hand portion having a second attachment means; wherein said first and second attachment means "
        "are releasably engageable for securing at least one of the user's hands to the user's upper body in "
        "a desired position."
    )
