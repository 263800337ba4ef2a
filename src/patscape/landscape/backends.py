"""Ibis connections to the store: DuckDB (the embedded store), PostgreSQL (the server) and Spark.

The landscape is written once as Ibis expressions; these functions give it a backend to run on.
Spark has no store of its own: tables are copied in from a DuckDB store through Parquet files.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import ibis
from ibis.backends import BaseBackend

from patscape.store.base import Store
from patscape.store.target import duckdb_path, is_server_url

# The tables the landscape reads: the family fact table and its child tables, and the publications' tables
# that the text query searches.
LANDSCAPE_TABLES = (
    "family_facts",
    "family_fact_countries",
    "family_fact_owners",
    "family_fact_tags",
    "family_fact_sources",
    "owner_facts",
    "publications",
    "texts",
    "family_members",
    "ingest_log",
    "quarantine",
    "genai_labels",
    "patscape_meta",
)


def postgres_kwargs(url: str) -> dict[str, Any]:
    """``postgresql://user:password@host:port/database`` as ``ibis.postgres.connect`` arguments."""
    parts = urlparse(url)
    kwargs: dict[str, Any] = {
        "host": parts.hostname or "localhost",
        "port": parts.port or 5432,
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "database": parts.path.lstrip("/") or None,
    }
    return {k: v for k, v in kwargs.items() if v is not None}


def connect_store(store: Store) -> BaseBackend:
    """An Ibis backend over an open patscape store (DuckDB: the same connection; PostgreSQL: a new one)."""
    if getattr(store, "dialect", None) == "duckdb":
        return ibis.duckdb.from_connection(store.con)
    if getattr(store, "dialect", None) == "postgresql":
        return ibis.postgres.connect(**postgres_kwargs(store.url))
    raise ValueError(f"no Ibis backend for a store of dialect {getattr(store, 'dialect', None)!r}")


def connect_url(url: str) -> BaseBackend:
    """An Ibis backend from a DuckDB path (opened read-only, see ``store.duckdb_store.connect``) or a
    ``postgresql://`` URL."""
    if is_server_url(url):
        return ibis.postgres.connect(**postgres_kwargs(url))
    from patscape.store.duckdb_store import connect

    return ibis.duckdb.from_connection(connect(duckdb_path(url), read_only=True))


def existing_tables(con: BaseBackend, names: Iterable[str] = LANDSCAPE_TABLES) -> list[str]:
    have = set(con.list_tables())
    return [n for n in names if n in have]


def local_spark(app: str = "patscape", cores: int = 2, small: bool = False) -> Any:
    """A local Spark session (``local[cores]``), no UI.

    ``small``: for small tables (tests), where compiling generated code costs more than running the query:
    interpreted expressions, one shuffle partition and the JVM's quick compiler only.
    """
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.shuffle.partitions", "1" if small else str(cores * 2))
    )
    if small:
        builder = (
            builder.config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
            .config("spark.sql.codegen.wholeStage", "false")
            .config("spark.sql.adaptive.enabled", "false")
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
        )
    return builder.getOrCreate()


def spark_from_duckdb(
    duck: Any, session: Any, tables: Iterable[str] | None = None, folder: str | Path | None = None
) -> BaseBackend:
    """Copy tables of a DuckDB connection (or DuckDB store) into Spark temporary views via Parquet.

    ``folder`` keeps the Parquet files (default: a temporary folder that lives as long as the process, since
    Spark reads the files lazily).
    """
    con = getattr(duck, "con", duck)
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    names = [t for t in (tables or LANDSCAPE_TABLES) if t in have]
    target = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="patscape-spark-"))
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = target / f"{name}.parquet"
        con.execute(f"COPY {name} TO '{path}' (FORMAT PARQUET)")
        session.read.parquet(str(path)).createOrReplaceTempView(name)
    return ibis.pyspark.connect(session)


_PG_TYPES = {
    "VARCHAR": "TEXT",
    "DOUBLE": "DOUBLE PRECISION",
    "FLOAT": "REAL",
    "HUGEINT": "NUMERIC",
    "UBIGINT": "NUMERIC",
    "UINTEGER": "BIGINT",
    "USMALLINT": "INTEGER",
    "UTINYINT": "SMALLINT",
    "TINYINT": "SMALLINT",
}


def copy_duckdb_to_postgres(duck: Any, url: str, tables: Iterable[str] | None = None) -> list[str]:
    """Copy tables of a DuckDB connection (or store) into a PostgreSQL database (replacing them).

    Column types are DuckDB's, renamed where PostgreSQL spells them differently; rows go through COPY.
    """
    import psycopg

    con = getattr(duck, "con", duck)
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    names = [t for t in (tables or LANDSCAPE_TABLES) if t in have]
    with psycopg.connect(url, autocommit=False) as pg:
        for name in names:
            cols = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_name = ? ORDER BY ordinal_position",
                [name],
            ).fetchall()
            ddl = ", ".join(f"{c} {_PG_TYPES.get(t, t)}" for c, t in cols)
            pg.execute(f"DROP TABLE IF EXISTS {name}")
            pg.execute(f"CREATE TABLE {name} ({ddl})")
            column_list = ", ".join(c for c, _ in cols)
            cur = con.execute(f"SELECT {column_list} FROM {name}")
            with pg.cursor() as pcur, pcur.copy(f"COPY {name} ({column_list}) FROM STDIN") as copy:
                while batch := cur.fetchmany(50_000):
                    for row in batch:
                        copy.write_row(row)
        pg.commit()
    return names


# -- SQL compiled once, run many times (landscape/panels.py) -------------------------------------------------


def run_sql(con: BaseBackend, sql: str, schema: Any) -> Any:
    """The rows of a compiled query as a ``pyarrow.Table`` of ``schema`` (an Ibis schema), through the
    backend's own client: Ibis would compile the query again around the SQL text."""
    import pyarrow as pa

    target = schema.to_pyarrow()
    if con.name == "duckdb":
        table = con.con.execute(sql).to_arrow_table()
        return table.rename_columns(target.names).cast(target)
    if con.name == "pyspark":
        frame = con.raw_sql(sql).toPandas()
        return pa.Table.from_pandas(frame, schema=target, preserve_index=False)
    with con.raw_sql(sql) as cursor:
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in target.names]
    arrays = [
        pa.array([_plain(v) for v in values], type=f.type) for values, f in zip(columns, target, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=target)


def _plain(value: Any) -> Any:
    """A PostgreSQL value as Arrow takes it (``numeric`` arrives as ``Decimal``)."""
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def create_rows(con: BaseBackend, name: str, sql: str) -> None:
    """``name`` standing for the rows of ``sql`` where they are read: a temporary view on DuckDB (each reader
    runs ``sql``: a join with a selection costs less than writing the rows of a large one), a
    temporary table elsewhere (on PostgreSQL a view would pin the temporary tables it reads, which are
    replaced; on Spark ``create_temp`` makes a view already)."""
    if con.name == "duckdb":
        con.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")
    else:
        create_temp(con, name, sql)


def create_temp(con: BaseBackend, name: str, sql: str) -> None:
    """A temporary table (a view on Spark) ``name`` holding the rows of ``sql``, replacing any before."""
    if con.name == "duckdb":
        con.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    elif con.name == "pyspark":
        con.raw_sql(sql).createOrReplaceTempView(name)
    else:
        with con.raw_sql(f"DROP TABLE IF EXISTS pg_temp.{name}"):
            pass
        with con.raw_sql(f"CREATE TEMP TABLE {name} AS {sql}"):
            pass


def create_kept(con: BaseBackend, name: str, sql: str) -> None:
    """A temporary table made once and then read by many queries (the dashboard's working copies), as
    ``create_temp``, compressed on DuckDB: DuckDB keeps a temporary table uncompressed until its
    connection's temporary database is checkpointed, and the panels' scans of compressed copies take a
    tenth to a half less time (a filter on a column of one repeated string: 26 against 13 ms over 1.8 M
    rows; a sixth less per filter change), in a third of the memory (bench/README.md). DuckDB refuses the
    checkpoint within a transaction that has written: call it outside one (the panels run in autocommit)."""
    create_temp(con, name, sql)
    if con.name == "duckdb":
        con.con.execute("CHECKPOINT temp")
