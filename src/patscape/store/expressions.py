"""The store's tables as unbound Ibis tables, and Ibis expressions over them written inside the store.

Enrichment steps that are best said as queries (the family fact table, the quality indicators) are written
once as Ibis expressions over these tables, compiled for the store's dialect and run by the store itself, in
its own transaction: the same expressions compile for Spark SQL too.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ibis
import ibis.expr.types as ir
import sqlglot
from ibis.common.graph import Node
from platformdirs import user_cache_dir

from patscape.store import schema
from patscape.store.base import Store

_TYPES = {
    "TEXT": "string",
    "INTEGER": "int32",
    "BIGINT": "int64",
    "DOUBLE": "float64",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
}
DIALECTS = {"duckdb": "duckdb", "postgresql": "postgres"}


def ibis_schema(table: schema.Table) -> ibis.Schema:
    fields = {}
    for name, sql_type in table.columns:
        words = sql_type.upper().split()
        base = _TYPES[words[0]]
        fields[name] = ("!" if "NOT" in words else "") + base
    return ibis.schema(fields)


@cache
def unbound(table: schema.Table) -> ir.Table:
    """The table as Ibis sees it, bound to no backend."""
    return ibis.table(ibis_schema(table), name=table.name)


def tables(*names: schema.Table) -> tuple[ir.Table, ...]:
    return tuple(unbound(t) for t in names)


def compile_sql(store: Store, expr: ir.Expr) -> str:
    return _compiled(expr.op(), DIALECTS[store.dialect])


@cache
def _compiled(node: Node, dialect: str) -> str:
    # expressions over unbound tables are values (their nodes compare by structure): the same one compiles
    # once per process
    return str(ibis.to_sql(node.to_expr(), dialect=dialect))


@dataclass(frozen=True)
class Query:
    """A compiled expression: its SQL and its columns with their types (Ibis type names)."""

    sql: str
    columns: tuple[str, ...]
    types: tuple[str, ...] = ()

    def schema(self) -> ibis.Schema:
        return ibis.schema(dict(zip(self.columns, self.types, strict=True)))


def cache_folder() -> Path:
    return Path(os.environ.get("PATSCAPE_CACHE") or user_cache_dir("patscape")) / "sql"


@cache
def _digest(sources: tuple[Path, ...]) -> str:
    digest = hashlib.blake2b(digest_size=10)
    digest.update(f"{ibis.__version__} {sqlglot.__version__}".encode())
    for path in sorted({Path(__file__), Path(schema.__file__), *sources}):
        digest.update(path.read_bytes())
    return digest.hexdigest()


_queries: dict[tuple[str, str], Query] = {}


def cached_query(key: str, dialect: str, build: Callable[[], ir.Table], sources: tuple[Path, ...]) -> Query:
    """The expression ``build()`` compiled for ``dialect``, once: the SQL is kept in memory and in the user's
    cache folder (``PATSCAPE_CACHE``) under ``key`` (which names everything the expression depends on but
    the code) and a digest of the code that builds it (``sources``, this module and the schema) and of the
    Ibis and sqlglot versions. Ibis takes from a tenth of a second to seconds to compile an expression
    (the quality indicators), longer than running most of them."""
    if (key, dialect) in _queries:
        return _queries[(key, dialect)]
    name = hashlib.blake2b(f"{key} {dialect}".encode(), digest_size=10).hexdigest()
    path = cache_folder() / f"{name}-{_digest(sources)}.json"
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        query = Query(found["sql"], tuple(found["columns"]), tuple(found["types"]))
    except (OSError, ValueError, KeyError):
        expr = build()
        types = tuple(str(t) for t in expr.schema().types)
        query = Query(str(ibis.to_sql(expr, dialect=dialect)), tuple(expr.columns), types)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            record = {"key": key, "sql": query.sql, "columns": query.columns, "types": query.types}
            tmp.write_text(json.dumps(record), encoding="utf-8")
            tmp.replace(path)
        except OSError:  # a read-only home: compile again next time
            pass
    _queries[(key, dialect)] = query
    return query


def compiled(store: Store, name: str, build: Callable[[], ir.Table], sources: tuple[Path, ...]) -> Query:
    """``cached_query`` for the store's dialect."""
    return cached_query(name, DIALECTS[store.dialect], build, sources)


def insert(store: Store, table: schema.Table, query: Query) -> None:
    """``INSERT INTO table`` the rows of a compiled query (its columns named as the table's)."""
    missing = set(query.columns) - set(table.column_names)
    if missing:
        raise ValueError(f"{table.name} has no columns {sorted(missing)}")
    store.execute(f"INSERT INTO {table.name} ({', '.join(query.columns)}) {query.sql}")
