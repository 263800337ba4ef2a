"""Landscape tables for files (CSV, XLSX, Parquet) and programs (JSON); the command line prints them."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from patscape.safe_output import spreadsheet_frame

FORMATS = (".csv", ".xlsx", ".parquet")


def plain(value: Any) -> Any:
    """A cell as a JSON value (NaN/NA -> None, numpy scalars -> Python, dates -> ISO)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: plain(v) for k, v in row.items()} for row in df.to_dict("records")]


def to_json(frames: dict[str, pd.DataFrame], meta: dict[str, Any]) -> str:
    payload = {**meta, "tables": {name: records(df) for name, df in frames.items()}}
    return json.dumps(payload, ensure_ascii=False, indent=2)


def write(frames: dict[str, pd.DataFrame], path: str | Path) -> list[Path]:
    """XLSX: one sheet per table. CSV and Parquet hold one table: with several tables, one file per table
    named ``<stem>-<table><suffix>``. Returns the files written.

    Text that a spreadsheet would evaluate is neutralised in CSV and XLSX (``safe_output``); Parquet, read
    by programs and typed, keeps every value as stored."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"unsupported output {target.name}: use one of {', '.join(FORMATS)}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        with pd.ExcelWriter(target, engine="openpyxl") as writer:
            for name, df in frames.items():
                spreadsheet_frame(df, xlsx=True).to_excel(writer, sheet_name=name[:31], index=False)
        return [target]
    written = []
    for name, df in frames.items():
        out = target if len(frames) == 1 else target.with_name(f"{target.stem}-{name}{suffix}")
        if suffix == ".csv":
            spreadsheet_frame(df).to_csv(out, index=False)
        else:
            df.to_parquet(out, index=False)
        written.append(out)
    return written
