"""The ingest's work on the executors: listing and hashing inputs, then reading them with the readers.

Both run inside ``mapInArrow``: the driver hands out file names (first stage) and inputs (second stage),
never documents; each executor opens its archive member itself, through the same container code
(``sources/containers.py``, with its zip-bomb limits) and the same readers as the embedded ingest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import pyarrow as pa

from patscape.record import Rejected, SourceRef
from patscape.sources.base import Reader
from patscape.sources.containers import Input, ZipLimits, iter_inputs
from patscape.sources.detect import detect_input, read_input, readers
from patscape.store.ingest import input_hash
from patscape.store.parallel import ready
from patscape.store.rows import now

from .records import batch, item

INPUT_SCHEMA = pa.schema(
    [
        pa.field("file", pa.string(), nullable=False),
        pa.field("ord_file", pa.int64(), nullable=False),
        pa.field("member_idx", pa.int64(), nullable=False),
        pa.field("member", pa.string()),
        pa.field("size", pa.int64()),
        pa.field("error", pa.string()),
        pa.field("input_hash", pa.string(), nullable=False),
        pa.field("reader", pa.string()),
    ]
)
ITEMS_PER_BATCH = 256
BYTES_PER_BATCH = 8 * 1024 * 1024


def top_level_files(paths: Iterable[str | os.PathLike]) -> list[str]:
    """The files below ``paths`` in the order the embedded ingest walks them (folders by name)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(q) for q in sorted(q for q in path.rglob("*") if q.is_file()))
        elif path.is_file():
            out.append(str(path))
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
    return out


def refused_hash(entry: Input) -> str:
    """The identity of an input refused before reading, as the embedded ingest gives it."""
    return hashlib.sha256(f"{entry.file}!{entry.member}!{entry.size}".encode()).hexdigest()


def list_inputs(
    batches: Iterable[pa.RecordBatch], limits: ZipLimits | None = None
) -> Iterator[pa.RecordBatch]:
    """File names -> one row per input (file or archive member), with its hash and its reader."""
    for files in batches:
        rows = []
        for file, ord_file in zip(
            files.column("file").to_pylist(), files.column("ord_file").to_pylist(), strict=True
        ):
            for member_idx, entry in enumerate(iter_inputs([file], limits)):
                row = {
                    "file": entry.file,
                    "ord_file": ord_file,
                    "member_idx": member_idx,
                    "member": entry.member,
                    "size": entry.size,
                    "error": entry.error,
                    "reader": None,
                }
                if entry.error:
                    row["input_hash"] = refused_hash(entry)
                else:
                    reader = detect_input(entry)
                    row["reader"] = reader.name if reader else None
                    row["input_hash"] = input_hash(entry)
                rows.append(row)
        yield pa.RecordBatch.from_pylist(rows, schema=INPUT_SCHEMA)


@cache
def reader_named(name: str) -> Reader:
    for reader in readers():
        if reader.name == name:
            return reader
    raise LookupError(f"no reader named {name}")


def find_input(file: str, member: str | None, limits: ZipLimits | None = None) -> Input:
    for entry in iter_inputs([file], limits):
        if entry.member == member:
            return entry
    raise FileNotFoundError(f"{file}!{member} is no longer there")


def read_inputs(
    batches: Iterable[pa.RecordBatch], limits: ZipLimits | None = None
) -> Iterator[pa.RecordBatch]:
    """Inputs -> item rows (publications with their table rows, rejected documents, attachments)."""
    for inputs in batches:
        for row in inputs.to_pylist():
            yield from _read_one(row, limits)


def _read_one(row: dict, limits: ZipLimits | None) -> Iterator[pa.RecordBatch]:
    timestamp = now()
    digest, ord_input = row["input_hash"], row["ord_input"]
    if row["error"]:
        ref = SourceRef(file=row["file"], member=row["member"], reader="containers", reader_version="1")
        yield batch([item(Rejected(source=ref, reason=row["error"]), digest, ord_input, 0, timestamp)])
        return
    reader = reader_named(row["reader"])
    records = read_input(find_input(row["file"], row["member"], limits), reader)
    pending: list[dict] = []
    size = 0
    for ord_doc, record in enumerate(records):
        prepared = ready(record, reader.precedence)
        pending.append(item(prepared, digest, ord_input, ord_doc, timestamp))
        size += getattr(prepared, "text_size", 0)
        if len(pending) >= ITEMS_PER_BATCH or size >= BYTES_PER_BATCH:
            yield batch(pending)
            pending, size = [], 0
    if pending:
        yield batch(pending)
