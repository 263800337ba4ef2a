"""Numbers for people, each tied to the table cell it came from.

Every number the report prints is written by :func:`num`, which wraps it in an element carrying ``data-ref``:
``table|key=value,key=value|column`` (the CSV file ``table.csv``, the row whose key columns hold those
values, the column). The tests read the report back and check every such number against the tables.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

NBSP = "\u00a0"
MISSING = "n/a"


@dataclass(frozen=True, slots=True)
class Ref:
    table: str
    key: tuple[tuple[str, Any], ...]
    column: str

    def __str__(self) -> str:
        keys = ",".join(f"{k}={_key_text(v)}" for k, v in self.key)
        return f"{self.table}|{keys}|{self.column}"


def ref(table: str, column: str, **key: Any) -> Ref:
    return Ref(table, tuple(key.items()), column)


def _key_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text(value: Any, kind: str = "count") -> str:
    """The number as printed. Kinds: ``count`` (24,103; fractional counts with one decimal), ``percent``
    (56.2 %), ``signed_percent`` (+5.1 pp for a change of share, +57.9 % for a growth rate), ``points``,
    ``ratio`` (1.14), ``decimal`` (2.16), ``year`` (2018), ``integer`` (a rank), ``plain``."""
    if is_missing(value):
        return MISSING
    if kind in ("year", "integer"):
        return str(int(value))
    if kind == "plain":
        return str(value)
    number = float(value)
    if math.isinf(number):
        return MISSING
    if kind == "count":
        if number.is_integer():
            return f"{int(number):,}"
        return f"{number:,.1f}"
    if kind == "percent":
        return f"{number * 100:.1f}{NBSP}%"
    if kind == "signed_percent":
        return f"{number * 100:+.1f}{NBSP}%"
    if kind == "points":
        return f"{number * 100:+.1f}{NBSP}pp"
    if kind == "ratio":
        return f"{number:.2f}"
    if kind == "decimal":
        return f"{number:.2f}"
    raise ValueError(f"unknown number kind {kind!r}")


def num(value: Any, kind: str, where: Ref | None) -> Markup:
    """``<span class="num" data-ref=... data-kind=...>56.2 %</span>``; without a reference, the plain text."""
    shown = html.escape(text(value, kind))
    if where is None:
        return Markup(shown)
    return Markup(f'<span class="num" data-ref="{html.escape(str(where))}" data-kind="{kind}">{shown}</span>')


def cell(value: Any, kind: str, where: Ref | None) -> Markup:
    """A table cell for a number (right-aligned, referenced)."""
    return Markup(f'<td class="n">{num(value, kind, where)}</td>')


def row_key(row: Mapping[str, Any], columns: tuple[str, ...]) -> dict[str, Any]:
    return {c: row[c] for c in columns}
