"""Choosing the reader of a file from its content, never from its name."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from patscape.record import Rejected, SourceRef
from patscape.sources.base import Item, Origin, Reader, describe_error
from patscape.sources.containers import Input
from patscape.sources.registry import all_readers

HEAD_BYTES = 64 * 1024


@cache
def readers() -> tuple[Reader, ...]:
    return tuple(all_readers())


def detect(head: bytes) -> Reader | None:
    """The reader for a file whose first bytes are ``head``, or None when no reader knows it."""
    for reader in readers():
        if reader.sniff(head):
            return reader
    return None


def detect_input(item: Input) -> Reader | None:
    with item.open() as stream:
        head = stream.read(HEAD_BYTES)
    return detect(head)


def read_input(item: Input, reader: Reader) -> Iterator[Item]:
    """All records of one input; a failure that stops the reader is quarantined, never raised."""
    origin = Origin(item.file, item.member)
    count = 0
    try:
        with item.open() as stream:
            for record in reader.read(stream, origin):
                count += 1
                yield record
    except Exception as exc:
        ref = SourceRef(
            file=item.file,
            member=item.member,
            reader=reader.name,
            reader_version=reader.version,
            index=count,
        )
        yield Rejected(source=ref, reason=f"reading stopped: {describe_error(exc)}")
