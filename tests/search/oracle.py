"""The tests' own reading of the search language's rules, in plain Python over Publication records, written
apart from patscape.search (no parser, no tokenizer, no SQL): what a query should find.

Words: case-folded, accents removed, split on anything but letters and digits; each Han or kana character a
word of its own. A phrase is words at consecutive positions of one text; proximity counts the gap from the
end of one to the start of the other (1 for neighbours).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from patscape.record import Publication

Word = Callable[[str], bool]  # a predicate on one normalised word


def _is_cjk(ch: str) -> bool:
    name = unicodedata.name(ch, "")
    return (
        name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "HIRAGANA", "KATAKANA"))
        or ch in "々〆〇"
    )


_EXTRA = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}


@cache
def _words(text: str) -> tuple[str, ...]:
    return tuple(_split(text))


def words(text: str | None) -> list[str]:
    return list(_words(text)) if text else []


def _split(text: str) -> list[str]:
    if text.isascii():
        return re.findall("[a-z0-9]+", text.lower())
    text = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append("".join(current))
            current.clear()

    for ch in text:
        if _is_cjk(ch):
            flush()
            out.append(ch)
            continue
        if ch.isalnum():
            base = unicodedata.normalize("NFKD", ch)
            current.append("".join(c for c in base if not unicodedata.combining(c)) or ch)
            continue
        if unicodedata.combining(ch):
            continue  # a loose accent belongs to the letter before it
        flush()
    flush()
    return [unicodedata.normalize("NFC", "".join(_EXTRA.get(c, c) for c in w)) for w in out]


def w(word: str) -> Word:
    return lambda x: x == word


def prefix(start: str) -> Word:
    return lambda x: x.startswith(start)


def rx(pattern: str) -> Word:
    compiled = re.compile(pattern)
    return lambda x: compiled.fullmatch(x) is not None


FIELDS = {
    "ti": ("title",),
    "ab": ("abstract",),
    "cl": ("claims",),
    "desc": ("description",),
    "ta": ("title", "abstract"),
    "txt": ("title", "abstract", "claims"),
}


def texts(rec: Publication, field: str) -> list[tuple[str, ...]]:
    kinds = FIELDS[field]
    return [_words(t.text) for t in rec.texts if t.kind in kinds and t.text]


def _starts(seq: Sequence[str], parts: list[Word]) -> list[int]:
    k = len(parts)
    return [i for i in range(len(seq) - k + 1) if all(p(seq[i + j]) for j, p in enumerate(parts))]


def phrase(rec: Publication, field: str, *parts: Word | str) -> bool:
    wanted = [w(p) if isinstance(p, str) else p for p in parts]
    return any(_starts(seq, wanted) for seq in texts(rec, field))


def chars(rec: Publication, field: str, run: str) -> bool:
    """Contiguous Chinese or Japanese characters."""
    return phrase(rec, field, *run)


@dataclass(frozen=True)
class Side:
    parts: tuple[Word, ...]

    def spans(self, seq: Sequence[str]) -> list[tuple[int, int]]:
        k = len(self.parts)
        return [(i, i + k - 1) for i in _starts(seq, list(self.parts))]


def side(*parts: Word | str) -> Side:
    return Side(tuple(w(p) if isinstance(p, str) else p for p in parts))


def near(rec: Publication, field: str, a: Side, b: Side, gap: int, ordered: bool = False) -> bool:
    for seq in texts(rec, field):
        for s1, e1 in a.spans(seq):
            for s2, e2 in b.spans(seq):
                if 1 <= s2 - e1 <= gap or (not ordered and 1 <= s1 - e2 <= gap):
                    return True
    return False


def owners(rec: Publication) -> list[str]:
    return [p.name for p in rec.parties if p.role in ("applicant", "assignee") and p.name]


def inventors(rec: Publication) -> list[str]:
    return [p.name for p in rec.parties if p.role == "inventor" and p.name]


def name_has(names: Iterable[str], *parts: Word | str) -> bool:
    wanted = [w(p) if isinstance(p, str) else p for p in parts]
    return any(_starts(words(n), wanted) for n in names)


def codes(rec: Publication, scheme: str) -> list[str]:
    return [c.code for c in rec.classes if c.scheme == scheme]


def earliest_priority(rec: Publication) -> str | None:
    dates = [p.date for p in rec.priorities if p.date]
    return min(dates) if dates else rec.application.date


def digits(number: str | None) -> str:
    return re.sub(r"[^0-9A-Z]", "", (number or "").upper()).lstrip("0")
