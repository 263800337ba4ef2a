"""``patscape landscape`` for people: the tables printed with rich (dimmed incomplete years, the country
table pivoted with the largest countries side by side)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table

from patscape.landscape.output import plain
from patscape.safe_output import terminal_json, terminal_markup

TOP_COUNTRIES = 8  # countries shown side by side in the printed country table
PERCENT_COLUMNS = frozenset({"share", "china_share", "cagr", "share_change", "grant_rate"})


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


def print_timings(seconds: dict[str, float], console: Console) -> None:
    table = Table(title="seconds", title_justify="left")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    for name, value in seconds.items():
        table.add_row(name, f"{value:.3f}")
    console.print(table)


def present(
    frames: dict[str, Any],
    meta: dict[str, Any],
    *,
    as_json: bool,
    out: str | None,
    limit: int,
    timings: bool = False,
) -> None:
    from pathlib import Path

    from patscape.console import err
    from patscape.landscape import output

    if not timings:
        meta = {k: v for k, v in meta.items() if k != "seconds"}
    if out:
        for path in output.write(frames, out):
            err.print(f"wrote {Path(path)}")
        if not as_json:
            if timings:
                print_timings(meta["seconds"], err)
            return
    if as_json:
        print(terminal_json(output.to_json(frames, meta)))
        return
    console = Console()
    print_landscape(
        frames,
        heading=f"landscape by {meta['by']}: {meta['filter']}",
        notes=[
            meta["counting"],
            meta["completeness"] + "; incomplete years are shown dimmed, never as a fall",
        ],
        skipped=meta["skipped"],
        limit=limit,
        console=console,
    )
    if timings:
        print_timings(meta["seconds"], console)
