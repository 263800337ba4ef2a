"""CSET AI patent database (zip with patent_database.csv). Values read by hand from the CSV."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from patscape.record import Priority
from patscape.sources.base import Item
from patscape.sources.cset import CsetReader
from tests.sources.exports_io import at_line, publications, read_member, rejected

ZIP = "cset_1790_ai_patents/patent_database.csv.zip"
MEMBER = "patent_database.csv"


@pytest.fixture(scope="module")
def items(data: Path) -> list[Item]:
    return read_member(CsetReader(), data / ZIP, MEMBER)


def test_rows_publications_and_lost_numbers(items: list[Item]) -> None:
    # 287,533 lines = header + 287,532 rows (the README's count). 4,023 rows hold a number that a
    # spreadsheet wrote in scientific notation ("1.02E+11": DE 3,354, BR 627, IT 42): the digits are lost,
    # the row is kept under its family ("the BR A2 publication of family 56843156")
    assert len(items) == 287_532
    pubs, bad = publications(items), rejected(items)
    assert (len(pubs), len(bad)) == (287_532, 0)
    lost = [p for p in pubs if "cset:number-lost" in p.tags]
    assert Counter(p.country for p in lost) == {"DE": 3354, "BR": 627, "IT": 42}
    assert [p.source.line for p in lost[:3]] == [802, 1118, 1298]
    assert (lost[0].pub_key, lost[0].family_id) == ("BR-FAM56843156-A2", "56843156")
    # distinct keys: 4 rows repeat a publication, and 88 of the 4,023 lost-number rows repeat the country,
    # family and kind of another (their lost numbers cannot tell them apart)
    assert len({p.pub_key for p in pubs}) == 287_532 - 4 - 88


def test_families(items: list[Item]) -> None:
    families = {p.family_id for p in publications(items)}
    assert len(families) == 155_770
    # 580 families are known only through rows whose number was lost
    known = {p.family_id for p in publications(items) if "cset:number-lost" not in p.tags}
    assert len(families - known) == 580


def test_first_row(items: list[Item]) -> None:
    pub = at_line(items, 2)  # RU,2273877,36459159,C1,Granted Patent,2004,...
    assert (pub.pub_key, pub.country, pub.number, pub.kind) == ("RU-2273877-C1", "RU", "2273877", "C1")
    assert (pub.family_id, pub.doc_type) == ("36459159", "grant")
    assert pub.priorities == [Priority(None, None, "2004-01-01", "year-only")]
    # true flags: Personal_Devices_and_Computing, Machine_Learning (and the has_* summaries, not kept)
    assert pub.tags == ["cset:Personal_Devices_and_Computing", "cset:Machine_Learning"]
    assert (pub.published, pub.texts, pub.parties) == (None, [], [])


def test_prefixed_numbers(items: list[Item]) -> None:
    tw = at_line(items, 9)  # TW,I220723,34114627,B,Granted Patent,2003
    assert (tw.pub_key, tw.family_id, tw.priorities[0].date) == ("TW-I220723-B", "34114627", "2003-01-01")
    jp = at_line(items, 10122)  # JP,WO2013042213,52815869,A1,Patent Application,2011
    assert (jp.pub_key, jp.family_id, jp.doc_type) == ("JP-WO2013042213-A1", "52815869", "application")


def test_second_row(items: list[Item]) -> None:
    pub = at_line(items, 3)  # KR,20030089914,32383554,A,Patent Application,2002,1,0,1,...
    assert (pub.pub_key, pub.family_id, pub.doc_type) == ("KR-20030089914-A", "32383554", "application")
    # one application field, no function, one technique (num_* = 1,0,1)
    assert pub.tags == ["cset:Telecommunications", "cset:Machine_Learning"]
