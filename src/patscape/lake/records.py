"""What the ingest's executors pass around: one row per item read, a publication with all its table rows
nested in it, and the fold that merges the records of one publication as the embedded store does.

An item row holds the publication's ``publications`` row as a struct and each detail table's rows as a list
of structs, all typed from ``store/schema.py``; a rejected document or an attachment holds its
``quarantine`` or ``attachments`` row instead. ``ord_input`` / ``ord_doc`` give the arrival order (input,
then document) that the merge rule needs when precedence and version tie.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from patscape.record import Attachment, Publication, Rejected
from patscape.store import schema
from patscape.store.merge import merge
from patscape.store.rows import Prepared, attachment_row, prepare, publication_from_rows, quarantine_row
from patscape.store.schema import Table

from .tables import arrow_fields, date_columns

PUBLICATION, REJECTED, ATTACHMENT, OUTCOME = "publication", "rejected", "attachment", "outcome"
RECORD_TABLES = (schema.PUBLICATIONS, *schema.DETAIL_TABLES)


def _struct(table: Table) -> pa.StructType:
    return pa.struct(arrow_fields(table))


ITEM_SCHEMA = pa.schema(
    [
        pa.field("item", pa.string(), nullable=False),
        pa.field("pub_key", pa.string()),
        pa.field("input_hash", pa.string()),
        pa.field("ord_input", pa.int64()),
        pa.field("ord_doc", pa.int64()),
        pa.field("outcome", pa.string()),  # stored, replaced, unchanged (written by the fold)
        pa.field(schema.PUBLICATIONS.name, _struct(schema.PUBLICATIONS)),
        *(pa.field(t.name, pa.list_(_struct(t))) for t in schema.DETAIL_TABLES),
        pa.field(schema.ATTACHMENTS.name, _struct(schema.ATTACHMENTS)),
        pa.field(schema.QUARANTINE.name, _struct(schema.QUARANTINE)),
    ]
)
_DATES = {t.name: date_columns(t) for t in (*RECORD_TABLES, schema.ATTACHMENTS, schema.QUARANTINE)}


def spark_item_schema():  # type: ignore[no-untyped-def]
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(ITEM_SCHEMA, prefer_timestamp_ntz=True)


def _row(table: Table, values: tuple[Any, ...]) -> dict[str, Any]:
    dates = _DATES[table.name]
    if dates:
        values = tuple(
            dt.date.fromisoformat(v) if i in dates and isinstance(v, str) else v for i, v in enumerate(values)
        )
    return dict(zip(table.column_names, values, strict=True))


def item(
    record: Prepared | Rejected | Attachment,
    input_hash: str,
    ord_input: int,
    ord_doc: int,
    now: dt.datetime,
) -> dict[str, Any]:
    """The item row of one record read from an input."""
    out: dict[str, Any] = {"input_hash": input_hash, "ord_input": ord_input, "ord_doc": ord_doc}
    if isinstance(record, Prepared):
        out.update(publication_item(record))
    elif isinstance(record, Rejected):
        out["item"], out["pub_key"] = REJECTED, record.pub_key
        out[schema.QUARANTINE.name] = _row(schema.QUARANTINE, quarantine_row(record, input_hash, now))
    else:
        out["item"], out["pub_key"] = ATTACHMENT, record.pub_key
        out[schema.ATTACHMENTS.name] = _row(schema.ATTACHMENTS, attachment_row(record))
    return out


def publication_item(prepared: Prepared) -> dict[str, Any]:
    rows = prepared.rows
    out: dict[str, Any] = {"item": PUBLICATION, "pub_key": prepared.pub_key}
    out[schema.PUBLICATIONS.name] = _row(schema.PUBLICATIONS, rows["publications"][0])
    for table in schema.DETAIL_TABLES:
        out[table.name] = [_row(table, r) for r in rows.get(table.name, ())]
    return out


def publication_of(row: dict[str, Any]) -> Publication:
    """The record behind an item row (the inverse of :func:`publication_item`)."""
    details = {t.name: list(row.get(t.name) or ()) for t in schema.DETAIL_TABLES}
    return publication_from_rows(row[schema.PUBLICATIONS.name], details)


def batch(rows: list[dict[str, Any]]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist(rows, schema=ITEM_SCHEMA)


def _precedence(row: dict[str, Any]) -> tuple[int, str]:
    pub = row[schema.PUBLICATIONS.name]
    return (pub["precedence"] or 0, pub["version"] or "")


def fold(existing: dict[str, Any] | None, arrivals: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Merge the records of one publication in arrival order, as ``Store._plan`` does record by record.

    Yields one ``outcome`` row per arrival (stored, replaced or unchanged, for the inputs' counts), then the
    publication's final item when it differs from ``existing`` (``outcome``: stored or replaced).
    """
    current = existing
    changed = False
    for new in arrivals:
        outcome = _outcome(current, new)
        verdict = "unchanged"
        if outcome is not None:
            verdict = "stored" if current is None else "replaced"
            current, changed = outcome, True
        yield {
            "item": OUTCOME,
            "pub_key": new["pub_key"],
            "input_hash": new["input_hash"],
            "ord_input": new["ord_input"],
            "ord_doc": new["ord_doc"],
            "outcome": verdict,
        }
    if changed and current is not None:
        yield {**current, "outcome": "stored" if existing is None else "replaced"}


def _outcome(before: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any] | None:
    """What ``new`` makes of the stored record ``before`` (None: nothing changes)."""
    if before is None:
        return new
    before_hash = before[schema.PUBLICATIONS.name]["content_hash"]
    if before_hash == new[schema.PUBLICATIONS.name]["content_hash"]:
        return None
    old, pub = publication_of(before), publication_of(new)
    new_wins = _precedence(new) >= _precedence(before)
    merged = merge(pub, old) if new_wins else merge(old, pub)
    merged_hash = merged.content_hash()
    if merged_hash == before_hash:
        return None
    precedence = max(_precedence(new)[0], _precedence(before)[0])
    return {**new, **publication_item(prepare(merged, precedence, merged_hash))}
