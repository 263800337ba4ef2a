"""A UTF-8 export with one latin-1 row near its top: the odd row is read and marked, nothing else is garbled.

Issue 12: such a Google Patents export was decoded whole as cp1252, as its first 64 KiB held the odd
row, and every Chinese party name came out garbled (辉达公司 -> ``è¾‰è¾¾å…¬å\\x8f¸``). The file is built
here from a real export of ../shared/data; the names expected are read from the untouched file with
Python's csv module.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from patscape.record import Publication
from patscape.sources.base import Origin
from patscape.sources.google_patents import GooglePatentsReader

EXPORT = "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102423.csv"
ODD_ROW = (  # written in latin-1 by the test
    "EP-9999999-A1,Procédé de génération d'images ,Société Générale Sécurité,Élodie Müller,"
    "1/2/2020,1/2/2020,7/8/2021,,,\n"
)


def _read(raw: bytes) -> list[Publication]:
    items = list(GooglePatentsReader().read(io.BytesIO(raw), Origin("export.csv")))
    assert all(isinstance(i, Publication) for i in items)
    return items  # type: ignore[return-value]


def test_one_latin1_row_near_the_top_garbles_nothing_else(data: Path) -> None:
    raw = (data / EXPORT).read_bytes()
    header_end = raw.index(b"\n") + 1
    damaged = raw[:header_end] + ODD_ROW.encode("latin-1") + raw[header_end:]
    assert len(ODD_ROW) < 64 * 1024 and not raw.isascii()

    with open(data / EXPORT, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert any("辉达公司" in r["assignee"] for r in rows)  # the export holds NVIDIA's Chinese filings

    pubs = _read(damaged)
    odd, rest = pubs[0], pubs[1:]
    assert len(rest) == len(rows)
    assert [(p.pub_key, p.parties, p.texts) for p in rest] == [
        (p.pub_key, p.parties, p.texts) for p in _read(raw)
    ]
    assert all(p.recovered is None for p in rest)
    for row, pub in zip(rows, rest, strict=True):  # Chinese names exactly as the csv module reads them
        if any("\u4e00" <= c <= "\u9fff" for c in row["assignee"]):
            names = ", ".join(p.name for p in pub.parties_of("applicant"))  # Google's assignee column
            assert names == ", ".join(n.strip() for n in row["assignee"].split(",") if n.strip()), row["id"]

    assert odd.pub_key == "EP-9999999-A1"
    assert [p.name for p in odd.parties_of("applicant")] == ["Société Générale Sécurité"]
    assert [p.name for p in odd.parties_of("inventor")] == ["Élodie Müller"]
    column = ODD_ROW.index("é") + 1
    assert (
        odd.recovered == f"recovered: line 2: not UTF-8 (bytes 0xE9 at column {column}): read as windows-1252"
    )


def test_a_wholly_legacy_file_reads_as_before(data: Path) -> None:
    """Every line of a cp1252 file that has non-ASCII bytes is read as cp1252 and marked."""
    raw = (data / EXPORT).read_bytes()
    header_end = raw.index(b"\n") + 1
    legacy = (
        raw[:header_end] + ODD_ROW.encode("cp1252") + ODD_ROW.replace("9999999", "9999998").encode("cp1252")
    )
    first, second = _read(legacy)
    assert [p.name for p in second.parties_of("inventor")] == ["Élodie Müller"]
    assert first.recovered and second.recovered and "line 3:" in second.recovered
