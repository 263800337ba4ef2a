"""EPO DOCDB exchange XML: values read by hand from the real files."""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest

from patscape.record import Publication, Rejected
from patscape.sources.base import Origin
from patscape.sources.detect import detect
from patscape.sources.epo_docdb import EpoDocdbReader, split_exchange_documents

DOCDB = "go_epo_bdds_docdb_testdata/epo_docdb/test-data"
AP = "AP-1206-A_302101161.xml"  # no namespace at all
DE = "DE-backfile.xml"  # exch:exchange-documents with 10 documents
WO1 = "WO-2023012807-A1_507242069.xml"  # exch: prefix used without a declaration
WO2 = "WO-2022259205-A1_544370561.xml"
YU = "YU-6701-A_381353354.xml"
FILES = [AP, DE, WO1, WO2, YU]
NOT_PUBLICATIONS = [
    "go_epo_bdds_docdb_testdata/epo_bbds/test-data/docdb-entities.dtd",
    "go_epo_bdds_docdb_testdata/epo_bbds/test-data/test.csv",
    "go_epo_bdds_docdb_testdata/epo_bbds/test-data/statistics_202324_Amend_001.csv",
]
FOREIGN = [
    "epo_ops_patent_client/published/test/biblio_example.xml",  # OPS embeds exchange-documents
    "epo_ops_patent_client/published/test/full_cycle_example.xml",
    "epo_ops_patent_client/published/test/search_example.xml",
    "go_epo_eps_testdata/grant/v1-5-B1.xml",
    "go_uspto_testdata/grant/v4-5-B2.xml",
    "cn_jp_st36_st96_examples/examples/cn_new1.xml",
    "cn_jp_st36_st96_examples/03-96-vii-example-instances/PatentPublication_Example.xml",
]


@functools.cache
def _items(path: str) -> list:
    with open(path, "rb") as stream:
        return list(EpoDocdbReader().read(stream, Origin(path)))


def read_all(data: Path, name: str) -> list[Publication]:
    items = _items(str(data / DOCDB / name))
    assert all(isinstance(i, Publication) for i in items), items
    return items


def read(data: Path, name: str) -> Publication:
    items = read_all(data, name)
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("name", FILES)
def test_every_file_reads_without_rejection(data: Path, name: str) -> None:
    items = read_all(data, name)
    assert items and all(p.source.reader == "epo-docdb" for p in items)


@pytest.mark.parametrize("name", FILES)
def test_detected_from_content(data: Path, name: str) -> None:
    head = (data / DOCDB / name).read_bytes()[: 64 * 1024]
    assert isinstance(detect(head), EpoDocdbReader)


@pytest.mark.parametrize("rel", NOT_PUBLICATIONS + FOREIGN)
def test_other_files_are_not_claimed(data: Path, rel: str) -> None:
    assert not EpoDocdbReader().sniff((data / rel).read_bytes()[: 64 * 1024])


@pytest.mark.parametrize("rel", NOT_PUBLICATIONS)
def test_dtd_and_statistics_are_not_publications(data: Path, rel: str) -> None:
    assert detect((data / rel).read_bytes()[: 64 * 1024]) is None


# pub key, published, family id, application (country, number, date), first priority, title (lang),
# first applicant (as written, country), first inventor (name, country), first IPC, first CPC,
# citations (count, first cited key, cited_by of the first), version (date of last exchange)
CASES = {
    WO1: dict(
        key="WO-2023012807-A1", published="2023-02-09", family="83004620",
        app=("IL", "2022050854", "2022-08-05"), priority=("US", "202163230089", "2021-08-06"),
        title=("en", "METHOD FOR HUMANIZING ANTIBODIES"),
        applicant=("YEDA RESEARCH AND DEVELOPMENT CO. LTD.", "IL"), inventor=("Sarel FLEISHMAN", "IL"),
        ipc="C07K16/28", cpc="C07K16/464", citations=24, version="2023-02-19",
    ),
    WO2: dict(
        key="WO-2022259205-A1", published="2022-12-15", family="82558028",
        app=("IB", "2022055385", "2022-06-09"), priority=("PT", "11728321", "2021-06-11"),
        title=("en", "SELF-EMULSIFYING COMPOSITION, PRODUCTION METHODS AND USES THEREOF"),
        applicant=("UNIVERSIDADE DA BEIRA INTERIOR", "PT"), inventor=("Adriana OLIVEIRA DOS SANTOS", "PT"),
        ipc="A61K9/00", cpc="A61K9/1075", citations=23, version="2023-02-19",
    ),
    AP: dict(
        key="AP-1206-A", published="2003-09-18", family="22179393",
        app=("AP", "2000001988", "1998-08-04"), priority=("US", "8359798", "1998-05-22"),
        title=("en", "Enteric coated pharmaceutical composition and method of manufacturing."),
        applicant=("BRISTOL-MYERS SQUIBB COMPANY", "US"), inventor=("ULLAR Ismat", "US"),
        ipc="A61K9/16", cpc="A61K9/5026", citations=3, version="2022-10-27",
    ),
    YU: dict(
        key="YU-6701-A", published="2003-12-31", family="22248526",
        app=("YU", "6701", "1999-06-02"), priority=("US", "9500698", "1998-07-30"),
        title=("en", "TRICYCLIC SULFONAMIDES AND THEIR DERIVATIVES AS INHIBITORS OF MATRIX "
               "METALLOPROTEINASES"),
        applicant=("WARNER-LAMBERT COMPANY", "US"), inventor=("Patrick Michael O'Brien", "US"),
        ipc="A61K31/18", cpc="C07D307/91", citations=0, version="2023-02-19",
    ),
    DE: dict(
        key="DE-1258188-B", published="1968-01-04", family="6979546",
        app=("DE", "B0077613", "1964-07-10"), priority=("DE", "B0077613", "1964-07-10"),
        title=("de", "Kraftstoffeinspritzpumpe fuer mehrzylindrige Brennkraftmaschinen"),
        applicant=("ROBERT BOSCH G.M.B.H.", None), inventor=("KNAPP DIPL.-PHYS. DR. HEINRICH", None),
        ipc="F02M41/12", cpc="F02M59/34", citations=4, version="2024-02-18",
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CASES))
def test_bibliographic_values(data: Path, name: str) -> None:
    case = CASES[name]
    pub = read_all(data, name)[0]
    assert pub.pub_key == case["key"]
    assert pub.kind == case["key"].rsplit("-", 1)[1]
    assert pub.published == case["published"]
    assert pub.family_id == case["family"]
    assert (pub.application.country, pub.application.number, pub.application.date) == case["app"]
    first_priority = pub.priorities[0]
    assert (first_priority.country, first_priority.number, first_priority.date) == case["priority"]
    lang, title = case["title"]
    assert pub.text("title", lang) == title
    assert pub.title == title  # English first where there is one
    applicant = pub.parties_of("applicant")[0]
    assert (applicant.name, applicant.country) == case["applicant"]
    inventor = pub.parties_of("inventor")[0]
    assert (inventor.name, inventor.country) == case["inventor"]
    firsts = {c.scheme: c.code for c in pub.classes if c.first}
    assert firsts == {"IPC": case["ipc"], "CPC": case["cpc"]}
    assert len(pub.citations) == case["citations"]
    assert pub.version == case["version"]


def test_backfile_holds_ten_documents_each_with_its_family(data: Path) -> None:
    pubs = read_all(data, DE)
    assert [p.pub_key for p in pubs] == [f"DE-{n}-B" for n in range(1258188, 1258198)]
    assert [p.source.index for p in pubs] == list(range(10))
    last = pubs[-1]
    assert last.family_id == "9678135"
    assert (
        last.parties_of("applicant")[0].name
        == "SOCIETE NATIONALE D'ETUDE ET DE CONSTRUCTION DE MOTEURS D'AVIATION"
    )
    assert [p.name for p in last.parties_of("inventor")] == [
        "HOCH RENE GERARD",
        "JUMELLE LOUIS FRANCOIS",
        "MINOS JEAN MARIE",
    ]
    assert [c.cited_key for c in last.citations] == ["DE-1094529-B", "FR-1376576-A", "FR-1164936-A"]
    assert (last.priorities[0].country, last.priorities[0].number) == ("FR", "1258197X")
    assert sum(len(p.citations) for p in pubs) == 42


def test_citations_with_phase_office_and_category(data: Path) -> None:
    cits = read(data, WO2).citations
    examiner = [c for c in cits if c.cited_by == "examiner"]  # cited-phase ISR, srep-office EP
    applicant = [c for c in cits if c.cited_by == "applicant"]  # cited-phase APP
    assert (len(examiner), len(applicant)) == (12, 11)
    patents = [c for c in cits if c.cited_key]
    assert [c.cited_key for c in patents] == [
        "CN-102908333-A",
        "WO-2005013972-A1",
        "WO-2013147452-A1",
        "WO-2021005101-A1",
    ]
    assert cits[0].category == "XY"
    assert cits[0].npl.startswith(
        'BEZERRA-SOUZA ADRIANA ET AL: "Repurposing Butenafine as An Oral Nanomedicine'
    )
    first_patent = read(data, WO1).citations[4]  # ISR sequence 5
    assert (first_patent.cited_key, first_patent.date, first_patent.category) == (
        "US-2020223945-A1",
        "2020-07-16",
        "XY",
    )


def test_cpc_symbols_of_several_offices_are_kept_once(data: Path) -> None:
    pub = read_all(data, DE)[0]
    cpc = [(c.code, c.first, c.inventive) for c in pub.classes if c.scheme == "CPC"]
    # eight patent-classification entries: the same four symbols generated by EP and by US
    assert cpc == [
        ("F02M59/34", True, True),
        ("F02M41/125", False, True),
        ("F02M59/36", False, True),
        ("F02M2700/1358", False, False),
    ]


def test_ipcr_flags_and_old_ipc(data: Path) -> None:
    ipc = {c.code: (c.first, c.inventive) for c in read(data, WO2).classes if c.scheme == "IPC"}
    assert ipc["A61K9/00"] == (True, True)  # "A61K   9/00        20060101AFI20221215BHEP"
    assert ipc["A61K8/04"] == (False, True)
    ap = [c for c in read(data, AP).classes if c.scheme == "IPC"]
    assert len(ap) == 18  # the edition-7 main classification " 7A 61K   9/16   A" repeats IPCR 1
    assert ap[0].code == "A61K9/16" and ap[0].first


def test_original_spellings_are_preferred(data: Path) -> None:
    pub = read(data, YU)
    inventors = pub.parties_of("inventor")  # original "O'Brien, Patrick Michael", docdb residence US
    assert [(p.given_name, p.family_name) for p in inventors] == [
        ("Patrick Michael", "O'Brien"),
        ("Joseph Armand", "Picard"),
        ("Drago Robert", "Sliskovic"),
    ]
    # the original-format abstract (language of publication sh) replaces the docdba one without diacritics
    assert pub.text("abstract", "sh").startswith("Opisana su triciklična sulfonamidna jedinjenja")
    assert pub.text("abstract", "en").startswith("Tricyclic sulfonamide compounds and derivatives")
    assert pub.text("title", "sh").startswith("TRICIKLIČNI SULFONAMIDI")
    wo = read(data, WO1).parties_of("inventor")[1]  # docdba "TENNENHOUSE, Ariel"
    assert (wo.name, wo.given_name, wo.family_name, wo.country) == (
        "Ariel TENNENHOUSE",
        "Ariel",
        "TENNENHOUSE",
        "IL",
    )


def test_priority_kinds(data: Path) -> None:
    priorities = read(data, AP).priorities
    assert [(p.country, p.number, p.date, p.kind) for p in priorities] == [
        ("US", "8359798", "1998-05-22", None),
        ("US", "9816128", "1998-08-04", "international"),  # docdb kind W
    ]


def test_split_in_small_blocks_gives_the_same_documents(data: Path) -> None:
    raw = (data / DOCDB / DE).read_bytes()
    chunks = list(split_exchange_documents(io.BytesIO(raw), block=1000))
    assert len(chunks) == 10
    for chunk in chunks:
        assert raw[chunk.offset :].startswith(b'<exch:exchange-document country="DE"')
        assert b'xmlns:exch="http://www.epo.org/exchange"' in chunk.data[:400]
    whole = list(split_exchange_documents(io.BytesIO(raw)))
    assert [c.data for c in whole] == [c.data for c in chunks]


def test_a_cut_document_is_quarantined_and_the_others_read(data: Path) -> None:
    raw = (data / DOCDB / DE).read_bytes()
    cut = raw[: raw.rfind(b"</exch:exchange-document>") - 200]
    items = list(EpoDocdbReader().read(io.BytesIO(cut), Origin("cut.xml")))
    assert [type(i) for i in items] == [Publication] * 9 + [Rejected]
    assert items[-1].source.index == 9
