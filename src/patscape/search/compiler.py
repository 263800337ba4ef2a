"""Syntax tree -> parameterised SQL selecting ``pub_key`` (or ``family_id``) from ``publications p``.

Every leaf becomes a condition on the publication ``p`` (a column compared with a parameter, or
``p.pub_key IN (subquery)``); AND, OR and NOT become the same words of SQL. Values travel only as
parameters; identifiers come only from the field table. A condition on a missing value is false, and so its
NOT is true (``NOT pd>=2020`` keeps the undated documents), as in the tests' plain-Python reading.

Leaves the index answers (words, codes: :class:`OnDocs`) are also conditions on the search document ``d``
(``d.doc_id IN (postings)``). Those of one AND or OR are combined on ``d`` and reach ``p`` once, and a
query made of them alone selects from ``search_docs`` without reading ``publications``: its joins are on
integer document ids, not on the string keys (a key join costs ~70 ms a query at 137,000 publications).
This holds only while the index is up to date (``search_docs`` has one row per publication), which is when
the compile context has nothing ``unindexed``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from patscape.search.sqlparts import Dialect, Sql, dialect, join, sql
from patscape.search.syntax import And, Condition, Leaf, Node, Not, Or, Query, Span, TextMatch
from patscape.search.textsql import NAME, TEXT_FIELDS, docs_sql
from patscape.search.values import DateRange, NumberRange

# A publication's family: after `patscape enrich` its family, else the one its source states, else its own.
FAMILY_KEY = "coalesce(fm.family_id, p.family_id, 'x:' || p.pub_key)"


@dataclass(frozen=True)
class Unindexed:
    """What the index does not hold yet (publications ingested or changed after it was built, names new
    since): their matches, found by scanning them in Python, travel as parameter lists."""

    docs: frozenset[str] = frozenset()  # pub_keys whose indexed text is missing or out of date
    doc_matches: Callable[[TextMatch], list[str]] = lambda leaf: []
    name_matches: Callable[[Span], list[str]] = lambda span: []
    index: bool = True  # False: the database has no index tables at all (everything was scanned)


@dataclass
class Context:
    """What a field's compile function may use."""

    dialect: Dialect
    unindexed: Unindexed | None = None
    notes: list[str] = field(default_factory=list)

    sql = staticmethod(sql)
    join = staticmethod(join)

    @staticmethod
    def key_in(subquery: Sql) -> Sql:
        """``p.pub_key IN (subquery)``; the subquery selects one column of publication keys."""
        return sql("p.pub_key IN ({})", subquery)

    def in_list(self, expr: str | Sql, values: Sequence[Any]) -> Sql:
        return self.dialect.in_list(_as_sql(expr), values)

    def full_match(self, expr: str | Sql, regex: str) -> Sql:
        return self.dialect.full_match(_as_sql(expr), regex)

    @staticmethod
    def compare(column: str, cond: Condition) -> Sql:
        """A date or number column against the condition's range: ``pd=2021`` is within the year,
        ``pd>2021`` after it, ``pd<2021`` before it; NULL compares false."""
        value = cond.value
        if not isinstance(value, DateRange | NumberRange):
            raise TypeError(f"{cond.field.name}: compare() takes dates and numbers")
        first, last = value.first, value.last
        col = Sql(column)
        if cond.relation in ("=", "within"):
            return sql("({} IS NOT NULL AND {} BETWEEN {} AND {})", col, col, first, last)
        bound = {"<": first, "<=": last, ">": last, ">=": first}[cond.relation]
        return sql(f"({{}} IS NOT NULL AND {{}} {cond.relation} {{}})", col, col, bound)

    def doc_in(self, doc_ids: Sql) -> Sql:
        """The publication's search document is one of ``doc_ids`` (SQL selecting ``search_docs.doc_id``
        values, from the postings); for an up-to-date index only (``unindexed`` is None)."""
        if self.unindexed is not None:
            raise RuntimeError("doc_in() needs an up-to-date index: read the data itself instead")
        ids = sql("SELECT DISTINCT s.doc_id FROM ({}) s", doc_ids)
        return _on_docs(sql("d.doc_id IN ({})", doc_ids), ids)

    def text_docs(self, leaf: TextMatch, codes: tuple[int, ...]) -> Sql:
        """Publications in whose texts (postings fields ``codes``) the leaf's span occurs."""
        if self.unindexed is None:
            return self.doc_in(docs_sql(leaf.span, codes, self.dialect))
        if not self.unindexed.index:
            return self.in_list("p.pub_key", self.unindexed.doc_matches(leaf))
        # behind the data: the index answers for the publications it holds as they are, the scan for the rest
        fresh = sql(
            "SELECT d.pub_key FROM search_docs d JOIN publications q ON q.pub_key = d.pub_key "
            "AND q.content_hash = d.content_hash WHERE d.doc_id IN ({})",
            docs_sql(leaf.span, codes, self.dialect),
        )
        scanned = self.unindexed.doc_matches(leaf)
        if not scanned:
            return self.key_in(fresh)
        return sql("({} OR {})", self.key_in(fresh), self.in_list("p.pub_key", scanned))

    def names(self, span: Span) -> Sql:
        """The party and owner-group names in which ``span`` occurs (one column ``name``)."""
        if self.unindexed is not None and not self.unindexed.index:
            return self.dialect.keys(self.unindexed.name_matches(span), "name")
        found = sql(
            "SELECT n.name FROM search_names n WHERE n.doc_id IN ({})", docs_sql(span, (NAME,), self.dialect)
        )
        if self.unindexed is not None and (extra := self.unindexed.name_matches(span)):
            found = sql("{} UNION {}", found, self.dialect.keys(extra, "name"))
        return found


@dataclass(frozen=True)
class OnDocs(Sql):
    """A condition the index answers: ``text`` is it on the publication ``p`` (so that a field may compose
    it with SQL of its own), ``docs`` the same condition on the search document ``d``."""

    docs: Sql = field(kw_only=True)
    # the same as a set of document ids (SQL selecting distinct ``doc_id``), when it is one: a query that is
    # one joins search_docs to it (measured 2-3x faster than ``d.doc_id IN (...)`` over a million)
    ids: Sql | None = field(default=None, kw_only=True)


def _on_docs(docs: Sql, ids: Sql | None = None) -> OnDocs:
    """``docs`` (a condition on ``d``) and the same on ``p``."""
    on_p = sql("p.pub_key IN (SELECT d.pub_key FROM search_docs d WHERE {})", docs)
    return OnDocs(on_p.text, on_p.params, docs=docs, ids=ids)


def _id_sets(parts: list[OnDocs], word: str) -> Sql | None:
    """The documents of an AND (INTERSECT) or an OR (UNION) of sets of documents."""
    if any(part.ids is None for part in parts):
        return None
    op = " INTERSECT " if word == " AND " else " UNION "
    return join(op, (sql("SELECT i.doc_id FROM ({}) i", part.ids) for part in parts))


def _as_sql(expr: str | Sql) -> Sql:
    return expr if isinstance(expr, Sql) else Sql(expr)


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple[Any, ...]
    dialect: str
    notes: tuple[str, ...] = ()
    # when the index answers the whole query: the hits as a condition on the search document ``d``
    # (``sql`` is ``SELECT d.pub_key FROM search_docs d WHERE`` it), for what wants their document ids
    docs: Sql | None = None

    def explain(self) -> str:
        lines = [self.sql, "", "parameters:"]
        lines += [f"  ${i} = {v!r}" for i, v in enumerate(self.params, start=1)]
        return "\n".join(lines)


def predicate(query: Query, ctx: Context) -> Sql:
    """The WHERE condition on ``p`` that the query is."""
    return _node(query.root, ctx)


def _node(node: Node, ctx: Context) -> Sql:
    """A condition on ``p``, or :class:`OnDocs` when the index answers all of it."""
    if isinstance(node, And | Or):
        word = " AND " if isinstance(node, And) else " OR "
        parts = [_node(item, ctx) for item in node.items]
        indexed = [part.docs for part in parts if isinstance(part, OnDocs)]
        if len(indexed) == len(parts):
            return _on_docs(sql("({})", join(word, indexed)), _id_sets(parts, word))  # type: ignore[arg-type]
        # the index's part reaches p once, as one condition (AND and OR are commutative)
        rest = [part for part in parts if not isinstance(part, OnDocs)]
        if indexed:
            rest.insert(0, _on_docs(sql("({})", join(word, indexed))))
        return sql("({})", join(word, rest))
    if isinstance(node, Not):
        inner = _node(node.item, ctx)
        if isinstance(inner, OnDocs):  # search_docs holds every publication: NOT on d is NOT on p
            return _on_docs(sql("NOT {}", inner.docs))
        return sql("NOT {}", inner)
    return _leaf(node, ctx)


def _leaf(leaf: Leaf, ctx: Context) -> Sql:
    out = leaf.field.compile(leaf, ctx)
    if not isinstance(out, Sql):
        raise TypeError(f"field {leaf.field.name}: compile returned {type(out).__name__}, not Sql")
    if isinstance(out, OnDocs):
        return _on_docs(sql("({})", out.docs), out.ids)
    return sql("({})", out)


def compile_query(
    query: Query,
    dialect_name: str | Dialect = "duckdb",
    *,
    families: bool = False,
    within: Sql | Sequence[str] | None = None,
    unindexed: Unindexed | None = None,
) -> Compiled:
    """SQL selecting the ``pub_key`` of every hit (``families``: the ``family_id`` of every family with a
    hit), restricted to the publications ``within`` (a list of keys, or SQL selecting ``pub_key``)."""
    ctx = Context(dialect(dialect_name), unindexed)
    where = predicate(query, ctx)
    restriction = None
    if within is not None:
        restriction = within if isinstance(within, Sql) else ctx.dialect.keys(list(within))
    if isinstance(where, OnDocs) and not families:  # the index answers it all: no publications read
        docs = where.docs
        if restriction is not None:
            docs = sql("d.pub_key IN ({}) AND {}", restriction, docs)
        if where.ids is not None:
            out = sql("SELECT d.pub_key FROM search_docs d JOIN ({}) x ON x.doc_id = d.doc_id", where.ids)
            if restriction is not None:
                out = sql("{} WHERE d.pub_key IN ({})", out, restriction)
        else:
            out = sql("SELECT d.pub_key FROM search_docs d WHERE {}", docs)
        return Compiled(out.text, out.params, ctx.dialect.name, tuple(ctx.notes), docs)
    if restriction is not None:
        where = sql("p.pub_key IN ({}) AND {}", restriction, where)
    if families:
        out = sql(
            f"SELECT DISTINCT {FAMILY_KEY} AS family_id FROM publications p "
            "LEFT JOIN family_members fm ON fm.pub_key = p.pub_key WHERE {}",
            where,
        )
    else:
        out = sql("SELECT p.pub_key FROM publications p WHERE {}", where)
    return Compiled(out.text, out.params, ctx.dialect.name, tuple(ctx.notes))


T = TypeVar("T")


@dataclass(frozen=True)
class DocumentAlgebra(Generic[T]):
    """How ``document_sets`` combines the documents of a query's leaves: a leaf's from its SQL (the
    ``doc_id`` of its postings), NOT as every document but those, AND and OR of several."""

    leaf: Callable[[Sql], T]
    every_but: Callable[[T], T]
    all_of: Callable[[list[T]], T]
    any_of: Callable[[list[T]], T]


def document_sets(
    query: Query, algebra: DocumentAlgebra[T], dialect_name: str | Dialect = "duckdb"
) -> T | None:
    """The documents of a query whose leaves are all words, phrases or proximities in texts, as the
    ``algebra`` combines each leaf's postings: no join with the publications. None for any other query,
    which ``compile_query`` answers. Only for an index that is up to date (``index.index_state``)."""
    d = dialect(dialect_name)
    texts = set(TEXT_FIELDS.values())

    def node(n: Node) -> T | None:
        if isinstance(n, TextMatch):
            codes = n.field.postings
            if n.field.kind != "text" or not codes or not set(codes) <= texts:
                return None
            return algebra.leaf(docs_sql(n.span, codes, d))
        if isinstance(n, Not):
            inner = node(n.item)
            return None if inner is None else algebra.every_but(inner)
        if isinstance(n, And | Or):
            parts = [node(item) for item in n.items]
            if any(p is None for p in parts):
                return None
            found: list[T] = parts  # type: ignore[assignment]
            return algebra.all_of(found) if isinstance(n, And) else algebra.any_of(found)
        return None

    return node(query.root)


def _set_operation(word: str) -> Callable[[list[Sql]], Sql]:
    return lambda parts: join(word, (sql("SELECT doc_id FROM ({}) x", p) for p in parts))


# AND is INTERSECT, OR is UNION, NOT is every document EXCEPT
SQL_DOCUMENTS = DocumentAlgebra[Sql](
    leaf=lambda leaf: leaf,
    every_but=lambda inner: sql("SELECT doc_id FROM search_docs EXCEPT ({})", inner),
    all_of=_set_operation(" INTERSECT "),
    any_of=_set_operation(" UNION "),
)


def document_ids(query: Query, dialect_name: str | Dialect = "duckdb") -> Sql | None:
    """SQL selecting the ``doc_id`` (``search_docs``) of every hit of a query whose leaves are all words,
    phrases or proximities in texts, as set operations over the postings (``document_sets``). None for any
    other query. Only for an index that is up to date (``index.index_state``)."""
    return document_sets(query, SQL_DOCUMENTS, dialect_name)


__all__ = [
    "FAMILY_KEY",
    "Compiled",
    "Context",
    "DocumentAlgebra",
    "OnDocs",
    "Unindexed",
    "compile_query",
    "document_ids",
    "document_sets",
    "predicate",
]
