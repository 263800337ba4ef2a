"""WIPO PATENTSCOPE result lists (.xls inside zips). Expected values read by hand from the workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.record import Priority
from patscape.sources.base import Item
from patscape.sources.patentscope import PatentscopeXlsReader, ipc_symbols, priorities
from tests.sources.exports_io import at_line, codes, names, read_member, rejected

ALL = "oldham_patent_analytics_datasets/pizza_all_24294/pizza_all_24294_raw.zip"
MEDIUM = "oldham_patent_analytics_datasets/pizza_medium/pizza_medium_raw.zip"
Y1940 = "pizza_all_24294/patentscope_pizza_1940_2005_9659.xls"
Y2006 = "pizza_all_24294/patentscope_pizza_2006_2011_8458.xls"
Y2012 = "pizza_all_24294/patentscope_pizza_2012_2015_6177.xls"
M2015 = "pizza_medium_raw/pizza_medium_raw_05032015.xls"
# the record counts in the file names and the codebooks (24,294 = 9,659 + 8,458 + 6,177; 10,000)
ROWS = {Y1940: 9659, Y2006: 8458, Y2012: 6177, M2015: 10000}


@pytest.fixture(scope="module")
def books(data: Path) -> dict[str, list[Item]]:
    reader = PatentscopeXlsReader()
    out = {m: read_member(reader, data / ALL, m) for m in (Y1940, Y2006, Y2012)}
    out[M2015] = read_member(reader, data / MEDIUM, M2015)
    return out


@pytest.mark.parametrize("member", sorted(ROWS))
def test_row_counts(books: dict[str, list[Item]], member: str) -> None:
    items = books[member]
    assert len(items) == ROWS[member]
    if member == Y2012:
        # the only IPC of US08306908 is "O60G /40", which is no classification symbol
        (bad,) = rejected(items)
        assert (bad.source.line, bad.pub_key) == (4846, "US-8306908")
        assert bad.reason == "ValueError: not a classification symbol: 'O60G/40'"
        assert bad.source.member == Y2012
    else:
        assert rejected(items) == []


def test_first_result(books: dict[str, list[Item]]) -> None:
    pub = at_line(books[Y1940], 4)  # rows 1-3: blank, query, header
    assert (pub.pub_key, pub.kind) == ("US-2005286606", None)
    assert pub.published == "2005-12-29"
    assert pub.title == "Method and apparatus for monitoring and detecting defects in plastic package sealing"
    assert pub.priorities == [Priority("US", "60582692", "2004-06-24", None)]
    assert codes(pub, "IPC") == ["G01N25/00", "G01J5/00", "G01N25/72"]  # each listed twice
    assert (names(pub, "applicant"), names(pub, "inventor")) == (["Fluke Corporation"], ["Ignatowicz Steven"])


def test_several_priorities_and_inventors(books: dict[str, list[Item]]) -> None:
    pub = at_line(books[Y1940], 6)
    assert (pub.pub_key, pub.title) == ("US-2005287165", "Meningococcal antigens")
    assert pub.priorities == [
        Priority("GB", "9800760", "1998-01-14", None),
        Priority("GB", "9819015", "1998-09-01", None),
        Priority("GB", "9822143", "1998-10-09", None),
    ]
    assert names(pub, "applicant") == ["Chiron Corporation"]
    assert names(pub, "inventor") == [
        "Scarlato Vincenzo",
        "Masignani Vega",
        "Rappuoli Rino",
        "Pizza Mariagrazia",
        "Grandi Guido",
    ]


def test_applicants_mixing_persons_and_companies(books: dict[str, list[Item]]) -> None:
    pub = at_line(books[Y2006], 8)
    assert (pub.pub_key, pub.published) == ("US-2011319052", "2011-12-29")
    assert names(pub, "applicant") == [
        "Corem Yochai",
        "Verint Americas, Inc.",
        "Segal Muli",
        "Goldfarb Eithan",
    ]
    assert pub.priorities == [
        Priority("IL", "205395", "2010-04-28", None),
        Priority("IL", "205396", "2010-04-28", None),
    ]


def test_ep_result_and_number_spellings(books: dict[str, list[Item]]) -> None:
    ep = at_line(books[M2015], 7)
    assert (ep.pub_key, ep.title, ep.published) == ("EP-1820402", "IMPROVED PIZZA", "2007-08-23")
    assert ep.priorities == [
        Priority("ES", "200402236U", "2004-10-01", None),
        Priority("ES", "2005070132", "2005-09-23", None),
    ]
    assert codes(ep, "IPC") == ["A21D13/00", "A23L1/16"]
    assert names(ep, "applicant") == ["LAZARILLO DE TORMES S L"]
    # EP lists give undated other spellings before the dated priorities
    popcorn = at_line(books[Y1940], 463)
    assert popcorn.pub_key == "EP-1562448"
    assert popcorn.priorities == [
        Priority("US", "0335500", "2003-11-06", None),
        Priority("US", "29953702", "2002-11-18", None),
    ]
    mx = at_line(books[Y1940], 168)  # "mxPA/a/2005/003863"
    assert (mx.pub_key, mx.published) == ("MX-PA05003863", "2005-11-11")
    kr = at_line(books[Y1940], 2580)  # "KR100396150*"
    assert (kr.pub_key, names(kr, "applicant")) == ("KR-100396150", ["JI, YO SEP"])
    assert at_line(books[M2015], 695).pub_key == "KR-1020010067590"  # "kr1020010067590"
    assert at_line(books[M2015], 854).pub_key == "MX-2008013315"  # "mxMX/a/2008/013315"


def test_old_canadian_class_is_not_ipc(books: dict[str, list[Item]]) -> None:
    pub = at_line(books[Y1940], 9600)  # IPC column: "146/32;A22C 11/00;A22C 17/00"
    assert (pub.pub_key, pub.published) == ("CA-942636", "1974-02-26")
    assert codes(pub, "IPC") == ["A22C11/00", "A22C17/00"]


def test_damaged_ipc_forms() -> None:
    # all met in these lists
    assert ipc_symbols("G06F 17//30") == ["G06F17/30"]
    assert ipc_symbols("6 A 23 C 19/00, 19/068, 19/08, A 21 D 13/08") == [
        "A23C19/00",
        "A23C19/068",
        "A23C19/08",
        "A21D13/08",
    ]
    assert ipc_symbols("A21D 8 02 20060101 A F I") == ["A21D8/02"]
    assert ipc_symbols("A21D 13/") == ["A21D13/00"]


def test_priority_forms() -> None:
    # all met in these lists
    assert priorities("[null 30.12.1899 null]") == []
    assert priorities("[10/864,311 08.06.2004 US]") == [Priority("US", "10/864,311", "2004-06-08", None)]
    assert priorities("[US 20100520 61/346,893, US 20100806 12/852,221]") == [
        Priority("US", "61/346,893", "2010-05-20", None),
        Priority("US", "12/852,221", "2010-08-06", None),
    ]
    assert priorities("[60/162, 616 1999-10-29T23:59:59.000Z US]") == [
        Priority("US", "60/162, 616", "1999-10-29", None)
    ]
    assert priorities("[AU 19980429 PP 3222, AU 19990222 PP 8806]") == [
        Priority("AU", "PP 3222", "1998-04-29", None),
        Priority("AU", "PP 8806", "1999-02-22", None),
    ]
    assert priorities("[95/2871  ZA]") == [Priority("ZA", "95/2871", None, None)]  # no dated entry


def test_undated_spelling_before_dated_priority(books: dict[str, list[Item]]) -> None:
    pub = at_line(books[Y1940], 105)  # "[04006331.5  EP, 04006331.5 2004-05-17T23:59:59.000Z EP]"
    assert (pub.pub_key, pub.title) == ("ZA-200502132", "MOZZARELLA-TYPE STRING CHEESE PRODUCTS")
    assert pub.priorities == [Priority("EP", "04006331.5", "2004-05-17", None)]
