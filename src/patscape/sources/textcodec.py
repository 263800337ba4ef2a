"""Decoding text whose bytes are not all UTF-8: each odd byte is read in the legacy Windows code page.

Exports and office files are UTF-8, but a row or a name pasted from an older system sometimes carries a byte
of windows-1252 (``\\xe9`` for é). Such a byte is decoded the legacy way (windows-1252, whose five unassigned
bytes fall back to latin-1) and reported, rather than failing the file or garbling the rest of it.
"""

from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass

LEGACY = "cp1252"
_RECORDING_ERRORS = "patscape-legacy-recorded"  # an error handler for bytes.decode


def _legacy_char(byte: int) -> str:
    try:
        return bytes([byte]).decode(LEGACY)
    except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D are unassigned in windows-1252
        return chr(byte)


_LEGACY_TABLE = [_legacy_char(b) for b in range(256)]


def legacy_text(data: bytes) -> str:
    """Bytes read in the legacy code page, every byte a character."""
    return "".join(_LEGACY_TABLE[b] for b in data)


@dataclass(frozen=True, slots=True)
class OddBytes:
    """Bytes that were not UTF-8, where they were, and what they were read as."""

    offset: int
    data: bytes
    text: str

    def describe(self) -> str:
        shown = " ".join(f"0x{b:02X}" for b in self.data)
        return f"bytes {shown} are not UTF-8: read as windows-1252 {self.text!r}"


_found = threading.local()


def _recording_errors(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    odd = err.object[err.start : err.end]
    _found.odd.append(OddBytes(err.start, odd, legacy_text(odd)))
    return legacy_text(odd), err.end


codecs.register_error(_RECORDING_ERRORS, _recording_errors)


def decode_utf8(data: bytes) -> tuple[str, list[OddBytes]]:
    """UTF-8 text, with the bytes that are not UTF-8 read in the legacy code page and listed (one pass)."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    _found.odd = []
    try:
        return data.decode("utf-8", _RECORDING_ERRORS), _found.odd
    finally:
        _found.odd = []
