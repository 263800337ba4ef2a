"""The embedded default: one DuckDB file, no server."""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from patscape.store import schema
from patscape.store.base import MemoryCapExceeded, Store
from patscape.store.freshness import SEARCH_INDEX, NeedsUpdate, generation, mark_covered
from patscape.store.target import StoreBusy

_log = logging.getLogger(__name__)
_FTS_TABLE = "search_documents"
_NO_WAL_ALIAS = "patscape_store"
CHECKPOINT_BYTES = 512 * 1024 * 1024  # without a write-ahead log: inserted data between checkpoints
MiB = 1024 * 1024
_BULK_SETTINGS = "('threads', 'memory_limit', 'checkpoint_threshold')"  # what bulk_load changes
BULK_MEMORY = 64 * MiB  # DuckDB's buffer pool for an ingest's data, beside its in-memory indexes


_NO_MEMORY = re.compile(r"(failed to pin|could not allocate|failed to allocate) (block|data)|Out of Memory")


def _out_of_memory(exc: BaseException) -> bool:
    """DuckDB could not pin a block under its memory limit (raised as such, or as a failed COMMIT)."""
    return isinstance(exc, duckdb.OutOfMemoryException) or (
        isinstance(exc, duckdb.Error) and _NO_MEMORY.search(str(exc)) is not None
    )


def _memory_ceiling() -> int:
    """80 % of the machine's memory: DuckDB's default memory limit."""
    return int(0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))


def _fts_extension() -> Path:
    import duckdb_extension_fts

    root = Path(duckdb_extension_fts.__file__).parent / "extensions"
    found = sorted(root.glob(f"v{duckdb.__version__}/*.duckdb_extension")) or sorted(
        root.rglob("*.duckdb_extension")
    )
    if not found:
        raise RuntimeError(f"the DuckDB fts extension is not installed under {root}")
    return found[0]


# An extension repository that does not exist: an INSTALL by name (ours never does one; a library might)
# fails at once instead of downloading from extensions.duckdb.org.
_NO_REPOSITORY = "/nonexistent/patscape-installs-no-duckdb-extensions"


def temp_directory(path: Path) -> Path:
    """Where DuckDB spills what does not fit its memory limit: ``$PATSCAPE_TMP``, else beside the database
    (``<file>.tmp``, DuckDB's own choice for a file it opens), else, when the database's folder cannot be
    written (read-only storage), the system's temporary folder. Never the working directory, which DuckDB
    takes for a database it attaches to an in-memory one."""
    configured = os.environ.get("PATSCAPE_TMP")
    if configured:
        return Path(configured)
    folder = path.absolute().parent
    if os.access(folder, os.W_OK):
        return folder / f"{path.name}.tmp"
    return Path(tempfile.gettempdir()) / f"patscape-{os.getuid()}"


def _config(path: Path) -> dict[str, Any]:
    return {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "custom_extension_repository": _NO_REPOSITORY,
        "autoinstall_extension_repository": _NO_REPOSITORY,
        "temp_directory": str(temp_directory(path)),
    }


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # DuckDB draws its own bar on stdout for a query past two seconds, into `--json` output too
    con.execute("SET enable_progress_bar = false")
    return con


def connect(path: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to a DuckDB file that never installs or loads an extension by itself and spills to
    ``temp_directory(path)``."""
    return _quiet(duckdb.connect(str(path), read_only=read_only, config=_config(Path(path))))


def _connect_memory(path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection, as ``connect``, to which ``path`` is attached afterwards."""
    return _quiet(duckdb.connect(":memory:", config=_config(path)))


# Declared arrow types spare pyarrow the inference; dates travel as ISO text and DuckDB casts them.
_ARROW_TYPES = {
    "TEXT": pa.string(),
    "SMALLINT": pa.int16(),
    "INTEGER": pa.int32(),
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
    interrupted run reads again exactly what was lost. `bench/ingest.py` (1 GB of grants) run once each
    way: 30.6 s and 355 MB of peak RSS for the process tree without the log, 36.0 s and 371 MB with it."""

    dialect = "duckdb"
    secondary_indexes = False

    def __init__(self, path: str | Path, read_only: bool = False, wal: bool = True) -> None:
        self.path = Path(path)
        self.url = str(self.path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.wal = wal or read_only
        self.read_only = read_only
        try:
            if self.wal:
                self.con = connect(self.path, read_only=read_only)
            else:
                self.con = _connect_memory(self.path)
                quoted = str(self.path).replace("'", "''")
                self.con.execute(f"ATTACH '{quoted}' AS {_NO_WAL_ALIAS} (RECOVERY_MODE no_wal_writes)")
                self.con.execute(f"USE {_NO_WAL_ALIAS}")
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise StoreBusy(
                f"{self.path} is open in another process that writes to it (DuckDB allows one writer "
                "and no reader beside it): wait for it to finish"
            ) from None
        self.checkpoint_bytes = CHECKPOINT_BYTES
        self.bulk_memory = BULK_MEMORY
        self._unsaved_bytes = 0  # inserted since the last checkpoint, without a write-ahead log
        self._in_transaction = False
        self._bulk = False
        self._memory_limit = 0

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.con.execute(sql, list(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def fetch_column(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return [row[0] for row in self.con.execute(sql, list(params)).fetchall()]

    def insert_rows(self, table: schema.Table, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.insert_columns(table, list(zip(*rows, strict=True)))  # every row has every column

    def insert_columns(self, table: schema.Table, columns: Sequence[Sequence[Any]]) -> None:
        arrow_schema = _arrow_schema(table)
        arrays = [pa.array(values, type=f.type) for values, f in zip(columns, arrow_schema, strict=True)]
        batch = pa.Table.from_arrays(arrays, schema=arrow_schema)
        # a relation over the batch: a replacement scan finds a variable through the calling frames, and a
        # registered name is shared by every thread using the connection
        self.con.from_arrow(batch).insert_into(table.name)
        self._unsaved_bytes += batch.nbytes

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        if self._bulk:
            self._fit_memory_limit()
        self.con.execute("BEGIN TRANSACTION")
        self._in_transaction = True
        committing = False
        try:
            yield
            committing = True
            if self._bulk:
                self._commit_memory()
            self.con.execute("COMMIT")
        except BaseException as exc:
            self._rollback()
            # a COMMIT that failed leaves the rolled-back keys in DuckDB's in-memory primary-key index (a
            # retry meets "Duplicate key" for a key not stored): only a statement that failed is retried
            if _out_of_memory(exc) and not committing:
                raise MemoryCapExceeded(str(exc).splitlines()[0]) from exc
            raise
        else:
            if not self.wal and self._unsaved_bytes >= self.checkpoint_bytes:
                self.checkpoint()
        finally:
            self._in_transaction = False

    def _commit_memory(self) -> None:
        """A bulk load's COMMIT may use the machine's memory: it moves the batch into the table and its index
        at once, and one that fails cannot be retried (see ``transaction``)."""
        limit = _memory_ceiling()
        self.con.execute(f"SET memory_limit = '{limit // 1024}KiB'")
        self._memory_limit = limit

    def _rollback(self) -> None:
        with suppress(duckdb.Error):  # a failed COMMIT has ended the transaction already
            self.con.execute("ROLLBACK")

    def checkpoint(self) -> None:
        self.con.execute("CHECKPOINT")
        self._unsaved_bytes = 0

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Bound DuckDB's memory while ingesting: one thread and a small buffer pool.

        Measured with `bench/ingest.py --size-mb 200`: the defaults (all cores, 80 % of RAM) let the process
        grow with the input (~90 MB per 100 MB of XML); these keep it nearly flat (~10 MB per 100 MB).
        Queries afterwards get the defaults back.

        Checkpoints are spaced 512 MB apart (``checkpoint_threshold`` with a write-ahead log,
        ``checkpoint_bytes`` without): each one rewrites the row group that the long texts are still
        filling (122,880 rows, ~40,000 full-text grants), so close ones cost more as the data grow:
        `bench/ingest.py` (1 GB) took 52 s with checkpoints 64 MB apart, 35 s with 512 MB. Data beyond
        the 64 MB buffer pool spill to DuckDB's temporary file and are read back by the checkpoint.

        Arrow's buffers come from the system allocator meanwhile: with pyarrow's default (mimalloc)
        `bench/ingest.py` showed 35 MB more peak RSS, the batches' freed memory kept. The last checkpoint
        is taken here, under the small buffer pool, rather than at close with the defaults back.

        The memory limit is the buffer pool (``bulk_memory``) plus the primary-key indexes, which DuckDB
        keeps in memory and never spills: under a fixed 64 MB limit the index of a growing ``publications``
        table took the pool from the data until a batch could not pin a block (``OutOfMemoryException:
        failed to pin block``, building bench/landscape.py's base database). What a batch itself holds
        until it commits grows with the batch: one whose statements do not fit is written again under a
        doubled pool (``raise_memory_cap``), and its COMMIT may use the machine's memory (``_commit_memory``).
        tests/store/test_memory_cap.py shows both.
        """
        before = self.fetch(f"SELECT name, value FROM duckdb_settings() WHERE name IN {_BULK_SETTINGS}")
        self.con.execute("SET threads = 1")
        self.con.execute("SET checkpoint_threshold = '512MB'")
        self._bulk = True
        self._fit_memory_limit()
        arrow_pool = pa.default_memory_pool()
        pa.set_memory_pool(pa.system_memory_pool())
        try:
            yield
            self._fit_memory_limit()
            self.checkpoint()  # under the small buffer pool, not at close with the defaults
        finally:
            self._bulk = False
            self._memory_limit = 0
            pa.set_memory_pool(arrow_pool)
            for row in before:
                self.con.execute(f"SET {row['name']} = '{row['value']}'")

    def raise_memory_cap(self) -> bool:
        """Double the bulk load's buffer pool (up to 80 % of the machine's memory, DuckDB's default) after a
        transaction that needed more than DuckDB could spill: what a batch holds until it commits (its rows
        and the index of its new keys) and the memory a query pins grow with the batch, not the input."""
        ceiling = _memory_ceiling()
        if not self._bulk or self.bulk_memory >= ceiling:
            return False
        self.bulk_memory = min(2 * self.bulk_memory, ceiling)
        _log.warning(
            "DuckDB's buffer pool for this ingest raised to %d MiB (a batch did not fit)",
            self.bulk_memory // MiB,
        )
        return True

    def _fit_memory_limit(self) -> None:
        """``memory_limit`` = ``bulk_memory`` + what DuckDB's indexes hold in memory (loaded as they are
        used), rounded up to 4 MiB; set before every transaction of a bulk load."""
        indexes = int(
            self.scalar(
                "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'"
            )
        )
        limit = self.bulk_memory + -(-indexes // (4 * MiB)) * 4 * MiB
        if limit != self._memory_limit:
            self.con.execute(f"SET memory_limit = '{limit // 1024}KiB'")
            self._memory_limit = limit

    def _load_fts(self) -> None:
        """Load the fts extension from its Python package, without installing it anywhere."""
        self.con.execute(f"LOAD '{_fts_extension()}'")

    def build_search_index(self) -> None:
        """(Re)build the BM25 index over title, abstract and claims; DuckDB's FTS index is not incremental.
        A writing command's step (ingest, enrich): a search only reads it."""
        covered = generation(self)
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
        self.execute("DELETE FROM patscape_meta WHERE key = 'search_index'")  # the flag before generations
        mark_covered(self, SEARCH_INDEX, covered)

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """BM25 over the index the last ingest or enrich built (see ``search_coverage`` for its age)."""
        index_schema = f"fts_main_{_FTS_TABLE}"
        if not self.scalar(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?", (index_schema,)
        ):
            raise NeedsUpdate(
                f"no full-text index in {self.url}: build it with `patscape enrich --db {self.url}`", []
            )
        self._load_fts()
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
