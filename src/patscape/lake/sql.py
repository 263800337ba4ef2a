"""The store's enrichment SQL, run on Spark as it is written for DuckDB and PostgreSQL.

The statements are ``INSERT INTO table (columns) SELECT ...``; Spark runs their ``SELECT`` over temporary
views of the lake's tables. Only spellings Spark does not take are translated.
"""

from __future__ import annotations

import re
from typing import Any

_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+\w+\s*\([^)]*\)\s*", re.IGNORECASE)
_SPELLINGS = ((re.compile(r"\bDOUBLE PRECISION\b", re.IGNORECASE), "DOUBLE"),)


def select_of(insert: str) -> str:
    """The query of an ``INSERT INTO t (...) <query>`` statement, in Spark's spelling."""
    match = _INSERT.match(insert)
    if not match:
        raise ValueError("not an INSERT INTO table (columns) statement")
    query = insert[match.end() :]
    for pattern, spelling in _SPELLINGS:
        query = pattern.sub(spelling, query)
    return query


def run_insert(spark: Any, insert: str, columns: list[str]) -> Any:
    """The rows an INSERT statement of the store would add, as a DataFrame with the table's columns."""
    return spark.sql(select_of(insert)).toDF(*columns)
