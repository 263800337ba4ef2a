"""Reading a written report back: its CSV files, the numbers of its HTML with their references, its PDF text.

Written independently of the report's own formatting code: a printed number is parsed back and compared with
the table cell within the precision it is printed to.
"""

from __future__ import annotations

import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pandas as pd


def read_csv(out: Path, name: str) -> pd.DataFrame:
    # only empty cells are missing: "NA" is Namibia
    return pd.read_csv(out / f"{name}.csv", keep_default_na=False, na_values=[""])


@dataclass
class Printed:
    table: str
    key: dict[str, str]
    column: str
    kind: str
    text: str


def printed_numbers(page: lxml.html.HtmlElement) -> list[Printed]:
    out = []
    for el in page.xpath("//*[@data-ref]"):
        table, keys, column = el.get("data-ref").split("|")
        key = dict(part.split("=", 1) for part in keys.split(",")) if keys else {}
        out.append(Printed(table, key, column, el.get("data-kind"), el.text_content()))
    return out


def cell(out: Path, p: Printed, cache: dict[str, pd.DataFrame]) -> object:
    if p.table not in cache:
        cache[p.table] = read_csv(out, p.table)
    df = cache[p.table]
    mask = pd.Series(True, index=df.index)
    for k, v in p.key.items():
        mask &= df[k].astype(str) == v
    hits = df.loc[mask, p.column]
    assert len(hits) == 1, f"{p.table}.csv has {len(hits)} rows for {p.key}"
    return hits.iloc[0]


TOLERANCE = {"percent": 0.0005, "signed_percent": 0.0005, "points": 0.0005, "ratio": 0.005, "decimal": 0.005}


def parse(text: str, kind: str) -> float | None:
    """The number as printed: ``24,103`` → 24103; ``56.2 %`` → 0.562; ``+20.2 pp`` → 0.202; ``n/a`` → None."""
    t = text.replace("\u00a0", " ").strip()
    if t == "n/a":
        return None
    m = re.fullmatch(r"([+-−]?[\d,]+(?:\.\d+)?)\s*(%|pp)?", t)
    assert m, f"not a number: {text!r}"
    value = float(m.group(1).replace(",", "").replace("−", "-"))
    if m.group(2):
        value /= 100
    return value


def agrees(printed: Printed, value: object) -> bool:
    shown = parse(printed.text, printed.kind)
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    if shown is None or missing:
        return shown is None and missing
    number = float(value)  # type: ignore[arg-type]
    if printed.kind in TOLERANCE:
        return abs(shown - number) <= TOLERANCE[printed.kind] + 1e-9
    if printed.kind == "count" and not number.is_integer():
        return abs(shown - number) <= 0.05 + 1e-9
    return shown == number


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
