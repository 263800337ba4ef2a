"""``patscape landscape``: tables printed, as JSON, or written to CSV, XLSX and Parquet (on the mini
store)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from patscape.cli import main


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["landscape", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_json(mini_path: Path) -> None:
    out = json.loads(run("--db", str(mini_path), "--year", "priority", "--country-by", "member", "--json"))
    assert sorted(out["tables"]) == ["china_vs_world", "countries", "growth"]
    assert out["tables"]["china_vs_world"][0] == {
        "year": 2014,
        "china": 2,
        "rest_of_world": 1,
        "attributed": 2,
        "china_share": 1.0,
        "incomplete": False,
    }
    assert "earliest priority year" in out["counting"]


def test_options_reach_the_tables(mini_path: Path) -> None:
    out = json.loads(
        run(
            "--db",
            str(mini_path),
            "--by",
            "owner",
            "--genai",
            "--fractional",
            "--year",
            "priority",
            "--from",
            "2014",
            "--to",
            "2018",
            "--json",
        )
    )
    owners = {r["group_name"]: r["families"] for r in out["tables"]["owners"]}
    assert owners == {"Tencent": 1.5, "Baidu": 1.0, "IBM": 0.5}  # F1, F2 (half), F5
    assert out["filter"] == "generative AI, years 2014-2018"


@pytest.mark.parametrize("by", ["model", "mode", "application", "quality"])
def test_every_view_prints(mini_path: Path, by: str) -> None:
    text = run("--db", str(mini_path), "--by", by, "--year", "priority")
    assert "skipped" not in text
    assert {
        "model": "model_mode",
        "mode": "modes",
        "application": "applications",
        "quality": "country_quality",
    }[by] in text


def test_printed_country_table_marks_incomplete_years(mini_path: Path) -> None:
    text = run("--db", str(mini_path), "--year", "priority", "--country-by", "member")
    assert "2019*" in text and "2018*" not in text
    assert "priority years from 2019 are incomplete" in text


def test_files(mini_path: Path, tmp_path: Path) -> None:
    """--out writes exactly what it names: a folder gets one CSV per table (and about.csv); one file of a
    one-table format cannot hold three tables, and says where they fit."""
    args = ("--db", str(mini_path), "--year", "priority", "--country-by", "member")
    run(*args, "--out", str(tmp_path / "tables") + "/")
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == [
        "about.csv",
        "china_vs_world.csv",
        "countries.csv",
        "growth.csv",
    ]
    df = pd.read_csv(tmp_path / "tables" / "china_vs_world.csv")
    assert list(df["china"]) == [2, 0, 1, 1]
    assert list(df["incomplete"]) == [False, False, False, True]
    for suffix in (".csv", ".parquet"):
        result = CliRunner().invoke(main, ["landscape", *args, "--out", str(tmp_path / f"landscape{suffix}")])
        assert result.exit_code == 1
        assert "3 tables (countries, china_vs_world, growth) do not fit in one" in result.output
        assert not (tmp_path / f"landscape{suffix}").exists()
        assert not list(tmp_path.glob("landscape-*"))


def test_unknown_output(mini_path: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["landscape", "--db", str(mini_path), "--out", str(tmp_path / "x.txt")])
    assert result.exit_code != 0
    assert "unsupported output" in result.output


@pytest.mark.postgres
def test_same_json_from_postgresql(mini_path: Path, mini_pg_url: str) -> None:
    args = ("--by", "owner", "--year", "priority", "--fractional", "--json")
    duck = json.loads(run("--db", str(mini_path), *args))
    pg = json.loads(run("--db", mini_pg_url, *args))
    assert pg["tables"] == duck["tables"]
    assert pg["tables"]["owners"][0]["group_name"] == "Baidu"
