"""A few lines of a hit's text around the words it was found by, with those words marked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from patscape.search.syntax import Pattern, Token
from patscape.search.text import spans

KIND_ORDER = ("abstract", "claims", "title", "description")
BEFORE, AFTER = 12, 28  # words around the first match
SCANNED_CHARS = 50_000  # of a long text (a description): the start is enough to show a match


@dataclass(frozen=True)
class Snippet:
    kind: str
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # offsets into text

    def marked(self, left: str = "[", right: str = "]") -> str:
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.text[last:start], left, self.text[start:end], right]
            last = end
        out.append(self.text[last:])
        return "".join(out)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "highlights": [list(h) for h in self.highlights]}


@cache
def _regex(pattern: Pattern) -> re.Pattern[str]:
    return re.compile(pattern.regex)


def _matches(word: str, wanted: Sequence[Token]) -> bool:
    for token in wanted:
        if isinstance(token, str):
            if token == word:
                return True
        elif word.startswith(token.prefix) and _regex(token).match(word):
            return True
    return False


def snippet(texts: Sequence[tuple[str, str]], wanted: Sequence[Token]) -> Snippet | None:
    """The best (kind, text) for showing the ``wanted`` words: the most matches, abstract first."""
    best: tuple[int, int, str, str, list[tuple[int, int, bool]]] | None = None
    ordered = sorted(
        texts, key=lambda kt: KIND_ORDER.index(kt[0]) if kt[0] in KIND_ORDER else len(KIND_ORDER)
    )
    for kind, text in ordered:
        if not text or (best is not None and (best[0] or not wanted)):
            continue  # a match in an earlier kind (or nothing wanted): the rest is not read
        text = text[: SCANNED_CHARS if wanted else 2_000]
        words = [(s, e, _matches(w, wanted)) for s, e, w in spans(text)]
        if not words:
            continue
        hits = sum(1 for *_, hit in words if hit)
        rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
        if best is None or (hits, -rank) > (best[0], -best[1]):
            best = (hits, rank, kind, text, words)
    if best is None:
        return None
    _, _, kind, text, words = best
    first = next((i for i, (*_, hit) in enumerate(words) if hit), 0)
    lo = max(0, first - BEFORE)
    hi = min(len(words), first + AFTER)
    start, end = words[lo][0], words[hi - 1][1]
    prefix = "… " if lo > 0 else ""
    suffix = " …" if hi < len(words) else ""
    body = " ".join(text[start:end].split())  # line breaks and runs of spaces as one space
    shown = prefix + body + suffix
    marks = []
    # offsets shift where whitespace was squeezed: find each marked word again, left to right
    cursor = len(prefix)
    for s, e, hit in words[lo:hi]:
        word = text[s:e]
        at = shown.find(word, cursor)
        if at < 0:
            continue
        cursor = at + len(word)
        if hit:
            marks.append((at, at + len(word)))
    return Snippet(kind, shown, _merge(marks))


def _merge(marks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in marks:
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out
