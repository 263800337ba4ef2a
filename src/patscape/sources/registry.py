"""Every reader patscape has, in the order detection tries them (most specific first)."""

from __future__ import annotations

from patscape.sources.base import Reader


def all_readers() -> list[Reader]:
    # Imported here so that importing one reader does not import them all.
    readers: list[Reader] = []
    # -- USPTO ------------------------------------------------------------------------------
    # (readers are appended below as they are written; keep one line per reader)
    from patscape.sources.uspto_aps import UsptoApsReader
    readers.append(UsptoApsReader())
    from patscape.sources.uspto_patdoc import PatdocReader
    readers.append(PatdocReader())
    from patscape.sources.uspto_pap import PapReader
    readers.append(PapReader())
    return readers
