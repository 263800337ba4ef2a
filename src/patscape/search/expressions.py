"""The search language as an Ibis table, for the landscape's filters (and every later filter written in Ibis).

``matching(con, text)`` is a table of one column ``pub_key`` on the Ibis backend ``con`` (DuckDB or
PostgreSQL). An Ibis expression cannot carry bound parameters, so the compiled query's parameters are bound
as SQL literals written by sqlglot (the library Ibis itself renders its literals with): strings quoted and
their quotes doubled, dates as typed literals, lists as arrays. The placeholders are found by position:
the compiler's SQL holds no ``?`` but its placeholders (``sqlparts.sql`` refuses any other).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any

import ibis.expr.types as ir
from ibis.backends import BaseBackend
from sqlglot import exp

from patscape.search.engine import prepare
from patscape.search.syntax import Query

_SQLGLOT = {"duckdb": "duckdb", "postgresql": "postgres"}
_BACKENDS = {"duckdb": "duckdb", "postgres": "postgresql"}


class BackendReader:
    """The few read methods of a store (``fetch``, ``scalar``, ``meta``) over an Ibis backend's own
    connection, so that a query is compiled against what that backend holds."""

    def __init__(self, con: BaseBackend) -> None:
        name = getattr(con, "name", None)
        if name not in _BACKENDS:
            raise NotImplementedError(f"the search language runs on DuckDB and PostgreSQL, not {name}")
        self.dialect = _BACKENDS[name]
        self.raw = con.con  # type: ignore[attr-defined]

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        if self.dialect == "duckdb":
            cur = self.raw.execute(sql, list(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
        from patscape.store.postgres_store import _sql

        with self.raw.cursor() as cur:
            cur.execute(_sql(sql), list(params))
            names = [d.name for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.fetch(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM patscape_meta WHERE key = ?", (key,))


def literal(value: Any, dialect: str) -> str:
    """One parameter as an SQL literal of ``dialect`` (duckdb, postgresql)."""
    target = _SQLGLOT[dialect]
    if isinstance(value, bool) or value is None:
        return {True: "TRUE", False: "FALSE", None: "NULL"}[value]
    if isinstance(value, int | decimal.Decimal):
        return exp.Literal.number(str(int(value) if isinstance(value, int) else value)).sql(dialect=target)
    if isinstance(value, str):
        return exp.Literal.string(value).sql(dialect=target)
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "date").sql(dialect=target)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        items = ", ".join(literal(v, dialect) for v in value)
        return f"ARRAY[{items}]"
    raise TypeError(f"no literal for a parameter of type {type(value).__name__}")


def bind(sql: str, params: Sequence[Any], dialect: str) -> str:
    pieces = sql.split("?")
    if len(pieces) != len(params) + 1:
        raise ValueError("the SQL and its parameters do not agree")
    out = [pieces[0]]
    for value, piece in zip(params, pieces[1:], strict=True):
        out += [literal(value, dialect), piece]
    return "".join(out)


def matching(con: BaseBackend, text: str | Query, *, families: bool = False) -> ir.Table:
    """The publications (``pub_key``; ``families``: ``family_id``) the query finds, as an Ibis table."""
    reader = BackendReader(con)
    _, compiled = prepare(reader, text, families=families)  # type: ignore[arg-type]
    return con.sql(bind(compiled.sql, compiled.params, reader.dialect))
