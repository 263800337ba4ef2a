"""An XLSX workbook an analyst can hand on: one sheet per table, numbers formatted (shares as percentages,
counts with thousands separators, years plain), columns wide enough, the header row frozen and filterable,
and an ``about`` sheet saying what produced it (command, filters, counting basis, versions, date).

Text a spreadsheet would evaluate is neutralised (``safe_output``) in every sheet, ``about`` included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from patscape.safe_output import spreadsheet_frame

ABOUT = "about"
PERCENT_COLUMNS = frozenset({"share", "china_share", "cagr", "share_change", "grant_rate"})
MAX_WIDTH = 60
SHEET_NAME_LENGTH = 31  # Excel's limit


def versions() -> dict[str, str]:
    """The versions that made the figures: patscape and the engines that computed them."""
    from importlib.metadata import PackageNotFoundError, version

    from patscape import __version__

    out = {"patscape": __version__}
    for package in ("duckdb", "ibis-framework", "pandas"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            continue
    return out


def about_frame(about: Mapping[str, Any]) -> pd.DataFrame:
    """``item``, ``value``: what the caller says produced the tables, then the versions and the date."""
    rows = [(k, v if isinstance(v, str | int | float) or v is None else str(v)) for k, v in about.items()]
    rows += [(f"version {name}", v) for name, v in versions().items()]
    rows.append(("written", dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()))
    return pd.DataFrame(rows, columns=["item", "value"])


def number_format(column: str, series: pd.Series) -> str | None:
    if column in PERCENT_COLUMNS:
        return "0.0%"
    if "year" in column or column == "rank":
        return "0"
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series):
        return "#,##0"
    if pd.api.types.is_float_dtype(series):
        return "#,##0" if series.dropna().map(float.is_integer).all() else "#,##0.000"
    return None


def _width(column: str, series: pd.Series) -> int:
    cells = [len(str(column))] + [len(str(v)) for v in series.head(500) if v is not None]
    return min(MAX_WIDTH, max(cells) + 2)


def write_workbook(frames: Mapping[str, pd.DataFrame], path: str | Path, about: Mapping[str, Any]) -> Path:
    """``frames`` as sheets of the workbook ``path`` (exactly that file), with the ``about`` sheet last."""
    from openpyxl.utils import get_column_letter

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    sheets = {**{name[:SHEET_NAME_LENGTH]: df for name, df in frames.items()}, ABOUT: about_frame(about)}
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, df in sheets.items():
            spreadsheet_frame(df, xlsx=True).to_excel(writer, sheet_name=name, index=False)
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            if len(df.columns):
                ws.auto_filter.ref = ws.dimensions
            for i, column in enumerate(df.columns, start=1):
                letter = get_column_letter(i)
                ws.column_dimensions[letter].width = _width(str(column), df[column])
                fmt = number_format(str(column), df[column])
                if fmt:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = fmt
    return target
