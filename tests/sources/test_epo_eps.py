"""EP publication server full text (ep-patent-document v1.0 - v1.5.1): values read by hand from the files."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from patscape.record import Publication
from patscape.sources.base import Origin
from patscape.sources.detect import detect
from patscape.sources.epo_eps import EpoEpsReader

EPS = "go_epo_eps_testdata"
APPLICATIONS = ["v1-0-A1", "v1-0-A2", "v1-01-A1", "v1-01-A2", "v1-1-A1", "v1-1-A2", "v1-2-A1", "v1-2-A2",
                "v1-3-A1", "v1-4-A1", "v1-4-A1-1", "v1-4-A2", "v1-5-A1", "v1-5-A2", "v1-5-1-A1",
                "v1-5-1-A1-1", "v1-5-1-A2"]  # fmt: skip
GRANTS = ["v1-0-B1", "v1-0-B2", "v1-1-B1", "v1-1-B2", "v1-2-B1", "v1-2-B2", "v1-3-B1", "v1-3-B2", "v1-4-B1",
          "v1-5-B1", "v1-5-B2", "v1-5-1-B1", "v1-5-1-B2"]  # fmt: skip
ALL_FILES = [f"application/{n}.xml" for n in APPLICATIONS] + [f"grant/{n}.xml" for n in GRANTS]
# Other formats the sniffer must leave alone.
FOREIGN = [
    "go_epo_bdds_docdb_testdata/epo_docdb/test-data/DE-backfile.xml",
    "go_epo_bdds_docdb_testdata/epo_docdb/test-data/AP-1206-A_302101161.xml",
    "epo_ops_patent_client/published/test/biblio_example.xml",
    "epo_ops_patent_client/legal/fixtures/example_1.xml",
    "go_uspto_testdata/grant/v4-5-B2.xml",
    "go_uspto_testdata/application/v4-4-A1.xml",
    "cn_jp_st36_st96_examples/examples/cn_new1.xml",
    "cn_jp_st36_st96_examples/03-96-vii-example-instances/PatentPublication_Example.xml",
    "go_epo_bdds_docdb_testdata/epo_bbds/test-data/docdb-entities.dtd",
]


@functools.cache
def _items(path: str) -> list:
    with open(path, "rb") as stream:
        return list(EpoEpsReader().read(stream, Origin(path)))


def read(data: Path, rel: str) -> Publication:
    items = _items(str(data / EPS / rel))
    assert len(items) == 1
    assert isinstance(items[0], Publication), items[0]
    return items[0]


@pytest.mark.parametrize("rel", ALL_FILES)
def test_every_file_reads_without_rejection(data: Path, rel: str) -> None:
    pub = read(data, rel)
    assert pub.source.reader == "epo-eps"
    assert pub.pub_key.startswith("EP-")


@pytest.mark.parametrize("rel", ALL_FILES)
def test_detected_from_content(data: Path, rel: str) -> None:
    head = (data / EPS / rel).read_bytes()[: 64 * 1024]
    assert isinstance(detect(head), EpoEpsReader)


@pytest.mark.parametrize("rel", FOREIGN)
def test_other_formats_are_not_claimed(data: Path, rel: str) -> None:
    assert not EpoEpsReader().sniff((data / rel).read_bytes()[: 64 * 1024])


# Two documents of each DTD version. Per file: pub key, published, granted, application number and
# filing date, English title, first applicant (as written, country), first inventor (name, country),
# first IPC, first CPC, priorities, claim count, (examiner, applicant) citation counts.
CASES = {
    "application/v1-0-A1.xml": dict(
        key="EP-1325900-A1", published="2003-07-09", granted=None, app=("01963450", "2001-09-05"),
        title="PROCESS FOR PRODUCING FLUOROALKANOL", applicant=("ASAHI GLASS COMPANY LTD.", "JP"),
        inventor=("Toshihiko TOHMA", "JP"), ipc="C07C29/44", cpc=None,
        priorities=[("JP", "2000273711", "2000-09-08")], claims=7, cited=(0, 0),
    ),
    "grant/v1-0-B1.xml": dict(
        key="EP-1442058-B1", published="2006-07-19", granted="2006-07-19", app=("02779063", "2002-11-18"),
        title="PEPTIDES EFFECTIVE IN THE TREATMENT OF TUMORS AND OTHER CONDITIONS REQUIRING THE "
        "REMOVAL OR DESTRUCTION OF CELLS",
        applicant=("NYMOX CORPORATION", "CA"), inventor=("Paul AVERBACK", "CA"), ipc="C07K14/47",
        cpc=None, priorities=[("US", "331477 P", "2001-11-16")], claims=3, cited=(4, 0),
    ),
    "application/v1-01-A1.xml": dict(
        key="EP-1679948-A1", published="2006-07-19", granted=None, app=("04768329", "2004-09-02"),
        title="WEB COVERS FOR CONVEYOR SCREENS", applicant=("Rankin, David", "GB"),
        inventor=("David Rankin", "GB"), ipc="A01D17/10", cpc=None,
        priorities=[("GB", "0320567", "2003-09-03")], claims=None, cited=(0, 0),
    ),
    "application/v1-01-A2.xml": dict(
        key="EP-1680538-A2", published="2006-07-19", granted=None, app=("04794205", "2004-10-26"),
        title="COMPOSITE YARN AND PRODUCTS MADE THEREFROM", applicant=("Supreme Elastic Corporation", "US"),
        inventor=("Nathaniel KOLMES", "US"), ipc="D02G3/02", cpc=None,
        priorities=[("US", "693971", "2003-10-28")], claims=None, cited=(0, 0),
    ),
    "application/v1-1-A1.xml": dict(
        key="EP-2-A1", published="1978-12-20", granted=None, app=("78100007", "1978-06-01"),
        title="Tetrahydrofurane derivatives, processes for their preparation and their use as herbicides",
        applicant=("BAYER AG", "DE"), inventor=("Thomas Schmidt", "DE"), ipc="C07D307/12", cpc=None,
        priorities=[("DE", "2724675", "1977-06-01")], claims=6, cited=(0, 0),
    ),
    "grant/v1-1-B2.xml": dict(
        key="EP-546210-B2", published="2003-07-09", granted="1997-10-01", app=("91121229", "1991-12-11"),
        title="Method and apparatus for heat treating metal castings",
        applicant=("CONSOLIDATED ENGINEERING COMPANY, INC.", "US"), inventor=("Scott P. Crafton", "US"),
        ipc="B22D29/00", cpc=None, priorities=[], claims=32, cited=(5, 0),
    ),
    "application/v1-2-A1.xml": dict(
        key="EP-1921219-A1", published="2008-05-14", granted=None, app=("06381048", "2006-11-08"),
        title="Sound damping and fire restistant insulating panel and its manufacturing procedure",
        applicant=("Lloveras Calvo, Juan", "ES"), inventor=("Juan Lloveras Calvo", "ES"), ipc="E04B1/88",
        cpc=None, priorities=[], claims=11, cited=(0, 2),
    ),
    "grant/v1-2-B2.xml": dict(
        key="EP-430402-B2", published="2008-03-05", granted="1999-01-27", app=("90308718", "1990-08-08"),
        title="Methods and compositions for chromosome-specific staining",
        applicant=("The Regents of the University of California", "US"), inventor=("Joe W. Gray", "US"),
        ipc="C12Q1/68", cpc=None,
        priorities=[("US", "444669", "1989-12-01"), ("US", "497098", "1990-03-20")], claims=4,
        cited=(10, 158),
    ),
    "application/v1-3-A1.xml": dict(
        key="EP-1981358-A1", published="2008-10-22", granted=None, app=("07704233", "2007-01-30"),
        title="NUTRITIONAL COMPOSITION FOR LOW BIRTH WEIGHT INFANTS", applicant=("Nestec S.A.", "CH"),
        inventor=("Ferdinand HASCHKE", "CH"), ipc="A23L1/29", cpc=None,
        priorities=[("EP", "06101078", "2006-01-31")], claims=None, cited=(0, 0),
    ),
    "grant/v1-3-B2.xml": dict(
        key="EP-1497510-B2", published="2008-12-24", granted="2006-06-28", app=("03721225", "2003-04-22"),
        title="FLOORING", applicant=("Välinge Innovation AB", "SE"), inventor=("Darko PERVAN", "SE"),
        ipc="E04F15/04", cpc=None,
        priorities=[("SE", "0201225", "2002-04-22"), ("SE", "0203482", "2002-11-21")], claims=1,
        cited=(14, 6),
    ),
    "application/v1-4-A2.xml": dict(
        key="EP-2136607-A2", published="2009-12-23", granted=None, app=("09007746", "2009-06-12"),
        title="Method for operating a battery powered torch", applicant=("Metabowerke GmbH", "DE"),
        inventor=("Jochen Gräber", "DE"), ipc="H05B37/02", cpc=None,
        priorities=[("DE", "102008030627", "2008-06-20")], claims=15, cited=(0, 3),
    ),
    "grant/v1-4-B1.xml": dict(
        key="EP-449582-B1", published="2009-10-21", granted="2009-10-21", app=("91302636", "1991-03-26"),
        title="Measuring method and apparatus", applicant=("CANON KABUSHIKI KAISHA", "JP"),
        inventor=("Noriyuki Nose", "JP"), ipc="G03F9/00", cpc=None,
        priorities=[("JP", "8000290", "1990-03-27")], claims=12, cited=(2, 2),
    ),
    "application/v1-5-A1.xml": dict(
        key="EP-3782854-A1", published="2021-02-24", granted=None, app=("18877305", "2018-10-29"),
        title="VEHICLE-MOUNTED DISPLAY ASSEMBLY AND VEHICLE",
        applicant=("BOE TECHNOLOGY GROUP CO., LTD.", "CN"), inventor=("Yuhsiung FENG", "CN"),
        ipc="B60R7/06", cpc=None, priorities=[("CN", "201810358967", "2018-04-20")], claims=12,
        cited=(0, 1),
    ),
    "grant/v1-5-B2.xml": dict(
        key="EP-2743087-B2", published="2021-05-05", granted="2016-03-23", app=("13189031", "2013-10-17"),
        title="Printing machine with cladding", applicant=("Krones AG", "DE"),
        inventor=("Georg Gertlowski", "DE"), ipc="B41J3/407", cpc=None,
        priorities=[("DE", "102012223402", "2012-12-17")], claims=13, cited=(5, 1),
    ),
    "application/v1-5-1-A1-1.xml": dict(
        key="EP-4090146-A1", published="2022-11-23", granted=None, app=("21741385", "2021-01-14"),
        title="POWER TAKEOFF CONTROL", applicant=("Zimeno, Inc. DBA Monarch Tractor", "US"),
        inventor=("Christopher Travis WHITNEY", "US"), ipc="A01B71/02", cpc="F16D48/06",
        priorities=[("US", "202062962762 P", "2020-01-17")], claims=None, cited=(0, 0),
    ),
    "grant/v1-5-1-B2.xml": dict(
        key="EP-2716170-B2", published="2021-09-22", granted="2016-02-03", app=("13196195", "2012-09-14"),
        title="Device for transporting material in the form of strips or tape",
        applicant=("Hauni Maschinenbau GmbH", "DE"), inventor=("Frank Grothaus", "DE"), ipc="A24C5/20",
        cpc="A24C5/20", priorities=[("DE", "102011114434", "2011-09-28")], claims=4, cited=(7, 1),
    ),
}  # fmt: skip


@pytest.mark.parametrize("rel", list(CASES))
def test_bibliographic_values(data: Path, rel: str) -> None:
    case = CASES[rel]
    pub = read(data, rel)
    assert pub.pub_key == case["key"]
    assert pub.kind == case["key"].rsplit("-", 1)[1]
    assert pub.published == case["published"]
    assert pub.granted == case["granted"]
    assert pub.doc_type == ("grant" if pub.kind.startswith("B") else "application")
    assert (pub.application.country, pub.application.number, pub.application.date) == ("EP", *case["app"])
    assert pub.text("title", "en") == case["title"]
    applicant = pub.parties_of("applicant")[0]
    assert (applicant.name, applicant.country) == case["applicant"]
    inventor = pub.parties_of("inventor")[0]
    assert (inventor.name, inventor.country) == case["inventor"]
    ipc = [c for c in pub.classes if c.scheme == "IPC"]
    assert ipc[0].code == case["ipc"] and ipc[0].first
    cpc_first = [c.code for c in pub.classes if c.scheme == "CPC" and c.first]
    assert cpc_first == ([case["cpc"]] if case["cpc"] else [])
    assert [(p.country, p.number, p.date) for p in pub.priorities] == case["priorities"]
    assert pub.claim_count == case["claims"]
    examiner = [c for c in pub.citations if c.cited_by == "examiner"]
    applicant_cited = [c for c in pub.citations if c.cited_by == "applicant"]
    assert (len(examiner), len(applicant_cited)) == case["cited"]
    assert [c.sequence for c in pub.citations] == list(range(1, len(pub.citations) + 1))


def test_titles_in_three_languages_english_first(data: Path) -> None:
    pub = read(data, "application/v1-0-A1.xml")
    titles = [(t.lang, t.text) for t in pub.texts if t.kind == "title"]
    assert titles == [
        ("en", "PROCESS FOR PRODUCING FLUOROALKANOL"),
        ("de", "VERFAHREN ZUR HERSTELLUNG VON FLUORALKANOL"),
        ("fr", "PROCEDE DE PRODUCTION DE FLUOROALCANOL"),
    ]
    assert pub.title == "PROCESS FOR PRODUCING FLUOROALKANOL"


def test_grant_claims_in_each_language_counted_in_the_proceedings_language(data: Path) -> None:
    pub = read(data, "grant/v1-5-1-B2.xml")  # proceedings in German (B251EP de)
    claims = [t for t in pub.texts if t.kind == "claims"]
    assert [t.lang for t in claims] == ["de", "en", "fr"]
    assert claims[0].text.startswith(
        "Vorrichtung zum Transport von band- oder streifenförmigen Material für eine Maschine"
    )
    assert claims[1].text.startswith("Device for conveying band-shaped or strip-shaped material")
    assert claims[0].text.count("\n\n") == 3  # four claims
    assert pub.claim_count == 4
    assert pub.text("description").startswith("Die Erfindung betrifft eine Vorrichtung")
    assert pub.text("description", "de") == pub.text("description")


def test_application_abstract_claims_and_description(data: Path) -> None:
    pub = read(data, "application/v1-0-A1.xml")
    assert pub.abstract.startswith("A process for producing a fluoroalkanol which can easily be industrially")
    assert pub.text("claims", "en").startswith("A process for producing a fluoroalkanol")
    description = pub.text("description", "en")
    assert description.startswith("TECHNICAL FIELD\nThe present invention relates to a process for producing")


def test_inventor_name_parts(data: Path) -> None:
    inventors = read(data, "grant/v1-2-B1.xml").parties_of("inventor")
    rogers = inventors[0]  # written "ROGERS, Bruce, L."
    assert (rogers.name, rogers.given_name, rogers.family_name) == ("Bruce L. ROGERS", "Bruce L.", "ROGERS")
    schmidt = read(data, "application/v1-1-A1.xml").parties_of("inventor")[0]  # "Schmidt, Thomas, Dr."
    assert (schmidt.given_name, schmidt.family_name) == ("Thomas", "Schmidt")
    kamitani = read(data, "application/v1-5-1-A1.xml").parties_of("inventor")[0]  # no comma
    assert (kamitani.name, kamitani.family_name) == ("KAMITANI Hirotaka", None)


def test_proprietor_agent_and_applicant_who_is_an_inventor(data: Path) -> None:
    pub = read(data, "grant/v1-0-B1.xml")
    proprietor = pub.parties_of("applicant")[0]
    assert (proprietor.kind, proprietor.city) == ("proprietor", "St. Laurent, Québec H4M 2V2")
    agent = pub.parties_of("agent")[0]
    assert (agent.name, agent.country) == ("Plougmann & Vingtoft A/S", "DK")
    rankin = read(data, "application/v1-01-A1.xml").parties_of("applicant")[0]
    assert (rankin.name, rankin.given_name, rankin.family_name) == ("Rankin, David", "David", "Rankin")
    assert [p.name for p in read(data, "application/v1-01-A1.xml").parties_of("applicant")] == [
        "Rankin, David",
        "Shanks, Anne",
    ]


def test_examiner_citations_of_a_grant(data: Path) -> None:
    cits = read(data, "grant/v1-0-B1.xml").citations
    # B561 "WO-A-03/008444", "US-A- 5 948 634"; B562 non-patent literature
    assert (cits[0].country, cits[0].number, cits[0].kind) == ("WO", "03008444", "A")
    assert (cits[1].cited_key, cits[1].cited_by) == ("US-5948634-A", "examiner")
    assert cits[2].npl.startswith('LASSERRE C ET AL.: "A Novel Gene (HIP) Activated in Human Primary Liver')
    assert cits[2].cited_key is None
    b2 = read(data, "grant/v1-5-1-B2.xml").citations
    assert b2[0].cited_key == "EP-1186247-A2"  # "EP-A2- 1 186 247"
    assert b2[6].cited_key == "US-RE36154-E"  # "US-E- R E36 154"


def test_applicant_citations_from_the_description(data: Path) -> None:
    cits = read(data, "application/v1-2-A1.xml").citations
    assert [(c.cited_key, c.cited_by) for c in cits] == [
        ("ES-2115900", "applicant"),  # no kind given
        ("ES-1060278-U", "applicant"),
    ]
    npl = [c for c in read(data, "application/v1-5-1-A1.xml").citations if c.npl]
    assert len(npl) == 102
    assert npl[0].npl == "NAWIJN et al., Nat. Rev. Cancer, vol. 11, 2011, pages 23-34"
    # dnum-type "L": a cited application number, which has no publication key
    cited_application = read(data, "application/v1-5-A1.xml").citations[0]
    assert (cited_application.country, cited_application.number) == ("CN", "201810358967")
    assert cited_application.cited_key is None
    assert cited_application.date == "2018-04-20"


def test_cpc_and_ipcr_flags(data: Path) -> None:
    pub = read(data, "application/v1-5-1-A1-1.xml")
    cpc = [(c.code, c.first, c.inventive) for c in pub.classes if c.scheme == "CPC"]
    assert cpc[:3] == [("B60K17/28", False, False), ("B60W30/1888", False, True), ("F16D48/06", True, True)]
    assert len(cpc) == 9
    ipc = [(c.code, c.first, c.inventive) for c in read(data, "application/v1-2-A1.xml").classes]
    # "E04B 1/88 20060101AFI...", "E04B 1/90 ...ALI...", "E04B 1/84 ...ALN..." (spaces collapsed in the file)
    assert ipc == [("E04B1/88", True, True), ("E04B1/90", False, True), ("E04B1/84", False, False)]


def test_divisional_and_pct_relations(data: Path) -> None:
    related = read(data, "grant/v1-5-1-B2.xml").related
    assert [(r.relation, r.number, r.role, r.date) for r in related] == [
        ("division", "12184383", "parent", "2012-09-14")
    ]
    child = read(data, "grant/v1-2-B2.xml").related[0]
    assert (child.relation, child.number, child.role) == ("division", "98202403", "child")
    pct = {r.relation: (r.country, r.number) for r in read(data, "application/v1-0-A1.xml").related}
    assert pct == {"pct-application": ("JP", "0107711"), "pct-publication": ("WO", "02020444")}


def test_raw_ampersands_are_read(data: Path) -> None:
    # "UDAPI & ASOCIADOS" in the agent's address is a raw "&": the file is not well-formed XML as written
    pub = read(data, "application/v1-2-A1.xml")
    assert pub.parties_of("agent")[0].name == "Esteban Perez-Serrano, Maria Isabel"
