"""WIPO ST.96 and ST.36 readers, and what none of the CNIPA / JPO / WIPO readers may claim.

Values read by hand from cn_jp_st36_st96_examples. The shared data holds no document whose root is ST.36's
generic ``patent-document`` (the ``st36aexample`` / ``st36bexample`` documents are EPO ``ep-patent-document``
files, read by the EPO reader): the generic ST.36 builder is checked on the ST.36 parts of a real JPO gazette.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.record import Publication, Rejected, SourceRef
from patscape.sources.cnipa import CnipaReader
from patscape.sources.detect import detect
from patscape.sources.jpo import JpoReader
from patscape.sources.st36 import St36Builder
from patscape.sources.wipo_st36 import WipoSt36Reader
from patscape.sources.wipo_st96 import WipoSt96Reader
from patscape.sources.xmlsafe import parse_xml
from tests.sources.office_xml import EXAMPLES, head, read_all, read_one

ST96 = "03-96-vii-example-instances/PatentPublication_Example.xml"  # US 8,936,998 B2 as ST.96
NOT_PATENTS = [
    "03-96-vii-example-instances/DesignApplication_Example.xml",
    "03-96-vii-example-instances/GIApplication_Example.xml",
    "03-96-vii-example-instances/TrademarkApplication_Example.xml",
]
TABLES_OF_CONTENTS = ["st36_wipo_examples/st36aexample/toc.xml", "st36_wipo_examples/st36bexample/toc.xml"]
OTHER_OFFICES = [  # read by the EPO and USPTO readers
    "st36_wipo_examples/st36aexample/DOC00001.xml",
    "st36_wipo_examples/st36bexample/DOC00001.xml",
    "examples/us_example1.xml",
    "examples/us_example2.xml",
    "examples/us_example3.xml",
    "examples/us_example4.xml",
]
OTHER_FOLDERS = [
    "go_uspto_testdata",
    "go_epo_eps_testdata",
    "go_epo_bdds_docdb_testdata",
    "epo_ops_patent_client",
    "patentsview_db_fixtures",
    "uspto_patentpublicdata_samples",
]
MINE = (CnipaReader(), JpoReader(), WipoSt36Reader(), WipoSt96Reader())


@pytest.fixture(scope="module")
def folder(data: Path) -> Path:
    return data / EXAMPLES


@pytest.fixture(scope="module")
def st96(folder: Path) -> Publication:
    return read_one(WipoSt96Reader(), folder / ST96)


def test_st96_is_detected(folder: Path) -> None:
    reader = detect(head(folder / ST96))
    assert reader is not None and reader.name == "wipo-st96"


def test_st96_identification(st96: Publication) -> None:
    assert (st96.pub_key, st96.kind, st96.doc_type) == ("US-8936998-B2", "B2", "grant")
    assert (st96.published, st96.granted) == ("2015-01-20", "2015-01-20")
    assert st96.version == "2015-01-05"  # com:creationDate
    app = st96.application
    assert (app.country, app.number, app.date, app.type) == ("US", "13797521", "2013-03-12", "utility")
    assert [(x.country, x.number, x.date, x.kind) for x in st96.priorities] == [
        ("JP", "2007-290922", "2007-11-08", "national")
    ]
    assert {(r.relation, r.country, r.number, r.kind, r.date, r.role) for r in st96.related} == {
        ("division", "US", "12741916", None, None, "parent"),
        ("related-publication", "US", "20130213561", "A1", "2013-08-22", None),
    }


def test_st96_texts(st96: Publication) -> None:
    assert st96.text("title", "en") == "Manufcaturing method for room-temperature substrate bonding"  # sic
    assert st96.text("abstract", "en").startswith("A device is provided with: a first substrate mainly")
    assert st96.claim_count == 10
    claims = st96.text("claims", "en")
    assert claims.startswith("1. A device manufacture method, comprising:\nsputtering a first surface")
    assert len(claims.split("\n\n")) == 10
    assert st96.text("description", "en").startswith(
        "This application is a Divisional of co-pending U.S. patent application Ser. No. 12/741,916 filed"
    )
    assert (st96.figure_count, st96.sheet_count) == (11, 6)


def test_st96_parties(st96: Publication) -> None:
    applicant = st96.parties_of("applicant")[0]
    assert (applicant.name, applicant.given_name, applicant.family_name) == ("Jun Utsumi", "Jun", "Utsumi")
    assert applicant.lang == "en"
    assert [i.name for i in st96.parties_of("inventor")] == [
        "Jun Utsumi",
        "Takayuki Goto",
        "Kensuke Ide",
        "Hideki Takagi",
        "Masahiro Funayama",
    ]
    assert [a.name for a in st96.parties_of("assignee")] == [
        "Mitsubishi Heavy Industries, Ltd.",
        "National Institute of Advanced Industrial Science and Technology",
    ]
    assert [a.name for a in st96.parties_of("agent")] == ["Birch, Stewart, Kolasch & Birch, LLP"]
    assert [(e.name, e.kind) for e in st96.parties_of("examiner")] == [
        ("Jerome Jackson Jr.", "primary"),
        ("Paul Budd", "assistant"),
    ]


def test_st96_classes(st96: Publication) -> None:
    ipc = [(c.code, c.first, c.inventive) for c in st96.classes if c.scheme == "IPC"]
    assert ipc[0] == ("H01L21/30", True, True)
    assert ipc[-1] == ("H01L31/0203", False, False)  # IPCClassificationValueCode N
    assert len(ipc) == 6
    cpc = [c for c in st96.classes if c.scheme == "CPC"]
    assert len(cpc) == 26  # 24 listed one by one, 2 more in a combination set
    assert {"H01L2924/3512", "H01L2924/00"} <= {c.code for c in cpc}
    assert [(c.code, c.first) for c in cpc[:2]] == [("H01L21/2007", True), ("H01L24/28", False)]
    assert "H01L2224/83099" in {c.code for c in cpc}
    assert not any(c.code == "B81C2203/0109" for c in st96.classes)  # a field of search, not a class


def test_st96_citations(st96: Publication) -> None:
    cites = st96.citations
    assert len(cites) == 30
    assert len([c for c in cites if c.npl]) == 13
    assert len([c for c in cites if c.cited_by == "examiner"]) == 5
    fifth = cites[4]
    assert (fifth.cited_key, fifth.date, fifth.cited_by) == ("US-2004235266-A1", "2004-11-01", "examiner")
    by_number = {c.number: c for c in cites if c.number}
    assert by_number["2000-56265"].cited_key == "JP-2000056265-A"
    assert by_number["63-101085"].cited_key is None  # Showa 63: no unambiguous key
    assert cites[17].npl == (
        "Gary S. May, Fundamantals of Semiconductor Fabrication,2004, John Wiley and Sons, pp. 41-45."
    )


@pytest.mark.parametrize("name", NOT_PATENTS)
def test_st96_design_trademark_gi_are_not_claimed_and_yield_nothing(folder: Path, name: str) -> None:
    assert not any(r.sniff(head(folder / name)) for r in MINE)
    assert read_all(WipoSt96Reader(), folder / name) == []  # read anyway: nothing, and no rejection


@pytest.mark.parametrize("name", TABLES_OF_CONTENTS)
def test_tables_of_contents_are_not_claimed_and_yield_nothing(folder: Path, name: str) -> None:
    assert not any(r.sniff(head(folder / name)) for r in MINE)
    assert read_all(WipoSt36Reader(), folder / name) == []


@pytest.mark.parametrize("name", OTHER_OFFICES)
def test_epo_and_uspto_documents_are_left_to_their_readers(folder: Path, name: str) -> None:
    assert not any(r.sniff(head(folder / name)) for r in MINE)


@pytest.mark.parametrize("name", OTHER_FOLDERS)
def test_no_epo_or_uspto_file_is_claimed(data: Path, name: str) -> None:
    files = [p for p in sorted((data / name).rglob("*")) if p.is_file() and p.suffix.lower() != ".zip"]
    assert files
    claimed = [(p.name, r.name) for p in files for r in MINE if r.sniff(head(p))]
    assert claimed == []


def test_generic_st36_builder_reads_st36_elements(folder: Path) -> None:
    """The generic builder (wipo-st36) on the ST.36 part of a real JPO gazette, without JPO specifics."""
    root = parse_xml((folder / "examples/jp_example2.xml").read_bytes())
    p = St36Builder().build(root, SourceRef(file="jp_example2.xml", reader="wipo-st36", reader_version="1"))
    assert p.pub_key == "JP-2021044249-A"  # <kind>公開特許公報(A)</kind>
    assert (p.application.number, p.application.date) == ("2020185474", "2020-11-06")
    assert [(x.country, x.number) for x in p.priorities] == [("US", "62/359,703")]
    assert p.text("title", "ja") == "リチウムイオン電池のリサイクル方法"
    inventor = p.parties_of("inventor")[0]
    assert (inventor.name, inventor.lang) == ("ホ、カム・ピウ", "ja")
    assert [c.code for c in p.classes] == ["H01M10/54", "B09B3/00"]  # IPC only: FI and F-terms are JPO's
    assert p.claim_count == 17


def test_wipo_st36_reader_quarantines_other_roots(folder: Path) -> None:
    items = read_all(WipoSt36Reader(), folder / "examples/jp_example1.xml")
    assert len(items) == 1 and isinstance(items[0], Rejected)
    assert "not an ST.36 patent document: <jp-official-gazette>" in items[0].reason
