"""The embedded default: one DuckDB file, no server."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from patscape.store import schema
from patscape.store.base import Store

_FTS_TABLE = "search_documents"
_NO_WAL_ALIAS = "patscape_store"
CHECKPOINT_BYTES = 512 * 1024 * 1024  # without a write-ahead log: inserted data between checkpoints


def _fts_extension() -> Path:
    import duckdb_extension_fts

    root = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(root.glob(f"v{duckdb.__version__}/*.duckdb_extension")) or sorted(
        root.rglob("*.duckdb_extension")
    )
    if not found:
        raise RuntimeError(f"the DuckDB fts extension is not installed under {root}")
    return found[0]


# Declared arrow types spare pyarrow the inference; dates travel as ISO text and DuckDB casts them.
_ARROW_TYPES = {
    "TEXT": pa.string(),
    "INTEGER": pa.int64(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.string(),
}


@cache
def _arrow_schema(table: schema.Table) -> pa.Schema:
    fields = []
    for name, sql_type in table.columns:
        base = sql_type.split()[0].upper()
        fields.append(
            pa.field(name, pa.timestamp("s") if base == "TIMESTAMP" else _ARROW_TYPES.get(base, pa.string()))
        )
    return pa.schema(fields)


class DuckDBStore(Store):
    """A DuckDB file. ``wal=False`` writes no write-ahead log: a commit does not write its bytes a second
    time, and the data become durable at checkpoints instead (every ``checkpoint_bytes`` of inserted data,
    at the end of a bulk load and at close). A crash loses what came after the last checkpoint: meant for
    ``patscape ingest``, whose progress log lives in the same file and is lost with the data, so that an
    interrupted run reads again exactly what was lost. On 1 GB of grants (one run each): 30.6 s and
    355 MB of peak RSS for the process tree, against 36.0 s and 371 MB with the log."""

    dialect = "duckdb"
    secondary_indexes = False

    def __init__(self, path: str | Path, read_only: bool = False, wal: bool = True) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.wal = wal or read_only
        if self.wal:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        else:
            self.con = duckdb.connect()
            quoted = str(self.path).replace("'", "''")
            self.con.execute(f"ATTACH '{quoted}' AS {_NO_WAL_ALIAS} (RECOVERY_MODE no_wal_writes)")
            self.con.execute(f"USE {_NO_WAL_ALIAS}")
        self.checkpoint_bytes = CHECKPOINT_BYTES
        self._unsaved_bytes = 0  # inserted since the last checkpoint, without a write-ahead log
        self._in_transaction = False

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def fetch_column(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return [row[0] for row in self.con.execute(sql, list(params)).fetchall()]

    def insert_rows(self, table: schema.Table, rows: list[tuple[Any, ...]]) -> None:
        names = table.column_names
        arrow_schema = _arrow_schema(table)
        by_column = zip(*rows, strict=True)  # every row has every column
        columns = [
            pa.array(values, type=field.type) for values, field in zip(by_column, arrow_schema, strict=True)
        ]
        # read by name through DuckDB's replacement scan of the caller's variables: registering and
        # unregistering a view costs 0.45 ms a call, as much as the insert itself
        _patscape_batch = pa.Table.from_arrays(columns, schema=arrow_schema)
        self.con.execute(f"INSERT INTO {table.name} ({', '.join(names)}) SELECT * FROM _patscape_batch")
        self._unsaved_bytes += _patscape_batch.nbytes

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")
            if not self.wal and self._unsaved_bytes >= self.checkpoint_bytes:
                self.checkpoint()
        finally:
            self._in_transaction = False

    def checkpoint(self) -> None:
        self.con.execute("CHECKPOINT")
        self._unsaved_bytes = 0

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Bound DuckDB's memory while ingesting: one thread and a small buffer pool.

        Measured on a 200 MB weekly file: the defaults (all cores, 80 % of RAM) let the process grow with
        the input (~90 MB per 100 MB of XML); these keep it nearly flat (~10 MB per 100 MB). Queries
        afterwards get the defaults back.

        Checkpoints are spaced 512 MB apart (``checkpoint_threshold`` with a write-ahead log,
        ``checkpoint_bytes`` without): each one rewrites the row group that the long texts are still
        filling (122,880 rows, ~40,000 full-text grants), so close ones cost more as the data grow; on the
        1 GB benchmark 64 MB apart took 52 s, 512 MB apart 35 s. Data beyond the 64 MB buffer pool spill
        to DuckDB's temporary file and are read back by the checkpoint. One checkpoint at the end (4 GB)
        was no faster: 4 s then, against 2.5 s midway and 1 s at the end.

        Arrow's buffers come from the system allocator meanwhile: pyarrow's default (mimalloc) kept 35 MB
        more of the batches' freed memory. The last checkpoint is taken here, under the small buffer pool,
        rather than at close with the defaults back.
        """
        before = self.fetch(
            "SELECT name, value FROM duckdb_settings() "
            "WHERE name IN ('threads', 'memory_limit', 'checkpoint_threshold')"
        )
        self.con.execute("SET threads = 1")
        self.con.execute("SET memory_limit = '64MB'")
        self.con.execute("SET checkpoint_threshold = '512MB'")
        arrow_pool = pa.default_memory_pool()
        pa.set_memory_pool(pa.system_memory_pool())
        try:
            yield
            self.checkpoint()  # under the small buffer pool, not at close with the defaults
        finally:
            pa.set_memory_pool(arrow_pool)
            for row in before:
                self.con.execute(f"SET {row['name']} = '{row['value']}'")

    def _load_fts(self) -> None:
        self.con.execute(f"INSTALL '{_fts_extension()}'")
        self.con.execute("LOAD fts")

    def build_search_index(self) -> None:
        """(Re)build the BM25 index over title, abstract and claims; DuckDB's FTS index is not incremental."""
        self._load_fts()
        kinds = ", ".join(f"'{k}'" for k in schema.SEARCHED_TEXT_KINDS)
        pivot = ", ".join(
            f"string_agg(text, ' ') FILTER (WHERE kind = '{k}') AS {k}" for k in schema.SEARCHED_TEXT_KINDS
        )
        self.con.execute(
            f"CREATE OR REPLACE TABLE {_FTS_TABLE} AS SELECT pub_key, {pivot} FROM texts "
            f"WHERE kind IN ({kinds}) GROUP BY pub_key"
        )
        cols = ", ".join(f"'{k}'" for k in schema.SEARCHED_TEXT_KINDS)
        self.con.execute(
            f"PRAGMA create_fts_index('{_FTS_TABLE}', 'pub_key', {cols}, stemmer='english', "
            "stopwords='english', strip_accents=1, lower=1, overwrite=1)"
        )
        self.set_meta("search_index", "fresh")

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        self._load_fts()
        if self.meta("search_index") != "fresh":
            self.build_search_index()
        return self.fetch(
            f"SELECT d.pub_key, round(fts_main_{_FTS_TABLE}.match_bm25(d.pub_key, ?), 4) AS score, p.title "
            f"FROM {_FTS_TABLE} d JOIN publications p USING (pub_key) "
            "WHERE score IS NOT NULL ORDER BY score DESC, d.pub_key LIMIT ?",
            (query, limit),
        )

    def close(self) -> None:
        if not self.wal:
            self.checkpoint()
        self.con.close()
