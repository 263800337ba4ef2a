"""Google Patents exports: the search CSV (current and 2018 layouts) and the scraped details table.

Every expected value was read by hand from the files in shared/data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.sources.base import Item
from patscape.sources.google_patents import GooglePatentsReader, GooglePatentsScrapedReader
from tests.sources.exports_io import at_line, codes, names, publications, read_path, rejected

EXPORTS = "gp_ai_patents_cpc/gp_search_exports"
SCRAPED = "gp_ai_patents_cpc/scraped"
OLD = "koehrsen_nn_patents/gp_search_2018"

# data rows per file: `wc -l` less the header (and the "search URL:" line where there is one); no
# quoted field of these exports spans lines, which csv counting confirms
EXPORT_ROWS = {
    f"{EXPORTS}/gp-search-20251001-102423.csv": 10663,
    f"{EXPORTS}/gp-search-20251001-102718.csv": 10550,
    f"{EXPORTS}/gp-search-20251001-102842.csv": 5321,
    f"{OLD}/gp-search-20181012-181513.csv": 909,
    f"{OLD}/gp-search-20181013-123852.csv": 780,
    f"{OLD}/gp-search-artificial-intelligence.csv": 750,
    f"{OLD}/gp-search-autonomous-systems.csv": 677,
    f"{OLD}/gp-search-computer-science.csv": 752,
    f"{OLD}/gp-search-deep-learning.csv": 771,
    f"{OLD}/gp-search-deep-neural-networks.csv": 700,
    f"{OLD}/gp-search-information-processing.csv": 949,
    f"{OLD}/gp-search-machine-learning.csv": 736,
    f"{OLD}/gp-search-neural-networks.csv": 851,
    f"{OLD}/gp-search-recurrent-neural-networks.csv": 697,
    f"{OLD}/gp-search-thinking-machines.csv": 659,
}


@pytest.fixture(scope="module")
def exports(data: Path) -> dict[str, list[Item]]:
    return {name: read_path(GooglePatentsReader(), data / name) for name in EXPORT_ROWS}


@pytest.fixture(scope="module")
def scraped(data: Path) -> dict[str, list[Item]]:
    return {
        p.name: read_path(GooglePatentsScrapedReader(), p) for p in sorted((data / SCRAPED).glob("*.csv"))
    }


@pytest.mark.parametrize("name", sorted(EXPORT_ROWS))
def test_every_export_row_is_read(exports: dict[str, list[Item]], name: str) -> None:
    items = exports[name]
    assert rejected(items) == []
    assert len(publications(items)) == EXPORT_ROWS[name]


def test_current_layout_grant(exports: dict[str, list[Item]]) -> None:
    pub = at_line(exports[f"{EXPORTS}/gp-search-20251001-102423.csv"], 2)
    assert (pub.pub_key, pub.country, pub.number, pub.kind) == ("US-12299796-B2", "US", "12299796", "B2")
    assert pub.title == "Generation of story videos corresponding to user input using generative models"
    assert names(pub, "applicant") == ["Lemon Inc."]
    assert pub.parties_of("applicant")[0].country is None
    assert names(pub, "inventor") == ["Bingchen LIU", "Kin Chung WONG", "Peilin Li", "Lexin TANG"]
    assert [p.date for p in pub.priorities] == ["2022-12-16"]
    assert pub.application.date == "2022-12-16"
    assert (pub.published, pub.granted, pub.doc_type) == ("2025-05-13", "2025-05-13", "grant")


def test_current_layout_application(exports: dict[str, list[Item]]) -> None:
    pub = at_line(exports[f"{EXPORTS}/gp-search-20251001-102423.csv"], 4)
    assert pub.pub_key == "US-2023377099-A1"
    assert (
        pub.title
        == "Synthesizing content using diffusion models in content generation systems and applications"
    )
    assert names(pub, "applicant") == ["Nvidia Corporation"]
    assert names(pub, "inventor") == ["Karsten Julian Kreis", "Tim Dockhorn", "Arash Vahdat"]
    assert [p.date for p in pub.priorities] == ["2022-05-19"]
    assert (pub.application.date, pub.published, pub.granted) == ("2023-05-18", "2023-11-23", None)


def test_chinese_applicant_and_inventors(exports: dict[str, list[Item]]) -> None:
    pub = at_line(exports[f"{EXPORTS}/gp-search-20251001-102423.csv"], 5)
    assert pub.pub_key == "CN-117876249-A"
    assert pub.title == "A low-light image enhancement method based on diffusion model and physical model"
    assert names(pub, "applicant") == ["电子科技大学"]
    assert names(pub, "inventor") == ["王国庆", "吴煜辉", "李天宇", "王智文", "杨阳"]
    assert (pub.priorities[0].date, pub.application.date, pub.published) == (
        "2024-01-15",
        "2024-01-15",
        "2024-04-12",
    )


@pytest.mark.parametrize(
    ("line", "key", "applicants"),
    [
        (6, "US-2025063136-A1", ["Samsung Electronics Co., Ltd."]),
        (916, "US-10657378-B2", ["Board Of Regents, The University Of Texas System"]),
        (9389, "JP-H0936233-A", ["Matsushita Electric Ind Co Ltd", "松下電器産業株式会社"]),
        (724, "TW-I823028-B", ["荷蘭商Ａｓｍｌ荷蘭公司"]),
        (1980, "JP-WO2020017213-A1", ["富士フイルム株式会社"]),
    ],
)
def test_applicant_names_with_commas_and_prefixed_numbers(
    exports: dict[str, list[Item]], line: int, key: str, applicants: list[str]
) -> None:
    pub = at_line(exports[f"{EXPORTS}/gp-search-20251001-102423.csv"], line)
    assert pub.pub_key == key
    assert names(pub, "applicant") == applicants


def test_two_applicants_with_legal_forms(exports: dict[str, list[Item]]) -> None:
    pub = at_line(exports[f"{EXPORTS}/gp-search-20251001-102718.csv"], 619)
    assert pub.pub_key == "US-2022292999-A1"
    assert names(pub, "applicant") == ["At&T Intellectual Property I, L.P.", "At&T Mobility Ii Llc"]
    inventors = names(pub, "inventor")
    assert (len(inventors), inventors[0], inventors[-1]) == (13, "Matthew Kratzer", "David E. Patterson")


def test_family_semicolon_given_person_applicants(exports: dict[str, list[Item]]) -> None:
    pub = at_line(exports[f"{EXPORTS}/gp-search-20251001-102718.csv"], 2002)
    assert pub.pub_key == "US-5835087-A"
    first = pub.parties_of("applicant")[0]
    assert (first.name, first.given_name, first.family_name) == (
        "Frederick S. M. Herz",
        "Frederick S. M.",
        "Herz",
    )
    assert names(pub, "applicant")[1:] == ["Jason M. Eisner", "Lyle H. Ungar"]


def test_2018_layout_with_search_url_line(exports: dict[str, list[Item]]) -> None:
    pub = at_line(exports[f"{OLD}/gp-search-artificial-intelligence.csv"], 3)
    assert pub.pub_key == "US-4999833-A"
    assert pub.title == "Network connectivity control by artificial intelligence"
    assert names(pub, "applicant") == ["Itt Corporation"]
    assert names(pub, "inventor") == ["William C. Lee"]
    assert (pub.priorities[0].date, pub.application.date) == ("1985-05-06", "1988-12-20")
    assert (pub.published, pub.granted) == ("1991-03-12", "1991-03-12")


def test_2018_layout_generational_suffix(exports: dict[str, list[Item]]) -> None:
    items = exports[f"{OLD}/gp-search-machine-learning.csv"]
    first = at_line(items, 3)
    assert (first.pub_key, names(first, "applicant")) == ("US-7197497-B2", ["Overture Services, Inc."])
    pub = at_line(items, 4)
    assert pub.pub_key == "US-6424997-B1"
    assert names(pub, "applicant") == ["International Business Machines Corporation"]
    assert names(pub, "inventor") == [
        "Martin C. Buskirk, Jr.",
        "Frederick J. Damerau",
        "David H. Johnson",
        "Marguerite Raaen",
    ]


def test_2018_layout_without_search_url_line(exports: dict[str, list[Item]]) -> None:
    pub = at_line(exports[f"{OLD}/gp-search-20181013-123852.csv"], 2)
    assert pub.pub_key == "US-5828812-A"
    assert names(pub, "applicant") == ["National Semiconductor Corporation"]
    assert names(pub, "inventor") == ["Emdadur Rahman Khan", "William Shields Neely"]
    assert (pub.priorities[0].date, pub.application.date, pub.published) == (
        "1993-03-24",
        "1995-05-02",
        "1998-10-27",
    )


# -- scraped details -------------------------------------------------------------------------------


def test_scraped_counts(scraped: dict[str, list[Item]]) -> None:
    assert len(scraped) == 20
    assert all(rejected(items) == [] for items in scraped.values())
    pubs = [p for items in scraped.values() for p in publications(items)]
    assert len(pubs) == 39_681
    assert len({p.pub_key for p in pubs}) == 31_540


def test_scraped_values(scraped: dict[str, list[Item]]) -> None:
    items = scraped["patent_details_20251001-102339.csv"]
    cn = at_line(items, 2)
    assert cn.pub_key == "CN-110543639-B"
    assert (
        cn.title
        == "An English sentence simplification algorithm based on pre-trained Transformer language model"
    )
    assert cn.abstract is not None and cn.abstract.startswith("The invention discloses an English sentence")
    assert codes(cn, "CPC") == ["G06F18/22", "Y02D10/00"]
    assert [c.first for c in cn.classes] == [True, False]

    us = at_line(items, 3)
    assert us.pub_key == "US-11532378-B2"
    assert us.title == "Protein database search using learned representations"
    assert codes(us, "CPC") == [
        "G06N3/084", "G06F16/2255", "G06F16/24534", "G06N3/044", "G06N3/0445",
        "G06N3/08", "G16B30/10", "G16B40/20", "G06N3/045", "G06N3/047",
    ]  # fmt: skip


def test_scraped_multiline_abstract_keeps_line_numbers(scraped: dict[str, list[Item]]) -> None:
    items = scraped["patent_details_20251001-102339.csv"]
    ep = at_line(items, 84)  # its abstract runs over lines 84-87
    assert ep.pub_key == "EP-4503043-A1"
    assert ep.abstract is not None and "\nb) Performing domain adaption" in ep.abstract
    assert codes(ep, "CPC") == ["G16C20/70", "G06N3/045", "G16C20/30", "G16C20/50", "G06N3/08"]
    nxt = at_line(items, 88)
    assert nxt.pub_key == "US-2024087683-A1"
    assert nxt.title == "Classification using a machine learning model trained with triplet loss"
    assert codes(nxt, "CPC")[0] == "G06N3/0455"
