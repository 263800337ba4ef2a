"""Landscape tables for files (CSV, XLSX, Parquet) and programs (JSON); the command line prints them."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from patscape.safe_output import spreadsheet_frame
from patscape.workbook import about_frame, write_workbook

FORMATS = (".csv", ".xlsx", ".parquet")


def plain(value: Any) -> Any:
    """A cell as a JSON value (NaN/NA -> None, numpy scalars -> Python, decimals (PostgreSQL sums) -> float,
    dates -> ISO)."""
    if value is None:
        return None
    if isinstance(value, decimal.Decimal):
        return float(value) if value.is_finite() else None
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


def write(
    frames: dict[str, pd.DataFrame], path: str | Path, about: Mapping[str, Any] | None = None
) -> list[Path]:
    """Write exactly ``path``; returns the files written.

    - ``FILE.xlsx``: one sheet per table and an ``about`` sheet (``about``: command, filters, basis…);
    - ``FILE.csv`` or ``FILE.parquet``: the one table there is (several: refused, naming the two ways);
    - a folder (one that exists, or a path ending in ``/``): ``<table>.csv`` per table and ``about.csv``.

    Text that a spreadsheet would evaluate is neutralised in CSV and XLSX (``safe_output``); Parquet, read
    by programs and typed, keeps every value as stored."""
    about = dict(about or {})
    target = Path(path)
    if target.is_dir() or str(path).endswith(("/", "\\")):
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in {**frames, "about": about_frame(about)}.items():
            written.append(target / f"{name}.csv")
            spreadsheet_frame(df).to_csv(written[-1], index=False)
        return written
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(
            f"unsupported output {target.name}: use one of {', '.join(FORMATS)}, or a folder (ending in /)"
        )
    if suffix == ".xlsx":
        return [write_workbook(frames, target, about)]
    if len(frames) != 1:
        raise ValueError(
            f"{len(frames)} tables ({', '.join(frames)}) do not fit in one {suffix} file: write them as "
            f"sheets of one workbook (--out {target.with_suffix('.xlsx').name}) or into a folder "
            f"(--out {target.with_suffix('')}/)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    (df,) = frames.values()
    if suffix == ".csv":
        spreadsheet_frame(df).to_csv(target, index=False)
    else:
        df.to_parquet(target, index=False)
    return [target]
