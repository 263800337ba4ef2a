"""JPO reader: values read by hand from the JPO gazettes in cn_jp_st36_st96_examples."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from patscape.record import Publication
from patscape.sources.detect import detect
from patscape.sources.jpo import JpoReader, read_cited, split_name
from tests.sources.office_xml import EXAMPLES, cached_reader, head, raw_text

DISCO = "examples/jp_example1.xml"  # JP 2021-044377 A, 株式会社ディスコ
GRST = "examples/jp_example2.xml"  # JP 2021-044249 A, a Hong Kong applicant, a divisional
TOPPAN = "examples/jp_example3.xml"  # JP 2021-041306 A, 凸版印刷株式会社
NISSUI = "st36_wipo_examples/jp_old/2021193879.xml"  # JP 2021-193879 A, 日本水産株式会社
ALL = [DISCO, GRST, TOPPAN, NISSUI]


@pytest.fixture(scope="module")
def folder(data: Path) -> Path:
    return data / EXAMPLES


@pytest.fixture(scope="module")
def pub(folder: Path) -> Callable[[str], Publication]:
    return cached_reader(JpoReader(), folder)


@pytest.mark.parametrize("name", ALL)
def test_every_file_is_detected_and_read(folder: Path, pub: Callable[[str], Publication], name: str) -> None:
    reader = detect(head(folder / name))
    assert reader is not None and reader.name == "jpo"
    p = pub(name)
    assert (p.country, p.kind, p.doc_type) == ("JP", "A", "application")  # 公開特許公報(A)
    assert p.text("title", "ja") and p.text("abstract", "ja") and p.text("claims", "ja")


@pytest.mark.parametrize("name", ALL)
def test_names_are_kept_exactly_as_written(
    folder: Path, pub: Callable[[str], Publication], name: str
) -> None:
    text = raw_text(folder / name)
    for party in pub(name).parties:
        assert party.name in text, party.name


def test_identification(pub: Callable[[str], Publication]) -> None:
    p = pub(DISCO)
    assert (p.pub_key, p.published, p.granted) == ("JP-2021044377-A", "2021-03-18", None)
    assert (p.application.country, p.application.number, p.application.date) == (
        "JP",
        "2019165329",
        "2019-09-11",
    )
    assert p.text("title", "ja") == "ウェーハの加工方法"
    assert p.priorities == []


def test_parties(pub: Callable[[str], Publication]) -> None:
    p = pub(DISCO)
    applicant = p.parties_of("applicant")[0]
    assert (applicant.name, applicant.lang) == ("株式会社ディスコ", "ja")
    # address "東京都大田区大森北二丁目１３番１１号"
    assert (applicant.country, applicant.state, applicant.city) == ("JP", "東京都", "大田区")
    inventors = p.parties_of("inventor")
    assert len(inventors) == 10
    assert inventors[0].name == "原田  成規"  # two spaces between family and given name, as written
    assert (inventors[0].family_name, inventors[0].given_name) == ("原田", "成規")
    agents = p.parties_of("agent")
    assert [a.name for a in agents] == ["松本  昂", "岡本  知広", "笠原  崇廣", "岡本  英哲", "岡野  貴之"]
    assert agents[0].kind == "representative"


def test_classes(pub: Callable[[str], Publication]) -> None:
    p = pub(DISCO)
    ipc = [(c.code, c.first, c.inventive) for c in p.classes if c.scheme == "IPC"]
    # main-clsf "H01L  21/301  20060101AFI20210219BHJP", further-clsf "... ALI ..."
    assert ipc == [
        ("H01L21/301", True, True),
        ("H01L21/67", False, True),
        ("H01L21/683", False, True),
        ("B23K26/53", False, True),
    ]
    fi = [c.code for c in p.classes if c.scheme == "FI"]
    assert fi[:3] == ["H01L21/78 M", "H01L21/78 B", "H01L21/78 V"]
    assert fi[-1] == "B23K26/53"
    fterms = [c.code for c in p.classes if c.scheme == "FTERM"]
    assert (len(fterms), fterms[0], fterms[-1]) == (69, "4E168AE01", "5F131EC75")


def test_texts_and_claims(pub: Callable[[str], Publication]) -> None:
    p = pub(DISCO)
    assert p.claim_count == 6
    abstract = p.text("abstract", "ja")
    assert abstract.startswith("【課題】品質を低下させることなくデバイスチップを形成する。\n【解決手段】")
    assert abstract.endswith("【選択図】図４")
    claims = p.text("claims", "ja")
    assert claims.startswith("複数のデバイスが、分割予定ラインによって区画された表面の各領域に")
    assert len(claims.split("\n\n")) == 6
    assert p.text("description", "ja").startswith("本発明は、複数のデバイスが分割予定ラインによって")


def test_citations_in_the_description(pub: Callable[[str], Publication]) -> None:
    p = pub(DISCO)  # 特許第６１５１５５７号公報, 特許第３０７６１７９号公報
    assert [(c.cited_key, c.country, c.number, c.cited_by) for c in p.citations] == [
        ("JP-6151557", "JP", "6151557", "applicant"),
        ("JP-3076179", "JP", "3076179", "applicant"),
    ]
    era = pub(NISSUI).citations  # 特開平８−９９３２号公報: an imperial-era number has no unambiguous key
    assert [(c.cited_key, c.country, c.number, c.kind) for c in era] == [(None, "JP", "平8-9932", "A")]


def test_foreign_applicant_priority_and_division(pub: Callable[[str], Publication]) -> None:
    p = pub(GRST)
    assert (p.pub_key, p.published) == ("JP-2021044249-A", "2021-03-18")
    assert (p.application.number, p.application.date) == ("2020185474", "2020-11-06")
    assert p.text("title", "ja") == "リチウムイオン電池のリサイクル方法"
    applicant = p.parties_of("applicant")[0]
    assert applicant.name == "ジーアールエスティー・インターナショナル・リミテッド"
    assert applicant.country == "HK"  # "中華人民共和国、ホンコン、…"; its English address: "Hong Kong, China"
    inventor = p.parties_of("inventor")[0]
    assert (inventor.name, inventor.family_name, inventor.given_name) == (
        "ホ、カム・ピウ",
        "ホ",
        "カム・ピウ",
    )
    assert [(x.country, x.number, x.date, x.kind) for x in p.priorities] == [
        ("US", "62/359,703", "2016-07-07", "international")
    ]
    assert [(r.relation, r.number, r.date, r.role) for r in p.related] == [
        ("division", "2018566929", "2017-06-12", "parent")
    ]
    assert [(c.code, c.first) for c in p.classes if c.scheme == "IPC"] == [
        ("H01M10/54", True),
        ("B09B3/00", False),
    ]
    assert [c.code for c in p.classes if c.scheme == "FI"] == ["H01M10/54", "B09B3/00 304H"]
    # number-of-claims says 17 (the amended claims); the published translation lists 20 claims
    assert p.claim_count == 17
    assert len(p.text("claims", "ja").split("\n\n")) == 20


def test_other_gazettes(pub: Callable[[str], Publication]) -> None:
    toppan = pub(TOPPAN)
    assert (toppan.pub_key, toppan.application.number) == ("JP-2021041306-A", "2019162830")
    assert toppan.text("title", "ja") == "脱酸素剤、脱酸素剤包装体及び食品包装体"
    applicant = toppan.parties_of("applicant")[0]
    assert (applicant.name, applicant.country, applicant.city) == ("凸版印刷株式会社", "JP", "台東区")
    assert toppan.parties_of("inventor")[0].name == "福永  悟大"
    assert [c.code for c in toppan.classes if c.scheme == "IPC"][:2] == ["B01J20/22", "B65D81/26"]
    assert toppan.claim_count == 8

    nissui = pub(NISSUI)
    assert (nissui.pub_key, nissui.published) == ("JP-2021193879-A", "2021-12-27")
    assert (nissui.application.number, nissui.application.date) == ("2020100059", "2020-06-09")
    assert nissui.parties_of("applicant")[0].name == "日本水産株式会社"
    assert [i.city for i in nissui.parties_of("inventor")] == ["港区", "八王子市"]
    assert [c.code for c in nissui.classes if c.scheme == "IPC"] == ["A23L17/00", "G05B19/418"]
    assert nissui.claim_count == 15


def test_name_and_citation_helpers() -> None:
    assert split_name("松本  昂") == ("松本", "昂")
    assert split_name("株式会社ディスコ") == (None, None)
    assert read_cited("特開２０１９−１２３４５６号公報") == ("JP", "2019-123456", "A", False)
    assert read_cited("米国特許第７，１０１，７３５号明細書") == ("US", "7101735", None, False)


def test_sniff_only_claims_gazettes(folder: Path) -> None:
    reader = JpoReader()
    for name in ("SOURCE.txt", "examples/cn_new1.xml", "examples/us_example1.xml"):
        assert not reader.sniff(head(folder / name))
