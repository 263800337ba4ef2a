"""Lens.org exports: JSON lines, and CSV in the 2015 and 2016-2017 layouts (one of them in a zip).

Every expected value was read by hand from the files in shared/data.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from patscape.record import Priority
from patscape.sources.base import Item
from patscape.sources.lens import LensCsvReader, LensJsonReader
from tests.sources.exports_io import at_line, codes, names, publications, read_member, read_path, rejected

JSONL = "lens_covid_jsonl"
# `wc -l` of each file: one record per line, no blank line
JSONL_ROWS = {
    "Coronavirus-CPC-based-patents.jsonl": 1470,
    "Coronavirus-MERS-diagnosis-patents.jsonl": 18,
    "Coronavirus-MERS-patents.jsonl": 259,
    "Coronavirus-MERS-treatment.jsonl": 110,
    "Coronavirus-SARS-diagnosis-patents.jsonl": 271,
    "Coronavirus-SARS-patents.jsonl": 1390,
    "Coronavirus-SARS-treatment.jsonl": 782,
    "Coronavirus-declared-patseq-organism.jsonl": 762,
    "Coronavirus-limited-keywords-based-patents.jsonl": 1560,
    "Coronavirus-patents-SARS-MERS-TAC.jsonl": 1588,
}
OLDHAM = "oldham_patent_analytics_datasets"
PIZZA_2015 = f"{OLDHAM}/pizza_lens/pizza_lens_1000_raw.csv"  # old-Mac CR line ends, DD/MM/YY dates
DRONES_2017 = f"{OLDHAM}/drones/drones_fulltext/drone_drones_fulltext_families_5884.csv"
TAC_ZIP = f"{OLDHAM}/drones/drones_tac/drones_tac_1606_families_raw.csv.zip"
TAC_MEMBER = "drones_tac_1606_families.csv"


@pytest.fixture(scope="module")
def jsonl(data: Path) -> dict[str, list[Item]]:
    return {name: read_path(LensJsonReader(), data / JSONL / name) for name in JSONL_ROWS}


@pytest.fixture(scope="module")
def csvs(data: Path) -> dict[str, list[Item]]:
    reader = LensCsvReader()
    return {
        PIZZA_2015: read_path(reader, data / PIZZA_2015),
        DRONES_2017: read_path(reader, data / DRONES_2017),
        TAC_MEMBER: read_member(reader, data / TAC_ZIP, TAC_MEMBER),
    }


# -- JSON lines -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(JSONL_ROWS))
def test_every_json_line_is_read(jsonl: dict[str, list[Item]], name: str) -> None:
    assert rejected(jsonl[name]) == []
    assert len(publications(jsonl[name])) == JSONL_ROWS[name]


def test_json_files_give_each_lens_record_once(jsonl: dict[str, list[Item]], data: Path) -> None:
    """8,210 lines hold 3,310 distinct Lens records; each is read the same way from every file."""
    lens_ids = set()
    for name in JSONL_ROWS:
        with open(data / JSONL / name, encoding="utf-8") as f:
            lens_ids.update(json.loads(line)["lensId"] for line in f)
    assert len(lens_ids) == 3310
    contents: dict[str, set[str]] = defaultdict(set)
    for items in jsonl.values():
        for pub in publications(items):
            contents[pub.pub_key].add(pub.content_hash())
    # two Lens records are two corrections (A8) of one WO publication, published 2007-08-09 and
    # 2007-11-29: a publication key has no date, so they share WO-2006088493-A8
    assert len(contents) == 3309
    assert [key for key, hashes in contents.items() if len(hashes) > 1] == ["WO-2006088493-A8"]


def test_json_application(jsonl: dict[str, list[Item]]) -> None:
    pub = at_line(jsonl["Coronavirus-MERS-diagnosis-patents.jsonl"], 1)
    assert (pub.pub_key, pub.kind, pub.doc_type) == ("WO-2017196847-A1", "A1", "application")
    assert pub.title == (
        "Variable New Antigen Receptor (vnar) Antibodies And Antibody Conjugates "
        "Targeting Tumor And Viral Antigens"
    )
    assert (pub.published, pub.granted) == ("2017-11-16", None)
    assert (pub.application.country, pub.application.number, pub.application.date) == (
        "US",
        "2017/0031758",
        "2017-05-09",
    )
    assert pub.application.type == "international"
    assert pub.priorities == [Priority("US", "201662334194", "2016-05-10", "provisional")]
    assert names(pub, "applicant") == ["US HEALTH", "UNIV MARYLAND"]
    assert names(pub, "inventor") == ["HO MITCHELL", "FENG MINGQIAN", "FLAJNIK MARTIN F"]
    assert codes(pub, "CPC") == [
        "C07K16/28", "C07K16/10", "C07K16/2896", "C07K16/32", "C07K2317/20",
        "C07K2317/33", "C07K2317/569", "C07K2317/73", "C07K2317/76", "C07K2317/92",
    ]  # fmt: skip
    assert codes(pub, "IPC") == ["C07K16/10", "C07K16/28", "C07K16/32"]
    assert (pub.cited_by_count, pub.family_size, pub.family_id) == (0, 1, None)
    assert len(pub.citations) == 105  # nplCitationCount
    assert all(c.cited_key is None and c.npl for c in pub.citations)
    assert pub.citations[0].npl.startswith('YEN PHUNG ET AL: "High-affinity monoclonal antibodies')


def test_json_grant_with_owner(jsonl: dict[str, list[Item]]) -> None:
    pub = at_line(jsonl["Coronavirus-MERS-diagnosis-patents.jsonl"], 10)
    assert (pub.pub_key, pub.doc_type) == ("US-10301377-B2", "grant")
    assert (pub.published, pub.granted) == ("2019-05-28", "2019-05-28")
    assert pub.title == "Middle East Respiratory Syndrome Coronavirus Immunogens, Antibodies, And Their Use"
    assert (pub.application.country, pub.application.number, pub.application.date) == (
        "US",
        "201615553466",
        "2016-02-24",
    )
    assert names(pub, "applicant") == ["US HEALTH"]
    assert names(pub, "inventor")[0] == "GRAHAM BARNEY"
    assert names(pub, "assignee") == [
        "THE UNITED STATES OF AMERICA AS REPRESENTED BY THE SECRETARY DEPARTMENT OF HEALTH AND HUMAN SERVICES"
    ]
    assert codes(pub, "CPC") == []
    assert codes(pub, "IPC")[:2] == ["A61K39/12", "A61K39/00"]
    assert (pub.family_size, len(pub.citations)) == (6, 17)


def test_json_correction_and_letter_numbers(jsonl: dict[str, list[Item]]) -> None:
    corrected = at_line(jsonl["Coronavirus-SARS-patents.jsonl"], 869)  # displayKey "EP 2666481 B9 20190522"
    assert (corrected.pub_key, corrected.published, corrected.doc_type) == (
        "EP-2666481-B9",
        "2019-05-22",
        "amended",
    )
    assert corrected.priorities == [Priority("JP", "2003435085", "2003-12-26", "national")]
    sg = at_line(jsonl["Coronavirus-MERS-patents.jsonl"], 124)
    assert sg.pub_key == "SG-11201608567Y-A"
    assert sg.title == "Human Antibodies To Middle East Respiratory Syndrome -coronavirus Spike Protein"
    assert sg.family_size == 20  # simpleFamilySize; familySize (extended) is 21
    assert len(sg.priorities) == 4 and sg.priorities[0].date == "2014-05-23"


# -- CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "rows"), [(PIZZA_2015, 1000), (DRONES_2017, 5884), (TAC_MEMBER, 1606)])
def test_csv_row_counts(csvs: dict[str, list[Item]], name: str, rows: int) -> None:
    # rows = the "#" column's last value; the 2015 and tac files end lines with CR only (wc -l: 0)
    assert len(publications(csvs[name])) == rows
    assert rejected(csvs[name]) == []


def test_csv_2015_layout(csvs: dict[str, list[Item]]) -> None:
    items = csvs[PIZZA_2015]
    pub = at_line(items, 2)
    assert (pub.pub_key, pub.doc_type) == ("US-2013101709-A1", "application")
    assert pub.title == "METHOD AND SYSTEM FOR ASSEMBLING A PIZZA"
    assert pub.published == "2013-04-25"  # 25/04/13
    assert (pub.application.number, pub.application.date) == ("201213657122", "2012-10-22")
    assert pub.priorities == [Priority("US", "201161550506", "2011-10-24", "provisional")]
    assert (names(pub, "applicant"), names(pub, "inventor")) == (["PIZZA HUT INC"], ["RADER JEFF"])
    assert codes(pub, "CPC") == ["A23L1/0067", "G01G19/00"]
    assert codes(pub, "IPC") == ["A23L1/00", "G01N5/00"]
    assert codes(pub, "USPC") == ["426/231", "99/493"]
    assert (pub.cited_by_count, pub.family_size) == (3, 2)

    old = at_line(items, 4)
    assert (old.pub_key, old.doc_type) == ("US-3982033-A", "grant")
    assert (old.published, old.granted, old.application.date) == ("1976-09-21", "1976-09-21", "1971-08-24")
    assert old.priorities == [
        Priority("US", "17439471", "1971-08-24", "national"),
        Priority("US", "88088069", "1969-11-28", "national"),
    ]
    assert names(old, "applicant") == ["FAIRMONT FOODS CO"]
    assert codes(old, "CPC")[0] == "A21D13/007"
    assert (old.cited_by_count, old.family_size) == (9, 1)

    design = at_line(items, 6)
    assert (design.pub_key, design.doc_type, design.published) == ("US-D533981-S1", "design", "2006-12-26")
    assert codes(design, "USPC") == ["0101", "D 1121", "X D1125", "X D1128", "X D1129"]


def test_csv_2017_layout(csvs: dict[str, list[Item]]) -> None:
    items = csvs[DRONES_2017]
    pub = at_line(items, 2)
    assert pub.pub_key == "AT-399980-B"
    assert (
        pub.title
        == "Double-storey Trough Beehive For The Two-population System For Completely Suppressing Swarms"
    )
    assert (pub.published, pub.application.number, pub.application.date) == (
        "1995-08-25",
        "33585",
        "1985-02-06",
    )
    assert names(pub, "applicant") == ["MARKOWETZ FRANZ"]
    assert names(pub, "inventor") == []
    assert (codes(pub, "CPC"), pub.cited_by_count, pub.family_size) == (["A01K47/00"], 6, 2)

    parrot = at_line(items, 3)
    assert parrot.pub_key == "AT-556755-T"
    assert (
        parrot.title
        == "Verfahren Und Gerät Zur Fernbedienung Einer Drohne, Insbesondere Einer Drohne Mit Drehflügeln"
    )
    assert parrot.priorities == [
        Priority("FR", "1051751", "2010-03-11", "national"),
        Priority("FR", "1054449", "2010-06-07", "national"),
    ]
    assert names(parrot, "applicant") == ["PARROT"]
    assert names(parrot, "inventor") == ["SEYDOUX HENRI", "D HAEYER FREDERIC"]
    assert len(codes(parrot, "CPC")) == 8 and codes(parrot, "CPC")[0] == "A63H30/04"
    assert codes(parrot, "IPC")[-1] == "G08C17/02"
    assert (parrot.family_size, parrot.doc_type) == (11, None)  # Type "unknown"


def test_csv_in_zip_short_dates_and_legacy_bytes(csvs: dict[str, list[Item]]) -> None:
    items = csvs[TAC_MEMBER]
    pub = at_line(items, 2)
    assert pub.pub_key == "AR-21856-A1"  # "AR 021856 A1"
    assert (pub.published, pub.application.number, pub.application.date) == (
        "2002-08-07",
        "P990105416",
        "1999-10-27",
    )
    assert pub.priorities == [Priority("IT", "RE980117", "1998-11-23", "national")]
    assert names(pub, "applicant") == ["ASK IND SPA"]
    assert pub.family_size == 16
    # the file was damaged before Lens users got it ("Für" is stored as the bytes CC 5F): the row is
    # read, the bytes decoded as windows-1252 and kept as they are
    damaged = at_line(items, 5)
    assert (damaged.pub_key, damaged.published) == ("AT-A33585-A", "1995-01-15")
    assert (
        damaged.title
        == "Doppelstocktrogbeute FÌ_r Die ZweivÌ¦lkerbetriebsweise Zur GÌ_nzlichen Schwarmunterbindung"
    )
