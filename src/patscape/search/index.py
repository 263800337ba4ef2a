"""The positional word index the search language runs on, built and kept up to date by the writing commands.

Tables (``store/schema.py``): ``search_docs`` (one row per indexed publication: its document id, key and the
content hash it was indexed with), ``search_names`` (every party and owner-group name, with an id) and
``search_postings`` (one row per word: term, field, document or name id, text, position; one per
classification code and per party name of a document, the code or name whole as its term).

- :func:`build_index` rebuilds everything and writes the postings sorted by term, so that a word or a prefix
  reads only the few row groups holding it (DuckDB skips the others by their min/max).
- :func:`update_index` adds what changed since: publications new or changed since they were indexed get a new
  document id (the postings of the old one stay behind, unreachable, until the next rebuild), new names are
  added. It appends, unsorted; when the change is large it rebuilds instead.
- :func:`index_state` tells a search, without writing, whether the index is up to date: the fingerprint of
  the publications (count, latest ingest time) and owner groups (count) saved with the index must be the
  current one. A search on a stale index scans what the index misses (``scan.py``).

``patscape ingest`` and ``patscape enrich`` call :func:`update_index` at their end; ``patscape index`` builds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from patscape.search.text import tokens
from patscape.search.textsql import CPC, INVENTOR, IPC, NAME, OWNER, TEXT_FIELDS
from patscape.store import schema
from patscape.store.base import Store
from patscape.store.freshness import GENERATION_KEY

FINGERPRINT_KEY = "search_index_fingerprint"
NEXT_DOC_KEY = "search_index_next_doc"
NEXT_NAME_KEY = "search_index_next_name"
FORMAT_KEY = "search_index_format"
FORMAT = "2"  # 2: party names are postings (an index of another format is rebuilt, and read as missing)
REBUILD_SHARE = 0.2  # an update touching more than this share of the publications rebuilds (sorted)
FLUSH_POSTINGS = 2_000_000  # postings held in memory before they are written
NAME_ROLES = ("applicant", "assignee", "inventor")
LENGTH_FIELDS = ("title", "abstract", "claims")

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class IndexState:
    tables: bool  # the search tables exist (a database made before them has none)
    built: bool  # an index was built
    fresh: bool  # it covers what is stored now
    fingerprint: str

    @property
    def message(self) -> str:
        if not self.tables or not self.built:
            return "the database has no search index (or one of an older patscape): run `patscape index`"
        return "the search index is older than the data: run `patscape index`"


def fingerprint(store: Store) -> str:
    pubs = store.fetch("SELECT count(*) AS n, max(ingested_at) AS last FROM publications")[0]
    groups = store.scalar("SELECT count(*) FROM owner_groups")
    # the ingest generation too: a publication replaced within the second of the last write (timestamps are
    # whole seconds) leaves count and time as they were
    return f"{pubs['n']}|{pubs['last']}|{groups}|{store.meta(GENERATION_KEY)}"


def index_state(store: Store) -> IndexState:
    """Read-only: is there an index, and does it cover what is stored?"""
    tables = store.scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN "
        "('search_docs', 'search_names', 'search_postings')"
    )
    if int(tables or 0) < len(schema.SEARCH_TABLES):  # a database made before the search tables existed
        return IndexState(False, False, False, "")
    saved = store.meta(FINGERPRINT_KEY) if store.meta(FORMAT_KEY) == FORMAT else None
    now = fingerprint(store)
    # every publication has its row in search_docs, text or not (a cheap check that the tables were kept)
    complete = store.scalar("SELECT count(*) FROM search_docs") == int(now.split("|")[0])
    return IndexState(True, saved is not None, saved == now and complete, now)


# -- writing ------------------------------------------------------------------------------------


@dataclass
class _Postings:
    """Postings gathered column by column (extending lists is what keeps Python's share small)."""

    term: list[str]
    field: list[int]
    doc_id: list[int]
    part: list[int]
    pos: list[int]

    @classmethod
    def empty(cls) -> _Postings:
        return cls([], [], [], [], [])

    def add(self, words: list[str], field: int, doc_id: int, part: int) -> None:
        n = len(words)
        self.term.extend(words)
        self.field.extend([field] * n)
        self.doc_id.extend([doc_id] * n)
        self.part.extend([part] * n)
        self.pos.extend(range(n))

    def __len__(self) -> int:
        return len(self.term)


def _append(store: Store, table: schema.Table, columns: Sequence[list[Any]], name: str | None = None) -> None:
    """Append rows given column by column to ``table`` (or to a table of the same columns called ``name``)."""
    if columns[0]:
        store.insert_columns(schema.Table(name or table.name, table.columns), columns)


def _flush(store: Store, postings: _Postings, target: str) -> _Postings:
    columns = [postings.term, postings.field, postings.doc_id, postings.part, postings.pos]
    _append(store, schema.SEARCH_POSTINGS, columns, target)
    return _Postings.empty()


def _stream(
    store: Store, query: str, params: Sequence[Any] = (), size: int = 10_000
) -> Iterator[tuple[Any, ...]]:
    """Rows of a large result a few thousand at a time, on a connection of their own (the store's own
    connection writes meanwhile)."""
    if store.dialect == "duckdb":
        from patscape.store.duckdb_store import _NO_WAL_ALIAS

        cur = store.con.cursor()  # type: ignore[attr-defined]
        try:
            cur.execute("SET enable_progress_bar = false")
            if not store.wal:  # type: ignore[attr-defined]
                cur.execute(f"USE {_NO_WAL_ALIAS}")
            cur.execute(query, list(params))
            while rows := cur.fetchmany(size):
                yield from rows
        finally:
            cur.close()
        return
    import psycopg

    from patscape.store.postgres_store import _sql

    with psycopg.connect(store.url) as conn, conn.transaction(), conn.cursor(name="search_index") as cur:
        cur.itersize = size
        cur.execute(_sql(query), list(params))
        yield from cur


_KINDS = ", ".join(f"'{k}'" for k in TEXT_FIELDS)
_FIELD_CASE = "CASE t.kind " + " ".join(f"WHEN '{k}' THEN {c}" for k, c in TEXT_FIELDS.items()) + " END"
POSTINGS = "search_postings"


def _index_texts(
    store: Store,
    rows: Iterator[tuple[Any, ...]],
    total: int,
    progress: Progress | None,
    target: str = POSTINGS,
) -> dict[int, int]:
    """Postings of (doc_id, part, field, text) rows; returns the length of each document."""
    lengths: dict[int, int] = {}
    counted = {TEXT_FIELDS[k] for k in LENGTH_FIELDS}
    postings = _Postings.empty()
    for done, (doc_id, part, field, text) in enumerate(rows, start=1):
        words = tokens(text)
        if words:
            postings.add(words, field, doc_id, part)
            if field in counted:
                lengths[doc_id] = lengths.get(doc_id, 0) + len(words)
        if len(postings) >= FLUSH_POSTINGS:
            postings = _flush(store, postings, target)
            if progress:
                progress("texts", done, total)
    _flush(store, postings, target)
    if progress:
        progress("texts", total, total)
    return lengths


ALL_NAMES = (
    "SELECT name FROM parties WHERE role IN ('applicant', 'assignee', 'inventor') AND name IS NOT NULL "
    "UNION SELECT raw_name FROM owner_groups WHERE raw_name IS NOT NULL "
    "UNION SELECT group_name FROM owner_groups WHERE group_name IS NOT NULL"
)


def _index_names(store: Store, names: list[str], first_id: int, target: str = POSTINGS) -> int:
    postings = _Postings.empty()
    ids = list(range(first_id, first_id + len(names)))
    for doc_id, name in zip(ids, names, strict=True):
        postings.add(tokens(name), NAME, doc_id, 0)
        if len(postings) >= FLUSH_POSTINGS:
            postings = _flush(store, postings, target)
    _flush(store, postings, target)
    _append(store, schema.SEARCH_NAMES, [ids, names])
    return first_id + len(names)


# classification codes are postings too (the code itself is the term): a prefix reads a few row groups
_CODES = (
    f"SELECT c.code, CASE c.scheme WHEN 'CPC' THEN {CPC} ELSE {IPC} END, d.doc_id, 0, coalesce(c.seq, 0) "
    "FROM classes c JOIN {docs} d ON d.pub_key = c.pub_key AND c.scheme IN ('CPC', 'IPC')"
)
# so are the party names, whole: ``pa=`` and ``in=`` read them for the names they found in search_names
_PARTIES = (
    f"SELECT pa.name, CASE pa.role WHEN 'inventor' THEN {INVENTOR} ELSE {OWNER} END, d.doc_id, 0, "
    "coalesce(pa.pos, 0) FROM parties pa JOIN {docs} d ON d.pub_key = pa.pub_key "
    "AND pa.role IN ('applicant', 'assignee', 'inventor') AND pa.name IS NOT NULL"
)
_NUMBERED = "SELECT pub_key, content_hash, row_number() OVER (ORDER BY pub_key) AS doc_id FROM publications"


def build_index(store: Store, progress: Progress | None = None) -> dict[str, Any]:
    """(Re)build the whole index, postings sorted by term; returns counts and seconds."""
    start = time.perf_counter()
    # DuckDB: written unsorted to a scratch table, then copied sorted (PostgreSQL has its B-tree)
    target = "search_postings_unsorted" if store.dialect == "duckdb" else POSTINGS
    _quiet(store)
    with store.transaction():
        for table in schema.SEARCH_TABLES:
            store.execute(f"DELETE FROM {table.name}")
        if target != POSTINGS:
            store.execute(f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT * FROM {POSTINGS} LIMIT 0")
        total = int(store.scalar(f"SELECT count(*) FROM texts WHERE kind IN ({_KINDS})") or 0)
        rows = _stream(
            store,
            f"SELECT d.doc_id, t.seq, {_FIELD_CASE} AS field, t.text FROM texts t "
            f"JOIN ({_NUMBERED}) d ON d.pub_key = t.pub_key "
            f"WHERE t.kind IN ({_KINDS}) AND t.text IS NOT NULL",
        )
        lengths = _index_texts(store, rows, total, progress, target)
        for postings in (_CODES, _PARTIES):
            store.execute(f"INSERT INTO {target} " + postings.format(docs=f"({_NUMBERED})"))
        docs = list(_stream(store, _NUMBERED))
        doc_ids = [int(r[2]) for r in docs]
        _append(
            store,
            schema.SEARCH_DOCS,
            [doc_ids, [r[0] for r in docs], [r[1] for r in docs], [lengths.get(i, 0) for i in doc_ids]],
        )
        names = [r[0] for r in _stream(store, f"SELECT name FROM ({ALL_NAMES}) n ORDER BY name")]
        next_name = _index_names(store, names, 1, target)
        if target != POSTINGS:
            if progress:
                progress("sorting", 0, 1)
            store.execute(
                f"INSERT INTO {POSTINGS} SELECT * FROM {target} ORDER BY term, field, doc_id, part, pos"
            )
            store.execute(f"DROP TABLE {target}")
        _save_state(store, len(docs) + 1, next_name)
    _after_write(store)
    return {
        "publications": len(docs),
        "names": len(names),
        "postings": int(store.scalar(f"SELECT count(*) FROM {POSTINGS}")),
        "rebuilt": True,
        "seconds": round(time.perf_counter() - start, 2),
    }


def _quiet(store: Store) -> None:
    """No progress bar of DuckDB's own on long statements (the commands draw theirs)."""
    if store.dialect == "duckdb":
        store.execute("SET enable_progress_bar = false")


def _save_state(store: Store, next_doc: int, next_name: int) -> None:
    for key, value in (
        (NEXT_DOC_KEY, str(next_doc)),
        (NEXT_NAME_KEY, str(next_name)),
        (FINGERPRINT_KEY, fingerprint(store)),
        (FORMAT_KEY, FORMAT),
    ):
        store.execute("DELETE FROM patscape_meta WHERE key = ?", (key,))
        store.execute("INSERT INTO patscape_meta VALUES (?, ?)", (key, value))


def _after_write(store: Store) -> None:
    if store.dialect == "postgresql":
        store.execute(
            "CREATE INDEX IF NOT EXISTS search_postings_term_idx "
            "ON search_postings (term text_pattern_ops, field, doc_id, part, pos)"
        )
        for table in schema.SEARCH_TABLES:
            store.execute(f"ANALYZE {table.name}")


_CHANGED = (
    "SELECT p.pub_key, p.content_hash FROM publications p LEFT JOIN search_docs d ON d.pub_key = p.pub_key "
    "WHERE d.pub_key IS NULL OR d.content_hash <> p.content_hash"
)
_GONE = (
    "SELECT d.pub_key FROM search_docs d WHERE NOT EXISTS "
    "(SELECT 1 FROM publications p WHERE p.pub_key = d.pub_key)"
)
_NEW_NAMES = (
    f"SELECT n.name FROM ({ALL_NAMES}) n "
    "WHERE NOT EXISTS (SELECT 1 FROM search_names s WHERE s.name = n.name)"
)


def update_index(
    store: Store, progress: Progress | None = None, rebuild_share: float = REBUILD_SHARE
) -> dict[str, Any]:
    """Index what changed since the index was built or updated (a rebuild when there is none, or when
    more than ``rebuild_share`` of the publications changed: appended postings are not sorted)."""
    state = index_state(store)
    if state.fresh:
        return {"publications": 0, "names": 0, "rebuilt": False, "seconds": 0.0}
    next_doc = store.meta(NEXT_DOC_KEY)
    if not state.built or next_doc is None:
        return build_index(store, progress)
    start = time.perf_counter()
    _quiet(store)
    changed = store.fetch(_CHANGED)
    indexed = int(store.scalar("SELECT count(*) FROM search_docs") or 0)
    if len(changed) > rebuild_share * max(indexed, 1):
        return build_index(store, progress)
    with store.transaction():
        gone = [r["pub_key"] for r in store.fetch(_GONE)]
        stale = gone + [r["pub_key"] for r in changed]
        dialect = _dialect(store)
        for chunk in _chunks(stale):
            store.execute(*_in("DELETE FROM search_docs WHERE {}", "pub_key", chunk, dialect))
        first = int(next_doc)
        ids = {r["pub_key"]: first + i for i, r in enumerate(changed)}
        lengths: dict[int, int] = {}
        for chunk in _chunks(list(ids)):
            sql, params = _in(
                f"SELECT t.pub_key, t.seq, {_FIELD_CASE} AS field, t.text FROM texts t "
                f"WHERE t.kind IN ({_KINDS}) AND t.text IS NOT NULL AND {{}}",
                "t.pub_key",
                chunk,
                dialect,
            )
            rows = ((ids[k], seq, field, text) for k, seq, field, text in _stream(store, sql, params))
            lengths.update(_index_texts(store, rows, len(chunk), progress))
        doc_ids = list(ids.values())
        _append(
            store,
            schema.SEARCH_DOCS,
            [doc_ids, list(ids), [r["content_hash"] for r in changed], [lengths.get(i, 0) for i in doc_ids]],
        )
        for postings in (_CODES, _PARTIES):
            store.execute(
                f"INSERT INTO {POSTINGS} " + postings.format(docs="search_docs") + " WHERE d.doc_id >= ?",
                (first,),
            )
        names = [r["name"] for r in store.fetch(f"{_NEW_NAMES} ORDER BY n.name")]
        next_name = _index_names(store, names, int(store.meta(NEXT_NAME_KEY) or 1))
        _save_state(store, first + len(changed), next_name)
    _after_write(store)
    return {
        "publications": len(changed),
        "removed": len(gone),
        "names": len(names),
        "rebuilt": False,
        "seconds": round(time.perf_counter() - start, 2),
    }


def _dialect(store: Store):  # type: ignore[no-untyped-def]
    from patscape.search.sqlparts import dialect

    return dialect(store.dialect)


def _in(template: str, column: str, values: list[str], dialect) -> tuple[str, tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    from patscape.search.sqlparts import Sql, sql

    part = sql(template, dialect.in_list(Sql(column), values))
    return part.text, part.params


def _chunks(values: list[str], size: int = 10_000) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


__all__ = ["IndexState", "build_index", "index_state", "update_index"]
