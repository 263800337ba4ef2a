"""What every store backend does, written once over a small set of backend primitives."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from patscape.record import Attachment, Publication, Rejected
from patscape.store import schema
from patscape.store.freshness import SEARCH_INDEX, Coverage, coverage
from patscape.store.merge import merge
from patscape.store.rows import (
    Prepared,
    attachment_row,
    now,
    prepare,
    publication_from_rows,
    quarantine_row,
)

NO_DATE = "no publication date"


class MemoryCapExceeded(Exception):
    """A transaction needed more memory than the store's cap while bulk loading; it was rolled back."""


@dataclass(slots=True)
class BatchCounts:
    read: int = 0
    stored: int = 0  # new publications
    replaced: int = 0  # a later version or a merge replaced the stored one
    unchanged: int = 0  # identical to (or older than) what is stored
    rejected: int = 0
    attached: int = 0

    def add(self, other: BatchCounts) -> None:
        for name in self.__slots__:  # type: ignore[attr-defined]
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.__slots__}  # type: ignore[attr-defined]


@dataclass(slots=True)
class _Stored:
    content_hash: str
    version: str | None
    precedence: int
    record: Prepared | None = None  # known when written earlier in the same batch


@dataclass(slots=True)
class _Plan:
    """What one batch will write."""

    write: dict[str, Prepared] = field(default_factory=dict)
    replace: set[str] = field(default_factory=set)
    counts: BatchCounts = field(default_factory=BatchCounts)


class Store(ABC):
    """A patscape database. Backends implement the primitives; the semantics live here."""

    dialect: str
    url: str
    read_only: bool = False  # opened by a command that only reads: any write fails
    secondary_indexes = True  # DuckDB scans with zone maps; its ART indexes only cost memory on ingest

    # -- primitives ---------------------------------------------------------------------------
    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]: ...

    @abstractmethod
    def insert_rows(self, table: schema.Table, rows: list[tuple[Any, ...]]) -> None: ...

    def insert_columns(self, table: schema.Table, columns: Sequence[Sequence[Any]]) -> None:
        """Rows given column by column, in ``table``'s column order (a backend that reads columns builds no
        tuple per row)."""
        self.insert_rows(table, list(zip(*columns, strict=True)))

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]: ...

    @abstractmethod
    def build_search_index(self) -> None: ...

    @abstractmethod
    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]: ...

    def search_coverage(self) -> Coverage:
        """How current the full-text index is (built by ingest and enrich, read by search)."""
        return coverage(self, SEARCH_INDEX)

    @abstractmethod
    def close(self) -> None: ...

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Settings for a long stream of writes (a backend may bound its memory here)."""
        yield

    def raise_memory_cap(self) -> bool:
        """After :class:`MemoryCapExceeded`: give the bulk load more memory; False when it cannot."""
        return False

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ---------------------------------------------------------------------------------
    def create_schema(self) -> None:
        with self.transaction():
            for table in schema.ALL_TABLES:
                for stmt in table.ddl(self.secondary_indexes):
                    self.execute(stmt)
            self.execute("DELETE FROM patscape_meta WHERE key = ?", ("schema_version",))
            self.execute(
                "INSERT INTO patscape_meta VALUES (?, ?)", ("schema_version", str(schema.SCHEMA_VERSION))
            )

    def meta(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM patscape_meta WHERE key = ?", (key,))

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.execute("DELETE FROM patscape_meta WHERE key = ?", (key,))
            self.execute("INSERT INTO patscape_meta VALUES (?, ?)", (key, value))

    def fetch_column(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The first column of every row (a backend may skip making dicts)."""
        return [next(iter(r.values())) for r in self.fetch(sql, params)]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.fetch(sql, params)
        return next(iter(rows[0].values())) if rows else None

    def has_table(self, name: str) -> bool:
        return bool(
            self.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", (name,))
        )

    # -- ingest log -----------------------------------------------------------------------------
    def input_status(self, input_hash: str) -> dict[str, Any] | None:
        rows = self.fetch("SELECT * FROM ingest_log WHERE input_hash = ?", (input_hash,))
        return rows[0] if rows else None

    def log_input(
        self,
        input_hash: str,
        file: str,
        member: str | None,
        size: int,
        reader: str | None,
        status: str,
        counts: BatchCounts | None = None,
        items_done: int = 0,
        message: str | None = None,
    ) -> None:
        """Record the state of one input; called inside the transaction that wrote its last batch."""
        counts = counts or BatchCounts()
        timestamp = now()
        finished = timestamp if status != "running" else None
        progress = (status, items_done, *counts.as_dict().values(), message, finished)
        updated = self.fetch(
            "UPDATE ingest_log SET status = ?, items_done = ?, read = ?, stored = ?, replaced = ?, "
            "unchanged = ?, rejected = ?, attached = ?, message = ?, finished_at = ? "
            "WHERE input_hash = ? RETURNING input_hash",
            (*progress, input_hash),
        )
        if not updated:
            row = (input_hash, file, member, size, reader, *progress[:-1], timestamp, finished)
            self.insert_rows(schema.INGEST_LOG, [row])

    # -- writing --------------------------------------------------------------------------------
    def write_batch(
        self,
        items: Sequence[Publication | Prepared | Rejected | Attachment],
        input_hash: str,
        precedence: int,
    ) -> BatchCounts:
        """Write one batch of records; the caller wraps it in a transaction with the log update."""
        timestamp = now()
        pubs = [
            i if isinstance(i, Prepared) else prepare(i, precedence)
            for i in items
            if isinstance(i, Prepared | Publication)
        ]
        plan = self._plan(pubs)
        rejected = [i for i in items if isinstance(i, Rejected)]
        attachments = [i for i in items if isinstance(i, Attachment)]
        plan.counts.rejected = len(rejected)
        plan.counts.attached = len(attachments)
        plan.counts.read = len(items) - len(attachments)

        if plan.replace:
            self._delete_publications(sorted(plan.replace))
        rows: dict[str, list[tuple[Any, ...]]] = {
            t.name: [] for t in (schema.PUBLICATIONS, *schema.DETAIL_TABLES)
        }
        for prepared in plan.write.values():
            for name, table_rows in prepared.rows.items():
                rows[name].extend(table_rows)
        for table in (schema.PUBLICATIONS, *schema.DETAIL_TABLES):
            if rows[table.name]:
                self.insert_rows(table, rows[table.name])
        if attachments:
            att_rows = list({(a.pub_key, a.kind, a.detail): attachment_row(a) for a in attachments}.values())
            for pub_key, kind, detail, *_ in att_rows:
                self.execute(
                    "DELETE FROM attachments WHERE pub_key = ? AND kind = ? AND coalesce(detail, '') = ?",
                    (pub_key, kind, detail or ""),
                )
            self.insert_rows(schema.ATTACHMENTS, att_rows)
        notes = [  # a recovered record is stored, and its note listed in the quarantine
            quarantine_row(
                Rejected(p.source, p.recovered, pub_key=p.pub_key), input_hash, timestamp, "recovered"
            )
            for p in pubs
            if p.recovered
        ]
        if rejected or notes:
            q_rows = list(
                {
                    r[0]: r for r in [*(quarantine_row(x, input_hash, timestamp) for x in rejected), *notes]
                }.values()
            )
            self._delete_where_in("quarantine", "quarantine_id", [r[0] for r in q_rows])
            self.insert_rows(schema.QUARANTINE, q_rows)
        return plan.counts

    def _plan(self, pubs: list[Prepared]) -> _Plan:
        """Decide, record by record, what the batch writes.

        A record of a publication already stored is merged with it: the side with the higher precedence
        (office XML over exports), then the later version, then the later arrival wins each field it has,
        and the other side fills the fields it lacks. A merge that changes nothing leaves the row alone.
        """
        plan = _Plan()
        if not pubs:
            return plan
        keys = sorted({p.pub_key for p in pubs})
        stored: dict[str, _Stored] = {
            r["pub_key"]: _Stored(r["content_hash"], r["version"], r["precedence"] or 0)
            for r in self._fetch_in(
                "SELECT pub_key, content_hash, version, precedence FROM publications", "pub_key", keys
            )
        }
        in_db = set(stored)
        differing = [p.pub_key for p in pubs if p.pub_key in stored]
        loaded = self.load_many(differing) if differing else {}
        for new in pubs:
            before = stored.get(new.pub_key)
            if before is None:
                outcome = new
            elif before.content_hash == new.content_hash:
                plan.counts.unchanged += 1
                continue
            else:
                old = before.record.publication() if before.record else loaded[new.pub_key]
                new_wins = (new.precedence, new.version or "") >= (before.precedence, before.version or "")
                pub = new.publication()
                merged = merge(pub, old) if new_wins else merge(old, pub)
                merged_hash = merged.content_hash()
                if merged_hash == before.content_hash:
                    plan.counts.unchanged += 1
                    continue
                outcome = prepare(merged, max(new.precedence, before.precedence), merged_hash)
            if new.pub_key not in plan.write:  # a second record in the same batch is counted once
                if new.pub_key in in_db:
                    plan.counts.replaced += 1
                    plan.replace.add(new.pub_key)
                else:
                    plan.counts.stored += 1
            plan.write[new.pub_key] = outcome
            stored[new.pub_key] = _Stored(outcome.content_hash, outcome.version, outcome.precedence, outcome)
        return plan

    # The values travel as one list parameter: DuckDB binds one list much faster than one parameter each.
    _IN_LIST = "{column} IN (SELECT unnest(?))"
    _CHUNK = 10_000

    def _fetch_in(self, select: str, column: str, values: list[str]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        condition = self._IN_LIST.format(column=column)
        for start in range(0, len(values), self._CHUNK):
            out.extend(self.fetch(f"{select} WHERE {condition}", (values[start : start + self._CHUNK],)))
        return out

    def _delete_where_in(self, table: str, column: str, values: list[str]) -> None:
        condition = self._IN_LIST.format(column=column)
        for start in range(0, len(values), self._CHUNK):
            self.execute(f"DELETE FROM {table} WHERE {condition}", (values[start : start + self._CHUNK],))

    def _delete_publications(self, keys: list[str]) -> None:
        for table in (*schema.DETAIL_TABLES, schema.PUBLICATIONS):
            self._delete_where_in(table.name, "pub_key", keys)

    # -- reading --------------------------------------------------------------------------------
    def resolve_key(self, text: str) -> str | None:
        """The stored key a user typed: any spelling of it (``US6530116B2``, ``TW-I843770-B``), or, when the
        kind is left off (``US6530116``), the only stored key with that country and number. None when no
        stored publication (or more than one) answers."""
        from patscape.record import normalise_pub_key

        typed = text.strip()
        try:
            key = normalise_pub_key(typed)
        except ValueError:
            key = typed.upper()
        for candidate in dict.fromkeys((key, typed, typed.upper())):
            if self.scalar("SELECT count(*) FROM publications WHERE pub_key = ?", (candidate,)):
                return candidate
        literal = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self.fetch(
            "SELECT pub_key FROM publications WHERE pub_key LIKE ? ESCAPE '\\' ORDER BY pub_key LIMIT 2",
            (literal + "-_%",),
        )
        return rows[0]["pub_key"] if len(rows) == 1 else None

    def load(self, pub_key: str) -> Publication | None:
        """The stored record of one publication, or None."""
        return self.load_many([pub_key]).get(pub_key)

    def load_many(self, pub_keys: Sequence[str]) -> dict[str, Publication]:
        """The stored records of several publications, by key (missing keys are left out)."""
        keys = sorted(set(pub_keys))
        pubs = self._fetch_in("SELECT * FROM publications", "pub_key", keys)
        details: dict[str, dict[str, list[dict[str, Any]]]] = {
            r["pub_key"]: {t.name: [] for t in schema.DETAIL_TABLES} for r in pubs
        }
        for table in schema.DETAIL_TABLES:
            for row in self._fetch_in(f"SELECT * FROM {table.name}", "pub_key", keys):
                details[row["pub_key"]][table.name].append(row)
        return {r["pub_key"]: publication_from_rows(r, details[r["pub_key"]]) for r in pubs}

    def details(self, pub_key: str) -> dict[str, Any] | None:
        """Everything stored about one publication, table by table (for ``patscape show``)."""
        pubs = self.fetch("SELECT * FROM publications WHERE pub_key = ?", (pub_key,))
        if not pubs:
            return None
        out: dict[str, Any] = {"publication": pubs[0]}
        for table in (*schema.DETAIL_TABLES, schema.ATTACHMENTS):
            order = "seq" if "seq" in table.column_names else "1"
            out[table.name] = self.fetch(
                f"SELECT * FROM {table.name} WHERE pub_key = ? ORDER BY {order}", (pub_key,)
            )
        out["quarantine"] = self.fetch("SELECT * FROM quarantine WHERE pub_key = ?", (pub_key,))
        return out

    def stats(self) -> dict[str, Any]:
        """Counts of what is stored; ``by_year`` counts publications without a date under ``NO_DATE``
        (exports such as CSET's give priority years only), ``years_by_reader`` the years each source spans."""

        def grouped(sql: str) -> dict[str, int]:
            return {str(next(iter(r.values()))): int(r["n"]) for r in self.fetch(sql)}

        return {
            "publications": self.scalar("SELECT count(*) FROM publications"),
            "by_country": grouped(
                "SELECT country, count(*) AS n FROM publications GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "by_kind": grouped("SELECT kind, count(*) AS n FROM publications GROUP BY 1 ORDER BY 2 DESC, 1"),
            "by_year": grouped(
                "SELECT coalesce(CAST(CAST(extract(year FROM published) AS INTEGER) AS VARCHAR), "
                f"'{NO_DATE}') AS year, count(*) AS n FROM publications GROUP BY 1 ORDER BY 1"
            ),
            "years_by_reader": self.fetch(
                "SELECT reader, count(*) AS publications, "
                "CAST(min(extract(year FROM published)) AS INTEGER) AS first_year, "
                "CAST(max(extract(year FROM published)) AS INTEGER) AS last_year, "
                "count(*) - count(published) AS without_date "
                "FROM publications GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "by_reader": grouped(
                "SELECT reader, count(*) AS n FROM publications GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "parties": grouped("SELECT role, count(*) AS n FROM parties GROUP BY 1 ORDER BY 2 DESC, 1"),
            "classes": grouped("SELECT scheme, count(*) AS n FROM classes GROUP BY 1 ORDER BY 2 DESC, 1"),
            "citations": grouped(
                "SELECT CASE WHEN npl IS NULL THEN 'patent' ELSE 'npl' END AS what, count(*) AS n "
                "FROM citations GROUP BY 1 ORDER BY 1"
            ),
            "families": self.scalar("SELECT count(DISTINCT family_id) FROM publications"),
            "attachments": grouped("SELECT kind, count(*) AS n FROM attachments GROUP BY 1 ORDER BY 1"),
            "quarantine": grouped(
                "SELECT reason, count(*) AS n FROM quarantine GROUP BY 1 ORDER BY 2 DESC, 1"
            ),
            "inputs": grouped("SELECT status, count(*) AS n FROM ingest_log GROUP BY 1 ORDER BY 1"),
        }

    def quarantine(self, limit: int = 100) -> list[dict[str, Any]]:
        return self.fetch(
            "SELECT source_file, source_member, source_index, source_offset, source_line, reader, "
            "coalesce(kind, 'rejected') AS kind, reason, pub_key "
            "FROM quarantine ORDER BY source_file, source_member, source_index, source_line LIMIT ?",
            (limit,),
        )

    def table_counts(self) -> dict[str, int]:
        return {t.name: int(self.scalar(f"SELECT count(*) FROM {t.name}")) for t in schema.ALL_TABLES}


def reason_counts(rejected: Sequence[Rejected]) -> Counter[str]:
    return Counter(r.reason.split(":")[0] for r in rejected)
