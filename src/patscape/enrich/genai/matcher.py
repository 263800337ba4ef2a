"""Finding the terms of many named lists in a document's fields and codes, in one pass a field.

Matching works on words, not regular expressions, so that one pass over a field finds the hits of every
group and every taxonomy tag at once: the field is split into lower-cased words, and each word is looked up in
a table of the terms that start with it (exact words, and ``*`` prefixes by their prefix). Text with Chinese,
Japanese or Korean characters is searched for the CJK terms as plain substrings. Every hit keeps the field and
the character offset where it was found: that is the evidence stored with each label. The query
(``query.py``) gives the lists: its groups, CPC patterns and taxonomy tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate, compress, count, repeat
from typing import Any, NamedTuple

from patscape.enrich.genai.document import FIELDS, Document

_WORD = re.compile(r"[^\W_]+")
_WORD_PARTS = re.compile(r"([^\W_]+)")  # split keeps the words: separators and words alternate
_ASCII_WORD_PARTS = re.compile(r"([a-z0-9]+)", re.ASCII)  # the same in lower-cased ASCII, found faster
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class Hit(NamedTuple):
    """One match: the group or tag (``gan``, ``model:GAN``, ``cpc:strong``), where, and what matched.
    (A named tuple: a batch makes hundreds of thousands, and a tuple is made several times faster than a
    frozen dataclass.)"""

    name: str
    field: str  # title / abstract / claims / cpc
    start: int  # character offset in the field; -1 for a code
    text: str  # the words or the code matched
    term: str  # the query term or code pattern that matched

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


@dataclass(frozen=True, slots=True)
class _Term:
    words: tuple[tuple[str, bool], ...]  # (word, is_prefix)
    names: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class _Starts:
    """The terms that start with one word, each as (words, the words after the first, the names it gives a
    hit to, the names of near groups' sides it marks, the term as written)."""

    terms: tuple[tuple[int, tuple[tuple[str, bool], ...], tuple[str, ...], tuple[str, ...], str], ...]
    repeats: bool  # a name given by two of the terms: the same words must not give two hits
    alone: bool  # a term of this one word
    second_words: frozenset[str]  # the next word, as the longer terms spell it ...
    second_prefixes: tuple[str, ...]  # ... or begin it: a next word that is neither matches none of them


@dataclass(frozen=True, slots=True)
class _Near:
    name: str
    within: int


def _term_variants(term: str) -> list[tuple[tuple[str, bool], ...]]:
    """``auto encod*`` -> [(auto, encod*), (autoencod*,)]: a space also matches a hyphen or nothing."""
    words = [w for w in re.split(r"[\s\-]+", term.strip().lower()) if w]
    parsed: list[tuple[str, bool]] = []
    for w in words:
        prefix = w.endswith("*")
        core = "".join(_WORD.findall(w.rstrip("*")))
        if core:
            parsed.append((core, prefix))
    if not parsed:
        return []
    variants = [tuple(parsed)]
    if len(parsed) > 1 and not any(pre for _, pre in parsed[:-1]):
        variants.append((("".join(w for w, _ in parsed), parsed[-1][1]),))
    return variants


class Matcher:
    """Finds the hits of many named term lists (and CPC patterns) in one pass per field."""

    def __init__(
        self,
        terms: dict[str, list[str]],
        near: dict[str, tuple[list[str], list[str], int]] | None = None,
        codes: dict[str, list[str]] | None = None,
    ) -> None:
        by_variant: dict[tuple[tuple[str, bool], ...], tuple[list[str], str]] = {}
        self._cjk: dict[str, list[str]] = {}
        named: list[tuple[str, str]] = [(name, t) for name, ts in terms.items() for t in ts]
        self._near: list[_Near] = []
        for name, (left, right, within) in (near or {}).items():
            named += [(f"{name}#L", t) for t in left] + [(f"{name}#R", t) for t in right]
            self._near.append(_Near(name, within))
        for name, t in named:
            if _CJK.search(t):
                self._cjk.setdefault(t.lower(), []).append(name)
                continue
            for v in _term_variants(t):
                names, _ = by_variant.setdefault(v, ([], t))
                if name not in names:
                    names.append(name)
        self._exact: dict[str, list[_Term]] = {}
        self._prefix: dict[str, list[_Term]] = {}
        self._prefix_lengths: set[int] = set()
        for words, (names, source) in by_variant.items():
            term = _Term(words, tuple(names), source)
            first, is_prefix = words[0]
            if is_prefix:
                self._prefix.setdefault(first, []).append(term)
                self._prefix_lengths.add(len(first))
            else:
                self._exact.setdefault(first, []).append(term)
        self._lengths = sorted(self._prefix_lengths)
        self._cache: dict[str, _Starts | tuple[()]] = {}
        self._code_cache: dict[str, tuple[Hit, ...]] = {}
        self._code_exact: dict[str, list[tuple[str, str]]] = {}
        self._code_group: dict[str, list[tuple[str, str]]] = {}
        self._code_prefix: list[tuple[str, str, str]] = []
        for name, patterns in (codes or {}).items():
            for p in patterns:
                p = p.strip().upper().replace(" ", "")
                if p.endswith("/*"):
                    self._code_group.setdefault(p[:-2], []).append((name, p))
                elif p.endswith("*"):
                    self._code_prefix.append((p[:-1], name, p))
                else:
                    self._code_exact.setdefault(p, []).append((name, p))

    # -- matching ---------------------------------------------------------------------------------
    def _starts(self, word: str) -> _Starts | tuple[()]:
        """The terms that start with ``word``, ready to match (``()`` when none; remembered)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        found = list(self._exact.get(word, ()))
        for n in self._lengths:
            if n > len(word):
                break
            found.extend(self._prefix.get(word[:n], ()))
        if len(self._cache) > 500_000:
            self._cache.clear()
        names = [name for term in found for name in term.names]
        result: _Starts | tuple[()] = ()
        if found:
            result = _Starts(
                tuple(
                    (
                        len(term.words),
                        term.words[1:],
                        tuple(n for n in term.names if "#" not in n),
                        tuple(n for n in term.names if "#" in n),
                        term.source,
                    )
                    for term in found
                ),
                len(set(names)) < len(names),
                any(len(term.words) == 1 for term in found),
                frozenset(t.words[1][0] for t in found if len(t.words) > 1 and not t.words[1][1]),
                tuple(sorted({t.words[1][0] for t in found if len(t.words) > 1 and t.words[1][1]})),
            )
        self._cache[word] = result
        return result

    def find_text(self, text: str, field_name: str, words_out: list[str] | None = None) -> list[Hit]:
        """The hits in one field; ``words_out``, when given, receives the field's lower-cased words (the runs
        of letters and digits), which the TF-IDF vocabularies can read instead of splitting the text again."""
        if not text:
            return []
        lowered = text.lower()
        # one split gives the words and, by the running sum of the parts' lengths, their offsets: part 2k+1 is
        # word k, so word k starts at bounds[2k] and ends at bounds[2k+1]
        if len(lowered) != len(text):  # a few characters change length when lower-cased: keep offsets right
            parts = _WORD_PARTS.split(text)
            words = [w.lower() for w in parts[1::2]]
        else:
            parts = (_ASCII_WORD_PARTS if lowered.isascii() else _WORD_PARTS).split(lowered)
            words = parts[1::2]
        if words_out is not None:
            words_out.extend(words)
        bounds = list(accumulate(map(len, parts)))
        hits: list[Hit] = []
        spans: dict[
            str, list[tuple[int, int, int, int]]
        ] = {}  # near side -> (first word, last word, start, end)
        n = len(words)
        cached = self._cache.get
        # only the words that start a term (or are not known yet) are looked at; the rest is skipped in C
        for i in compress(count(), map(cached, words, repeat(True))):
            starts = cached(words[i])
            if starts is None:
                starts = self._starts(words[i])
                if not starts:
                    continue
            if not starts.alone:  # only longer terms: most fail on the next word, checked once for all
                if i + 1 == n:
                    continue
                following = words[i + 1]
                if following not in starts.second_words and not (
                    starts.second_prefixes and following.startswith(starts.second_prefixes)
                ):
                    continue
            start = bounds[2 * i]
            seen: set[tuple[str, int]] = set()  # two terms of one name on the same words give one hit
            for k, rest, plain, near, source in starts.terms:
                if k > 1:
                    if i + k > n:
                        continue
                    ok = True
                    for j, (w, pre) in enumerate(rest, i + 1):
                        cand = words[j]
                        if not (cand.startswith(w) if pre else cand == w):
                            ok = False
                            break
                    if not ok:
                        continue
                end = bounds[2 * (i + k) - 1]
                if starts.repeats:
                    plain = tuple(name for name in plain if (name, end) not in seen)
                    near = tuple(name for name in near if (name, end) not in seen)
                    seen.update((name, end) for name in plain + near)
                for name in plain:
                    hits.append(Hit(name, field_name, start, text[start:end], source))
                for name in near:
                    spans.setdefault(name, []).append((i, i + k - 1, start, end))
        if self._cjk and not text.isascii() and _CJK.search(text):
            for term, names in self._cjk.items():
                pos = lowered.find(term)
                while pos >= 0:
                    for name in names:
                        if "#" in name:
                            spans.setdefault(name, []).append((-1, -1, pos, pos + len(term)))
                        else:
                            hits.append(Hit(name, field_name, pos, text[pos : pos + len(term)], term))
                    pos = lowered.find(term, pos + len(term))
        if spans:
            for near in self._near:
                left = spans.get(f"{near.name}#L")
                right = spans.get(f"{near.name}#R")
                if left and right:
                    hits.extend(_near_hits(near, left, right, text, field_name))
        return hits

    def find_codes(self, codes: Iterable[str]) -> list[Hit]:
        hits: list[Hit] = []
        for code in codes:
            found = self._code_cache.get(code)
            if found is None:
                pairs = list(self._code_exact.get(code, ()))
                pairs += self._code_group.get(code.split("/")[0], ())
                pairs += [(name, p) for prefix, name, p in self._code_prefix if code.startswith(prefix)]
                # hits are immutable: one tuple of them per code serves every document
                found = self._code_cache[code] = tuple(Hit(name, "cpc", -1, code, p) for name, p in pairs)
            hits.extend(found)
        return hits

    def find(
        self, doc: Document, fields: Iterable[str] = FIELDS, text_words: list[str] | None = None
    ) -> list[Hit]:
        """The hits in the fields and codes; ``text_words``, when given, receives the words of the title and
        the abstract (what ``doc.text`` holds), in that order."""
        hits: list[Hit] = []
        for f in fields:
            out = text_words if f in ("title", "abstract") else None
            hits.extend(self.find_text(doc.field(f), f, out))
        hits.extend(self.find_codes(doc.codes))
        return hits


def _near_hits(
    near: _Near,
    left: list[tuple[int, int, int, int]],
    right: list[tuple[int, int, int, int]],
    text: str,
    fld: str,
) -> list[Hit]:
    """Pairs of a left and a right word at most ``within`` words apart; one hit per left word."""
    hits: list[Hit] = []
    for li, lj, ls, le in left:
        for ri, rj, rs, re_ in right:
            if li < 0 or ri < 0:  # CJK substrings: near by characters (about two per word)
                close = abs(rs - le) <= 2 * near.within + 2 or abs(ls - re_) <= 2 * near.within + 2
            else:
                gap = ri - lj - 1 if ri > lj else li - rj - 1
                close = 0 <= gap <= near.within and (ri, rj) != (li, lj)
            if close:
                s, e = min(ls, rs), max(le, re_)
                hits.append(Hit(near.name, fld, s, text[s:e], "near"))
                break
    return hits
