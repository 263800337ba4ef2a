"""Reading the CNIPA, JPO and WIPO example documents (cn_jp_st36_st96_examples) in tests."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from patscape.record import Publication, Rejected
from patscape.sources.base import Item, Origin, Reader

EXAMPLES = "cn_jp_st36_st96_examples"
HEAD_BYTES = 64 * 1024


def read_all(reader: Reader, path: Path) -> list[Item]:
    with path.open("rb") as stream:
        return list(reader.read(stream, Origin(str(path))))


def read_one(reader: Reader, path: Path) -> Publication:
    """The one publication of a file, which must read without a rejection."""
    items = read_all(reader, path)
    assert not [i for i in items if isinstance(i, Rejected)], items
    publications = [i for i in items if isinstance(i, Publication)]
    assert len(publications) == 1, items
    return publications[0]


def head(path: Path) -> bytes:
    with path.open("rb") as stream:
        return stream.read(HEAD_BYTES)


def raw_text(path: Path) -> str:
    """The file as text with character references resolved, to find names exactly as written."""
    return html.unescape(path.read_bytes().decode("utf-8-sig"))


def cached_reader(reader: Reader, folder: Path) -> Callable[[str], Publication]:
    """A function reading each example file once (tests look at the same records many times)."""
    cache: dict[str, Publication] = {}

    def get(name: str) -> Publication:
        if name not in cache:
            cache[name] = read_one(reader, folder / name)
        return cache[name]

    return get
