"""USPTO ICE XML (us-patent-grant v4.0-v4.5, us-patent-application v4.0-v4.5, sequence-cwu).

Every expected value below was read by hand from the real files in the shared data folder; the cross-check
against ``alchemy.raw`` compares with PatentsView's own parse of the same weekly slices.
"""

from __future__ import annotations

import collections
import functools
import re
import sqlite3
from io import BytesIO
from pathlib import Path

import pytest

from patscape.record import Attachment, Publication, Rejected
from patscape.sources.base import Origin
from patscape.sources.detect import detect
from patscape.sources.uspto_ice import UsptoIceReader

GO = "go_uspto_testdata"
PV = "patentsview_db_fixtures"
PPD = "uspto_patentpublicdata_samples"


@functools.cache
def _items(path: str) -> tuple:
    with open(path, "rb") as stream:
        return tuple(UsptoIceReader().read(stream, Origin(path)))


def items(data: Path, rel: str) -> tuple:
    return _items(str(data / rel))


def pub(data: Path, rel: str, index: int = 0) -> Publication:
    found = [i for i in items(data, rel) if i.source.index == index]
    assert len(found) == 1 and isinstance(found[0], Publication), found
    return found[0]


def keys(pub: Publication, scheme: str) -> list[str]:
    return [c.code for c in pub.classes if c.scheme == scheme]


# -- every ICE file reads, nothing is rejected ------------------------------------------------------

# folder, glob patterns, files, publications, sequence listings (counted by hand with grep)
FOLDERS = [
    (GO, ["test.xml", "grant/v4-*.xml", "application/v4-*.xml"], 8, 9, 0),
    (PV, ["*/*.xml"], 78, 549, 14),  # pa040101.two.xml (PAP v1.6) left out below
    (PPD, ["xml2004/*.xml", "xml2006/*.xml", "xml2014/*.xml", "xmlApp2004/*.xml"], 8, 8, 0),
    ("cn_jp_st36_st96_examples/examples", ["us_example*.xml"], 4, 4, 0),
]


def ice_files(data: Path, folder: str, patterns: list[str]) -> list[Path]:
    found = {p for pattern in patterns for p in (data / folder).glob(pattern)}
    return sorted(p for p in found if p.name != "pa040101.two.xml")


@pytest.mark.parametrize(
    ("folder", "patterns", "n_files", "n_pubs", "n_seq"), FOLDERS, ids=[f[0] for f in FOLDERS]
)
def test_every_ice_file_reads_without_rejection(
    data: Path, folder: str, patterns: list[str], n_files: int, n_pubs: int, n_seq: int
) -> None:
    files = ice_files(data, folder, patterns)
    assert len(files) == n_files
    counts: collections.Counter[str] = collections.Counter()
    for path in files:
        assert isinstance(detect(path.read_bytes()[: 64 * 1024]), UsptoIceReader), path
        for item in _items(str(path)):
            assert not isinstance(item, Rejected), (path, item.reason)
            counts[type(item).__name__] += 1
            assert item.source.reader == "uspto-ice"
    assert (counts["Publication"], counts["Attachment"], counts["Rejected"]) == (n_pubs, n_seq, 0)


def test_distinct_publications_of_the_patentsview_fixtures(data: Path) -> None:
    """464 distinct grants and 3 ICE applications; the data catalogue's 4th application is
    ``pa040101.two.xml`` (US-2004000002-A1, PAP v1.6, another reader). alchemy.raw is a SQLite file."""
    reader = UsptoIceReader()
    grants, applications = set(), set()
    for path in sorted((data / PV).glob("*/*")):
        if path.name == "pa040101.two.xml":
            continue
        if not reader.sniff(path.read_bytes()[: 64 * 1024]):
            assert path.name == "alchemy.raw"
            continue
        for item in _items(str(path)):
            if isinstance(item, Publication):
                (grants if item.granted else applications).add(item.pub_key)
    assert len(grants) == 464
    assert applications == {"US-2006288462-A1", "US-2013014306-A1", "US-2013014308-A1"}


# -- one or two documents of each version and kind ----------------------------------------------------

# fmt: off
CASES = {
    "grant-v4.0": dict(
        rel=f"{GO}/grant/v4-0-B2.xml", key="US-6857133-B2", doc_type="grant", published="2005-02-22",
        app=("10141259", "2002-05-07", "utility"), version="2005-02-09",
        title="Method and apparatus for manufacturing and installing water resistant cover on a limb",
        applicant=("David V. Reynolds", "US"), inventor="David V. Reynolds", claims=6,
        ipc=["A41D13/00"], cpc=[], priorities=[], patents=8, npl=0, figures=(15, 4),
    ),
    "grant-v4.0-b1": dict(
        rel=f"{PPD}/xml2004/US06970935.xml", key="US-6970935-B1", doc_type="grant", published="2005-11-29",
        app=("09703574", "2000-11-01", "utility"), version="2005-11-14",
        title="Conversational networking via transport, coding and control conversational protocols",
        applicant=("Stephane H. Maes", "US"), inventor="Stephane H. Maes", claims=30,
        ipc=["G06F15/16"], cpc=[], priorities=[], patents=11, npl=0, figures=(21, 18),
    ),
    "grant-v4.0-weekly": dict(
        rel=f"{PV}/ipgxml/ipg050104.small.xml", key="US-6836899-B1", doc_type="grant", published="2005-01-04",
        app=("10339710", "2003-01-09", "utility"), version="2004-12-21",
        title="Device for detachably holding an absorbent napkin across the torso",
        applicant=("Samuel G. Glasmire", "US"), inventor="Samuel G. Glasmire", claims=23,
        ipc=["A45F5/04"], cpc=[], priorities=[], patents=39, npl=0, figures=(23, 5),  # IPC "A45F  504"
    ),
    "grant-v4.1": dict(
        rel=f"{PV}/ipgxml/ipg060103.small.xml", index=13, key="US-6982157-B1", doc_type="grant",
        published="2006-01-03", app=("09889414", "2000-02-01", "utility"), version="2005-12-18",
        title="Drug combinations comprising (E)-7-[4-(4-fluorophenyl)-6-isopropyl-2-[methylsulfonyl)amino] "
        "pyrimidin-5-yl] (3r,5s) -3,5-dihydroxyhept-6-enoic acid and an inhibitor, inducer or substrate of "
        "p450 isoenzyme 3A4",
        applicant=("John S Pears", "GB"), inventor="John S Pears", claims=4, ipc=["C12N9/99"], cpc=[],
        priorities=[
            ("GB", "9902593", "1999-02-06", "national"),
            ("GB", "9921063", "1999-09-08", "national"),
            ("GB", "9921064", "1999-09-08", "national"),
        ],
        patents=7, npl=7, figures=(None, None),  # no drawings
    ),
    "design-v4.1": dict(
        rel=f"{PV}/ipgxml/ipg060103.small.xml", key="US-D513425-S1", doc_type="design",
        published="2006-01-03", app=("29220973", "2005-01-07", "design"), version="2005-12-30",
        title="Skateboard",
        applicant=("Harald Kohl", "FR"), inventor="Harald Kohl", claims=1, ipc=[], cpc=[], locarno="21-02",
        priorities=[], patents=6, npl=0, figures=(7, 4),
    ),
    "sir-v4.1": dict(
        rel=f"{PV}/ipgxml/ipg060103.small.xml", index=2, key="US-H2140-H1", doc_type="sir",
        published="2006-01-03", app=("09831579", "1999-10-22", "sir"), version="2005-12-18",
        title="Bio-oxidation process and apparatus", applicant=("Mike Rhodes", "AU"), inventor="Mike Rhodes",
        claims=15, ipc=["C22B3/18"], cpc=[], priorities=[("AU", "PP 7180", "1998-11-18", "national")],
        patents=10, npl=5, figures=(8, 3),
    ),
    "grant-v4.2": dict(
        rel=f"{PV}/ipgxml/ipg070102.small.xml", index=4, key="US-7155908-B2", doc_type="grant",
        published="2007-01-02", app=("10460321", "2003-06-12", "utility"), version="2007-02-01",
        title="Hydraulic system for heavy equipment option apparatus", applicant=("Man Suk Jeon", "KR"),
        inventor="Man Suk Jeon", claims=2, ipc=["F16D31/02"], cpc=[],
        priorities=[("KR", "10-2003-0008841", "2003-02-12", "national")], patents=7, npl=2, figures=(4, 4),
    ),
    "grant-v4.2-b": dict(
        rel=f"{PPD}/xml2006/US07272630B2.xml", key="US-7272630-B2", doc_type="grant", published="2007-09-18",
        app=("10991571", "2004-11-18", "utility"), version="2007-09-04",
        title="Locating potentially identical objects across multiple computers based on stochastic "
        "partitioning of workload",
        applicant=("John R. Douceur", "US"), inventor="John R. Douceur", claims=17, ipc=["G06F15/13"], cpc=[],
        priorities=[], patents=78, npl=38, figures=(15, 15),
    ),
    "design-v4.2": dict(
        rel=f"{PV}/xml/ipg120327.one.xml", key="US-D656296-S1", doc_type="design", published="2012-03-27",
        app=("29381217", "2010-12-16", "design"), version="2012-03-13",
        title="Ready to eat snack piece",  # written over two lines in the file
        applicant=("Nicole Cavin", "US"), inventor="Nicole Cavin", claims=1, ipc=[], cpc=[], locarno="01-01",
        priorities=[], patents=36, npl=6, figures=(7, 2),
    ),
    "plant-v4.2": dict(
        rel=f"{PV}/ipgxml/ipg080101.small.xml", index=6, key="US-PP18398-P2", doc_type="plant",
        published="2008-01-01", app=("11440245", "2006-05-25", "plant"), version="2007-12-14",
        title="Sedum telephium plant named \u2018Beka\u2019", applicant=("Brent Horvath", "US"),
        inventor="Brent Horvath", claims=1, ipc=["A01H5/00"], cpc=[], priorities=[], patents=0, npl=0,
        figures=(4, 2),
    ),
    "grant-v4.3": dict(
        rel=f"{PV}/ipgxml/ipg130416.small.xml", index=2, key="US-8418361-B2", doc_type="grant",
        published="2013-04-16", app=("13299685", "2011-11-18", "utility"), version="2013-04-01",
        title="Method of manufacturing printed circuit board having landless via hole",
        applicant=("Suk Won Lee", "KR"), inventor="Suk Won Lee", claims=5, ipc=["H05K3/02"], cpc=[],
        priorities=[("KR", "10-2008-0034874", "2008-04-15", "national")], patents=7, npl=3, figures=(17, 9),
    ),
    "grant-v4.5": dict(
        rel=f"{GO}/grant/v4-5-B2.xml", key="US-11147202-B2", doc_type="grant", published="2021-10-19",
        app=("16232658", "2018-12-26", "utility"), version="2021-09-29", title="Wheeled hand truck",
        applicant=("Yeow Ng", "US"), inventor="Yeow Ng", claims=9, ipc=["A01B1/24", "B62B1/12", "B62B5/06"],
        cpc=["A01B1/243", "B62B1/12", "B62B5/06", "B62B2202/70", "B62B2206/006"], priorities=[],
        patents=41, npl=0, figures=(8, 8),
    ),
    "grant-v4.5-b": dict(
        rel=f"{GO}/test.xml", index=1, key="US-11147203-B2", doc_type="grant", published="2021-10-19",
        app=("15900792", "2018-02-20", "utility"), version="2021-09-28",
        title="Middle mounted implement tractor",
        applicant=None, inventor=None, claims=20, ipc=None, cpc=None, priorities=[], patents=19, npl=0,
        figures=(48, 38),
    ),
    "grant-v4.5-cpc-combinations": dict(
        rel=f"{PPD}/xml2014/US08926509.xml", key="US-8926509-B2", doc_type="grant", published="2015-01-06",
        app=("12134151", "2008-06-05", "utility"), version="2014-12-19",
        title="Wireless physiological sensor patches and systems", applicant=("Surendar Magar", "US"),
        inventor="Surendar Magar", claims=31, ipc=None,
        cpc=[
            "A61B5/0205", "A61B5/0024", "A61B5/0404", "A61B5/1112", "A61B5/6833", "G06F19/3418",
            "H04L67/125", "H04L67/04", "A61B5/021", "A61B5/02438", "A61B5/0476", "A61B5/0488",
            "A61B5/14532", "A61B5/7232", "A61B2560/0209",
            # the symbols that appear only in the combination sets
            "H04W84/18", "H04W88/08", "H04W52/0235", "H04W52/0274",
        ],
        priorities=[], patents=130, npl=30, figures=(10, 10),
    ),
    "application-v4.0": dict(
        rel=f"{GO}/application/v4-0-A1.xml", key="US-2005000001-A1", doc_type="application",
        published="2005-01-06", app=("10909766", "2004-08-02", "utility"), version="2004-12-22",
        title="Novelty jeans", applicant=("Tina Goldkind", "US"), inventor="Tina Goldkind",
        claims=None,  # the sample keeps the bibliography and the abstract only
        ipc=["A41D1/06"], cpc=[], priorities=[], patents=0, npl=0, figures=(None, None),
    ),
    "application-v4.0-a2": dict(
        rel=f"{GO}/application/v4-0-A2_1.xml", key="US-2005004655-A2", doc_type="application",
        published="2005-01-06", app=("10743857", "2003-12-22", "utility"), version="2004-12-22",
        title="METHODS AND APPARATUS FOR A STENT HAVING AN EXPANDABLE WEB STRUCTURE",
        applicant=("Randolf Von Oepen", "US"), inventor="Randolf Von Oepen", claims=None, ipc=["A61F2/06"],
        cpc=[], priorities=[("DE", "19840645.2", "1998-09-05", "national")], patents=0, npl=0,
        figures=(None, None),
    ),
    "application-v4.0-b": dict(
        rel=f"{PPD}/xmlApp2004/US20050004437A1.xml", key="US-2005004437-A1", doc_type="application",
        published="2005-01-06", app=("10830857", "2004-04-23", "utility"), version="2004-12-22",
        title="Simulation device for playful evaluation and display of blood sugar levels",
        applicant=("Heiner Kaufmann", "CH"), inventor="Heiner Kaufmann", claims=10, ipc=["A61B5/00"], cpc=[],
        priorities=[("CH", "1974/01", "2001-10-26", "national")], patents=0, npl=0, figures=(None, None),
    ),
    "application-v4.1": dict(
        rel=f"{PV}/xml/ipa061228.one.xml", key="US-2006288462-A1", doc_type="application",
        published="2006-12-28", app=("11197279", "2005-08-04", "utility"), version="2006-12-13",
        title="Garments composed of fabric panels incorporating edible cells",
        applicant=("Yvonne Schroeder", "DE"), inventor="Yvonne Schroeder", claims=10,
        ipc=["A41D31/00", "A23G1/50"], cpc=[], priorities=[], patents=0, npl=0, figures=(None, None),
    ),
    "application-v4.3": dict(
        rel=f"{PV}/xml/ipa130117.one.xml", key="US-2013014308-A1", doc_type="application",
        published="2013-01-17", app=("13181579", "2011-07-13", "utility"), version="2013-01-06",
        title="TYPING-MATE", applicant=("Yennifer Feliciano", "US"), inventor="Yennifer Feliciano", claims=12,
        ipc=["A41D13/08"], cpc=[], priorities=[], patents=0, npl=0, figures=(None, None),
    ),
    "application-v4.3-b": dict(
        rel=f"{PV}/xml/ipa130117.one.xml", index=1, key="US-2013014306-A1", doc_type="application",
        published="2013-01-17", app=("13353293", "2012-01-18", "utility"), version="2013-01-06",
        title="TACTICAL MIXED MARTIAL ARTS GLOVE", applicant=("Christopher Mechling", "US"),
        inventor="Christopher Mechling", claims=14, ipc=["A41D13/08", "A41D19/02"], cpc=[], priorities=[],
        patents=0, npl=0, figures=(None, None),
    ),
    "application-v4.4": dict(
        rel=f"{GO}/application/v4-4-A1.xml", key="US-2021267109-A1", doc_type="application",
        published="2021-09-02", app=("17173265", "2021-02-11", "utility"), version="2021-08-17",
        title="METHODS AND APPARATUS FOR YARD AND GARDEN DEBRIS COLLECTION",
        applicant=("Daniel O'Keefe", "US"),
        inventor="Daniel O'Keefe", claims=20, ipc=["A01B1/04", "B08B1/00", "B08B13/00", "A01D11/06"],
        cpc=["A01B1/04", "A01D11/06", "B08B13/00", "B08B1/005"], priorities=[], patents=0, npl=0,
        figures=(None, None),
    ),
    "application-v4.4-a2": dict(
        rel=f"{GO}/application/v4-4-A2.xml", key="US-2015075015-A2", doc_type="application",
        published="2015-03-19", app=("14266913", "2014-05-01", "utility"), version="2015-03-04",
        title="RAZOR WITH CUTTING BLADE ROTATABLE ABOUT MULTIPLE AXES", applicant=("Thomas J. Bucco", "US"),
        inventor="Thomas J. Bucco", claims=24, ipc=["B26B21/52"], cpc=["B26B21/521"], priorities=[],
        patents=0, npl=0, figures=(None, None),
    ),
    "application-v4.5": dict(
        rel=f"{GO}/application/v4-5-A1.xml", key="US-2022159901-A1", doc_type="application",
        published="2022-05-26", app=("17437086", "2019-09-19", "utility"), version="2022-05-11",
        title="SEED DISTRIBUTOR USED FOR AGRICULTURAL MACHINES",
        applicant=("Ariel Alberto Antonio Spinsanti", "AR"), inventor="Ariel Alberto Antonio Spinsanti",
        claims=6, ipc=["A01C7/04"], cpc=["A01C7/04"], priorities=[], patents=0, npl=0, figures=(None, None),
    ),
}
# fmt: on


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_document(data: Path, case: dict) -> None:
    p = pub(data, case["rel"], case.get("index", 0))
    assert p.pub_key == case["key"]
    assert (p.country, p.kind) == ("US", case["key"].rsplit("-", 1)[1])
    assert p.doc_type == case["doc_type"]
    assert p.published == case["published"]
    assert p.granted == (case["published"] if case["doc_type"] != "application" else None)
    number, filed, appl_type = case["app"]
    assert (p.application.country, p.application.number, p.application.date, p.application.type) == (
        "US",
        number,
        filed,
        appl_type,
    )
    assert p.version == case["version"]
    assert p.title == case["title"]
    assert p.texts[0].lang == "en"
    if case["applicant"]:
        first = p.parties_of("applicant")[0]
        assert (first.name, first.country) == case["applicant"]
        assert p.parties_of("inventor")[0].name == case["inventor"]
    assert p.claim_count == case["claims"]
    if case["ipc"] is not None:
        assert keys(p, "IPC") == case["ipc"]
    if case["cpc"] is not None:
        assert keys(p, "CPC") == case["cpc"]
    if case.get("locarno"):
        assert keys(p, "LOCARNO") == [case["locarno"]]
    assert [(x.country, x.number, x.date, x.kind) for x in p.priorities] == case["priorities"]
    assert sum(1 for c in p.citations if c.npl is None) == case["patents"]
    assert sum(1 for c in p.citations if c.npl is not None) == case["npl"]
    assert (p.figure_count, p.sheet_count) == case["figures"]


# -- details --------------------------------------------------------------------------------------------


def test_texts_parties_and_classes_of_a_v40_grant(data: Path) -> None:
    p = pub(data, f"{GO}/grant/v4-0-B2.xml")
    assert p.abstract == (
        "A water resistant covering covers a part of the body, prevents water from penetrating the covering, "
        "and can be emplaced on the body with a single hand."
    )
    claims = p.text("claims")
    assert claims is not None and claims.startswith(
        "1. A method for producing a water-resistant unit, comprising the steps of (a) providing a "
        "water-resistant sleeve shaped and dimensioned to fit over a portion of the body of a user"
    )
    assert claims.count("\n\n") == 5  # six claims
    description = p.text("description")
    assert description is not None
    assert description.split("\n")[:2] == [
        "This invention pertains to water resistant coverings.",
        "More particularly, the invention pertains to a water resistant covering which is installed on an "
        "arm, leg, or other extremity or part of the body to cover a cast or otherwise protect the body and "
        "to prevent water from penetrating the covering.",
    ]
    # classification-ipc text form and classification-national as given
    assert [(c.scheme, c.code, c.first) for c in p.classes] == [
        ("IPC", "A41D13/00", True),
        ("USPC", "2 16", True),
        ("USPC", "602 62", False),
    ]
    # v4.0 parties: the applicant-inventor is both applicant and inventor
    assert [(x.role, x.kind, x.city, x.state) for x in p.parties if x.name == "David V. Reynolds"] == [
        ("applicant", "applicant-inventor", "Phoenix", "AZ"),
        ("inventor", "applicant-inventor", "Phoenix", "AZ"),
    ]
    agent = p.parties_of("agent")[0]
    assert (agent.name, agent.given_name, agent.family_name, agent.kind) == (
        "Tod R. Nissle, P.C.",
        "Tod R.",
        "Nissle, P.C.",
        "attorney",
    )
    examiner = p.parties_of("examiner")[0]
    assert (examiner.name, examiner.kind) == ("Gloria M. Hale", "primary")
    first = p.citations[0]
    assert (first.cited_key, first.date, first.cited_by) == ("US-3820200-A", "1974-06-01", "examiner")


def test_v45_grant_parties_classes_and_citations(data: Path) -> None:
    p = pub(data, f"{GO}/grant/v4-5-B2.xml")
    applicant = p.parties_of("applicant")[0]
    assert (applicant.given_name, applicant.family_name, applicant.city, applicant.state) == (
        "Yeow",
        "Ng",
        "Andover",
        "KS",
    )
    assert applicant.kind == "applicant"
    assert len(p.parties_of("inventor")) == 1  # us-parties: inventors come from <inventors> only
    assert [(a.name, a.country) for a in p.parties_of("agent")] == [
        ("Kenneth H. Jack", None),  # <country>unknown</country>
        ("Davis & Jack, LLC", None),
    ]
    assert [e.name for e in p.parties_of("examiner")] == ["Jessica H Lutz"]
    cpc = [(c.code, c.first, c.inventive) for c in p.classes if c.scheme == "CPC"]
    assert cpc == [
        ("A01B1/243", True, True),
        ("B62B1/12", False, True),
        ("B62B5/06", False, True),
        ("B62B2202/70", False, False),
        ("B62B2206/006", False, False),
    ]
    ipc = [(c.code, c.first, c.inventive) for c in p.classes if c.scheme == "IPC"]
    assert ipc[0] == ("A01B1/24", True, True)
    assert keys(p, "USPC") == []
    first = p.citations[0]
    assert (first.sequence, first.country, first.number, first.kind, first.date) == (
        1,
        "US",
        "554139",
        "A",
        "1896-02-01",
    )
    assert (first.cited_key, first.cited_by) == ("US-554139-A", "applicant")
    by = collections.Counter(c.cited_by for c in p.citations)
    assert by == {"applicant": 27, "examiner": 14}
    assert p.related[0].relation == "related-publication"
    assert (p.related[0].number, p.related[0].kind, p.related[0].date) == ("20190124818", "A1", "2019-05-02")


def test_v41_grant_npl_assignee_and_other_citations(data: Path) -> None:
    p = pub(data, f"{PV}/ipgxml/ipg060103.small.xml", 13)
    npl = [c for c in p.citations if c.npl]
    assert npl[0].npl == (
        "Robert H. Knopp, \u201cDrug treatment of lipid disorders\u201d, "
        "The New England Journal of Medicine, vol. 341, 1999, p. 498-511."
    )
    assert collections.Counter(c.cited_by for c in p.citations) == {"examiner": 6, "other": 8}
    assignee = p.parties_of("assignee")[0]
    assert (assignee.name, assignee.country, assignee.city, assignee.kind) == (
        "AstraZeneca AB",
        "GB",
        "London",
        "foreign-company",
    )
    assert p.parties_of("agent")[0].name == "Morgan, Lewis & Bockius LLP"


def test_v43_grant_related_documents_and_inventors(data: Path) -> None:
    p = pub(data, f"{PV}/ipgxml/ipg130416.small.xml", 2)
    assert [(r.relation, r.role, r.number, r.date, r.kind) for r in p.related] == [
        ("division", "parent", "12213975", "2008-06-26", None),
        ("division", "child", "13299685", None, None),
        ("related-publication", None, "20120060369", "2012-03-15", "A1"),
    ]
    assert [i.name for i in p.parties_of("inventor")] == ["Suk Won Lee", "Chang Gun Oh", "Mi Sun Hwang"]
    assert [a.name for a in p.parties_of("applicant")][:2] == ["Suk Won Lee", "Chang Gun Oh"]
    assert p.parties_of("assignee")[0].name == "Samsung Electro-Mechanics Co., Ltd."
    assert collections.Counter(c.cited_by for c in p.citations) == {"applicant": 8, "examiner": 2}


def test_v40_application_related_documents_and_assignee(data: Path) -> None:
    p = pub(data, f"{GO}/application/v4-0-A2_1.xml")
    assert [(r.relation, r.role, r.country, r.number, r.date) for r in p.related] == [
        ("continuation", "parent", "US", "09/742,144", "2000-12-19"),
        ("continuation", "parent-grant", "US", "6682554", "2004-01-27"),
        ("continuation", "child", "US", "10743857", "2003-12-22"),
        ("continuation-in-part", "parent", "US", "09/582,318", "2000-06-23"),
        ("continuation-in-part", "parent-grant", "US", "6602285", "2003-08-05"),
        ("continuation-in-part", "parent-pct", "EP", "PCTEP9906456", "1999-09-02"),
        ("continuation-in-part", "child", "US", "09/742,144", "2000-12-19"),
        ("related-publication", None, "US", "0193250", "2004-09-30"),
    ]
    assignee = p.parties_of("assignee")[0]
    assert (assignee.name, assignee.country) == ("Abbott Labortories Vascular Enterprises Limited", "IE")
    assert [x.name for x in p.parties_of("inventor")] == ["Randolf Von Oepen", "Gerd Seibold"]
    assert keys(p, "USPC") == ["623001160"]


def test_applications_of_v43_to_v45(data: Path) -> None:
    typing_mate = pub(data, f"{PV}/xml/ipa130117.one.xml")
    owner = typing_mate.parties_of("assignee")[0]
    assert (owner.name, owner.family_name, owner.kind) == ("Yennifer Feliciano", "Feliciano", "us-individual")
    razor = pub(data, f"{GO}/application/v4-4-A2.xml")
    assert razor.parties_of("applicant")[0].kind == "inventor"  # applicant-authority-category
    assert [(r.relation, r.role, r.number) for r in razor.related] == [
        ("continuation", "parent", "13030752"),
        ("continuation", "child", "14266913"),
        ("us-provisional-application", None, "61372662"),
        ("related-publication", None, "20140237828"),
    ]
    assert keys(razor, "USPC") == ["30527"]
    seed = pub(data, f"{GO}/application/v4-5-A1.xml")
    assert [(r.relation, r.country, r.number, r.date) for r in seed.related] == [
        ("pct-filing", "WO", "PCT/IB2019/057948", "2019-09-19")
    ]


def test_plant_and_design_classes(data: Path) -> None:
    plant = pub(data, f"{PV}/ipgxml/ipg080101.small.xml", 6)
    assert keys(plant, "USPC") == ["PLT263"]
    design = pub(data, f"{PV}/xml/ipg120327.one.xml")
    assert [(c.scheme, c.code, c.first) for c in design.classes] == [
        ("LOCARNO", "01-01", True),
        ("USPC", "D 1128", True),
        ("USPC", "D1106", False),
    ]
    assert design.parties_of("assignee")[0].name == "Frito-Lay North America, Inc."


def test_bibliographic_only_document_takes_number_of_claims(data: Path) -> None:
    """ipgb/ipab files carry the same documents without description and claims: cut them from a real one."""
    raw = (data / GO / "grant/v4-0-B2.xml").read_bytes()
    biblio = re.sub(rb"<description.*?</description>|<claims.*?</claims>", b"", raw, flags=re.DOTALL)
    assert b"<claim " not in biblio
    (p,) = UsptoIceReader().read(BytesIO(biblio), Origin("ipgb-like.xml"))
    assert isinstance(p, Publication)
    assert p.claim_count == 6  # <number-of-claims>6</number-of-claims>
    assert p.text("claims") is None and p.text("description") is None
    assert p.abstract is not None and p.pub_key == "US-6857133-B2"


# -- sequence listings -------------------------------------------------------------------------------------

SEQUENCES = [
    (f"{PV}/ipgxml/ipg060103.small.xml", [(12, "US-6982156-B2", "13"), (14, "US-6982248-B2", "13")]),
    (f"{PV}/ipgxml/ipg070102.small.xml", [(13, "US-7157420-B2", "40")]),
    (f"{PV}/ipgxml/ipg130416.small.xml", [(12, "US-8420053-B2", "316"), (14, "US-8420317-B2", "4")]),
    (f"{PV}/xml/patent_one_unparsed_dna.xml", [(0, "US-7521043-B2", "20")]),
    (f"{PV}/xml/patent_ten_unparsed_dna.xml", [(0, "US-7521258-B2", None)]),  # old rules: a table
]


@pytest.mark.parametrize(("rel", "expected"), SEQUENCES, ids=[s[0].rsplit("/", 1)[1] for s in SEQUENCES])
def test_sequence_listings_are_attachments(data: Path, rel: str, expected: list) -> None:
    found = [i for i in items(data, rel) if isinstance(i, Attachment)]
    assert [(a.source.index, a.pub_key) for a in found] == [(i, key) for i, key, _ in expected]
    for attachment, (_, _, count) in zip(found, expected, strict=True):
        assert attachment.kind == "sequence-listing"
        assert attachment.detail == (f"SEQLST-1: {count} sequences" if count else "SEQLST-0")
    publications = [i.pub_key for i in items(data, rel) if isinstance(i, Publication)]
    assert not set(publications) & {a.pub_key for a in found}


def test_sequence_listing_is_tied_to_its_patent(data: Path) -> None:
    (listing,) = items(data, f"{PV}/xml/patent_five_unparsed_dna.xml")
    assert isinstance(listing, Attachment)
    assert listing.pub_key == pub(data, f"{PV}/xml/patent_four_unparsed_.xml").pub_key == "US-7521048-B2"


# -- detection -------------------------------------------------------------------------------------------

NOT_ICE = [
    f"{GO}/grant/v2-5-B1.xml",  # PATDOC
    f"{GO}/application/v1-5-A1_1.xml",  # patent-application-publication v1.5
    f"{PV}/xml/pa040101.two.xml",  # patent-application-publication v1.6
    f"{PPD}/greenbook/US03937375.greenbook",
    "go_epo_eps_testdata/application/v1-0-A1.xml",
]


@pytest.mark.parametrize("rel", NOT_ICE)
def test_sniff_refuses_other_formats(data: Path, rel: str) -> None:
    assert not UsptoIceReader().sniff((data / rel).read_bytes()[: 64 * 1024])


def test_sniff_accepts_weekly_files_and_bare_documents(data: Path) -> None:
    reader = UsptoIceReader()
    weekly = (data / PV / "ipgxml/ipg090106.small.xml").read_bytes()[: 64 * 1024]
    assert weekly.startswith(b"<?xml") and b"<!DOCTYPE us-patent-grant" in weekly[:200]
    assert reader.sniff(weekly)
    assert reader.sniff((data / GO / "application/v4-0-A1.xml").read_bytes()[:4096])  # no <?xml declaration
    assert reader.sniff((data / PV / "xml/patent_one_unparsed_dna.xml").read_bytes()[:4096])


# -- cross-check with PatentsView's own parse (alchemy.raw, a SQLite database) -------------------------------


@functools.cache
def _alchemy(path: str) -> dict[str, dict]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = {
            pid: {"title": title, "claims": claims, "date": date, "kind": kind}
            for pid, title, claims, date, kind in db.execute(
                "select id, title, num_claims, date, kind from patent"
            )
        }
        for table, name in [
            ("citation", "patents"),
            ("otherreference", "npl"),
            ("rawinventor", "inventors"),
            ("rawassignee", "assignees"),
            ("rawlawyer", "agents"),
            ("ipcr", "ipc"),
            ("uspc", "uspc"),
        ]:
            counts = collections.Counter(pid for (pid,) in db.execute(f"select patent_id from {table}"))
            for pid, row in rows.items():
                row[name] = counts[pid]
        for pid, number, date in db.execute("select patent_id, number, date from application"):
            rows[pid]["application"] = (number, date)
    finally:
        db.close()
    return rows


@pytest.mark.parametrize("name", ["ipg120103.xml", "ipg130416.xml"])
def test_agrees_with_patentsview_alchemy_database(data: Path, name: str) -> None:
    expected = _alchemy(str(data / PV / "alchemy/alchemy.raw"))
    pubs = [i for i in items(data, f"{PV}/alchemy/{name}") if isinstance(i, Publication)]
    assert len(pubs) == 25
    for p in pubs:
        row = expected[p.number]
        patents = sum(1 for c in p.citations if c.npl is None)
        assert (p.title, p.claim_count, p.published, p.kind) == (
            row["title"],
            row["claims"],
            row["date"],
            row["kind"],
        ), p.pub_key
        assert (patents, len(p.citations) - patents) == (row["patents"], row["npl"]), p.pub_key
        assert len(p.parties_of("inventor")) == row["inventors"], p.pub_key
        assert len(p.parties_of("assignee")) == row["assignees"], p.pub_key
        assert len(p.parties_of("agent")) == row["agents"], p.pub_key
        assert (len(keys(p, "IPC")), len(keys(p, "USPC"))) == (row["ipc"], row["uspc"]), p.pub_key
        assert (p.application.number, p.application.date) == row["application"], p.pub_key


def test_a_broken_document_is_rejected_with_its_number_and_the_next_one_read(data: Path) -> None:
    raw = (data / PV / "xml/ipg120327.two.xml").read_bytes()
    second = raw.index(b"<?xml", 10)
    biblio_end = raw.index(b"</us-bibliographic-data-grant>")
    broken = raw[: biblio_end - 300] + raw[second:]  # the first grant is cut inside its bibliographic data
    rejected, kept = UsptoIceReader().read(BytesIO(broken), Origin("broken.xml"))
    assert isinstance(rejected, Rejected) and rejected.pub_key == "US-D656308-S1"
    assert rejected.source.index == 0 and "XMLSyntaxError" in rejected.reason
    assert "not recovered" in rejected.reason
    assert isinstance(kept, Publication) and kept.pub_key == "US-D656309-S1"


def test_a_document_cut_short_after_its_bibliographic_data_is_recovered(data: Path) -> None:
    raw = (data / PV / "xml/ipg120327.two.xml").read_bytes()
    second = raw.index(b"<?xml", 10)
    truncated = raw[: second - 200] + raw[second:]  # the first grant loses its last 200 bytes
    recovered, kept = UsptoIceReader().read(BytesIO(truncated), Origin("truncated.xml"))
    assert isinstance(recovered, Publication) and recovered.pub_key == "US-D656308-S1"
    last_line = raw.count(b"\n", 0, second - 200) + 1
    assert recovered.recovered is not None and f"line {last_line} " in recovered.recovered
    assert "cut short" in recovered.recovered
    assert isinstance(kept, Publication) and kept.pub_key == "US-D656309-S1" and kept.recovered is None
