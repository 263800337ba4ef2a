"""PatentsView API results saved as CSV. Expected values read by hand from the files in shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.sources.base import Item
from patscape.sources.patentsview_api import PatentsViewApiReader, unquote_twice
from tests.sources.exports_io import at_line, publications, read_path, rejected

FOLDER = "koehrsen_nn_patents/patentsview_api_2018"
ROWS = {
    "neural_network_patent_query.csv": 3522,
    "baseball_patent_query.csv": 2664,
}  # SOURCE.txt and csv count


@pytest.fixture(scope="module")
def files(data: Path) -> dict[str, list[Item]]:
    return {name: read_path(PatentsViewApiReader(), data / FOLDER / name) for name in ROWS}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_every_row_is_read(files: dict[str, list[Item]], name: str) -> None:
    assert rejected(files[name]) == []
    pubs = publications(files[name])
    assert len(pubs) == ROWS[name]
    assert len({p.pub_key for p in pubs}) == ROWS[name]


def test_doubly_quoted_cells(files: dict[str, list[Item]]) -> None:
    pub = at_line(files["neural_network_patent_query.csv"], 2)
    assert (pub.pub_key, pub.published, pub.granted, pub.doc_type) == (
        "US-5535303-A",
        "1996-07-09",
        "1996-07-09",
        "grant",
    )
    assert pub.title == '"Barometer" neuron for a neural network'
    assert pub.abstract is not None
    assert pub.abstract.startswith('A "Barometer" Neuron enhances stability in a Neural Network System')
    assert pub.abstract.endswith('this the reference level of inhibition of the "perfect" pair.')


def test_plain_quoted_title(files: dict[str, list[Item]]) -> None:
    pub = at_line(files["baseball_patent_query.csv"], 2)
    assert (pub.pub_key, pub.granted) == ("US-5269177-A", "1993-12-14")
    assert pub.title == (
        'Apparatus and method for determining the center of percussion ("sweet spot") '
        "for baseball bats and other objects"
    )
    assert pub.abstract is not None
    assert pub.abstract.startswith(
        "Apparatus and method is provided for determining the subjective sweet spot"
    )


@pytest.mark.parametrize(
    ("name", "line", "key", "doc_type", "granted"),
    [
        ("baseball_patent_query.csv", 4, "US-D349814-S1", "design", "1994-08-23"),  # S is S1 (normalise)
        ("baseball_patent_query.csv", 12, "US-D799238-S1", "design", "2017-10-10"),
        ("baseball_patent_query.csv", 6, "US-6643847", "grant", "2003-11-11"),  # B1 or B2: not said
        ("baseball_patent_query.csv", 392, "US-RE31811-E", "reissue", "1985-01-22"),
        ("baseball_patent_query.csv", 516, "US-RE38394-E1", "reissue", "2004-01-27"),
        ("neural_network_patent_query.csv", 5, "US-6169981", "grant", "2001-01-02"),
        ("neural_network_patent_query.csv", 2494, "US-H2215-H1", "sir", "2008-04-01"),
    ],
)
def test_kind_where_certain(
    files: dict[str, list[Item]], name: str, line: int, key: str, doc_type: str, granted: str
) -> None:
    pub = at_line(files[name], line)
    assert (pub.pub_key, pub.doc_type, pub.granted) == (key, doc_type, granted)


def test_unquote_twice_leaves_ordinary_quotes() -> None:
    assert unquote_twice('"Barometer" neuron') == '"Barometer" neuron'
    assert unquote_twice('"""Barometer"" neuron"') == '"Barometer" neuron'
