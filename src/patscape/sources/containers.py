"""Expanding the paths given to ``ingest`` (files, folders, zip archives) into readable inputs.

Zip archives are untrusted: a member whose compression ratio or size is out of bounds, or an archive
whose total expanded size is, is refused ("zip bomb"); the sizes are enforced while reading, since a
hostile archive can lie about them in its headers. An encrypted member, and an archive nested deeper than
the limit, are refused before reading; a member that cannot be read (corrupt data, a bad CRC) is refused
when it is read (see :data:`UNREADABLE`). A refused input is quarantined with its reason and the ingest
goes on with the next one.
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from patscape.sources.base import Opener


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_ratio: float = 200.0  # uncompressed / compressed, per member
    max_member_bytes: int = 8 * 1024**3
    max_total_bytes: int = 32 * 1024**3
    max_members: int = 100_000
    max_depth: int = 2  # zips inside zips (PATENTSCOPE lists inside weekly zips)


class ZipBomb(ValueError):
    """An archive refused because of its expansion."""


# What reading a damaged archive member raises: corrupt compressed data (zlib.error), a bad CRC or a broken
# archive (BadZipFile), encryption or an unknown compression method (RuntimeError, NotImplementedError), data
# that end too soon (EOFError), more data than the header says (ZipBomb), and the system's read errors.
UNREADABLE = (zipfile.BadZipFile, zlib.error, RuntimeError, EOFError, ZipBomb, OSError)


def unreadable(exc: BaseException) -> str:
    """The quarantine reason of an input that could not be read."""
    if isinstance(exc, ZipBomb):
        return f"zip bomb refused: {exc}"
    if isinstance(exc, zlib.error):
        return f"corrupt compressed data: {exc}"
    if isinstance(exc, zipfile.BadZipFile):
        return f"damaged archive member (its data do not match its header): {exc}"
    return f"unreadable: {type(exc).__name__}: {exc}"


@dataclass(slots=True)
class Input:
    """One readable input: a plain file, or a member of a (possibly nested) zip archive."""

    file: str
    member: str | None
    size: int
    open: Opener
    error: str | None = None  # set when the input is refused before reading
    path: Path | None = field(default=None)


class _Bounded(io.RawIOBase):
    """A stream that refuses to yield more than ``limit`` bytes."""

    def __init__(self, raw: BinaryIO, limit: int, what: str) -> None:
        self._raw, self._left, self._limit, self._what = raw, limit, limit, what

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        data = self._raw.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise ZipBomb(f"{self._what} expands beyond its limit (its header says {self._limit:,} bytes)")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def is_zip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def iter_inputs(paths: list[str | os.PathLike], limits: ZipLimits | None = None) -> Iterator[Input]:
    """Every input below the given paths, folders walked in name order."""
    limits = limits or ZipLimits()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for sub in sorted(q for q in path.rglob("*") if q.is_file()):
                yield from _file_inputs(sub, limits)
        elif path.is_file():
            yield from _file_inputs(path, limits)
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")


def _opener(path: Path) -> Opener:
    """A function opening the file anew each time (the caller closes the stream)."""
    return lambda: open(path, "rb")


def _file_inputs(path: Path, limits: ZipLimits) -> Iterator[Input]:
    if is_zip(path):
        yield from _zip_inputs(str(path), "", _opener(path), limits, depth=1)
    else:
        yield Input(str(path), None, path.stat().st_size, _opener(path), path=path)


def _zip_inputs(file: str, prefix: str, opener: Opener, limits: ZipLimits, depth: int) -> Iterator[Input]:
    try:
        archive = zipfile.ZipFile(opener())
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except zipfile.BadZipFile as exc:
        yield Input(file, prefix or None, 0, opener, error=f"bad zip archive: {exc}")
        return
    if len(infos) > limits.max_members:
        yield Input(file, prefix or None, 0, opener, error=f"zip bomb refused: {len(infos)} members")
        return
    total = sum(i.file_size for i in infos)
    if total > limits.max_total_bytes:
        yield Input(
            file,
            prefix or None,
            total,
            opener,
            error=f"zip bomb refused: expands to {total:,} bytes (limit {limits.max_total_bytes:,})",
        )
        return
    for info in sorted(infos, key=lambda i: i.filename):
        member = prefix + info.filename
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_ratio or info.file_size > limits.max_member_bytes:
            yield Input(
                file,
                member,
                info.file_size,
                opener,
                error=f"zip bomb refused: member expands {ratio:,.0f}:1 to {info.file_size:,} bytes",
            )
            continue

        if info.flag_bits & 0x1:
            yield Input(file, member, info.file_size, opener, error="encrypted member refused (no password)")
            continue

        def open_member(info: zipfile.ZipInfo = info, member: str = member) -> BinaryIO:
            stream = zipfile.ZipFile(opener()).open(info)  # noqa: SIM115 - closed by the caller
            return io.BufferedReader(_Bounded(stream, info.file_size, f"zip member {member}"))

        if not info.filename.lower().endswith(".zip"):
            yield Input(file, member, info.file_size, open_member)
        elif depth >= limits.max_depth:
            error = f"zip archive nested deeper than {limits.max_depth} levels refused"
            yield Input(file, member, info.file_size, open_member, error=error)
        else:
            try:
                with open_member() as stream:
                    data = stream.read()
            except UNREADABLE as exc:
                yield Input(file, member, info.file_size, open_member, error=unreadable(exc))
                continue
            yield from _zip_inputs(file, member + "!", lambda data=data: io.BytesIO(data), limits, depth + 1)
