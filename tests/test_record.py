"""The normalisers of record.py on the spellings met in ../shared/data."""

from __future__ import annotations

import pytest

from patscape.record import (
    Publication,
    SourceRef,
    Text,
    class_from_parts,
    normalise_class,
    normalise_country,
    normalise_date,
    normalise_pub_key,
)


@pytest.mark.parametrize(
    ("text", "kwargs", "key"),
    [
        ("US11532378B2", {}, "US-11532378-B2"),
        ("US-2023377099-A1", {}, "US-2023377099-A1"),
        ("US 2023/0377099 A1", {}, "US-2023377099-A1"),
        ("US20230377099A1", {}, "US-2023377099-A1"),
        ("06530116", {"country": "US", "kind": "B2"}, "US-6530116-B2"),
        ("20010000002", {"country": "US", "kind": "A1"}, "US-2001000002-A1"),
        ("D0435854", {"country": "US", "kind": "S1"}, "US-D435854-S1"),
        ("USD435854S1", {}, "US-D435854-S1"),
        ("PP012345", {"country": "US", "kind": "P2"}, "US-PP12345-P2"),
        ("RE042066", {"country": "US", "kind": "E1"}, "US-RE42066-E1"),
        ("CN110543639B", {}, "CN-110543639-B"),
        ("EP1000000", {}, "EP-1000000"),
        ("EP 1000000 A1", {}, "EP-1000000-A1"),
        ("WO2023012807A1", {}, "WO-2023012807-A1"),
        ("WO-2022259205-A1", {}, "WO-2022259205-A1"),
        ("JP2021193879A", {}, "JP-2021193879-A"),
        ("WO 03/008444 A", {}, "WO-2003008444-A"),
        ("WO9812345A1", {}, "WO-1998012345-A1"),
    ],
)
def test_publication_numbers(text: str, kwargs: dict, key: str) -> None:
    assert normalise_pub_key(text, **kwargs) == key


def test_not_a_publication_number() -> None:
    with pytest.raises(ValueError, match="not a publication number"):
        normalise_pub_key("hello world")


@pytest.mark.parametrize(
    ("code", "normal"),
    [
        ("G06N 3/0475", "G06N3/0475"),
        ("G06N3/0475", "G06N3/0475"),
        ("H04L 29/06 (2006.01)", "H04L29/06"),
        ("G06N0003047500", "G06N3/0475"),
        ("A47L  514", "A47L5/14"),  # USPTO v2.5 fixed columns
        ("B60R  900", "B60R9/00"),  # APS fixed columns
        ("G06F 17/30", "G06F17/30"),
    ],
)
def test_classification_codes(code: str, normal: str) -> None:
    assert normalise_class(code) == normal


def test_classification_from_split_fields() -> None:
    assert class_from_parts("G", "06", "N", "3", "0475") == "G06N3/0475"
    assert class_from_parts("A", "01", "B", "1", "24") == "A01B1/24"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("20211019", "2021-10-19"),
        ("2021-10-19", "2021-10-19"),
        ("19420300", "1942-03-01"),
        ("10/19/2021", "2021-10-19"),
        ("", None),
        (None, None),
    ],
)
def test_dates(value: str | None, iso: str | None) -> None:
    assert normalise_date(value) == iso


def test_bad_date() -> None:
    with pytest.raises(ValueError, match="not a date"):
        normalise_date("20211345")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("us", "US"),
        ("DEX", "DE"),
        ("JPX", "JP"),
        ("EP", "EP"),
        ("United States", "US"),
        ("ZZ", None),
        ("", None),
    ],
)
def test_countries(value: str, iso: str | None) -> None:
    assert normalise_country(value) == iso


def test_content_hash_ignores_where_the_record_was_read() -> None:
    def pub(file: str) -> Publication:
        return Publication("US-1-B1", "US", "1", "B1", SourceRef(file, "r", "1"), texts=[Text("title", "x")])

    assert pub("a.xml").content_hash() == pub("b.xml").content_hash()
