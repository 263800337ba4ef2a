"""The store's tables as unbound Ibis tables, and Ibis expressions over them written inside the store.

Enrichment steps that are best said as queries (the family fact table, the quality indicators) are written
once as Ibis expressions over these tables, compiled for the store's dialect and run by the store itself, in
its own transaction: the same expressions compile for Spark SQL too.
"""

from __future__ import annotations

from functools import cache

import ibis
import ibis.expr.types as ir

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
    return _compiled(expr, DIALECTS[store.dialect])


@cache
def _compiled(expr: ir.Expr, dialect: str) -> str:
    # expressions over unbound tables are values: the same one compiles once per process (Ibis takes
    # seconds for the largest, the quality indicators)
    return str(ibis.to_sql(expr, dialect=dialect))


def insert(store: Store, table: schema.Table, expr: ir.Table) -> None:
    """``INSERT INTO table`` the rows of ``expr`` (its columns named as the table's, in any order)."""
    columns = [c for c in table.column_names if c in expr.columns]
    missing = set(expr.columns) - set(columns)
    if missing:
        raise ValueError(f"{table.name} has no columns {sorted(missing)}")
    body = compile_sql(store, expr.select(*columns))
    store.execute(f"INSERT INTO {table.name} ({', '.join(columns)}) {body}")
