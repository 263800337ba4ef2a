"""Turning a Publication into table rows and back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from patscape.record import (
    Application,
    Attachment,
    Citation,
    Classification,
    Event,
    Party,
    Priority,
    Publication,
    Rejected,
    Related,
    SourceRef,
    Text,
)
from patscape.store.schema import DETAIL_TABLES, PUBLICATIONS

Rows = dict[str, list[tuple[Any, ...]]]


@dataclass(slots=True)
class Prepared:
    """A publication already turned into its table rows, with its content hash.

    Parsing workers send these rather than :class:`Publication` objects: tuples pickle much faster
    than dataclasses, and the process writing to the store is left with inserting them. The record itself
    is rebuilt from the rows only when a stored publication has to be merged with it.
    """

    pub_key: str
    version: str | None
    content_hash: str
    precedence: int
    source: SourceRef
    text_size: int  # characters of text, to size the batches
    rows: Rows
    recovered: str | None = None  # what recovery lost (Publication.recovered), for the quarantine

    def publication(self) -> Publication:
        pub = dict(zip(PUBLICATIONS.column_names, self.rows["publications"][0], strict=True))
        details = {
            t.name: [dict(zip(t.column_names, row, strict=True)) for row in self.rows.get(t.name, ())]
            for t in DETAIL_TABLES
        }
        return publication_from_rows(pub, details)


def prepare(pub: Publication, precedence: int, content_hash: str | None = None) -> Prepared:
    content_hash = content_hash or pub.content_hash()
    return Prepared(
        pub.pub_key,
        pub.version,
        content_hash,
        precedence,
        pub.source,
        sum(len(t.text) for t in pub.texts),
        publication_rows(pub, content_hash, precedence, now()),
        pub.recovered,
    )


def now() -> dt.datetime:
    """The ingest timestamp: UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _source(ref: SourceRef) -> tuple[Any, ...]:
    return (ref.file, ref.member, ref.index, ref.offset, ref.line, ref.reader, ref.reader_version)


def publication_rows(pub: Publication, content_hash: str, precedence: int, now: dt.datetime) -> Rows:
    key = pub.pub_key
    app = pub.application
    rows: Rows = defaultdict(list)
    rows["publications"].append(
        (
            key,
            pub.country,
            pub.number,
            pub.kind,
            pub.doc_type,
            pub.published,
            pub.granted,
            app.country,
            app.number,
            app.date,
            app.type,
            pub.family_id,
            pub.family_size,
            pub.cited_by_count,
            pub.claim_count,
            pub.figure_count,
            pub.sheet_count,
            pub.title,
            pub.version,
            precedence,
            content_hash,
            *_source(pub.source),
            now,
            pub.recovered,
        )
    )
    rows["texts"] = [(key, i, t.kind, t.lang, t.text) for i, t in enumerate(pub.texts)]
    rows["parties"] = [
        (
            key,
            p.role,
            p.sequence,
            i,
            p.name,
            p.given_name,
            p.family_name,
            p.country,
            p.city,
            p.state,
            p.lang,
            p.kind,
        )
        for i, p in enumerate(pub.parties)
    ]
    rows["classes"] = [
        (key, c.scheme, c.sequence, i, c.code, c.first, c.inventive) for i, c in enumerate(pub.classes)
    ]
    rows["priorities"] = [(key, i, p.country, p.number, p.date, p.kind) for i, p in enumerate(pub.priorities)]
    rows["related"] = [
        (key, i, r.relation, r.country, r.number, r.date, r.kind, r.role) for i, r in enumerate(pub.related)
    ]
    rows["citations"] = [
        (key, c.sequence, i, c.cited_key, c.country, c.number, c.kind, c.date, c.npl, c.cited_by, c.category)
        for i, c in enumerate(pub.citations)
    ]
    rows["events"] = [(key, i, e.date, e.code, e.description) for i, e in enumerate(pub.events)]
    rows["tags"] = [(key, i, t) for i, t in enumerate(dict.fromkeys(pub.tags))]
    return rows


def attachment_row(att: Attachment) -> tuple[Any, ...]:
    return (att.pub_key, att.kind, att.detail, *_source(att.source))


def quarantine_row(
    rej: Rejected, input_hash: str, now: dt.datetime, kind: str = "rejected"
) -> tuple[Any, ...]:
    """A quarantine row: a rejected document, or (``kind="recovered"``) the note of a recovered one."""
    s = rej.source
    qid = f"{input_hash}:{s.member or ''}:{s.index if s.index is not None else ''}:{s.line or ''}"
    return (qid, rej.pub_key, rej.reason, rej.snippet, input_hash, *_source(s), now, kind)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def by_seq(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows in the order of the record's list: ``pos`` where the table has it, else ``seq``."""
    order = "pos" if rows and "pos" in rows[0] else "seq"
    return sorted(rows, key=lambda r: (r[order] is None, r[order]))


def publication_from_rows(pub: dict[str, Any], details: dict[str, list[dict[str, Any]]]) -> Publication:
    """Rebuild the record from its stored rows (the inverse of :func:`publication_rows`)."""
    source = SourceRef(
        file=pub["source_file"],
        member=pub["source_member"],
        index=pub["source_index"],
        offset=pub["source_offset"],
        line=pub["source_line"],
        reader=pub["reader"],
        reader_version=pub["reader_version"],
    )
    return Publication(
        pub_key=pub["pub_key"],
        country=pub["country"],
        number=pub["number"],
        kind=pub["kind"],
        source=source,
        published=_iso(pub["published"]),
        granted=_iso(pub["granted"]),
        doc_type=pub["doc_type"],
        application=Application(
            pub["app_country"], pub["app_number"], _iso(pub["app_date"]), pub["app_type"]
        ),
        priorities=[
            Priority(r["country"], r["number"], _iso(r["date"]), r["kind"])
            for r in by_seq(details["priorities"])
        ],
        related=[
            Related(r["relation"], r["country"], r["number"], _iso(r["date"]), r["kind"], r["role"])
            for r in by_seq(details["related"])
        ],
        texts=[Text(r["kind"], r["text"], r["lang"]) for r in by_seq(details["texts"])],
        claim_count=pub["claim_count"],
        figure_count=pub["figure_count"],
        sheet_count=pub["sheet_count"],
        parties=[
            Party(
                r["role"],
                r["name"],
                r["seq"],
                r["country"],
                r["city"],
                r["state"],
                r["given_name"],
                r["family_name"],
                r["lang"],
                r["party_kind"],
            )
            for r in by_seq(details["parties"])
        ],
        classes=[
            Classification(r["scheme"], r["code"], r["seq"], r["is_first"], r["inventive"])
            for r in by_seq(details["classes"])
        ],
        citations=[
            Citation(
                r["seq"],
                r["cited_key"],
                r["country"],
                r["number"],
                r["kind"],
                _iso(r["date"]),
                r["npl"],
                r["cited_by"],
                r["category"],
            )
            for r in by_seq(details["citations"])
        ],
        events=[Event(_iso(r["date"]), r["code"], r["description"]) for r in by_seq(details["events"])],
        family_id=pub["family_id"],
        family_size=pub["family_size"],
        cited_by_count=pub["cited_by_count"],
        tags=[r["tag"] for r in by_seq(details["tags"])],
        version=pub["version"],
        recovered=pub["recovered"],
    )
