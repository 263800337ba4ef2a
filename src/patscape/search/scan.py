"""What the index misses, matched in Python: publications ingested or changed since the index was updated,
and names new since. The same words (``text.tokens``) and the same span rules as the SQL (``textsql``), so
that a search on a stale index answers as a fresh one would; their matches go into the SQL as parameters.
Reads only."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from patscape.search.compiler import Unindexed
from patscape.search.index import ALL_NAMES
from patscape.search.sqlparts import Sql, dialect, sql
from patscape.search.syntax import AnyOf, Near, Pattern, Phrase, Query, Span, TextMatch, Token
from patscape.search.text import tokens
from patscape.search.textsql import NAME, TEXT_FIELDS
from patscape.store.base import Store

MAX_SCANNED = 50_000  # publications; beyond, a search asks for `patscape index`


class IndexTooStale(RuntimeError):
    pass


Occurrence = tuple[int, int, int]  # part, first position, last position


@dataclass
class _Doc:
    parts: dict[int, list[str]]  # part -> words
    fields: dict[int, int]  # part -> field code


@cache
def _regex(pattern: Pattern) -> re.Pattern[str]:
    return re.compile(pattern.regex)


def _same(token: Token, word: str) -> bool:
    if isinstance(token, str):
        return token == word
    return word.startswith(token.prefix) and _regex(token).match(word) is not None


def occurrences(span: Span, doc: _Doc, codes: Iterable[int]) -> list[Occurrence]:
    allowed = set(codes)
    parts = [p for p, f in doc.fields.items() if f in allowed]
    return _occurrences(span, doc, parts)


def _occurrences(span: Span, doc: _Doc, parts: list[int]) -> list[Occurrence]:
    if isinstance(span, Phrase):
        out = []
        k = len(span.tokens)
        for part in parts:
            words = doc.parts[part]
            for i in range(len(words) - k + 1):
                if all(_same(t, words[i + j]) for j, t in enumerate(span.tokens)):
                    out.append((part, i, i + k - 1))
        return out
    if isinstance(span, AnyOf):
        return [o for item in span.items for o in _occurrences(item, doc, parts)]
    return _near(span, doc, parts)


def _near(span: Near, doc: _Doc, parts: list[int]) -> list[Occurrence]:
    left = _occurrences(span.left, doc, parts)
    right = _occurrences(span.right, doc, parts)
    out = []
    for lp, ls, le in left:
        for rp, rs, re_ in right:
            if lp != rp:
                continue
            if 1 <= rs - le <= span.distance or (not span.ordered and 1 <= ls - re_ <= span.distance):
                out.append((lp, min(ls, rs), max(le, re_)))
    return out


def unindexed(store: Store, query: Query, limit: int = MAX_SCANNED) -> Unindexed:
    """The publications and names the index misses, with the matches of the query's leaves in them."""
    if not query.text_leaves:
        return Unindexed()
    d = dialect(store.dialect)
    stale = [
        r["pub_key"]
        for r in store.fetch(
            "SELECT p.pub_key FROM publications p LEFT JOIN search_docs s ON s.pub_key = p.pub_key "
            "AND s.content_hash = p.content_hash WHERE s.pub_key IS NULL"
        )
    ]
    if len(stale) > limit:
        raise IndexTooStale(
            f"{len(stale):,} publications are not in the search index yet: run `patscape index`"
        )
    docs = _load_docs(store, stale, d)
    names = [
        r["name"]
        for r in store.fetch(
            f"SELECT n.name FROM ({ALL_NAMES}) n "
            "WHERE NOT EXISTS (SELECT 1 FROM search_names s WHERE s.name = n.name)"
        )
    ]
    name_docs = {name: _Doc({0: tokens(name)}, {0: NAME}) for name in names}

    def doc_matches(leaf: TextMatch) -> list[str]:
        codes = leaf.field.postings
        return sorted(k for k, doc in docs.items() if occurrences(leaf.span, doc, codes))

    def name_matches(span: Span) -> list[str]:
        return sorted(n for n, doc in name_docs.items() if occurrences(span, doc, (NAME,)))

    return Unindexed(frozenset(stale), doc_matches, name_matches)


def _load_docs(store: Store, keys: list[str], d) -> dict[str, _Doc]:  # type: ignore[no-untyped-def]
    docs: dict[str, _Doc] = {k: _Doc({}, {}) for k in keys}
    kinds = tuple(TEXT_FIELDS)
    for start in range(0, len(keys), 10_000):
        chunk = keys[start : start + 10_000]
        part: Sql = sql(
            "SELECT pub_key, seq, kind, text FROM texts WHERE kind IN ({}, {}, {}, {}) AND {}",
            *kinds,
            d.in_list(Sql("pub_key"), chunk),
        )
        rows: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for r in store.fetch(part.text, part.params):
            rows[r["pub_key"]].append((r["seq"], r["kind"], r["text"]))
        for key, texts in rows.items():
            for seq, kind, text in texts:
                docs[key].parts[seq] = tokens(text)
                docs[key].fields[seq] = TEXT_FIELDS[kind]
    return docs
