"""Words, phrases and proximity as SQL over the positional index (``search_postings``).

A span relation has one row per occurrence: ``doc_id, part, s, e`` (the document, the text it is in, the
positions of its first and last word). A word is a span of one position; a phrase joins the postings of its
words at consecutive positions of one text; a proximity joins two spans of one text whose gap (from the end
of one to the start of the other, 1 for neighbours) is at most the distance; alternatives are a UNION ALL.
Exact words compare equal and truncated words by the prefix before their first wildcard (a range of the
sorted table), then by a regular expression when the wildcard is not a final ``*``.
"""

from __future__ import annotations

from patscape.search.sqlparts import Dialect, Sql, join, sql
from patscape.search.syntax import AnyOf, Near, Pattern, Phrase, Span, Token

# field codes of the postings (search_postings.field); OWNER and INVENTOR: a publication's party names as
# written, whole (the term), so that a name found in search_names reaches the documents on integer ids
TITLE, ABSTRACT, CLAIMS, DESCRIPTION, NAME, CPC, IPC, OWNER, INVENTOR = 1, 2, 3, 4, 9, 10, 11, 12, 13
TEXT_FIELDS = {"title": TITLE, "abstract": ABSTRACT, "claims": CLAIMS, "description": DESCRIPTION}


def token_filter(alias: str, token: Token, dialect: Dialect) -> Sql:
    column = Sql(f"{alias}.term")
    if isinstance(token, str):
        return sql("{} = {}", column, token)
    # the prefix holds letters and digits only: no LIKE wildcard or escape character can be in it
    like = sql("{} LIKE {}", column, token.prefix + "%")
    if token.prefix_only:
        return like
    return sql("{} AND {}", like, dialect.full_match(column, token.regex))


def _fields(alias: str, codes: tuple[int, ...]) -> str:
    codes = tuple(int(c) for c in codes)  # constants of this module, never user input
    if len(codes) == 1:
        return f"{alias}.field = {codes[0]}"
    return f"{alias}.field IN ({', '.join(str(c) for c in codes)})"


def span_sql(span: Span, codes: tuple[int, ...], dialect: Dialect, n: int = 0) -> Sql:
    """The occurrences of ``span`` (``doc_id, part, s, e``); ``n`` keeps nested aliases apart."""
    if isinstance(span, Phrase):
        return _phrase(span, codes, dialect)
    if isinstance(span, AnyOf):
        return join(" UNION ALL ", (span_sql(item, codes, dialect, n + 1) for item in span.items))
    return _near(span, codes, dialect, n)


def _phrase(phrase: Phrase, codes: tuple[int, ...], dialect: Dialect) -> Sql:
    last = len(phrase.tokens) - 1
    joins = [
        sql(
            # of the fields too: a document's code and party postings are numbered from part 0, as its title
            # is (a constant, not t0's field: PostgreSQL planned a seven-word phrase badly with that join)
            f" JOIN search_postings t{i} ON t{i}.doc_id = t0.doc_id AND {_fields(f't{i}', codes)} "
            f"AND t{i}.part = t0.part AND t{i}.pos = t0.pos + {i} AND {{}}",
            token_filter(f"t{i}", token, dialect),
        )
        for i, token in enumerate(phrase.tokens[1:], start=1)
    ]
    return sql(
        f"SELECT t0.doc_id, t0.part, t0.pos AS s, t{last}.pos AS e FROM search_postings t0{{}} "
        f"WHERE {_fields('t0', codes)} AND {{}}",
        join("", joins),
        token_filter("t0", phrase.tokens[0], dialect),
    )


def _near(near: Near, codes: tuple[int, ...], dialect: Dialect, n: int) -> Sql:
    a, b = f"a{n}", f"b{n}"
    after = f"{b}.s - {a}.e BETWEEN 1 AND {{}}"
    before = f"{a}.s - {b}.e BETWEEN 1 AND {{}}"
    if near.ordered:
        gap = sql(after, near.distance)
    else:
        gap = sql(f"({after} OR {before})", near.distance, near.distance)
    return sql(
        f"SELECT {a}.doc_id, {a}.part, least({a}.s, {b}.s) AS s, greatest({a}.e, {b}.e) AS e "
        f"FROM ({{}}) {a} JOIN ({{}}) {b} ON {b}.doc_id = {a}.doc_id AND {b}.part = {a}.part WHERE {{}}",
        span_sql(near.left, codes, dialect, n + 1),
        span_sql(near.right, codes, dialect, n + 1),
        gap,
    )


def docs_sql(span: Span, codes: tuple[int, ...], dialect: Dialect) -> Sql:
    """The ids of the documents (or names) in which ``span`` occurs."""
    if isinstance(span, Phrase) and len(span.tokens) == 1:
        return sql(
            f"SELECT t0.doc_id FROM search_postings t0 WHERE {_fields('t0', codes)} AND {{}}",
            token_filter("t0", span.tokens[0], dialect),
        )
    return sql("SELECT doc_id FROM ({}) m", span_sql(span, codes, dialect))


def any_token_filter(alias: str, tokens: list[Token], dialect: Dialect) -> Sql:
    """Any of ``tokens`` (for relevance: the words a hit was found by)."""
    return (
        join(" OR ", (sql("({})", token_filter(alias, t, dialect)) for t in tokens))
        if tokens
        else Sql("FALSE")
    )


__all__ = ["Pattern", "docs_sql", "span_sql", "token_filter"]
