"""The multi-user server: PostgreSQL, with the same schema as the embedded store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row

from patscape.store import schema
from patscape.store.base import Store
from patscape.store.freshness import SEARCH_INDEX, Coverage, generation, mark_covered
from patscape.store.target import NoDatabase, create_hint, redact

_KINDS = ", ".join(f"'{k}'" for k in schema.SEARCHED_TEXT_KINDS)
_TSV = "to_tsvector('simple', coalesce(text, ''))"


def _sql(sql: str) -> str:
    """Our SQL uses ``?`` placeholders (DuckDB's); psycopg wants ``%s``."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresStore(Store):
    dialect = "postgresql"

    _IN_LIST = "{column} = ANY(?::text[])"

    def __init__(self, url: str, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        # a reading command's session refuses every write, as a read-only DuckDB file does
        options = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row, **options)
        except psycopg.OperationalError as exc:
            if "does not exist" not in str(exc):
                raise
            shown = redact(url)
            raise NoDatabase(
                f"no database at {shown} ({str(exc).strip().splitlines()[-1]}): create it with createdb, "
                f"then {create_hint(shown).removeprefix('create one with ')}"
            ) from None

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.execute(_sql(sql), list(params))

    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return list(self.conn.execute(_sql(sql), list(params)).fetchall())

    def insert_rows(self, table: schema.Table, rows: list[tuple[Any, ...]]) -> None:
        cols = ", ".join(table.column_names)
        with self.conn.cursor() as cur, cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def create_schema(self) -> None:
        super().create_schema()
        self.execute(
            f"CREATE INDEX IF NOT EXISTS texts_fts_idx ON texts USING GIN ({_TSV}) WHERE kind IN ({_KINDS})"
        )

    def build_search_index(self) -> None:
        """The GIN index is maintained by PostgreSQL on every write; only statistics need refreshing."""
        covered = generation(self)
        self.execute("ANALYZE texts")
        mark_covered(self, SEARCH_INDEX, covered)

    def search_coverage(self) -> Coverage:
        current = generation(self)
        return Coverage(SEARCH_INDEX, current, current)  # kept current by PostgreSQL itself

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        return self.fetch(
            f"SELECT t.pub_key, round(sum(ts_rank({_TSV}, q))::numeric, 4)::float AS score, "
            "max(p.title) AS title "
            f"FROM texts t JOIN publications p USING (pub_key), plainto_tsquery('simple', ?) q "
            f"WHERE t.kind IN ({_KINDS}) AND {_TSV} @@ q "
            "GROUP BY t.pub_key ORDER BY score DESC, t.pub_key LIMIT ?",
            (query, limit),
        )

    def close(self) -> None:
        self.conn.close()
