"""Landscape tables for people (rich) and for files (CSV, XLSX, Parquet) or programs (JSON)."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from patscape.safe_output import spreadsheet_frame, terminal_markup

FORMATS = (".csv", ".xlsx", ".parquet")
TOP_COUNTRIES = 8  # countries shown side by side in the printed country table
PERCENT_COLUMNS = frozenset({"share", "china_share", "cagr", "share_change", "grant_rate"})


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


# -- printing ---------------------------------------------------------------------------------------


def _cell(value: Any, column: str) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if "year" in column or column == "rank":
        return str(int(value)) if isinstance(value, int | float) else str(value)
    if isinstance(value, float):
        if column in PERCENT_COLUMNS:
            return f"{value * 100:.1f}%"
        return f"{value:,.3f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_frame(console: Console, name: str, df: pd.DataFrame, limit: int) -> None:
    table = Table(title=terminal_markup(name), title_justify="left")
    for col in df.columns if len(df.columns) else ["(none)"]:
        justify = "right" if col in df and pd.api.types.is_numeric_dtype(df[col]) else "left"
        table.add_column(terminal_markup(col), justify=justify, overflow="fold")
    incomplete = "incomplete" in df.columns
    for _, row in df.head(limit).iterrows():
        style = "dim italic" if incomplete and bool(row["incomplete"]) else None
        table.add_row(*(terminal_markup(_cell(row[c], str(c))) for c in df.columns), style=style)
    console.print(table)
    if len(df) > limit:
        console.print(f"[dim]… {len(df) - limit:,} more rows (all of them with --json or --out)[/dim]")


def country_pivot(df: pd.DataFrame, top: int = TOP_COUNTRIES) -> pd.DataFrame:
    """Years down (``*`` marks an incomplete year), the ``top`` countries with most families across: "families
    share%" cells."""
    if df.empty:
        return df
    order = df.groupby("country")["families"].sum().sort_values(ascending=False, kind="stable")
    keep = list(order.index[:top])
    years = df.groupby("year").agg(total=("total", "first"), incomplete=("incomplete", "first")).reset_index()
    out = pd.DataFrame(
        {
            "year": [
                f"{y}{'*' if inc else ''}" for y, inc in zip(years["year"], years["incomplete"], strict=True)
            ],
            "families": years["total"],
        }
    )
    for country in keep:
        part = df[df["country"] == country].set_index("year")
        out[country] = [
            f"{_cell(part.at[y, 'families'], 'families')} {part.at[y, 'share'] * 100:.1f}%"
            if y in part.index
            else ""
            for y in years["year"]
        ]
    return out


def print_landscape(
    frames: dict[str, pd.DataFrame],
    *,
    heading: str,
    notes: list[str],
    skipped: dict[str, str],
    limit: int = 40,
    console: Console | None = None,
) -> None:
    console = console or Console()
    console.print(f"[b]{terminal_markup(heading)}[/b]")
    for note in notes:
        console.print(f"[dim]{terminal_markup(note)}[/dim]")
    for name, df in frames.items():
        shown = country_pivot(df) if name == "countries" else df
        title = "countries: families and share per year (* incomplete)" if name == "countries" else name
        print_frame(console, title, shown, limit if name != "countries" else max(limit, len(shown)))
    for name, why in skipped.items():
        console.print(f"[yellow]{name} skipped:[/yellow] {terminal_markup(why)}")
