"""Classification symbols as office XML writes them: ST.8 flags, position and value, JPO FI symbols."""

from __future__ import annotations

import re
from typing import Literal

from patscape.normalise import normalise_class, normalise_space
from patscape.record import Classification

Scheme = Literal["CPC", "IPC", "FI", "FTERM"]
Symbol = tuple[str, bool | None, bool | None]  # code, first, inventive

_FLAGS_RE = re.compile(r"\d{8}\s*[A-Z]?\s*([FL])\s*([INA])")  # 20060101AFI20210219BHJP
_EDITION_RE = re.compile(r"^\d(?=[A-HY]\d\d[A-Z])")  # 7G06F 17/30: the IPC edition before the symbol
_FI_RE = re.compile(r"^([A-HY]\d\d[A-Z]\s*\d+/\d+)\s*(.*)$")


def inventive(value: str | None) -> bool | None:
    """ST.8 classification value: I(nventive) -> True, N / A(dditional) -> False, else None."""
    if value == "I":
        return True
    if value in ("N", "A"):
        return False
    return None


def symbol_from_text(text: str, main: bool | None = None) -> Symbol | None:
    """``H01L  21/301  20060101AFI20210219BHJP``, ``A24B 15/18 (2006.01)`` -> code and its flags."""
    s = _EDITION_RE.sub("", text.strip())
    if not s:
        return None
    flags = _FLAGS_RE.search(s)
    if flags:
        return normalise_class(s), flags.group(1) == "F", inventive(flags.group(2))
    return normalise_class(s), main, None


def flagged(scheme: Scheme, symbols: list[Symbol | None]) -> list[Classification]:
    """Classifications in the order given; the first one is the main one unless a flag says which."""
    found = [s for s in symbols if s]
    any_first = any(first for _, first, _ in found)
    return [
        Classification(
            scheme=scheme,
            code=code,
            sequence=i + 1,
            first=bool(first) if any_first else i == 0,
            inventive=value,
        )
        for i, (code, first, value) in enumerate(found)
    ]


def fi_code(text: str) -> str | None:
    """A JPO File Index symbol: its IPC-like part normalised, the subdivision kept (``H01L21/78 M``)."""
    s = normalise_space(text)
    m = _FI_RE.match(s or "")
    if not m:
        return s
    main, rest = normalise_class(m.group(1)), m.group(2).strip()
    return f"{main} {rest}" if rest else main
