"""The lake's tables: the store's schema (``store/schema.py``) as Spark and Arrow types, never restated.

Publications and their detail tables are partitioned by office (the publishing country) and publication
year; the other tables are small or keyed otherwise and are not partitioned. The manifest of inputs is the
store's ``ingest_log`` with one more column: the partitions each input wrote to.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa

from patscape.store import schema
from patscape.store.schema import Table

PARTITION_COLUMNS = ("office", "year")  # hive-style folders: office=US/year=2019
PARTITIONED = (schema.PUBLICATIONS, *schema.DETAIL_TABLES)
MANIFEST = Table(
    schema.INGEST_LOG.name,
    (*schema.INGEST_LOG.columns, ("partitions", "TEXT")),  # "office=US/year=2019,..." written to
    schema.INGEST_LOG.primary_key,
)
INGEST_TABLES = (*PARTITIONED, schema.ATTACHMENTS, schema.QUARANTINE, MANIFEST)

_ARROW = {
    "TEXT": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "BOOLEAN": pa.bool_(),
    "DOUBLE PRECISION": pa.float64(),
}


def sql_type(declared: str) -> tuple[str, bool]:
    """``TEXT NOT NULL`` -> (``TEXT``, not nullable)."""
    base = declared.removesuffix(" NOT NULL")
    return base, base == declared


def date_columns(table: Table) -> list[int]:
    """Positions of the DATE columns (rows carry them as ISO text; Arrow wants dates)."""
    return [i for i, (_, t) in enumerate(table.columns) if sql_type(t)[0] == "DATE"]


def arrow_fields(table: Table) -> list[pa.Field]:
    return [pa.field(c, _ARROW[sql_type(t)[0]], nullable=sql_type(t)[1]) for c, t in table.columns]


def arrow_schema(table: Table, partitioned: bool = False) -> pa.Schema:
    fields = arrow_fields(table)
    if partitioned:
        fields += [pa.field("office", pa.string()), pa.field("year", pa.int32())]
    return pa.schema(fields)


def spark_schema(table: Table, partitioned: bool | None = None):  # type: ignore[no-untyped-def]
    """The Spark ``StructType`` of a table (with the partition columns where the table has them)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    if partitioned is None:
        partitioned = table in PARTITIONED
    return from_arrow_schema(arrow_schema(table, partitioned), prefer_timestamp_ntz=True)


def by_name(name: str) -> Table:
    for table in (*schema.ALL_TABLES, MANIFEST):
        if table.name == name:
            return MANIFEST if name == MANIFEST.name else table
    raise KeyError(f"no table named {name}")


def names(tables: Iterable[Table]) -> list[str]:
    return [t.name for t in tables]


def conform(frame, table: Table):  # type: ignore[no-untyped-def]
    """A DataFrame with exactly the table's columns and types (as an INSERT into the table would cast)."""
    from pyspark.sql import functions as F

    return frame.select(
        *(F.col(f.name).cast(f.dataType).alias(f.name) for f in spark_schema(table, False).fields)
    )
