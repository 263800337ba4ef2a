"""The shared machinery of the export readers: broken rows, encodings, headers, detection, fields."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from patscape.normalise import normalise_pub_key
from patscape.sources.base import Item, Origin
from patscape.sources.detect import detect
from patscape.sources.export_fields import literal_list, split_names
from patscape.sources.google_patents import GooglePatentsReader
from patscape.sources.lens import LensJsonReader
from patscape.sources.patentscope import OLE2_MAGIC, PatentscopeXlsReader
from patscape.sources.patentsview_api import PatentsViewApiReader
from patscape.sources.textlines import sniff_encoding
from tests.sources.exports_io import publications, rejected

GOOGLE_HEADER = (
    "id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,"
    "result link,representative figure link"
)


def read_bytes(reader, data: bytes) -> list[Item]:  # type: ignore[no-untyped-def]
    assert reader.sniff(data[: 64 * 1024])
    return list(reader.read(io.BytesIO(data), Origin("crafted.csv")))


def test_broken_rows_are_rejected_with_their_line_and_reading_goes_on(tmp_path: Path) -> None:
    text = "\n".join(
        [
            GOOGLE_HEADER,
            'US-12299796-B2,Generation of story videos ,Lemon Inc.,"Bingchen LIU, Peilin Li",'
            "12/16/2022,12/16/2022,5/13/2025,5/13/2025,,",  # line 2: good
            "US-12412340-B2,Synthesizing three-dimensional shapes ,Nvidia Corporation",  # 3: 3 fields
            "not-a-number,A title ,Nvidia Corporation,Arash Vahdat,5/19/2022,5/19/2023,9/9/2025,,,",  # 4
            "US-2023377099-A1,A title ,Nvidia Corporation,Tim Dockhorn,"
            "5/19/2022,5/18/2023,13/45/2023,,,",  # 5
            'CN-117876249-A,"A title over',  # 6-7: good, its title holds a line break
            'two lines ",电子科技大学,王国庆,1/15/2024,1/15/2024,4/12/2024,,,',
            "",  # 8: blank, skipped
            "US-8219512-B2,Higher order logic ,Avaya Inc.,Daniel J. Daily,"
            "12/22/2006,8/18/2011,7/10/2012,7/10/2012,,",
        ]
    )
    path = tmp_path / "export.csv"
    path.write_text(text + "\n", encoding="utf-8")
    with open(path, "rb") as f:
        items = list(GooglePatentsReader().read(f, Origin(str(path))))
    assert [(p.source.line, p.pub_key) for p in publications(items)] == [
        (2, "US-12299796-B2"),
        (6, "CN-117876249-A"),
        (9, "US-8219512-B2"),
    ]
    assert publications(items)[1].title == "A title over\ntwo lines"
    bad = rejected(items)
    assert [(r.source.line, r.source.file, r.pub_key) for r in bad] == [
        (3, str(path), None),
        (4, str(path), None),
        (5, str(path), "US-2023377099-A1"),
    ]
    assert bad[0].reason == "3 fields where the header has 10"
    assert bad[1].reason == "ValueError: not a publication number: 'not-a-number'"
    assert bad[2].reason == "ValueError: not a date: '13/45/2023'"
    assert bad[2].snippet is not None and bad[2].snippet.startswith("US-2023377099-A1,A title ,Nvidia")


def test_broken_json_lines_are_rejected(data: Path) -> None:
    with open(data / "lens_covid_jsonl/Coronavirus-MERS-diagnosis-patents.jsonl", encoding="utf-8") as f:
        lines = f.read().splitlines()
    crafted = "\n".join([lines[0], '{"lensId": "x", "displayKey": ', "", "[1, 2]", lines[9]]) + "\n"
    items = read_bytes(LensJsonReader(), crafted.encode())
    assert [(p.source.line, p.pub_key) for p in publications(items)] == [
        (1, "WO-2017196847-A1"),
        (5, "US-10301377-B2"),
    ]
    assert [(r.source.line, r.reason.split(":")[0]) for r in rejected(items)] == [
        (2, "JSONDecodeError"),
        (4, "ValueError"),
    ]


def test_missing_header_is_one_rejected(tmp_path: Path) -> None:
    items = read_bytes(PatentsViewApiReader(), b"patent_abstract,patent_date,patent_number,patent_title\n")
    assert items == []
    items = list(PatentsViewApiReader().read(io.BytesIO(b"a,b,c\n1,2,3\n"), Origin("x.csv")))
    assert len(items) == 1 and rejected(items)[0].source.line == 1
    assert rejected(items)[0].reason.startswith("no header row with the columns")


PV_HEADER = b"patent_abstract,patent_date,patent_number,patent_title\r\n"


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        (PV_HEADER + b"An abstract,1996-07-09,5535303,Caf\xe9 \x93neuron\x94\r\n", "Café “neuron”"),  # cp1252
        (b"\xef\xbb\xbf" + PV_HEADER + b"An abstract,1996-07-09,5535303,Caf\xc3\xa9\r\n", "Café"),  # BOM
        (PV_HEADER.replace(b",", b"\t") + b"An abstract\t1996-07-09\t5535303\tA tab\r\n", "A tab"),
    ],
)
def test_encodings_and_delimiters(raw: bytes, title: str) -> None:
    (pub,) = read_bytes(PatentsViewApiReader(), raw)
    assert (pub.pub_key, pub.title, pub.source.line) == ("US-5535303-A", title, 2)


def test_stray_legacy_byte_after_the_sniffed_head() -> None:
    filler = b"".join(b"An abstract \xc3\xbc,1996-07-09,%d,Title\n" % n for n in range(5000000, 5003000))
    raw = PV_HEADER + filler + b"An abstract,1996-07-09,5535303,Caf\xe9\n"
    assert len(PV_HEADER + filler) > 64 * 1024 and sniff_encoding(raw[: 64 * 1024]) == "utf-8"
    items = read_bytes(PatentsViewApiReader(), raw)
    assert rejected(items) == [] and len(items) == 3001
    assert items[0].abstract == "An abstract ü"
    assert (items[-1].title, items[-1].source.line) == ("Café", 3002)


def test_sniff_encoding() -> None:
    assert sniff_encoding(b"\xef\xbb\xbfid,title") == "utf-8-sig"
    assert sniff_encoding(b"\xff\xfei\x00d\x00") == "utf-16"
    head = ("电子科技大学" * 4000).encode()[: 64 * 1024]  # the last character is cut by the 64 KiB limit
    assert sniff_encoding(head) == "utf-8"
    assert sniff_encoding(b"Caf\xe9") == "utf-8"  # read line by line: the odd bytes of a line are cp1252


def test_xls_sniff_needs_the_patentscope_labels() -> None:
    assert not PatentscopeXlsReader().sniff(OLE2_MAGIC + bytes(4096))
    assert PatentscopeXlsReader().sniff(OLE2_MAGIC + b"\x00Publication Number\x00Priority Data")
    assert not PatentscopeXlsReader().sniff(b"Publication Number,Priority Data\n")


# -- detection from content --------------------------------------------------------------------------

EXPECTED = {
    "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102842.csv": "google-patents-csv",
    "koehrsen_nn_patents/gp_search_2018/gp-search-deep-learning.csv": "google-patents-csv",
    "koehrsen_nn_patents/gp_search_2018/gp-search-20181012-181513.csv": "google-patents-csv",
    "gp_ai_patents_cpc/scraped/patent_details_20251001-102339.csv": "google-patents-scraped",
    "koehrsen_nn_patents/patentsview_api_2018/baseball_patent_query.csv": "patentsview-api-csv",
    "lens_covid_jsonl/Coronavirus-MERS-treatment.jsonl": "lens-jsonl",
    "oldham_patent_analytics_datasets/pizza_lens/pizza_lens_1000_raw.csv": "lens-csv",
    "oldham_patent_analytics_datasets/drones/drones_fulltext/"
    "drone_drones_fulltext_families_5884.csv": "lens-csv",
    "oldham_patent_analytics_datasets/drones/drones_tac/drones_tac_1606_families_raw.csv.zip!"
    "drones_tac_1606_families.csv": "lens-csv",
    "oldham_patent_analytics_datasets/pizza_medium/pizza_medium_raw.zip!"
    "pizza_medium_raw/pizza_medium_raw_05032015.xls": "patentscope-xls",
    "oldham_patent_analytics_datasets/pizza_all_24294/pizza_all_24294_raw.zip!"
    "pizza_all_24294/patentscope_pizza_2012_2015_6177.xls": "patentscope-xls",
    "cset_1790_ai_patents/patent_database.csv.zip!patent_database.csv": "cset-ai-patents",
}
MINE = {
    "google-patents-csv",
    "google-patents-scraped",
    "patentsview-api-csv",
    "lens-jsonl",
    "lens-csv",
    "patentscope-xls",
    "cset-ai-patents",
}


def _head(data: Path, name: str) -> bytes:
    path, _, member = name.partition("!")
    if member:
        with zipfile.ZipFile(data / path) as z, z.open(member) as f:
            return f.read(64 * 1024)
    with open(data / path, "rb") as f:
        return f.read(64 * 1024)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detected_from_content(data: Path, name: str) -> None:
    reader = detect(_head(data, name))
    assert reader is not None and reader.name == EXPECTED[name]


@pytest.mark.parametrize(
    "name",
    [
        "koehrsen_nn_patents/SOURCE.txt",  # names the PatentsView columns in a sentence
        "cset_1790_ai_patents/Field_Descriptions.md",
        "lens_covid_jsonl/README.md",  # the Lens JSON schema
        "oldham_patent_analytics_datasets/pizza_small/pizza_small.csv",  # an Espacenet export
        "oldham_patent_analytics_datasets/ritonavir/ritonavir.csv",  # a WIPO landscape table
        "cset_1790_ai_patents/patent_database.csv.zip!__MACOSX/._patent_database.csv",
    ],
)
def test_not_claimed(data: Path, name: str) -> None:
    reader = detect(_head(data, name))
    assert reader is None or reader.name not in MINE


# -- fields ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("US-2023377099-A1", "US-2023377099-A1"),
        ("US11532378B2", "US-11532378-B2"),
        ("US 2023/0377099 A1", "US-2023377099-A1"),
        ("CN110543639B", "CN-110543639-B"),
        ("TWI843770B", "TW-I843770-B"),
        ("TW-I823028-B", "TW-I823028-B"),
        ("JP-H0936233-A", "JP-H0936233-A"),
        ("JP S6222727 A", "JP-S6222727-A"),
        ("JP-WO2020017213-A1", "JP-WO2020017213-A1"),
        ("HU-E030624-T2", "HU-E030624-T2"),
        ("MX PA06013471 A", "MX-PA06013471-A"),
        ("BR PI0510148 A", "BR-PI0510148-A"),
        ("SG 11201502189U A", "SG-11201502189U-A"),
        ("IN 1442CH2015 A", "IN-1442CH2015-A"),
    ],
)
def test_pub_key(text: str, key: str) -> None:
    assert normalise_pub_key(text) == key


@pytest.mark.parametrize("text", ["1.02E+11", "DE1.02E+11", "not-a-number", ""])
def test_pub_key_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        normalise_pub_key(text)


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Samsung Electronics Co., Ltd.", ["Samsung Electronics Co., Ltd."]),
        (
            "At&T Intellectual Property I, L.P., AT&T Technical Services Company, Inc.",
            ["At&T Intellectual Property I, L.P.", "AT&T Technical Services Company, Inc."],
        ),
        ("Illumina, Inc., Illumina Cambridge Limited", ["Illumina, Inc.", "Illumina Cambridge Limited"]),
        ("Hitachi Ltd, 株式会社日立製作所", ["Hitachi Ltd", "株式会社日立製作所"]),
        (
            "ソフトバンクグループ株式会社, Softbank Group Corp",
            ["ソフトバンクグループ株式会社", "Softbank Group Corp"],
        ),
        ("Курна, Инк.", ["Курна, Инк."]),
        (
            "Board Of Regents, The University Of Texas System",
            ["Board Of Regents, The University Of Texas System"],
        ),
        ("佑斗 井澤, 健資 加藤", ["佑斗 井澤", "健資 加藤"]),
        (
            "Martin C. Buskirk, Jr., Frederick J. Damerau, David H. Johnson, Marguerite Raaen",
            ["Martin C. Buskirk, Jr.", "Frederick J. Damerau", "David H. Johnson", "Marguerite Raaen"],
        ),
    ],
)
def test_split_names(value: str, names: list[str]) -> None:
    # all these values are cells of the Google Patents exports in shared/data
    assert split_names(value) == names


def test_literal_list_is_not_eval() -> None:
    assert literal_list("['G06N3/084', 'G06F16/2255']") == ["G06N3/084", "G06F16/2255"]
    assert literal_list("[]") == []
    with pytest.raises(ValueError):
        literal_list("__import__('os').getcwd()")
