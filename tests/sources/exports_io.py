"""Reading helpers shared by the export reader tests (not a test module)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from patscape.record import Publication, Rejected
from patscape.sources.base import Item, Origin, Reader


def read_path(reader: Reader, path: Path) -> list[Item]:
    """Every record of a file, as the ingest would read it (sniffed first, then streamed)."""
    with open(path, "rb") as f:
        assert reader.sniff(f.read(64 * 1024)), f"{reader.name} does not recognise {path}"
    with open(path, "rb") as f:
        return list(reader.read(f, Origin(str(path))))


def read_member(reader: Reader, archive: Path, member: str) -> list[Item]:
    """Every record of a zip member, given to the reader as the binary stream zipfile opens."""
    with zipfile.ZipFile(archive) as z:
        with z.open(member) as f:
            assert reader.sniff(f.read(64 * 1024)), f"{reader.name} does not recognise {archive}!{member}"
        with z.open(member) as f:
            return list(reader.read(f, Origin(str(archive), member)))


def publications(items: list[Item]) -> list[Publication]:
    return [i for i in items if isinstance(i, Publication)]


def rejected(items: list[Item]) -> list[Rejected]:
    return [i for i in items if isinstance(i, Rejected)]


def at_line(items: list[Item], line: int) -> Publication:
    """The publication read from the row that starts on ``line``."""
    found = [p for p in publications(items) if p.source.line == line]
    assert len(found) == 1, f"{len(found)} publications at line {line}"
    return found[0]


def codes(pub: Publication, scheme: str) -> list[str]:
    return [c.code for c in pub.classes if c.scheme == scheme]


def names(pub: Publication, role: str) -> list[str]:
    return [p.name for p in pub.parties_of(role)]  # type: ignore[arg-type]
