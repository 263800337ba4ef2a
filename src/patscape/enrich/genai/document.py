"""The document the generative-AI stages read: title, abstract, claims and classification codes.

Loaders for the three places documents come from: the store, a labels file (``dev.jsonl`` form) and the Google
Patents scraped CSV (``publication_number,title,abstract,cpc_codes``) used for weak labels and the benchmark.
"""

from __future__ import annotations

import ast
import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from patscape.record import normalise_class, normalise_pub_key
from patscape.store.base import Store

FIELDS = ("title", "abstract", "claims")


@dataclass(frozen=True, slots=True)
class Document:
    pub_key: str
    title: str = ""
    abstract: str = ""
    claims: str = ""
    codes: tuple[str, ...] = ()  # CPC and IPC symbols, normalised (G06N3/0475)

    def field(self, name: str) -> str:
        return getattr(self, name) or ""

    @property
    def text(self) -> str:
        """What the classifier reads: title and abstract (the labels were made from these alone)."""
        return f"{self.title}. {self.abstract}" if self.title else self.abstract


@dataclass(frozen=True, slots=True)
class Labelled:
    """One line of a labels file."""

    doc: Document
    genai: str  # yes / no / unsure
    models: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    application: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def key_of(number: str) -> str:
    """A labels file's or a CSV's publication number as a store key (kept as written when it cannot be
    read)."""
    try:
        return normalise_pub_key(number)
    except ValueError:
        return number.strip()


def family_key(pub_key: str) -> str:
    """Country and number without the kind: ``US-9691019`` for ``US-9691019-B2`` (to keep a document out of
    both the training and the test side whatever kind code each source wrote)."""
    parts = pub_key.split("-")
    return "-".join(parts[:2]) if len(parts) >= 2 else pub_key


def read_labels(path: str | Path) -> list[Labelled]:
    out: list[Labelled] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            doc = Document(
                key_of(str(row["pub"])),
                row.get("title") or "",
                row.get("abstract") or "",
                row.get("claims") or "",
            )
            out.append(
                Labelled(
                    doc,
                    str(row.get("genai", "unsure")).lower(),
                    tuple(row.get("models") or ()),
                    tuple(row.get("modes") or ()),
                    row.get("application"),
                    {k: row[k] for k in ("id", "pub", "confidence", "why", "pool") if k in row},
                )
            )
    return out


def _codes(value: str) -> tuple[str, ...]:
    if not value or not value.strip():
        return ()
    try:
        items = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        items = [c for c in value.replace(";", ",").split(",")]
    codes: list[str] = []
    for item in items:
        try:
            codes.append(normalise_class(str(item)))
        except ValueError:
            continue
    return tuple(dict.fromkeys(codes))


def read_scraped(paths: Iterable[str | Path]) -> list[Document]:
    """Unique documents of Google Patents scraped CSVs, first occurrence kept, in file-name order."""
    csv.field_size_limit(1 << 30)
    seen: dict[str, Document] = {}
    for path in sorted(Path(p) for p in paths):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                number = (row.get("publication_number") or "").strip()
                if not number or number in seen:
                    continue
                seen[number] = Document(
                    key_of(number),
                    row.get("title") or "",
                    row.get("abstract") or "",
                    "",
                    _codes(row.get("cpc_codes") or ""),
                )
    return list(seen.values())


def scraped_files(data: Path) -> list[Path]:
    return sorted((data / "gp_ai_patents_cpc" / "scraped").glob("*.csv"))


def read_patentsview(path: str | Path) -> list[Document]:
    """The PatentsView API CSV of koehrsen_nn_patents (patent_abstract, patent_date, patent_number,
    patent_title)."""
    csv.field_size_limit(1 << 30)
    out: dict[str, Document] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            number = (row.get("patent_number") or "").strip()
            if number and number not in out:
                key = key_of("US" + number)
                out[number] = Document(
                    key, (row.get("patent_title") or "").strip('"'), row.get("patent_abstract") or ""
                )
    return list(out.values())


def from_store(store: Store, keys: Sequence[str] | None = None, batch: int = 2000) -> Iterator[Document]:
    """Documents of the store (all, or those keys), with their title, abstract, claims and CPC/IPC codes.

    English text is preferred where a field exists in several languages; the others are appended so that
    Chinese-language phrases of the query still match.
    """
    if keys is None:
        keys = [r["pub_key"] for r in store.fetch("SELECT pub_key FROM publications ORDER BY pub_key")]
    for i in range(0, len(keys), batch):
        chunk = list(keys[i : i + batch])
        marks = ", ".join("?" for _ in chunk)
        texts: dict[str, dict[str, list[tuple[int, str, str]]]] = {}
        for r in store.fetch(
            f"SELECT pub_key, kind, lang, text FROM texts WHERE pub_key IN ({marks}) "
            "AND kind IN ('title', 'abstract', 'claims') ORDER BY pub_key, seq",
            chunk,
        ):
            rank = 0 if (r["lang"] or "en").lower().startswith("en") else 1
            texts.setdefault(r["pub_key"], {}).setdefault(r["kind"], []).append(
                (rank, r["lang"] or "", r["text"] or "")
            )
        codes: dict[str, list[str]] = {}
        for r in store.fetch(
            f"SELECT pub_key, code FROM classes WHERE pub_key IN ({marks}) AND scheme IN ('CPC', 'IPC') "
            "ORDER BY pub_key, scheme, seq",
            chunk,
        ):
            codes.setdefault(r["pub_key"], []).append(r["code"])
        titles = {
            r["pub_key"]: r["title"]
            for r in store.fetch(f"SELECT pub_key, title FROM publications WHERE pub_key IN ({marks})", chunk)
        }
        for key in chunk:
            parts = texts.get(key, {})

            def joined(kind: str, parts: dict[str, list[tuple[int, str, str]]] = parts) -> str:
                return "\n".join(t for _, _, t in sorted(parts.get(kind, []), key=lambda x: x[0]) if t)

            title = joined("title") or (titles.get(key) or "")
            yield Document(
                key, title, joined("abstract"), joined("claims"), tuple(dict.fromkeys(codes.get(key, [])))
            )


def read_miric(path: str | Path) -> list[tuple[Document, bool]]:
    """The Miric, Jia & Huang set (``miric_ai_patents_4k``): each document (title run into the lower-cased,
    unpunctuated abstract) with its manual AI label. CC BY-NC: for evaluation only, never for training."""
    csv.field_size_limit(1 << 30)
    out: list[tuple[Document, bool]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            number = (row.get("app number") or "").strip()
            if number:
                out.append(
                    (Document(key_of(number), "", row.get("abstract") or ""), row.get("actual") == "1")
                )
    return out
