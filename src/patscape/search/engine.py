"""``search(store, text)``: the hits of a query, ranked, with snippets; publications or families. Reads only.

Relevance is BM25 (k1 = 1.2, b = 0.75) over the words the hits were found by (those not under a NOT) in
titles, abstracts and claims, with the length of those texts; documents found by other fields only score 0
and follow by date. Scores are rounded to six decimals in the query: DuckDB and PostgreSQL order alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from patscape.search.compiler import FAMILY_KEY, Compiled, Unindexed, compile_query
from patscape.search.fields import FieldTable
from patscape.search.index import index_state
from patscape.search.parser import parse
from patscape.search.scan import IndexTooStale
from patscape.search.scan import unindexed as scan_unindexed
from patscape.search.snippets import Snippet, snippet
from patscape.search.sqlparts import Sql, dialect, sql
from patscape.search.syntax import Query, TextMatch, Token, positive_leaves, span_tokens
from patscape.search.textsql import ABSTRACT, CLAIMS, TITLE, any_token_filter
from patscape.store.base import Store

Sort = Literal["relevance", "date"]
SORTS = ("relevance", "date")
TIMEOUT = 30.0  # seconds a search may take


class SearchUnavailable(RuntimeError):
    """The search cannot run: no index to search, or it is too far behind the data (says what to run)."""


class SearchTimeout(RuntimeError):
    pass


@dataclass
class Hit:
    pub_key: str
    score: float
    title: str | None
    published: str | None
    country: str | None
    family_id: str
    members: int = 1  # with families: hits in the family
    applicants: list[str] = field(default_factory=list)
    snippet: Snippet | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "snippet"}
        out["snippet"] = self.snippet.as_dict() if self.snippet else None
        return out


@dataclass
class SearchResult:
    query: Query
    total: int  # publications (or families) found
    hits: list[Hit]
    families: bool
    sort: str
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query.text,
            "total": self.total,
            "unit": "families" if self.families else "publications",
            "sort": self.sort,
            "hits": [h.as_dict() for h in self.hits],
            "notes": self.notes,
        }


def prepare(
    store: Store,
    text: str | Query,
    *,
    families: bool = False,
    within: Sql | Sequence[str] | None = None,
    fields: FieldTable | None = None,
) -> tuple[Query, Compiled]:
    """Parse and compile for this store: scans what the index misses, or says which command to run."""
    query = text if isinstance(text, Query) else parse(text, fields)
    missing: Unindexed | None = None
    notes: list[str] = []
    # codes are read from the index too: a query of codes alone on an index behind the data reads them
    # from the classes table instead (scan_unindexed says so by returning what the index misses)
    if query.text_leaves or any(leaf.field.kind == "code" for leaf in query.leaves):
        state = index_state(store)
        if not state.fresh:
            try:
                missing = scan_unindexed(store, query)
            except IndexTooStale as exc:
                raise SearchUnavailable(str(exc)) from exc
            if missing.docs:
                notes.append(
                    f"{len(missing.docs):,} publications not yet in the search index were scanned "
                    "(`patscape index` makes this faster)"
                )
    compiled = compile_query(query, store.dialect, families=families, within=within, unindexed=missing)
    compiled = replace(compiled, notes=(*compiled.notes, *notes))
    return query, compiled


def matching_keys(store: Store, text: str | Query, *, timeout: float = TIMEOUT, **options: Any) -> list[str]:
    """Every ``pub_key`` (``families=True``: ``family_id``) the query finds, sorted."""
    _, compiled = prepare(store, text, **options)
    with time_limit(store, timeout):
        rows = store.fetch(compiled.sql, compiled.params)
    return sorted(next(iter(r.values())) for r in rows)


def count(
    store: Store, text: str | Query, *, families: bool = False, timeout: float = TIMEOUT, **options: Any
) -> int:
    _, compiled = prepare(store, text, families=families, **options)
    with time_limit(store, timeout):
        return int(store.scalar(f"SELECT count(*) FROM ({compiled.sql}) h", compiled.params))


def search(
    store: Store,
    text: str | Query,
    *,
    families: bool = False,
    sort: Sort = "relevance",
    limit: int = 20,
    within: Sql | Sequence[str] | None = None,
    fields: FieldTable | None = None,
    snippets: bool = True,
    timeout: float = TIMEOUT,
) -> SearchResult:
    """The hits of ``text`` (ranked by relevance or date, newest first), at most ``limit`` of them."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    query, compiled = prepare(store, text, within=within, fields=fields)
    wanted = positive_tokens(query)
    indexed = index_state(store).tables
    ranked = _ranked(compiled, wanted if indexed else [], dialect(store.dialect), families, sort, limit)
    hits = Sql(compiled.sql, compiled.params)
    if families:
        totals = sql(
            f"SELECT count(DISTINCT {FAMILY_KEY}) AS n FROM publications p "
            "LEFT JOIN family_members fm ON fm.pub_key = p.pub_key WHERE p.pub_key IN ({})",
            hits,
        )
    else:  # the hits alone (the compiled query may not read the publications at all)
        totals = sql("SELECT count(*) AS n FROM ({}) h", hits)
    with time_limit(store, timeout):
        total = store.fetch(totals.text, totals.params)[0]
        rows = store.fetch(ranked.text, ranked.params)
    found = [
        Hit(
            pub_key=r["pub_key"],
            score=float(r["score"] or 0),
            title=r["title"],
            published=str(r["published"]) if r["published"] else None,
            country=r["country"],
            family_id=r["family_id"],
            members=int(r.get("members") or 1),
        )
        for r in rows
    ]
    _add_details(store, found, wanted if snippets else None)
    return SearchResult(query, int(total["n"]), found, families, sort, list(compiled.notes))


def positive_tokens(query: Query) -> list[Token]:
    """The words of the text leaves a hit is found by (for relevance and snippets)."""
    out: list[Token] = []
    for leaf in positive_leaves(query.root):
        if isinstance(leaf, TextMatch) and leaf.field.kind == "text":
            for token in span_tokens(leaf.span):
                if token not in out:
                    out.append(token)
    return out


_SCORED = (TITLE, ABSTRACT, CLAIMS)


def _ranked(compiled: Compiled, wanted: list[Token], d: Any, families: bool, sort: str, limit: int) -> Sql:
    fields = ", ".join(str(c) for c in _SCORED)
    terms = any_token_filter("t", wanted, d)
    scores = sql(
        "SELECT d.pub_key, CAST(sum(ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5)) * tf.tf * 2.2 "
        "/ (tf.tf + 1.2 * (0.25 + 0.75 * d.length / st.avglen))) AS DOUBLE PRECISION) AS score "
        "FROM (SELECT t.doc_id, t.term, count(*) AS tf FROM search_postings t "
        f"JOIN docs d ON d.doc_id = t.doc_id WHERE t.field IN ({fields}) AND ({{}}) "
        "GROUP BY t.doc_id, t.term) tf "
        "JOIN (SELECT t.term, count(DISTINCT t.doc_id) AS df FROM search_postings t "
        f"WHERE t.field IN ({fields}) AND ({{}}) GROUP BY t.term) df ON df.term = tf.term "
        "JOIN docs d ON d.doc_id = tf.doc_id, "
        "(SELECT CAST(count(*) AS DOUBLE PRECISION) AS n, "
        "CAST(greatest(avg(length), 1) AS DOUBLE PRECISION) AS avglen FROM search_docs) st "
        "GROUP BY d.pub_key",
        terms,
        terms,
    )
    scored = Sql(
        "SELECT h.pub_key, CAST(coalesce(s.score, 0) AS DECIMAL(18, 6)) AS score "
        "FROM hits h LEFT JOIN scores s ON s.pub_key = h.pub_key"
    )
    best = Sql("SELECT * FROM scored")
    if wanted and sort == "relevance" and not families and limit >= 1:
        # only the hits scoring at least the limit-th best score can be shown (ties included): the
        # publications are read for those, not for every hit
        best = sql(
            "SELECT * FROM scored WHERE score >= "
            "coalesce((SELECT c.score FROM scored c ORDER BY c.score DESC LIMIT 1 OFFSET {}), 0)",
            int(limit) - 1,
        )
    ranked = Sql(
        f"SELECT b.pub_key, p.title, p.published, p.country, {FAMILY_KEY} AS family_id, b.score "
        "FROM best b JOIN publications p ON p.pub_key = b.pub_key "
        "LEFT JOIN family_members fm ON fm.pub_key = b.pub_key"
    )
    order = (
        "score DESC, published DESC NULLS LAST, pub_key"
        if sort == "relevance"
        else "published DESC NULLS LAST, score DESC, pub_key"
    )
    if families:
        body = sql(
            "SELECT * FROM (SELECT r.*, row_number() OVER (PARTITION BY family_id ORDER BY "
            f"{order}) AS rn, count(*) OVER (PARTITION BY family_id) AS members FROM ranked r) x "
            f"WHERE rn = 1 ORDER BY {order} LIMIT {{}}",
            int(limit),
        )
    else:
        body = sql(f"SELECT * FROM ranked ORDER BY {order} LIMIT {{}}", int(limit))
    tail = sql("scored AS ({}), best AS ({}), ranked AS ({}) {}", scored, best, ranked, body)
    if not wanted:  # nothing to score (or no index to score with)
        return sql(
            "WITH hits AS ({}), scores AS ({}), {}",
            Sql(compiled.sql, compiled.params),
            Sql("SELECT pub_key, CAST(0 AS DOUBLE PRECISION) AS score FROM hits WHERE FALSE"),
            tail,
        )
    if compiled.docs is not None:  # the hits' documents straight from the index, no key join
        docs = sql("SELECT d.doc_id, d.pub_key, d.length FROM search_docs d WHERE {}", compiled.docs)
        return sql(
            "WITH docs AS ({}), hits AS (SELECT pub_key FROM docs), scores AS ({}), {}", docs, scores, tail
        )
    docs = Sql(
        "SELECT d.doc_id, d.pub_key, d.length FROM search_docs d "
        "WHERE d.pub_key IN (SELECT pub_key FROM hits)"
    )
    return sql(
        "WITH hits AS ({}), docs AS ({}), scores AS ({}), {}",
        Sql(compiled.sql, compiled.params),
        docs,
        scores,
        tail,
    )


def _add_details(store: Store, hits: list[Hit], wanted: list[Token] | None) -> None:
    if not hits:
        return
    d = dialect(store.dialect)
    keys = [h.pub_key for h in hits]
    names = sql(
        "SELECT pub_key, name FROM parties WHERE role IN ('applicant', 'assignee') AND {} "
        "ORDER BY pub_key, role, pos",
        d.in_list(Sql("pub_key"), keys),
    )
    applicants: dict[str, list[str]] = {}
    for r in store.fetch(names.text, names.params):
        got = applicants.setdefault(r["pub_key"], [])
        if r["name"] and r["name"] not in got:
            got.append(r["name"])
    texts: dict[str, list[tuple[str, str]]] = {}
    if wanted is not None:
        part = sql(
            "SELECT pub_key, kind, text FROM texts "
            "WHERE kind IN ('title', 'abstract', 'claims', 'description') AND {} ORDER BY pub_key, seq",
            d.in_list(Sql("pub_key"), keys),
        )
        for r in store.fetch(part.text, part.params):
            texts.setdefault(r["pub_key"], []).append((r["kind"], r["text"]))
    for hit in hits:
        hit.applicants = applicants.get(hit.pub_key, [])[:3]
        if wanted is not None:
            hit.snippet = snippet(texts.get(hit.pub_key, []), wanted)


@contextmanager
def time_limit(store: Store, seconds: float | None) -> Iterator[None]:
    """Stop a query that runs longer than ``seconds`` (DuckDB: interrupted; PostgreSQL: statement_timeout)."""
    if not seconds:
        yield
        return
    if store.dialect == "postgresql":
        store.execute(f"SET statement_timeout = {max(1, int(seconds * 1000))}")
        try:
            yield
        except Exception as exc:
            if "statement timeout" in str(exc):
                raise SearchTimeout(f"the search took longer than {seconds:g} s") from exc
            raise
        finally:
            store.execute("RESET statement_timeout")
        return
    done = threading.Event()

    def stop() -> None:
        # interrupt until the work is over: an interrupt that lands between two queries is lost
        if not done.wait(seconds):
            while not done.is_set():
                store.con.interrupt()  # type: ignore[attr-defined]
                done.wait(0.01)

    stopper = threading.Thread(target=stop, daemon=True)
    stopper.start()
    try:
        yield
    except Exception as exc:
        if "INTERRUPT" in str(exc).upper():
            raise SearchTimeout(f"the search took longer than {seconds:g} s") from exc
        raise
    finally:
        done.set()
        stopper.join()
