"""Batched, idempotent and resumable ingest of files, folders and zip archives into a store.

- Idempotent: every input (file or archive member) is known by the hash of its bytes; an input already
  ingested is skipped, and a record identical to the stored one changes nothing.
- Resumable: each batch is written in one transaction together with the input's progress in
  ``ingest_log``; a run killed at any moment leaves whole batches only, and the next run skips the records
  already committed, so it ends with the database an uninterrupted run gives. (A DuckDB store opened
  without a write-ahead log, as ``patscape ingest`` does, keeps what was committed up to its last
  checkpoint: the progress is lost with the data it describes, and read again.)
- Nothing is lost: a rejected document goes to ``quarantine`` with its place and reason; an input no reader
  recognises is recorded in ``ingest_log``, and one refused (a zip bomb, an encrypted, corrupt or too deeply
  nested archive member) in both, and the ingest goes on with the next input.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeGuard

import blake3

from patscape.record import Rejected, SourceRef
from patscape.sources.base import Origin, Reader, XmlReader
from patscape.sources.containers import UNREADABLE, Input, ZipLimits, iter_inputs, unreadable
from patscape.sources.detect import detect_input, read_input
from patscape.store.base import BatchCounts, MemoryCapExceeded, Store
from patscape.store.freshness import bump_generation
from patscape.store.parallel import ParallelParser, Ready, ready
from patscape.store.rows import Prepared

BATCH_SIZE = 1000
# Text per batch (full-text grants are ~45 KB, exports ~1 KB). A batch costs about ten statements whatever
# its size and memory in proportion to its bytes: `bench/ingest.py --size-mb 200` run with 2 MB and with
# 4 MB batches showed the writing process 10 % faster with 4 MB, for 12 MB more peak RSS.
BATCH_BYTES = 4 * 1024 * 1024
PARALLEL_MIN_BYTES = 4 * 1024 * 1024  # smaller inputs are parsed in the main process
ProgressCallback = Callable[[str, int, int], None]  # (label, bytes done in this input, input size)


@dataclass(slots=True)
class IngestSummary:
    by_format: dict[str, BatchCounts] = field(default_factory=dict)
    inputs: dict[str, int] = field(default_factory=dict)  # ingested, already-ingested, unrecognised, refused
    unrecognised: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    generation: int | None = None  # the data's generation this run raised (see store.freshness), if any

    def count_input(self, status: str) -> None:
        self.inputs[status] = self.inputs.get(status, 0) + 1

    @property
    def total(self) -> BatchCounts:
        total = BatchCounts()
        for counts in self.by_format.values():
            total.add(counts)
        return total

    def as_dict(self) -> dict:
        return {
            "by_format": {k: v.as_dict() for k, v in sorted(self.by_format.items())},
            "total": self.total.as_dict(),
            "inputs": dict(sorted(self.inputs.items())),
            "unrecognised": self.unrecognised,
            "refused": self.refused,
        }


def input_hash(item: Input) -> str:
    """The identity of an input's bytes, by which an interrupted ingest resumes.

    BLAKE3: every byte of a file is read before its first document can be written, and BLAKE3 hashes
    several times faster than SHA-256.
    """
    digest = blake3.blake3()
    with item.open() as stream:
        while block := stream.read(4 * 1024 * 1024):
            digest.update(block)
    # The member name is part of an archive member's identity only through its bytes: the same file
    # inside two archives is the same input.
    return digest.hexdigest()


def ingest(
    store: Store,
    paths: Iterable[str | os.PathLike],
    *,
    batch_size: int = BATCH_SIZE,
    workers: int = 0,
    progress: ProgressCallback | None = None,
    build_index: bool = False,
    limits: ZipLimits | None = None,
    parallel_min_bytes: int = PARALLEL_MIN_BYTES,
) -> IngestSummary:
    """Ingest every input below ``paths``; see the module docstring for the guarantees.

    XML inputs of at least ``parallel_min_bytes`` are parsed by ``workers`` processes (0: none).
    A run that stores or replaces a publication raises the data's generation (``store.freshness``), so
    that the enrichment and labels say they are older than the data. ``build_index``: rebuild the
    full-text index at the end unless it is current.
    """
    summary = IngestSummary()
    parser = ParallelParser(workers, parallel_min_bytes) if workers >= 1 else None
    with store.bulk_load():
        try:
            _ingest_all(store, paths, batch_size, parser, progress, limits or ZipLimits(), summary)
        finally:
            if parser:
                parser.close()  # before the store's last checkpoint: the workers' memory is freed first
    if build_index and store.search_coverage().state != "fresh":
        store.build_search_index()
    return summary


def _ingest_all(
    store: Store,
    paths: Iterable[str | os.PathLike],
    batch_size: int,
    parser: ParallelParser | None,
    progress: ProgressCallback | None,
    limits: ZipLimits,
    summary: IngestSummary,
) -> None:
    for item in iter_inputs(list(paths), limits):
        label = f"{item.file}!{item.member}" if item.member else item.file
        if item.error:
            _refuse(store, item, summary)
            continue
        try:
            reader = detect_input(item)
            if parser is not None and _parsed_in_parallel(reader, item, parser):
                parser.start()  # the workers start up while the input is hashed
            digest = input_hash(item)  # reads every byte: a corrupt or lying member shows here
        except UNREADABLE as exc:
            item.error = unreadable(exc)
            _refuse(store, item, summary)
            continue
        status = store.input_status(digest)
        if status and status["status"] in ("done", "unrecognised"):
            summary.count_input("already-ingested")
            continue
        if reader is None:
            with store.transaction():
                store.log_input(
                    digest,
                    item.file,
                    item.member,
                    item.size,
                    None,
                    "unrecognised",
                    message="no reader recognises this content",
                )
            summary.unrecognised.append(label)
            summary.count_input("unrecognised")
            continue
        _ingest_input(store, item, reader, digest, status, batch_size, parser, progress, summary, label)
        summary.count_input("ingested")


def _ingest_input(
    store: Store,
    item: Input,
    reader: Reader,
    digest: str,
    status: dict | None,
    batch_size: int,
    parser: ParallelParser | None,
    progress: ProgressCallback | None,
    summary: IngestSummary,
    label: str,
) -> None:
    counts = summary.by_format.setdefault(reader.name, BatchCounts())
    done = int(status["items_done"]) if status else 0
    total = _counts_from_log(status)
    records = _records(item, reader, parser)
    if done:
        records = islice(records, done, None)  # committed by an earlier, interrupted run
    with store.transaction():
        store.log_input(digest, item.file, item.member, item.size, reader.name, "running", total, done)
    for batch in _batches(records, batch_size, BATCH_BYTES):
        written = _write_batch(store, item, reader, digest, batch, total, done, summary)
        done += len(batch)
        total.add(written)
        counts.add(written)
        if progress:
            progress(label, _position(batch[-1], item.size), item.size)
    with store.transaction():
        store.log_input(digest, item.file, item.member, item.size, reader.name, "done", total, done)
    if progress:
        progress(label, item.size, item.size)


def _write_batch(
    store: Store,
    item: Input,
    reader: Reader,
    digest: str,
    batch: list[Ready],
    total: BatchCounts,
    done: int,
    summary: IngestSummary,
) -> BatchCounts:
    """One batch and the input's progress after it, in one transaction. A batch that does not fit the store's
    memory cap is rolled back and written again under a raised cap (``Store.raise_memory_cap``)."""
    while True:
        raised = None
        try:
            with store.transaction():
                written = store.write_batch(batch, digest, reader.precedence)
                if summary.generation is None and (written.stored or written.replaced):
                    raised = bump_generation(store)  # durable with the batch that changed the data
                after = BatchCounts()
                after.add(total)
                after.add(written)
                progress = (reader.name, "running", after, done + len(batch))
                store.log_input(digest, item.file, item.member, item.size, *progress)
        except MemoryCapExceeded:
            if not store.raise_memory_cap():
                raise
            continue
        summary.generation = raised or summary.generation
        return written


def _batches(records: Iterator[Ready], max_items: int, max_bytes: int) -> Iterator[list[Ready]]:
    """Batches of at most ``max_items`` records and about ``max_bytes`` of text: memory stays bounded."""
    batch: list[Ready] = []
    size = 0
    for record in records:
        batch.append(record)
        if isinstance(record, Prepared):
            size += record.text_size
        if len(batch) >= max_items or size >= max_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _parsed_in_parallel(reader: Reader | None, item: Input, parser: ParallelParser) -> TypeGuard[XmlReader]:
    return isinstance(reader, XmlReader) and item.size >= parser.min_bytes


def _records(item: Input, reader: Reader, parser: ParallelParser | None) -> Iterator[Ready]:
    if parser is not None and _parsed_in_parallel(reader, item, parser):
        return _parallel_read(item, reader, parser)
    return (ready(record, reader.precedence) for record in read_input(item, reader))


def _parallel_read(item: Input, reader: XmlReader, parser: ParallelParser) -> Iterator[Ready]:
    origin = Origin(item.file, item.member)
    try:
        with item.open() as stream:
            spans = reader.spans(stream) if item.path is not None else None
            if spans is not None:
                yield from parser.parse_file(reader, origin, str(item.path), spans)
            else:
                yield from parser.parse(reader, origin, reader.chunks(stream))
    except Exception as exc:
        ref = SourceRef(file=item.file, member=item.member, reader=reader.name, reader_version=reader.version)
        yield Rejected(source=ref, reason=f"reading stopped: {type(exc).__name__}: {exc}")


def _position(record: Ready, size: int) -> int:
    offset = record.source.offset
    return min(offset, size) if offset is not None else size


def _counts_from_log(status: dict | None) -> BatchCounts:
    if not status:
        return BatchCounts()
    return BatchCounts(
        *(int(status[k] or 0) for k in ("read", "stored", "replaced", "unchanged", "rejected", "attached"))
    )


def _refuse(store: Store, item: Input, summary: IngestSummary) -> None:
    """An input refused before reading (zip bomb, broken archive): quarantined with its reason."""
    assert item.error is not None
    digest = hashlib.sha256(f"{item.file}!{item.member}!{item.size}".encode()).hexdigest()
    ref = SourceRef(file=item.file, member=item.member, reader="containers", reader_version="1")
    with store.transaction():
        store.write_batch([Rejected(source=ref, reason=item.error)], digest, 0)
        store.log_input(digest, item.file, item.member, item.size, None, "refused", message=item.error)
    label = f"{item.file}!{item.member}" if item.member else item.file
    summary.refused.append(f"{label}: {item.error}")
    summary.count_input("refused")
    summary.by_format.setdefault("containers", BatchCounts()).rejected += 1
