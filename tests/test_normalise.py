"""One set of normalisers for every reader: the spellings of ../shared/data key to what the readers store.

``SPELLINGS`` is a table of real spellings (as the file writes them, or as an analyst copies them from the
source) with the key the reader stores; the sweep below goes further and reads every publication number of
every source in ../shared/data, with the csv, json, xlrd or lxml modules rather than patscape, and checks
that the key the reader stored for each publication is what ``normalise_pub_key`` makes of its spelling: what
a reader accepts, ``patscape show`` finds.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from patscape.normalise import (
    date_or_none,
    normalise_date,
    normalise_pub_key,
    normalise_space,
    pub_key_or_none,
    to_int,
)
from patscape.record import Publication
from patscape.sources.containers import iter_inputs
from patscape.sources.detect import detect_input, read_input

# (file below ../shared/data, the number as the file writes it with its parts joined by commas, the key the
# reader stores). The country is left off where the format does not write it (APS: US).
G = "gp_ai_patents_cpc/scraped/patent_details_20251001-102339.csv"
C = "cset_1790_ai_patents/patent_database.csv.zip"
E = "cn_jp_st36_st96_examples"
SPELLINGS = [
    (G, "CN110543639B", "CN-110543639-B"),
    (G, "US11532378B2", "US-11532378-B2"),
    (G, "TWI843770B", "TW-I843770-B"),  # a Taiwanese invention
    (C, "TW,M261777,U", "TW-M261777-U"),  # a Taiwanese utility model
    (C, "US,RE37488,E", "US-RE37488-E"),  # a reissue
    (C, "JP,WO2013042213,A1", "JP-WO2013042213-A1"),  # a Japanese re-publication of a PCT application
    (C, "IN,5881CH2013,A", "IN-5881CH2013-A"),
    (C, "GE,U20051170,Y", "GE-U20051170-Y"),
    (C, "SG,10201406850V,A", "SG-10201406850V-A"),  # the V is the number's, the A its kind
    ("uspto_patentpublicdata_samples/sgml/USD435854S1.xml", "US,D0435854,S", "US-D435854-S1"),  # 2001: S = S1
    ("go_uspto_testdata/grant/v2-5-S1.xml", "US,D0452599,S1", "US-D452599-S1"),  # a design
    ("uspto_patentpublicdata_samples/pap/US20010000044A1.xml", "US,20010000044,A1", "US-2001000044-A1"),
    ("go_uspto_testdata/grant/v4-5-B2.xml", "US,11147202,B2", "US-11147202-B2"),
    ("uspto_patentpublicdata_samples/greenbook/US03937375.greenbook", "03937375", "US-3937375-A"),  # APS WKU
    ("lens_covid_jsonl/Coronavirus-CPC-based-patents.jsonl", "WO 2008/155316 A1", "WO-2008155316-A1"),
    ("go_epo_eps_testdata/application/v1-5-1-A1.xml", "EP,3882239,A1", "EP-3882239-A1"),
    ("go_epo_bdds_docdb_testdata/epo_docdb/test-data/DE-backfile.xml", "DE,1258188,B", "DE-1258188-B"),
    (f"{E}/examples/jp_example1.xml", "JP,2021044377", "JP-2021044377-A"),  # kind A on the root only
    (f"{E}/examples/cn_new1.xml", "CN,113781974,A", "CN-113781974-A"),
    (f"{E}/03-96-vii-example-instances/PatentPublication_Example.xml", "US,08936998,B2", "US-8936998-B2"),
]

# Other spellings of the same publications, as analysts type or paste them.
VARIANTS = [
    ("TW I843770 B", "TW-I843770-B"),
    ("TW-I843770-B", "TW-I843770-B"),
    ("twi843770b", "TW-I843770-B"),
    ("ＴＷＩ８４３７７０Ｂ", "TW-I843770-B"),  # full width
    ("TWM261777U", "TW-M261777-U"),
    ("TW M261777 U", "TW-M261777-U"),
    ("US D435854 S1", "US-D435854-S1"),
    ("USPP12345P2", "US-PP12345-P2"),
    ("US RE37,488 E", "US-RE37488-E"),
    ("US 2001/0000044 A1", "US-2001000044-A1"),
    ("US１１５３２３７８B２", "US-11532378-B2"),
    ("WO_2017_196847_A1", "WO-2017196847-A1"),  # Lens's publication key
    ("EP 2666481 B9 20190522", "EP-2666481-B9"),  # Lens's display key of a corrected publication
    ("MX PA/a/2005/003863", "MX-PA05003863"),  # PATENTSCOPE
    ("JP 2000-56265 A", "JP-2000056265-A"),
]


@pytest.mark.parametrize(("path", "spelling", "key"), SPELLINGS, ids=[s[1] for s in SPELLINGS])
def test_real_spellings_key_to_what_the_reader_stores(data: Path, path: str, spelling: str, key: str) -> None:
    parts = spelling.split(",")
    assert all(part in _all_text(data / path) for part in parts), spelling  # written so in the file
    assert key in {r.pub_key for r in _records(data / path)}  # the reader accepts it
    typed = normalise_pub_key(" ".join(parts) if parts[0][:2].isalpha() else "US" + parts[0])
    assert typed == key or key.startswith(typed + "-")  # `patscape show` finds it (any kind when none typed)


@pytest.mark.parametrize(("spelling", "key"), VARIANTS)
def test_other_spellings_of_the_same_publications(spelling: str, key: str) -> None:
    assert normalise_pub_key(spelling) == key


@pytest.mark.parametrize(
    "spelling",
    ["hello world", "1.02E+11", "DE1.02E+11", "", "EP 2666481 B9 20190522 X", "JP 63-101085", "ZZ123"],
)
def test_what_is_not_a_publication_number(spelling: str) -> None:
    with pytest.raises(ValueError, match="not a publication number"):
        normalise_pub_key(spelling)


def test_a_cited_number_that_is_not_one_is_left_out() -> None:
    assert pub_key_or_none("63-101085", "JP") is None  # an imperial-era year: which era?
    assert pub_key_or_none("HEI 10-168960", "JP") is None
    assert pub_key_or_none("2000-56265", "JP", "A") == "JP-2000056265-A"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("20211019", "2021-10-19"),  # office XML
        ("19420300", "1942-03-01"),  # a citation's year and month
        ("2004-11", "2004-11-01"),
        ("2021-10-19T00:00:00Z", "2021-10-19"),  # Lens
        ("2004-06-24T23:59:59.000Z", "2004-06-24"),  # PATENTSCOPE
        ("10/19/2021", "2021-10-19"),  # Google, month first
        ("19.10.2021", "2021-10-19"),  # PATENTSCOPE, day first
        ("00000000", None),
        ("", None),
    ],
)
def test_dates(value: str, iso: str | None) -> None:
    assert normalise_date(value) == iso


def test_dates_refused_or_left_out() -> None:
    for bad in ("00010101", "20211345", "someday"):  # a DOCDB placeholder, a 13th month
        with pytest.raises(ValueError, match="not a date"):
            normalise_date(bad)
        assert date_or_none(bad) is None
    assert normalise_date("01/02/2020", day_first=True) == "2020-02-01"


def test_integers_and_whitespace() -> None:
    values = ("12", " 12 ", "12.0", "１２", "", None, "n/a")
    assert [to_int(v) for v in values] == [12, 12, 12, 12, None, None, None]
    with pytest.raises(ValueError, match="not a whole number"):
        to_int("3.5", strict=True)
    assert normalise_space("  a \n\t b  ") == "a b" and normalise_space(" \n ") is None


CSET = "cset_1790_ai_patents/patent_database.csv.zip"

# -- every publication number of every source -----------------------------------------------------------


def _sources(data: Path) -> dict[str, list[tuple[str, bytes, list[Publication]]]]:
    """Every input of the shared data but the CSET table, read with the reader detection picks."""
    by_reader: dict[str, list[tuple[str, bytes, list[Publication]]]] = defaultdict(list)
    for item in iter_inputs([data]):
        reader = None if item.error or CSET in item.file else detect_input(item)
        if reader is None:
            continue
        with item.open() as f:
            raw = f.read()
        records = [r for r in read_input(item, reader) if isinstance(r, Publication)]
        by_reader[reader.name].append((f"{item.file}!{item.member or ''}", raw, records))
    return by_reader


@pytest.fixture(scope="module")
def sources(data: Path) -> dict[str, list[tuple[str, bytes, list[Publication]]]]:
    return _sources(data)


def _csv_cells(raw: bytes, *columns: str) -> Iterator[list[str]]:
    """Cells of the named columns, read with the csv module (numbers are ASCII: latin-1 reads any byte)."""
    rows = csv.reader(io.StringIO(raw.decode("latin-1").removeprefix("\xef\xbb\xbf"), newline=""))
    index = None
    for row in rows:
        if index is None:
            found = [c.strip() for c in row]
            if all(c in found for c in columns):
                index = [found.index(c) for c in columns]
            continue
        if len(row) > max(index):
            yield [row[i].strip() for i in index]


def _jsonl_keys(raw: bytes) -> Iterator[str]:
    for line in raw.decode("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            yield record.get("displayKey") or record["publicationKey"]


def _xls_numbers(raw: bytes) -> Iterator[str]:
    import xlrd

    sheet = xlrd.open_workbook(file_contents=raw).sheet_by_index(0)
    for r in range(sheet.nrows):
        row = [str(c.value).strip() for c in sheet.row(r)]
        if "Publication Number" in row:
            column = row.index("Publication Number")
            yield from (
                str(sheet.cell_value(i, column)).strip().rstrip("*") for i in range(r + 1, sheet.nrows)
            )
            return


_NUMBER = {"doc-number", "DocNumber", "PublicationNumber", "B110"}
_COUNTRY = {"country", "country-code", "WIPOST3Code", "IPOfficeCode", "B190"}
_KIND = {"kind", "kind-code", "Kind", "PatentDocumentKindCode", "B130"}


def _xml_spellings(raw: bytes, default_country: str | None) -> Iterator[str]:
    """Country, number and kind of every document identification in the file, as written, run together."""
    for doc in re.split(rb"(?=<\?xml )", raw):
        unprefixed = re.sub(rb"<(/?)[\w.-]+:", rb"<\1", doc)  # DOCDB leaves its exch: prefix undeclared
        resolved = re.sub(rb"&(?![#\w])", b"&amp;", re.sub(rb"&([A-Za-z]\w*);", _entity, unprefixed))
        try:
            root = etree.fromstring(resolved, etree.XMLParser(load_dtd=False, no_network=True))
        except etree.XMLSyntaxError:
            continue  # not a document (blanks, a weekly file's junk)
        st16 = root.get("kind-of-st16")  # JPO writes its kinds in Japanese, the ST.16 code on the root
        for el in root.iter():
            kids = {
                etree.QName(c).localname: "".join("".join(c.itertext()).split())
                for c in el
                if isinstance(c.tag, str)
            }
            countries = [kids[c] for c in _COUNTRY & kids.keys()] or [default_country]
            kinds = [kids[k] for k in _KIND & kids.keys()] or [""]
            ids = [(kids[n], c, k) for n in _NUMBER & kids.keys() for c in countries for k in kinds]
            ids.append((el.get("doc-number"), el.get("country"), el.get("kind")))
            for number, country, kind in ids:
                if number and country:
                    yield f"{country}{number}{kind or ''}"
                    if st16:
                        yield f"{country}{number}{st16}"


def _entity(m: re.Match[bytes]) -> bytes:
    """A named entity as a character (numbers and codes hold none: an unknown one becomes "?")."""
    name = m.group(1).decode()
    if name in ("amp", "lt", "gt", "quot", "apos"):
        return m.group(0)
    text = html.unescape(f"&{name};")
    return b"?" if text.startswith("&") else text.encode()


def _keys(spellings: Iterator[str]) -> set[str]:
    out = set()
    for spelling in spellings:
        try:
            out.add(normalise_pub_key(spelling))
        except ValueError:
            continue  # a number the reader could not key either (its row is in the quarantine)
    return out


def _lens_csv(raw: bytes) -> set[str]:
    return _keys(c for (c,) in _csv_cells(raw, "Publication Number")) | _keys(
        c for (c,) in _csv_cells(raw, "Display Key")
    )


SPELLED: dict[str, Callable[[bytes], set[str]]] = {
    "google-patents-csv": lambda raw: _keys(c for (c,) in _csv_cells(raw, "id")),
    "google-patents-scraped": lambda raw: _keys(c for (c,) in _csv_cells(raw, "publication_number")),
    "lens-jsonl": lambda raw: _keys(_jsonl_keys(raw)),
    "lens-csv": _lens_csv,
    "patentscope-xls": lambda raw: _keys(_xls_numbers(raw)),
    # numbers without country or kind: the kind is the reader's (from the date), `show` takes any kind
    "patentsview-api-csv": lambda raw: _keys("US" + c for (c,) in _csv_cells(raw, "patent_number")),
}
US_DEFAULT = {"uspto-pap": "US", "uspto-patdoc": "US"}  # formats that write no country for US documents
XML_READERS = [
    "uspto-ice",
    "uspto-patdoc",
    "uspto-pap",
    "epo-eps",
    "epo-docdb",
    "epo-ops",
    "cnipa",
    "jpo",
    "wipo-st96",
]


@pytest.mark.parametrize("reader", [*SPELLED, *XML_READERS])
def test_every_number_of_every_source_keys_as_its_reader_stores_it(sources, reader: str) -> None:
    assert sources[reader], f"no file of {reader} in the shared data"
    for where, raw, records in sources[reader]:
        keys = (
            SPELLED[reader](raw) if reader in SPELLED else _keys(_xml_spellings(raw, US_DEFAULT.get(reader)))
        )
        for pub in records:
            key = "-".join(pub.pub_key.split("-")[:2]) if reader == "patentsview-api-csv" else pub.pub_key
            assert key in keys, (where, pub.source.line, pub.pub_key)


def test_every_cset_number_keys_as_the_ingest_stored_it(data: Path, cset_template: Path) -> None:
    """The CSET table (offices and kinds of 70 countries) as the session's ingest stored it."""
    import duckdb

    with zipfile.ZipFile(data / CSET) as zf:
        raw = zf.read("patent_database.csv")
    columns = ("Publication_country", "Publication_number", "Publication_type")
    spelled = {" ".join(cells) for cells in _csv_cells(raw, *columns) if "E+" not in cells[1]}
    with duckdb.connect(str(cset_template), read_only=True) as db:
        stored = {k for (k,) in db.execute("SELECT pub_key FROM publications").fetchall()}
    assert _keys(iter(spelled)) == {k for k in stored if "-FAM" not in k}  # 1.02E+11 numbers: by family


@cache
def _records(file: Path) -> list[Publication]:
    out = []
    for item in iter_inputs([file]):
        reader = detect_input(item)
        if reader is not None:  # the CSET zip holds a macOS resource fork beside the table
            out += [r for r in read_input(item, reader) if isinstance(r, Publication)]
    return out


@cache
def _all_text(file: Path) -> str:
    if zipfile.is_zipfile(file):
        with zipfile.ZipFile(file) as zf:
            return "".join(zf.read(n).decode("latin-1") for n in zf.namelist())
    return file.read_bytes().decode("latin-1")


@pytest.mark.parametrize("spelling", ["TWI843770B", "TW I843770 B", "ＴＷＩ８４３７７０Ｂ", "twi843770b"])
def test_show_finds_what_the_reader_stored(
    data: Path, tmp_path_factory: pytest.TempPathFactory, spelling: str
) -> None:
    """Issue 12: `patscape show TWI843770B` said "no publication" though TW-I843770-B was stored."""
    from click.testing import CliRunner

    from patscape.cli import main

    db = tmp_path_factory.getbasetemp() / "scraped.duckdb"
    if not db.exists():
        assert CliRunner().invoke(main, ["ingest", str(data / G), "--db", str(db), "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["show", spelling, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["number"] == "TW-I843770-B"
