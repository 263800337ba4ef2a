"""Words as the search language sees them: one normalisation for the index, the query and the snippets.

- Case- and accent-insensitive: NFKC (full-width letters and ligatures become plain ones), case folding
  (``Straße`` = ``strasse``), accents removed (``café`` = ``cafe``), and the few Latin letters that carry no
  separable accent mapped by hand (``ø`` = ``o``, ``æ`` = ``ae``).
- Alphabetic scripts match on words: a word is a run of letters and digits; everything else separates
  (``GAN-based`` is the two words ``gan based``).
- Chinese and Japanese, written without spaces, match on characters: each ideograph or kana is a word of its
  own, so that a term is a run of contiguous characters (``生成对抗网络`` is the phrase 生 成 对 抗 网 络).
  Korean is written with spaces and is matched by words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Han ideographs (with the extensions and compatibility blocks), kana, and 々〆〇.
CJK_CHARS = (
    "\u3005-\u3007\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002fa1f"
)
# combining accents belong to the word they are in (casefold turns İ into i and a combining dot)
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_TOKEN = re.compile(rf"[{CJK_CHARS}]|(?:[^\W_{CJK_CHARS}]|[{_MARKS}])+")
_ASCII_TOKEN = re.compile(r"[a-z0-9]+")
# in a query, the wildcards belong to the word they truncate
WILDCARDS = "*?#"
_QUERY_TOKEN = re.compile(rf"[{CJK_CHARS}][*?#]*|(?:[^\W_{CJK_CHARS}]|[{_MARKS}*?#])+")
# kana voicing marks are combining marks too, but they make another letter (か/が): kept
_KEPT_MARKS = frozenset("\u3099\u309a")
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


@lru_cache(maxsize=65536)
def _plain(word: str) -> str:
    """A folded word without its accents (``café`` -> ``cafe``, ``ærø`` -> ``aero``)."""
    decomposed = unicodedata.normalize("NFD", word)
    stripped = "".join(c for c in decomposed if c in _KEPT_MARKS or unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", stripped).translate(_LETTERS)


def _words(pattern: re.Pattern[str], text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return [w if w.isascii() else _plain(w) for w in pattern.findall(folded)]


def tokens(text: str | None) -> list[str]:
    """The words of a text, normalised, in order (a word's index is its position)."""
    if not text:
        return []
    if text.isascii():
        return _ASCII_TOKEN.findall(text.lower())
    return _words(_TOKEN, text)


def query_tokens(word: str) -> list[str]:
    """The words of one query word, normalised, keeping its wildcards (``Neur*`` -> ``neur*``)."""
    return _words(_QUERY_TOKEN, word)


def is_cjk(token: str) -> bool:
    return bool(token) and bool(re.match(f"[{CJK_CHARS}]", token))


def spans(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, normalised word) for each word of ``text``, with offsets into the original text.

    For snippets: each raw word is normalised on its own, which agrees with :func:`tokens` but for
    compatibility characters spanning a word boundary (rare; a snippet may then miss a highlight).
    """
    for m in _TOKEN.finditer(text):
        for token in tokens(m.group()) or ():
            yield m.start(), m.end(), token
