"""USPTO grant XML v2.4 / v2.5 (PATDOC): values read by hand from the real files."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from patscape.record import Publication
from patscape.sources.base import Origin
from patscape.sources.detect import detect
from patscape.sources.uspto_patdoc import PatdocReader
from patscape.sources.uspto_values import ipc_code

B1 = "go_uspto_testdata/grant/v2-5-B1.xml"
B2 = "go_uspto_testdata/grant/v2-5-B2.xml"
S1 = "go_uspto_testdata/grant/v2-5-S1.xml"
US6336130 = "uspto_patentpublicdata_samples/sgml/US06336130.xml"
US6337117 = "uspto_patentpublicdata_samples/sgml/US06337117.xml"
D435854 = "uspto_patentpublicdata_samples/sgml/USD435854S1.xml"  # DTD v2.4, DOCTYPE commented out
FILES = [B1, B2, S1, US6336130, US6337117, D435854]


@functools.cache
def _items(path: str) -> list:
    with open(path, "rb") as stream:
        return list(PatdocReader().read(stream, Origin(path)))


def read(data: Path, rel: str) -> Publication:
    items = _items(str(data / rel))
    assert len(items) == 1
    assert isinstance(items[0], Publication), items[0]
    return items[0]


@pytest.mark.parametrize("rel", FILES)
def test_every_file_reads_without_rejection(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert pub.source.reader == "uspto-patdoc"
    assert pub.source.index == 0


@pytest.mark.parametrize("rel", FILES)
def test_detected_from_content(data: Path, rel: str) -> None:
    head = (data / rel).read_bytes()[: 64 * 1024]
    assert isinstance(detect(head), PatdocReader)


# pub_key, kind, doc_type, published, application number, filing date, version (STATUS build)
HEADERS = {
    B1: ("US-6334226-B1", "B1", "grant", "2002-01-01", "09529968", "2000-04-24", "2002-01-01"),
    B2: ("US-6530116-B2", "B2", "grant", "2003-03-11", "09782496", "2001-02-13", "2003-01-16"),
    S1: ("US-D452599-S1", "S1", "design", "2002-01-01", "29129833", "2000-09-22", "2002-01-01"),
    US6336130: ("US-6336130-B1", "B1", "grant", "2002-01-01", "09413215", "1999-10-05", "2002-01-01"),
    US6337117: ("US-6337117-B1", "B1", "grant", "2002-01-08", "09343526", "1999-06-30", "2002-01-01"),
    # v2.4 writes the kind "S"; the key uses S1 like v2.5 and the ICE formats
    D435854: ("US-D435854-S1", "S1", "design", "2001-01-02", "29116510", "1999-01-06", "2000-10-02"),
}


@pytest.mark.parametrize("rel", FILES)
def test_header(data: Path, rel: str) -> None:
    pub = read(data, rel)
    key, kind, doc_type, published, app_number, filed, version = HEADERS[rel]
    assert pub.pub_key == key
    assert pub.country == "US"
    assert pub.kind == kind
    assert pub.doc_type == doc_type
    assert pub.published == published
    assert pub.granted == published
    assert pub.application.country == "US"
    assert pub.application.number == app_number
    assert pub.application.date == filed
    assert pub.application.type == ("design" if doc_type == "design" else "utility")
    assert pub.version == version


# title, claims (B577), drawing sheets (B595), figures (B596)
FACTS = {
    B1: ("Faucet support member", 31, 28, 48),
    B2: ("Vacuum cleaner with muffled detachable blower exhaust", 20, 8, 8),
    S1: ("Confection item in the form of a tied braid", 1, 2, 7),
    US6336130: ("Arrangement for improving availability of services in a communication system", 22, 3, 5),
    US6337117: ("Optical memory device", 39, 39, 79),
    D435854: ("Disc cartridge", 1, 4, 14),
}


@pytest.mark.parametrize("rel", FILES)
def test_title_and_counts(data: Path, rel: str) -> None:
    pub = read(data, rel)
    title, claims, sheets, figures = FACTS[rel]
    assert pub.title == title
    assert pub.claim_count == claims
    assert pub.sheet_count == sheets
    assert pub.figure_count == figures
    claims_text = pub.text("claims")
    assert claims_text is not None
    assert len(claims_text.split("\n\n")) == claims


# (scheme, code, first) of every class: IPC or Locarno from B511/B512, USPC from B521/B522 as written
CLASSES = {
    B1: [("IPC", "E03C1/04", True)]
    + [("USPC", c, c == "4675") for c in ("4675", "4676", "4678", "4695", "4696")],
    B2: [("IPC", "A47L5/14", True)]
    + [("USPC", c, c == "15328") for c in ("15328", "153276", "15326", "15412")],
    S1: [("LOCARNO", "01-01", True), ("USPC", "D 1106", True)],
    US6336130: [
        ("IPC", "G06F15/16", True),
        ("IPC", "G06F13/00", False),
        ("USPC", "709202", True),
        ("USPC", "709201", False),
    ],
    US6337117: [("IPC", "B32B3/02", True)]
    + [
        ("USPC", c, c == "428 641")
        for c in ("428 641", "428 644", "428147", "428148", "428690", "428913", "4304951", "430945")
    ],
    D435854: [("LOCARNO", "14-02", True), ("USPC", "D14480", True)],
}


@pytest.mark.parametrize("rel", FILES)
def test_classes(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert [(c.scheme, c.code, c.first) for c in pub.classes] == CLASSES[rel]
    assert not [c for c in pub.classes if c.scheme == "CPC"]  # the format has no CPC


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("A47L  514", "A47L5/14"),
        ("G06F 1516", "G06F15/16"),
        ("B32B  302", "B32B3/02"),
        ("E03C 104", "E03C1/04"),
    ],
)
def test_fixed_column_ipc(raw: str, code: str) -> None:
    assert ipc_code(raw) == code


# (country, number, date) of the B300 priority claims
PRIORITIES = {
    B1: [("JP", "9-290033", "1997-10-22"), ("JP", "10-95065", "1998-04-07")],
    B2: [],
    S1: [("DE", "400 02 946", "2000-03-22")],
    US6336130: [("NO", "971605", "1997-04-08")],
    US6337117: [
        ("JP", "10-186098", "1998-07-01"),
        ("JP", "10-252239", "1998-09-07"),
        ("JP", "10-261333", "1998-09-16"),
        ("JP", "10-326339", "1998-11-17"),
    ],
    D435854: [],
}


@pytest.mark.parametrize("rel", FILES)
def test_priorities(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert [(p.country, p.number, p.date) for p in pub.priorities] == PRIORITIES[rel]


# patents cited by the examiner, patents cited by others, NPL cited by the examiner, NPL cited by others
CITATIONS = {
    B1: (10, 4, 0, 0),
    B2: (7, 26, 0, 4),
    S1: (3, 0, 1, 0),
    US6336130: (5, 1, 0, 3),
    US6337117: (2, 0, 0, 0),
    D435854: (10, 0, 0, 0),
}


@pytest.mark.parametrize("rel", FILES)
def test_citation_counts(data: Path, rel: str) -> None:
    pub = read(data, rel)
    patents = [c for c in pub.citations if c.npl is None]
    npl = [c for c in pub.citations if c.npl is not None]
    counts = (
        sum(c.cited_by == "examiner" for c in patents),
        sum(c.cited_by == "other" for c in patents),
        sum(c.cited_by == "examiner" for c in npl),
        sum(c.cited_by == "other" for c in npl),
    )
    assert counts == CITATIONS[rel]
    assert [c.sequence for c in pub.citations] == list(range(1, len(pub.citations) + 1))


# first inventor: name, given, family, city, state, country; first assignee: name, city, country
PARTIES = {
    B1: (("Osamu Tokunaga", "Osamu", "Tokunaga", "Fukuoka", None, "JP"), ("Toto Ltd.", "Fukuoka", "JP")),
    B2: (
        ("Robert C. Berfield", "Robert C.", "Berfield", "Jersey Shore", "PA", "US"),
        ("Shop Vac Corporation", "Williamsport", "US"),
    ),
    S1: (("Ute Rossi-Wolter", "Ute", "Rossi-Wolter", "74193 Schwaigern", None, "DE"), None),
    US6336130: (
        ("Thanh Van Do", "Thanh Van", "Do", "Oslo", None, "NO"),
        ("Telefonaktiebolaget LM Ericsson (publ)", "Stockholm", "SE"),
    ),
    US6337117: (
        ("Shinya Maenosono", "Shinya", "Maenosono", "Kanagawa", None, "JP"),
        ("Mitsubishi Chemical Corporation", "Tokyo", "JP"),
    ),
    D435854: (
        ("Hiroyoshi Takagi", "Hiroyoshi", "Takagi", "Kameoka", None, "JP"),
        ("Hitachi Maxell, Ltd.", "Osaka-fu", "JP"),
    ),
}
INVENTOR_COUNTS = {B1: 3, B2: 3, S1: 1, US6336130: 1, US6337117: 5, D435854: 8}


@pytest.mark.parametrize("rel", FILES)
def test_first_inventor_and_assignee(data: Path, rel: str) -> None:
    pub = read(data, rel)
    inventor, assignee = PARTIES[rel]
    inventors = pub.parties_of("inventor")
    assert len(inventors) == INVENTOR_COUNTS[rel]
    first = inventors[0]
    assert first.sequence == 1
    assert (
        first.name,
        first.given_name,
        first.family_name,
        first.city,
        first.state,
        first.country,
    ) == inventor
    assignees = pub.parties_of("assignee")
    if assignee is None:
        assert assignees == []
    else:
        a = assignees[0]
        assert (a.name, a.city, a.country) == assignee
        assert a.given_name is None and a.family_name is None
    assert pub.parties_of("applicant") == []  # the format names no applicants


def test_b1_agent_examiners_and_pct(data: Path) -> None:
    pub = read(data, B1)
    assert [p.name for p in pub.parties_of("agent")] == ["Pillsbury Winthrop LLP"]
    assert [(p.name, p.kind) for p in pub.parties_of("examiner")] == [
        ("Gregory L. Huson", "primary"),
        ("Khoa Huynh", "assistant"),
    ]
    assert [(r.relation, r.country, r.number, r.date) for r in pub.related] == [
        ("pct-filing", "WO", "PCT/JP98/04545", "1998-10-08"),
        ("pct-publication", "WO", "WO99/20849", "1999-04-29"),
    ]
    foreign = [c for c in pub.citations if c.country == "DE"]
    assert [(c.number, c.date, c.cited_key) for c in foreign] == [("3502953", "1985-10-01", "DE-3502953")]


def test_b2_prior_publication_and_texts(data: Path) -> None:
    pub = read(data, B2)
    assert [(r.relation, r.number, r.kind, r.date) for r in pub.related] == [
        ("related-publication", "20020108205", "A1", "2002-08-15")
    ]
    first = pub.citations[0]
    assert (first.cited_key, first.date, first.cited_by) == ("US-2276844-A", "1942-03-01", "other")
    assert pub.citations[-1].npl == "Photographs (4) of vacuum cleaner wooden model (Apr. 1999)."
    assert pub.citations[33].npl is not None and pub.citations[33].npl.startswith("Owner's Manual, Hoover")
    assert pub.abstract is not None and pub.abstract.startswith("A vacuum cleaner includes a housing")
    description = pub.text("description")
    assert description is not None
    assert description.startswith("FIELD OF THE INVENTION\nThe present invention is directed to a vacuum")
    assert "taken along line 2—2;" in description  # &mdash; resolved
    claims = pub.text("claims")
    assert claims is not None and claims.startswith("1. A vacuum cleaner comprising:")
    assert claims.split("\n\n")[-1].startswith("20. The vacuum cleaner according to claim 16, wherein:")
    assert [(p.name, p.kind) for p in pub.parties_of("examiner")] == [("Theresa T. Snider", "primary")]


def test_continuation_parent(data: Path) -> None:
    pub = read(data, US6336130)
    assert [(r.relation, r.role, r.country, r.number, r.date) for r in pub.related] == [
        ("continuation", "parent", "US", "PCT/NO98/00107", "1998-04-02")
    ]
    assert [p.name for p in pub.parties_of("agent")] == ["Nixon & Vanderhye P.C."]
    npl = [c.npl for c in pub.citations if c.npl]
    assert npl[1] is not None and npl[1].startswith("IEEE 46th Technology Conference")
    assert npl[2] is not None and "T. Handegåard" in npl[2]


def test_design_v24(data: Path) -> None:
    pub = read(data, D435854)
    assert [c.cited_key for c in pub.citations][:2] == ["US-D271298", "US-D298251"]
    assert [(p.name, p.country) for p in pub.parties_of("assignee")] == [
        ("Hitachi Maxell, Ltd.", "JP"),
        ("Sanyo Electric Co.,Ltd.", "JP"),
        ("Olympus Optical Co., Ltd.", "JP"),
    ]
    assert pub.abstract is None  # designs have no abstract
    assert pub.text("claims") == "The ornamental design for a disc cartridge, as shown and described."
    assert pub.parties_of("examiner")[0].name == "M. H. Tung"
