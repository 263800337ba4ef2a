"""The query text cut into tokens, each with its offset (for error positions)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from patscape.search.syntax import SearchSyntaxError

# token kinds
WORD = "word"
STRING = "string"
LPAREN = "("
RPAREN = ")"
REL = "relation"
PROX = "proximity"
END = "end"

_RELATIONS = ("<=", ">=", "==", "=", "<", ">", ":")
_BREAK = frozenset(' \t\r\n()"=<>:')
# Espacenet's prox/distance<3, prox/distance<=3, prox/ordered, in any order; Lens/Orbit's NEAR/3
_PROX = re.compile(
    r"prox(?:/(?:distance\s*(?:<=|<|=)\s*\d+|ordered|unordered|unit\s*=\s*word))+(?=[\s()\"]|$)",
    re.IGNORECASE,
)
_NEAR = re.compile(r"near/\d+(?=[\s()\"]|$)", re.IGNORECASE)
# control characters (but tab and line breaks), lone surrogates, non-characters, bidirectional overrides
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Tok]:
    if bad := _FORBIDDEN.search(text):
        raise SearchSyntaxError(f"unexpected character U+{ord(bad.group()):04X}", text, bad.start())
    out: list[Tok] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in "()":
            out.append(Tok(c, c, i, i + 1))
            i += 1
        elif c == '"':
            i = _string(text, i, out)
        elif c in "=<>:":
            rel = next(r for r in _RELATIONS if text.startswith(r, i))
            out.append(Tok(REL, "=" if rel == "==" else rel, i, i + len(rel)))
            i += len(rel)
        elif m := (_PROX.match(text, i) or _NEAR.match(text, i)):
            out.append(Tok(PROX, m.group(), i, m.end()))
            i = m.end()
        else:
            start = i
            while i < n and text[i] not in _BREAK and not text[i].isspace():
                i += 1
            out.append(Tok(WORD, text[start:i], start, i))
    out.append(Tok(END, "", n, n))
    return out


def _string(text: str, start: int, out: list[Tok]) -> int:
    """A double-quoted string; ``\\"`` and ``\\\\`` escape a quote and a backslash."""
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            chars.append(text[i + 1])
            i += 2
            continue
        if c == '"':
            out.append(Tok(STRING, "".join(chars), start, i + 1))
            return i + 1
        chars.append(c)
        i += 1
    raise SearchSyntaxError("missing closing '\"'", text, len(text), ("'\"'",))
