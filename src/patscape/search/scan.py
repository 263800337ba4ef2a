"""What the index misses, matched in Python: publications ingested or changed since the index was updated,
and names new since (or everything, in a database without the index tables). The same words
(``text.tokens``) and the same span rules as the SQL (``textsql``), so that a search on a stale index answers
as a fresh one would; the matches go into the SQL as parameters. Reads only."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from patscape.search.compiler import Unindexed
from patscape.search.index import ALL_NAMES, index_state
from patscape.search.sqlparts import Dialect, Sql, dialect, sql
from patscape.search.syntax import AnyOf, Near, Pattern, Phrase, Query, Span, TextMatch, Token
from patscape.search.text import tokens
from patscape.search.textsql import NAME, TEXT_FIELDS
from patscape.store.base import Store

MAX_SCANNED = 50_000  # publications; beyond, a search asks for `patscape index`


class IndexTooStale(RuntimeError):
    pass


Occurrence = tuple[int, int, int]  # part, first position, last position


@dataclass
class Doc:
    """The words of one publication (or name), text by text."""

    parts: dict[int, list[str]] = field(default_factory=dict)  # part -> words
    fields: dict[int, int] = field(default_factory=dict)  # part -> field code
    _where: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    def add(self, part: int, code: int, words: list[str]) -> None:
        self.parts[part] = words
        self.fields[part] = code

    def positions(self, part: int, token: Token) -> list[int]:
        where = self._where.get(part)
        if where is None:
            where = self._where[part] = defaultdict(list)
            for i, word in enumerate(self.parts[part]):
                where[word].append(i)
        if isinstance(token, str):
            return where.get(token, [])
        return sorted(i for word, found in where.items() if _same(token, word) for i in found)


@cache
def _regex(pattern: Pattern) -> re.Pattern[str]:
    return re.compile(pattern.regex)


def _same(token: Token, word: str) -> bool:
    if isinstance(token, str):
        return token == word
    return word.startswith(token.prefix) and _regex(token).match(word) is not None


def occurrences(span: Span, doc: Doc, codes: Iterable[int]) -> list[Occurrence]:
    allowed = set(codes)
    return _occurrences(span, doc, [p for p, f in doc.fields.items() if f in allowed])


def _occurrences(span: Span, doc: Doc, parts: list[int]) -> list[Occurrence]:
    if isinstance(span, Phrase):
        out = []
        k = len(span.tokens)
        for part in parts:
            words = doc.parts[part]
            for i in doc.positions(part, span.tokens[0]):
                if i + k <= len(words) and all(
                    _same(t, words[i + j]) for j, t in enumerate(span.tokens[1:], start=1)
                ):
                    out.append((part, i, i + k - 1))
        return out
    if isinstance(span, AnyOf):
        return [o for item in span.items for o in _occurrences(item, doc, parts)]
    return _near(span, doc, parts)


def _near(span: Near, doc: Doc, parts: list[int]) -> list[Occurrence]:
    left = _occurrences(span.left, doc, parts)
    right = _occurrences(span.right, doc, parts) if left else []
    out = []
    for lp, ls, le in left:
        for rp, rs, r_e in right:
            if lp != rp:
                continue
            if 1 <= rs - le <= span.distance or (not span.ordered and 1 <= ls - r_e <= span.distance):
                out.append((lp, min(ls, rs), max(le, r_e)))
    return out


def unindexed(store: Store, query: Query, limit: int | None = None) -> Unindexed:
    """The publications and names the index misses, with the matches of the query's leaves in them."""
    limit = MAX_SCANNED if limit is None else limit
    if not query.text_leaves:
        return Unindexed()
    d = dialect(store.dialect)
    indexed = index_state(store).tables
    stale = [
        r["pub_key"]
        for r in store.fetch(
            "SELECT p.pub_key FROM publications p LEFT JOIN search_docs s ON s.pub_key = p.pub_key "
            "AND s.content_hash = p.content_hash WHERE s.pub_key IS NULL"
            if indexed
            else "SELECT pub_key FROM publications"
        )
    ]
    if len(stale) > limit:
        what = "in the search index yet" if indexed else "indexed (the database has no search index)"
        raise IndexTooStale(f"{len(stale):,} publications are not {what}: run `patscape index`")
    codes = {c for leaf in query.text_leaves for c in leaf.field.postings}
    docs = _load_docs(store, stale, codes, d)
    names: list[str] = []
    if any(leaf.field.kind == "name" for leaf in query.text_leaves):
        new = "WHERE NOT EXISTS (SELECT 1 FROM search_names s WHERE s.name = n.name)" if indexed else ""
        names = [r["name"] for r in store.fetch(f"SELECT n.name FROM ({ALL_NAMES}) n {new}")]
    name_docs = {name: Doc({0: tokens(name)}, {0: NAME}) for name in names}

    def doc_matches(leaf: TextMatch) -> list[str]:
        return sorted(k for k, doc in docs.items() if occurrences(leaf.span, doc, leaf.field.postings))

    def name_matches(span: Span) -> list[str]:
        return sorted(n for n, doc in name_docs.items() if occurrences(span, doc, (NAME,)))

    return Unindexed(frozenset(stale), doc_matches, name_matches, indexed)


def _load_docs(store: Store, keys: list[str], codes: set[int], d: Dialect) -> dict[str, Doc]:
    docs: dict[str, Doc] = {}
    kinds = [k for k, c in TEXT_FIELDS.items() if c in codes]
    if not kinds:
        return docs
    for start in range(0, len(keys), 10_000):
        part: Sql = sql(
            "SELECT pub_key, seq, kind, text FROM texts WHERE {} AND {}",
            d.in_list(Sql("kind"), kinds),
            d.in_list(Sql("pub_key"), keys[start : start + 10_000]),
        )
        for r in store.fetch(part.text, part.params):
            doc = docs.setdefault(r["pub_key"], Doc())
            doc.add(r["seq"], TEXT_FIELDS[r["kind"]], tokens(r["text"]))
    return docs
