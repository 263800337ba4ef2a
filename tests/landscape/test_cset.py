"""The done-when check on the real CSET AI patent table: China's and the US's share of families by earliest
priority year, counted by member office, exactly as computed directly from the CSV file with the csv
module."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from patscape.cli import main
from tests.conftest import CSET_ZIP


@pytest.fixture(scope="module")
def from_file(data: Path) -> dict[int, dict[str, int]]:
    """Per earliest priority year: families, families with a CN member, with a US member.

    A family is a ``Simple_family_ID``; its earliest priority year the smallest ``Priority_Year`` of its rows;
    its offices the ``Publication_country`` of its rows (every row counts, also those whose number a
    spreadsheet turned into 1.02E+11: the office and family are still stated)."""
    years: dict[str, int] = {}
    offices: dict[str, set[str]] = defaultdict(set)
    with zipfile.ZipFile(data / CSET_ZIP) as archive:
        name = next(n for n in archive.namelist() if n.endswith("patent_database.csv") and "MACOSX" not in n)
        with archive.open(name) as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", newline="")):
                family = row["Simple_family_ID"]
                offices[family].add(row["Publication_country"])
                year = int(row["Priority_Year"])
                years[family] = min(year, years.get(family, year))
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"families": 0, "CN": 0, "US": 0})
    for family, year in years.items():
        out[year]["families"] += 1
        for office in ("CN", "US"):
            out[year][office] += office in offices[family]
    return dict(out)


@pytest.fixture(scope="module")
def cli_tables(cset_path: Path) -> dict:
    result = CliRunner().invoke(
        main,
        [
            "landscape",
            "--db",
            str(cset_path),
            "--by",
            "country",
            "--year",
            "priority",
            "--country-by",
            "member",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.parametrize("office", ["CN", "US"])
def test_share_per_priority_year_as_in_the_file(cli_tables: dict, from_file: dict, office: str) -> None:
    rows = {r["year"]: r for r in cli_tables["tables"]["countries"] if r["country"] == office}
    expected = {y: v for y, v in from_file.items() if v[office]}
    assert sorted(rows) == sorted(expected)
    for year, counts in expected.items():
        row = rows[year]
        assert (row["families"], row["attributed"], row["total"]) == (
            counts[office],
            counts["families"],
            counts["families"],
        ), year
        assert row["share"] == round(counts[office] / counts["families"], 6), year


def test_the_published_figures(cli_tables: dict) -> None:
    # genai-landscape.md: 2008 ≈ 23 %, 2011 ≈ 44 %, 2014 ≈ 49 %, 2017 ≈ 58 %, 2018 ≈ 68 %
    cn = {r["year"]: r["share"] for r in cli_tables["tables"]["countries"] if r["country"] == "CN"}
    for year, share in {2008: 0.23, 2011: 0.44, 2014: 0.49, 2017: 0.58, 2018: 0.68}.items():
        assert cn[year] == pytest.approx(share, abs=0.005), year
    # 2019 shows 94 % CN because CN publishes earlier than other offices: truncated, flagged
    assert cn[2019] == pytest.approx(0.94, abs=0.005)


def test_2019_and_2020_are_incomplete(cli_tables: dict) -> None:
    flags = {r["year"]: r["incomplete"] for r in cli_tables["tables"]["china_vs_world"]}
    assert [y for y, flag in sorted(flags.items()) if flag] == [2019, 2020]
    assert {r["incomplete"] for r in cli_tables["tables"]["countries"] if r["year"] >= 2019} == {True}
    assert "from 2019" in cli_tables["completeness"]


def test_china_vs_world_matches_the_file(cli_tables: dict, from_file: dict) -> None:
    rows = {r["year"]: r for r in cli_tables["tables"]["china_vs_world"]}
    for year in (2008, 2014, 2018):
        assert rows[year]["china"] == from_file[year]["CN"]
        assert rows[year]["attributed"] == from_file[year]["families"]
