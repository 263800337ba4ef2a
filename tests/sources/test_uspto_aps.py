"""The APS "Green Book" reader, on the three real APS records of USPTO's PatentPublicData samples.

Expected values were read by hand from the files (the tag each one comes from is named in the comments).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.record import Publication, Rejected
from patscape.sources.base import Origin
from patscape.sources.detect import detect
from patscape.sources.uspto_aps import UsptoApsReader, application_number, kind_of, parse_wku, uspc

FILES = ("US03932709.greenbook", "US03937375.greenbook", "US04347903.greenbook")
READER = UsptoApsReader()


@pytest.fixture(scope="module")
def greenbook(data: Path) -> Path:
    return data / "uspto_patentpublicdata_samples" / "greenbook"


def read_all(path: Path) -> list:
    with open(path, "rb") as stream:
        return list(READER.read(stream, Origin(str(path))))


def read_one(path: Path) -> Publication:
    items = read_all(path)
    assert len(items) == 1
    assert isinstance(items[0], Publication), items[0]
    return items[0]


EXPECTED = {
    "US03932709.greenbook": {
        "pub_key": "US-3932709-A",
        "published": "1976-01-13",  # ISD 19760113
        "filed": "1974-03-07",  # APD 19740307
        "application": "05449155",  # SRC 5, APN 4491556 (449,155 + check digit)
        "title": "Electronic business telephone",
        "assignee": ("General Teletronics Incorporated", "US", "San Francisco", "CA"),
        "inventor": ("Don G. Hoff", "Don G.", "Hoff", "Tiburon", "CA", "US"),
        "inventors": 2,
        "claims": 17,  # NCL 17
        "ipc": ["H04M11/00"],  # ICL H04M 1100
        "uspc": ["179/90K", "179/2DD", "179/90B"],  # OCL 179 90K, XCL 179  2DD, XCL 179 90B
        "priorities": [],
        "us_cited": 9,
        "foreign_cited": 0,
        "npl": 0,
        "figures": 10,  # NFG
        "sheets": 9,  # NDR
        "abstract": "An electronic business telephone for the transmission and receipt of voice messages and "
        "digital data.",
        "examiners": ["Kathleen H. Claffy", "George G. Stellar"],  # EXP Claffy; Kathleen H., EXA Stellar; ...
    },
    "US03937375.greenbook": {
        "pub_key": "US-3937375-A",
        "published": "1976-02-10",
        "filed": "1974-10-29",
        "application": "05518454",
        "title": "Bumper support for a boat loader",
        "assignee": None,
        "inventor": ("Everette E. Daniels", "Everette E.", "Daniels", "Des Moines", "IA", "US"),
        "inventors": 1,
        "claims": 3,
        "ipc": ["B60R9/00"],  # ICL B60R  900
        "uspc": ["224/42.07", "214/450"],  # OCL 224 4207, XCL 214450
        "priorities": [],
        "us_cited": 5,
        "foreign_cited": 0,
        "npl": 0,
        "figures": 3,
        "sheets": 1,
        "abstract": "A unit mountable on a rear bumper of a vehicle, and which does not interfere with the "
        "conventional trailer hookup,",
        "examiners": ["John J. Love"],
    },
    "US04347903.greenbook": {
        "pub_key": "US-4347903-A",
        "published": "1982-09-07",
        "filed": "1980-03-10",
        "application": "06192529",
        "title": "Electronic reading balance",
        "assignee": ("Shimadzu Corporation", "JP", "Kyoto", None),  # CNT JPX
        "inventor": ("Shozo Yano", "Shozo", "Yano", "Kyoto", None, "JP"),
        "inventors": 8,
        "claims": 3,
        "ipc": ["G01G19/04", "G01G23/10", "G06F7/28"],  # ICL G01G 1904, G01G 2310, G06F  728
        "uspc": ["177/25", "177/185", "364/734"],
        "priorities": [("JP", "53/84696", "1978-07-10")],  # PRIR CNT JPX, APD 19780710, APN 53/84696
        "us_cited": 3,
        "foreign_cited": 0,
        "npl": 0,
        "figures": 2,
        "sheets": 1,
        "abstract": "A weighing balance to provide an average weight to an object which tends to move while "
        "being weighed such as a laboratory animal.",
        "examiners": ["George H. Miller, Jr."],  # EXP Miller, Jr.; George H.
    },
}


@pytest.mark.parametrize("name", FILES)
def test_each_file_is_one_patent(greenbook: Path, name: str) -> None:
    items = read_all(greenbook / name)
    assert [type(item) for item in items] == [Publication]
    assert (items[0].source.index, items[0].source.offset) == (0, 0)
    assert items[0].source.reader == "uspto-aps"


@pytest.mark.parametrize("name", FILES)
def test_bibliographic_values(greenbook: Path, name: str) -> None:
    pub = read_one(greenbook / name)
    want = EXPECTED[name]
    assert pub.pub_key == want["pub_key"]
    assert (pub.country, pub.kind, pub.doc_type) == ("US", "A", "grant")
    assert pub.published == pub.granted == want["published"]
    assert pub.application.date == want["filed"]
    assert pub.application.number == want["application"]
    assert pub.application.type == "utility"  # APT 1
    assert pub.title == want["title"]
    assignees = pub.parties_of("assignee")
    if want["assignee"] is None:
        assert assignees == []
    else:
        first = assignees[0]
        assert (first.name, first.country, first.city, first.state) == want["assignee"]
    inventors = pub.parties_of("inventor")
    assert len(inventors) == want["inventors"]
    first = inventors[0]
    assert (first.name, first.given_name, first.family_name, first.city, first.state, first.country) == want[
        "inventor"
    ]
    assert [p.name for p in pub.parties_of("examiner")] == want["examiners"]
    assert pub.claim_count == want["claims"]
    assert pub.figure_count == want["figures"]
    assert pub.sheet_count == want["sheets"]


@pytest.mark.parametrize("name", FILES)
def test_classes_priorities_citations(greenbook: Path, name: str) -> None:
    pub = read_one(greenbook / name)
    want = EXPECTED[name]
    ipc = [c for c in pub.classes if c.scheme == "IPC"]
    assert [c.code for c in ipc] == want["ipc"]
    assert [c.first for c in ipc] == [True] + [False] * (len(ipc) - 1)
    usp = [c for c in pub.classes if c.scheme == "USPC"]
    assert [c.code for c in usp] == want["uspc"]
    assert usp[0].first
    assert [(p.country, p.number, p.date) for p in pub.priorities] == want["priorities"]
    us = [c for c in pub.citations if c.country == "US"]
    foreign = [c for c in pub.citations if c.number and c.country != "US"]
    npl = [c for c in pub.citations if c.npl]
    assert (len(us), len(foreign), len(npl)) == (want["us_cited"], want["foreign_cited"], want["npl"])
    assert all(c.cited_key == f"US-{c.number}" and c.cited_by is None for c in us)


@pytest.mark.parametrize("name", FILES)
def test_texts(greenbook: Path, name: str) -> None:
    pub = read_one(greenbook / name)
    assert pub.abstract is not None and pub.abstract.startswith(EXPECTED[name]["abstract"])
    claims = pub.text("claims")
    assert claims is not None and claims.startswith("1. ")
    assert pub.text("description")


def test_first_cited_patent(greenbook: Path) -> None:
    # UREF PNO 2542907, ISD 19510200, NAM Dayton et al.
    first = read_one(greenbook / "US03937375.greenbook").citations[0]
    assert (first.cited_key, first.country, first.number, first.date) == (
        "US-2542907",
        "US",
        "2542907",
        "1951-02-01",
    )


def test_claims_text(greenbook: Path) -> None:
    claims = read_one(greenbook / "US03937375.greenbook").text("claims")
    assert claims is not None
    assert not claims.startswith("What I claim is")  # STM
    assert claims.startswith("1. In a bumper support for a boat loader, the combination of a pair of spaced")
    assert claims.count("\n\n") == 2  # three claims
    assert "\n\n3. The combination as set forth in claim 2, wherein a front end of said steel plate" in claims


def test_subparagraphs_of_a_claim(greenbook: Path) -> None:
    claims = read_one(greenbook / "US04347903.greenbook").text("claims")
    assert claims is not None
    assert "comprising, in combination:\n(a) balance means (1) disposed to receive an object" in claims


def test_parent_application_and_description(greenbook: Path) -> None:
    pub = read_one(greenbook / "US03932709.greenbook")
    # RLAP COD 72, APN 351745, APD 19730416, PSC 03; PARN: "a continuation-in-part of ... Ser. No. 351,745"
    assert [(r.relation, r.country, r.number, r.date, r.role) for r in pub.related] == [
        ("continuation-in-part", "US", "351745", "1973-04-16", "parent")
    ]
    description = pub.text("description")
    assert description is not None
    assert description.startswith(
        "CROSS REFERENCE TO RELATED APPLICATION\nThis application is a continuation"
    )
    assert "TABLE 1" in description and "Normal Number               Comments" in description  # TBL layout
    agents = pub.parties_of("agent")
    assert [(a.name, a.kind) for a in agents] == [("Flehr, Hohbach, Test, Albritton & Herbert", "firm")]


def test_pct_data(greenbook: Path) -> None:
    pub = read_one(greenbook / "US04347903.greenbook")
    # PCTA PCN PCT/JP79/00178, PD3 19790705, PCP WO80/00272, PCD 19800221
    assert [(r.relation, r.number, r.date) for r in pub.related] == [
        ("pct-application", "PCT/JP79/00178", "1979-07-05"),
        ("pct-publication", "WO80/00272", "1980-02-21"),
    ]
    assert [(a.name, a.family_name) for a in pub.parties_of("agent")] == [("George B. Oujevolk", "Oujevolk")]


# -- weekly files: many patents in one stream ------------------------------------------------------------


def write_weekly(tmp_path: Path, parts: list[bytes], header: bytes = b"") -> Path:
    path = tmp_path / "pftaps_week.txt"
    path.write_bytes(header + b"".join(parts))
    return path


@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("header", [b"", b"HHHHHT        APS1        ISSUE - 760113\n"])
def test_concatenated_patents(greenbook: Path, tmp_path: Path, crlf: bool, header: bytes) -> None:
    parts = [(greenbook / name).read_bytes() for name in FILES]
    if crlf:
        parts = [p.replace(b"\n", b"\r\n") for p in parts]
        header = header.replace(b"\n", b"\r\n")
    items = read_all(write_weekly(tmp_path, parts, header))
    assert all(isinstance(item, Publication) for item in items)
    assert [item.pub_key for item in items] == ["US-3932709-A", "US-3937375-A", "US-4347903-A"]
    assert [item.source.index for item in items] == [0, 1, 2]
    starts = [len(header), len(header) + len(parts[0]), len(header) + len(parts[0]) + len(parts[1])]
    assert [item.source.offset for item in items] == starts
    with open(tmp_path / "pftaps_week.txt", "rb") as f:
        for start in starts:
            f.seek(start)
            assert f.read(4) == b"PATN"
    assert items[1].claim_count == 3 and items[2].parties_of("assignee")[0].country == "JP"


def test_lines_padded_to_80_columns(greenbook: Path, tmp_path: Path) -> None:
    # Some weekly files pad every line with spaces and end it with CR LF.
    text = (greenbook / "US03937375.greenbook").read_bytes()
    padded = b"".join(line.ljust(80) + b"\r\n" for line in text.split(b"\n")[:-1])
    [pub] = read_all(write_weekly(tmp_path, [padded]))
    assert isinstance(pub, Publication)
    assert pub.pub_key == "US-3937375-A" and pub.title == "Bumper support for a boat loader"
    assert pub.abstract is not None and "conventional trailer hookup, the device" in pub.abstract


def test_broken_patent_in_the_middle_is_rejected(greenbook: Path, tmp_path: Path) -> None:
    parts = [(greenbook / name).read_bytes() for name in FILES]
    assert b"WKU  039373754\n" in parts[1]
    parts[1] = parts[1].replace(b"WKU  039373754\n", b"WKU  0#9?7-754\n")
    items = read_all(write_weekly(tmp_path, parts))
    assert [type(item) for item in items] == [Publication, Rejected, Publication]
    rejected = items[1]
    assert (rejected.source.index, rejected.source.offset) == (1, len(parts[0]))
    assert "WKU" in rejected.reason
    assert rejected.snippet is not None and rejected.snippet.startswith("PATN\nWKU  0#9?7-754")
    assert [items[0].pub_key, items[2].pub_key] == ["US-3932709-A", "US-4347903-A"]
    assert items[2].source.index == 2


def test_bad_issue_date_rejected_with_number(greenbook: Path, tmp_path: Path) -> None:
    text = (greenbook / "US03937375.greenbook").read_bytes().replace(b"ISD  19760210", b"ISD  19761340")
    [item] = read_all(write_weekly(tmp_path, [text]))
    assert isinstance(item, Rejected)
    assert item.pub_key == "US-3937375" and "date" in item.reason


def test_latin1_bytes(greenbook: Path, tmp_path: Path) -> None:
    text = (greenbook / "US03937375.greenbook").read_bytes()
    text = text.replace(b"Daniels; Everette E.", "Dänièls; Everette E.".encode("latin-1"))
    [pub] = read_all(write_weekly(tmp_path, [text]))
    assert isinstance(pub, Publication)
    assert pub.parties_of("inventor")[0].family_name == "Dänièls"


def test_foreign_and_non_patent_citations(greenbook: Path, tmp_path: Path) -> None:
    # The samples cite no foreign patent and no other document: add an FREF and an OREF group (APS layout)
    # after the last UREF of a real record.
    text = (greenbook / "US03937375.greenbook").read_bytes()
    extra = (
        b"FREF\nPNO  2217856\nISD  19731000\nCNT  DEX\n"
        b"OREF\nPAL  Popular Mechanics, Mar. 1973, p. 112, Boat loaders for the\n"
        b"      family car.\n"
    )
    text = text.replace(b"ABST\n", extra + b"ABST\n", 1)
    [pub] = read_all(write_weekly(tmp_path, [text]))
    assert isinstance(pub, Publication)
    foreign = pub.citations[5]
    assert (foreign.country, foreign.number, foreign.cited_key, foreign.date) == (
        "DE",
        "2217856",
        "DE-2217856",
        "1973-10-01",
    )
    assert pub.citations[6].npl == "Popular Mechanics, Mar. 1973, p. 112, Boat loaders for the family car."
    assert [c.sequence for c in pub.citations] == list(range(1, 8))


# -- detection and number rules --------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_sniff_and_detect(greenbook: Path, name: str) -> None:
    head = (greenbook / name).read_bytes()[:65536]
    assert READER.sniff(head)
    assert READER.sniff(b"HHHHHT        APS1        ISSUE - 760113\r\n" + head.replace(b"\n", b"\r\n"))
    reader = detect(head)
    assert reader is not None and reader.name == "uspto-aps"


def test_sniff_refuses_other_formats() -> None:
    assert not READER.sniff(b'<?xml version="1.0"?>\n<us-patent-grant lang="EN">')
    assert not READER.sniff(b"id,title,assignee\nUS-1-A,Title,Someone\n")
    assert not READER.sniff(b"PATN is a word\n")


@pytest.mark.parametrize(
    ("wku", "prefix", "number"),
    [
        ("039373754", "", "3937375"),  # the samples
        ("043479030", "", "4347903"),
        ("D02681420", "D", "D268142"),  # a design: D268142
        ("RE0286770", "RE", "RE28677"),
        ("PP0071234", "PP", "PP7123"),
        ("06332220&", "", "6332220"),  # the check character can be a symbol
    ],
)
def test_wku(wku: str, prefix: str, number: str) -> None:
    assert parse_wku(wku) == (prefix, number)


@pytest.mark.parametrize("wku", ["03937375", "0#9?7-754", "", "ABCDEFGHI"])
def test_garbled_wku(wku: str) -> None:
    with pytest.raises(ValueError, match="WKU"):
        parse_wku(wku)


@pytest.mark.parametrize(
    ("prefix", "issued", "kind", "doc_type"),
    [
        ("", "1976-01-13", "A", "grant"),
        ("D", "1983-03-08", "S", "design"),
        ("PP", "1990-05-01", "P", "plant"),
        ("RE", "1976-02-10", "E", "reissue"),
        ("", "2001-01-02", "B1", "grant"),
        ("D", "2001-06-05", "S1", "design"),
    ],
)
def test_kind(prefix: str, issued: str, kind: str, doc_type: str) -> None:
    assert kind_of(prefix, issued) == (kind, doc_type)


def test_application_and_class_columns() -> None:
    assert application_number("D", "0317454") == "29031745"  # design series code D = series 29
    assert application_number(None, "351745") == "351745"
    assert uspc("179  2DD") == "179/2DD"
    assert uspc("340172.5") == "340/172.5"
    assert uspc("224 42.03R") == "224/42.03R"
    assert uspc("D 2 27") == "D2/27"
    assert uspc("  2423") == "2/423"
