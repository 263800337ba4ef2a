"""What the monitor needs beside its tables (defined in ``patscape.store.schema``): the id sequences, and on
PostgreSQL the triggers that refuse any UPDATE, DELETE or TRUNCATE of the append-only logs.

DuckDB has no triggers: there the log is append-only because no code path of patscape changes it (a test
reads the library's SQL for it); DuckDB is the single-user file, PostgreSQL the shared server where the
database itself must refuse.
"""

from __future__ import annotations

from patscape.store import Store

SEQUENCES = ("monitor_ids", "monitor_event_ids")
APPEND_ONLY = ("monitor_events", "monitor_route_runs")

_REFUSE = """
CREATE OR REPLACE FUNCTION monitor_append_only() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$body$
"""


def install(store: Store) -> None:
    """Create the sequences and (PostgreSQL) the append-only triggers; idempotent. Run it once, before any
    concurrent use (``patscape serve`` does, before its workers start)."""
    with store.transaction():
        for sequence in SEQUENCES:
            store.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence}")
        if store.dialect == "postgresql":
            store.execute(_REFUSE)
            for table in APPEND_ONLY:
                # statement level: refused even when no row would be touched
                store.execute(
                    f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
                    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION monitor_append_only()"
                )
