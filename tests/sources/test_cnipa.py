"""CNIPA reader: values read by hand from the CNIPA documents in cn_jp_st36_st96_examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from patscape.record import Publication
from patscape.sources.cnipa import CnipaReader
from patscape.sources.detect import detect
from tests.sources.office_xml import EXAMPLES, cached_reader, head, raw_text

NEW = "examples/cn_new1.xml"  # CN 113781974 A, 三星显示有限公司
NEW_PCT = "examples/cn_new3.xml"  # CN 113784721 A, 阿堤亚制药公司, eight US priorities
NEW_WIPO = "st36_wipo_examples/cn_new/CN102015000481495CN00001152124630AFULZH20221021CN00D.XML"
OLD = "examples/cn_old1.xml"  # CN 104223352 A, 云南中烟工业有限责任公司 (file starts with a BOM)
OLD_KR = "examples/cn_old2.xml"  # CN 104245143 A, six KR priorities
OLD_DOMESTIC = "examples/cn_old4.xml"  # CN 104223590 A, a domestic priority
OLD_WIPO = "st36_wipo_examples/cn_old/200880114428_A.xml"  # CN 103492414 A, 伊莱利利公司
ALL = [NEW, NEW_PCT, NEW_WIPO, OLD, OLD_KR, "examples/cn_old3.xml", OLD_DOMESTIC, OLD_WIPO]


@pytest.fixture(scope="module")
def folder(data: Path) -> Path:
    return data / EXAMPLES


@pytest.fixture(scope="module")
def pub(folder: Path) -> Callable[[str], Publication]:
    return cached_reader(CnipaReader(), folder)


@pytest.mark.parametrize("name", ALL)
def test_every_file_is_detected_and_read(folder: Path, pub: Callable[[str], Publication], name: str) -> None:
    reader = detect(head(folder / name))
    assert reader is not None and reader.name == "cnipa"
    assert pub(name).country == "CN"


@pytest.mark.parametrize("name", ALL)
def test_names_are_kept_exactly_as_written(
    folder: Path, pub: Callable[[str], Publication], name: str
) -> None:
    text = raw_text(folder / name)
    for party in pub(name).parties:
        assert party.name in text, party.name


# -- the new format (business:PatentDocumentAndRelated) ----------------------------------------
def test_new_format_identification(pub: Callable[[str], Publication]) -> None:
    p = pub(NEW)
    assert (p.pub_key, p.kind, p.doc_type) == ("CN-113781974-A", "A", "application")
    assert p.published == "2021-12-10"
    assert p.granted is None
    assert p.version == "2021-12-05"  # dateProduced="20211205"
    assert (p.application.country, p.application.number) == ("CN", "202111286633.X")
    assert (p.application.date, p.application.type) == ("2017-04-24", "invention")


def test_new_format_parties(pub: Callable[[str], Publication]) -> None:
    p = pub(NEW)
    applicant = p.parties_of("applicant")[0]
    assert applicant.name == "三星显示有限公司"
    assert (applicant.country, applicant.lang, applicant.sequence) == ("KR", "zh", 1)
    assert [i.name for i in p.parties_of("inventor")] == ["金驲柱", "田武经", "李安洙"]
    agents = p.parties_of("agent")
    assert agents[0].name == "北京英赛嘉华知识产权代理有限责任公司 11204"
    assert agents[0].kind == "agency"
    assert [a.name for a in agents[1:]] == ["王达佐", "刘铮"]


def test_new_format_classes_priorities_related(pub: Callable[[str], Publication]) -> None:
    p = pub(NEW)
    assert [(c.scheme, c.code) for c in p.classes] == [
        ("IPC", "G09G3/36"),
        ("IPC", "G09G3/3208"),
        ("IPC", "G09G3/34"),
    ]
    assert [c.first for c in p.classes] == [True, False, False]
    assert [(x.country, x.number, x.date, x.kind) for x in p.priorities] == [
        ("KR", "10-2016-0063019", "2016-05-23", "international")
    ]
    division = p.related[0]
    assert (division.relation, division.role) == ("division", "parent")
    assert (division.country, division.number, division.date) == ("CN", "201710269973.9", "2017-04-24")


def test_new_format_texts(pub: Callable[[str], Publication]) -> None:
    p = pub(NEW)
    assert p.text("title", "zh") == "显示设备"
    assert p.text("abstract", "zh").startswith("公开了一种显示设备。显示设备包括排列成多行和多列的多个像素")
    assert p.claim_count == 17
    claims = p.text("claims", "zh")
    assert claims.startswith("1.显示设备，包括：\n显示面板，所述显示面板包括：\n多个像素")
    assert claims.count("\n\n") == 16
    assert claims.split("\n\n")[-1].startswith("17.如权利要求16所述的显示设备")
    description = p.text("description", "zh")
    assert description.startswith("相关申请的交叉引用\n于2016年5月23日提交的")
    assert "显示设备" not in description.split("\n")[0]  # the title is not repeated as a paragraph


def test_new_format_pct_entry(pub: Callable[[str], Publication]) -> None:
    p = pub(NEW_PCT)
    assert p.pub_key == "CN-113784721-A"
    assert (p.application.number, p.application.date) == ("202180002433.9", "2021-02-24")
    assert p.text("title", "zh") == "抗COVID-19的高活性化合物"
    applicant = p.parties_of("applicant")[0]
    assert (applicant.name, applicant.country) == ("阿堤亚制药公司", "US")
    inventor = p.parties_of("inventor")[0]
    assert inventor.name == "J-P·索玛迪西"
    assert (inventor.family_name, inventor.given_name) == ("索玛迪西", "J-P")
    assert [c.code for c in p.classes] == ["A61K31/7076", "A61P31/14", "C07H19/207"]
    assert len(p.priorities) == 8  # given twice in the file ("original" and "standard"): once here
    assert (p.priorities[0].number, p.priorities[0].date) == ("62/982,670", "2020-02-27")
    assert (p.priorities[-1].number, p.priorities[-1].date) == ("63/146,456", "2021-02-05")
    assert {(r.relation, r.country, r.number, r.date) for r in p.related} == {
        ("pct-application", "US", "PCT/US2021/019468", "2021-02-24"),
        ("pct-publication", "WO", "2021/173713", "2021-09-02"),
    }
    assert p.claim_count == 111


def test_new_format_domestic_applicant_city(pub: Callable[[str], Publication]) -> None:
    p = pub(NEW_WIPO)
    assert (p.pub_key, p.published, p.version) == ("CN-115212463-A", "2022-10-21", "2022-10-16")
    assert (p.application.number, p.application.date) == ("201510481495.9", "2015-08-07")
    assert p.text("title", "zh") == "一种医用放射治疗装置"
    applicant = p.parties_of("applicant")[0]
    assert (applicant.name, applicant.country, applicant.city) == (
        "北京大基康明医疗设备有限公司",
        "CN",
        "北京市",
    )
    assert p.parties_of("inventor")[0].name == "曹凯"
    assert [c.code for c in p.classes] == ["A61N5/00"]
    assert p.priorities == []
    assert p.claim_count == 12


# -- the old format (cn-patent-document) --------------------------------------------------------
def test_old_format_identification_and_texts(pub: Callable[[str], Publication]) -> None:
    p = pub(OLD)
    assert (p.pub_key, p.kind, p.published) == ("CN-104223352-A", "A", "2014-12-24")
    assert (p.application.number, p.application.date, p.application.type) == (
        "201410408762.5",
        "2014-08-19",
        "invention",
    )
    assert p.text("title", "zh") == "一种甘草发酵所得烟用香料及其应用"
    assert [c.code for c in p.classes] == ["A24B15/18", "C11B9/00", "C12P1/02", "C12R1/645"]
    assert p.claim_count == 3
    # the <br/> of the printed line wraps joins the Chinese sentence again: 与水<br/>按1:5
    assert p.text("claims", "zh").startswith(
        "1.一种甘草发酵所得烟用香料，其特征在于：将甘草片或甘草粉与水按1:5～1:50"
    )
    assert p.text("abstract", "zh").startswith("本发明公开了一种甘草发酵所得烟用香料及其应用。")
    assert p.text("description", "zh").startswith("技术领域\n本发明属于卷烟香精香料技术领域")
    assert p.version is None


def test_old_format_parties(pub: Callable[[str], Publication]) -> None:
    p = pub(OLD)
    applicant = p.parties_of("applicant")[0]
    assert applicant.name == "云南中烟工业有限责任公司"
    # address "650231 云南省昆明市五华区红锦路367号云烟科技园C区"
    assert (applicant.country, applicant.state, applicant.city, applicant.lang) == (
        "CN",
        "云南省",
        "昆明市",
        "zh",
    )
    inventors = p.parties_of("inventor")
    assert (len(inventors), inventors[0].name, inventors[-1].name) == (8, "段焰青", "王文元")
    agency = p.parties_of("agent")[0]
    assert agency.name == "昆明协立知识产权代理事务所(普通合伙) 53108"  # half-width brackets as written
    assert agency.kind == "agency"


def test_old_format_foreign_applicant_and_priorities(pub: Callable[[str], Publication]) -> None:
    p = pub(OLD_KR)
    assert p.pub_key == "CN-104245143-A"
    applicants = p.parties_of("applicant")
    assert [(a.name, a.country) for a in applicants] == [
        ("可隆科技特株式会社", "KR"),
        ("盛源立赛科株式会社", None),
    ]
    assert p.parties_of("inventor")[0].name == "朴建洙"
    assert len(p.priorities) == 6
    assert (p.priorities[0].country, p.priorities[0].number, p.priorities[0].date) == (
        "KR",
        "10-2013-0033547",
        "2013-03-28",
    )
    assert [c.code for c in p.classes] == ["B03B5/04", "B03B5/32", "B03B5/62", "B07B13/04"]
    assert p.claim_count == 43
    assert ("pct-publication", "WO", "2014/157990") in {(r.relation, r.country, r.number) for r in p.related}


def test_old_format_domestic_priority(pub: Callable[[str], Publication]) -> None:
    p = pub(OLD_DOMESTIC)
    assert (p.pub_key, p.text("title", "zh")) == ("CN-104223590-A", "脚型量具")
    assert [(x.country, x.number, x.date, x.kind) for x in p.priorities] == [
        ("CN", "201320854096.9", "2013-12-24", "national")
    ]
    applicant = p.parties_of("applicant")[0]
    assert (applicant.name, applicant.country, applicant.city) == ("叶建鑫", "CN", "温州市")
    assert p.claim_count == 10


def test_old_format_wipo_example(pub: Callable[[str], Publication]) -> None:
    p = pub(OLD_WIPO)
    assert (p.pub_key, p.published) == ("CN-103492414-A", "2014-01-01")
    assert (p.application.number, p.application.date) == ("200880114428.1", "2008-10-29")
    assert p.text("title", "zh") == "抗HEPCIDIN抗体及其用途"
    applicant = p.parties_of("applicant")[0]
    assert (applicant.name, applicant.country) == ("伊莱利利公司", "US")  # address "美国印第安纳州"
    inventor = p.parties_of("inventor")[0]
    assert (inventor.name, inventor.family_name, inventor.given_name) == ("Y·A·蔡", "蔡", "Y·A")
    assert [(x.country, x.number, x.date) for x in p.priorities] == [("US", "60/984,910", "2007-11-02")]
    assert [c.code for c in p.classes] == ["C07K16/18"]
    assert p.claim_count == 44


def test_sniff_recognises_content_not_mentions(folder: Path) -> None:
    reader = CnipaReader()
    assert not reader.sniff(head(folder / "SOURCE.txt"))  # mentions <cn-patent-document> in prose
    for name in (
        "examples/jp_example1.xml",
        "examples/us_example1.xml",
        "st36_wipo_examples/st36aexample/DOC00001.xml",
    ):
        assert not reader.sniff(head(folder / name))
