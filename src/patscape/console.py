"""Printing results for people (rich tables, progress bars) or for programs (JSON).

Every value from the store is printed through ``safe_output``: its control characters and escape sequences,
and rich markup in it, are shown as text, never obeyed."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from patscape.safe_output import terminal_json, terminal_markup

out = Console()
err = Console(stderr=True)


def _default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return str(value)


def print_json(data: Any) -> None:
    print(terminal_json(json.dumps(data, default=_default, ensure_ascii=False, indent=2)))


def _text(value: Any) -> str:
    return "" if value is None else terminal_markup(value)


@contextmanager
def ingest_progress(disable: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar per input, in bytes; yields the callback the ingest calls."""
    progress = Progress(
        TextColumn("{task.description}", style="cyan"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=disable,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def update(label: str, done: int, total: int) -> None:
        if label not in tasks:
            name = terminal_markup(label if len(label) < 60 else "…" + label[-59:])
            tasks[label] = progress.add_task(name, total=total)
        progress.update(tasks[label], completed=done)

    with progress:
        yield update


def print_ingest_summary(summary: Any, *, as_json: bool, db: str) -> None:
    data = summary.as_dict()
    if as_json:
        print_json({"db": db, **data})
        return
    table = Table(title="ingest summary", title_justify="left")
    for col in ("format", "read", "stored", "replaced", "unchanged", "rejected", "attached"):
        table.add_column(col, justify="left" if col == "format" else "right")
    for name, counts in data["by_format"].items():
        table.add_row(
            _text(name),
            *(f"{counts[k]:,}" for k in ("read", "stored", "replaced", "unchanged", "rejected", "attached")),
        )
    total = data["total"]
    table.add_row(
        "[b]total[/b]",
        *(
            f"[b]{total[k]:,}[/b]"
            for k in ("read", "stored", "replaced", "unchanged", "rejected", "attached")
        ),
    )
    out.print(table)
    inputs = ", ".join(f"{n:,} {status}" for status, n in data["inputs"].items()) or "none"
    out.print(f"inputs: {inputs}")
    for label in data["unrecognised"]:
        out.print(f"[yellow]not a recognised format, skipped:[/yellow] {_text(label)}")
    for label in data["refused"]:
        out.print(f"[red]refused:[/red] {_text(label)}")
    if total["rejected"]:
        out.print(
            f"[red]{total['rejected']:,} rejected documents are in quarantine: patscape quarantine[/red]"
        )
    out.print(f"database: {_text(db)}")


def print_rows(rows: list[dict[str, Any]], *, title: str, as_json: bool) -> None:
    if as_json:
        print_json(rows)
        return
    table = Table(title=_text(title), title_justify="left")
    for col in rows[0] if rows else ["(none)"]:
        table.add_column(_text(col), overflow="fold")
    for row in rows:
        table.add_row(*(_text(v) for v in row.values()))
    out.print(table)


def print_stats(stats: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print_json(stats)
        return
    out.print(f"[b]{stats['publications']:,}[/b] publications, {stats['families']:,} stated families")
    for name in (
        "by_country",
        "by_kind",
        "by_year",
        "by_reader",
        "parties",
        "classes",
        "citations",
        "attachments",
        "quarantine",
        "inputs",
    ):
        values = stats[name]
        if not values:
            continue
        table = Table(title=name.replace("_", " "), title_justify="left", show_header=False)
        table.add_column("key")
        table.add_column("count", justify="right")
        for key, n in values.items():
            table.add_row(_text(key), f"{n:,}")
        out.print(table)


def print_details(details: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print_json(details)
        return
    pub = details["publication"]
    out.print(f"[b]{_text(pub['pub_key'])}[/b]  {_text(pub['title'])}")
    fields = Table(show_header=False, box=None)
    fields.add_column(style="dim")
    fields.add_column()
    for key, value in pub.items():
        if value is not None and key not in ("pub_key", "title"):
            fields.add_row(key, _text(value))
    out.print(fields)
    for name, rows in details.items():
        if name == "publication" or not rows:
            continue
        if name == "texts":
            for row in rows:
                text = row["text"] or ""
                short = text if len(text) < 600 else text[:600] + f" … ({len(text):,} characters)"
                out.print(f"[b]{_text(row['kind'])}[/b] [dim]{_text(row['lang'])}[/dim]\n{_text(short)}\n")
            continue
        table = Table(title=name, title_justify="left")
        columns = [c for c in rows[0] if c != "pub_key" and any(r[c] is not None for r in rows)]
        for col in columns:
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*(_text(row[c]) for c in columns))
        out.print(table)
