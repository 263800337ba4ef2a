"""The patent search language: Espacenet-style (CQL) queries compiled to parameterised SQL.

    from patscape.search import parse, compile, search

    query = parse('ti=("neural network" prox/distance<3 training) AND pd>=2021 AND cpc=G06N3/04*')
    compiled = compile(query, "duckdb")            # .sql selects pub_key from publications p; .params
    result = search(store, "pa=tencent AND genai=yes", families=True, limit=10)

The grammar is in :mod:`patscape.search.parser`, the fields in :mod:`patscape.search.builtin_fields` (add
your own with :func:`register_field`), the words in :mod:`patscape.search.text`, the index in
:mod:`patscape.search.index`.
"""

from __future__ import annotations

from collections.abc import Sequence

from patscape.search.builtin_fields import register_builtin
from patscape.search.compiler import Compiled, Context, Unindexed, compile_query
from patscape.search.engine import (
    Hit,
    SearchResult,
    SearchTimeout,
    SearchUnavailable,
    count,
    matching_keys,
    prepare,
    search,
)
from patscape.search.fields import DEFAULT_FIELDS, Field, FieldTable, register_field
from patscape.search.index import build_index, index_state, update_index
from patscape.search.parser import LIMITS, Limits, parse
from patscape.search.sqlparts import Sql, sql
from patscape.search.syntax import Condition, Query, SearchSyntaxError, TextMatch

register_builtin()


def compile(
    query: Query | str,
    dialect: str = "duckdb",
    *,
    families: bool = False,
    within: Sql | Sequence[str] | None = None,
) -> Compiled:
    """Parameterised SQL selecting the ``pub_key`` of every hit (``families``: every ``family_id``), over
    the index as it is (see :func:`prepare` for a store whose index may be behind)."""
    parsed = parse(query) if isinstance(query, str) else query
    return compile_query(parsed, dialect, families=families, within=within)


__all__ = [
    "DEFAULT_FIELDS",
    "LIMITS",
    "Compiled",
    "Condition",
    "Context",
    "Field",
    "FieldTable",
    "Hit",
    "Limits",
    "Query",
    "SearchResult",
    "SearchSyntaxError",
    "SearchTimeout",
    "SearchUnavailable",
    "Sql",
    "TextMatch",
    "Unindexed",
    "build_index",
    "compile",
    "count",
    "index_state",
    "matching_keys",
    "parse",
    "prepare",
    "register_field",
    "search",
    "sql",
    "update_index",
]
