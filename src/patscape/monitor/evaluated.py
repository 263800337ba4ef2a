"""The evaluated database: the rated documents of the workspaces a caller may read, filtered by rating,
tag, evaluator, date of evaluation and workspace, and by a query of the search language with the same
fields (``rating>=2 AND tag=competitor AND ti=robot``: ``search_fields``); exported to CSV or XLSX with
ratings and comments.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.monitor.errors import Invalid
from patscape.monitor.queue import MAX_LIMIT
from patscape.monitor.sql import fetch_in, in_list
from patscape.monitor.users import find_user
from patscape.store import Store

EXPORT_COLUMNS = (
    "workspace",
    "pub_key",
    "title",
    "published",
    "family_id",
    "rating",
    "inherited_from",
    "rated_by",
    "rated_at",
    "rating_comment",
    "tags",
    "comments",
)


@dataclass(frozen=True)
class EvaluatedFilter:
    ws_ids: tuple[int, ...] = ()  # empty: every workspace the caller may read
    rating_min: int | None = None
    rating_max: int | None = None
    tags: tuple[str, ...] = ()  # each must be on the document (by name, case-insensitive)
    evaluator: str | None = None  # who rated it
    rated_from: dt.date | None = None
    rated_to: dt.date | None = None
    inherited: bool = True  # include ratings inherited from the family
    query: str | None = None  # the search language, with the fields of ``search_fields``


def conditions(store: Store, caller: Caller, f: EvaluatedFilter) -> tuple[str, list[Any]]:
    """A WHERE condition over ``monitor_documents d`` (rated documents only) and its parameters."""
    readable = access.readable_workspaces(store, caller)
    wanted = [w for w in f.ws_ids if w in readable] if f.ws_ids else readable
    for ws_id in f.ws_ids:
        access.check(store, caller, "ws.read", ws_id)
    parts, params = ["d.rating IS NOT NULL", in_list(store, "d.ws_id", "bigint")], [list(wanted) or [-1]]
    if f.rating_min is not None:
        parts.append("d.rating >= ?")
        params.append(f.rating_min)
    if f.rating_max is not None:
        parts.append("d.rating <= ?")
        params.append(f.rating_max)
    if not f.inherited:
        parts.append("d.inherited_from IS NULL")
    if f.evaluator is not None:
        parts.append("d.rated_by = ?")
        params.append(find_user(store, f.evaluator).user_id)
    if f.rated_from is not None:
        parts.append("d.rated_at >= ?")
        params.append(dt.datetime.combine(f.rated_from, dt.time()))
    if f.rated_to is not None:
        parts.append("d.rated_at < ?")
        params.append(dt.datetime.combine(f.rated_to + dt.timedelta(days=1), dt.time()))
    for name in f.tags:
        parts.append(
            "EXISTS (SELECT 1 FROM monitor_document_tags x JOIN monitor_tags t ON t.tag_id = x.tag_id "
            "WHERE x.ws_id = d.ws_id AND x.pub_key = d.pub_key AND lower(t.name) = lower(?))"
        )
        params.append(name)
    if f.query is not None:
        parts.append(_query_condition(store, caller, f.query, wanted, params))
    return " AND ".join(parts), params


def _query_condition(store: Store, caller: Caller, query: str, ws_ids: list[int], params: list[Any]) -> str:
    """A row matches when the query holds in the row's own workspace (``rating=3 AND tag=x`` in one
    workspace, not one in each): the query compiled once per workspace."""
    from patscape.monitor.search_fields import compiled, parse

    parse(store, caller, query)  # a syntax error is told even without a workspace
    alternatives = []
    for ws_id in ws_ids:
        found = compiled(store, caller, query, (ws_id,))
        alternatives.append(f"(d.ws_id = ? AND d.pub_key IN ({found.sql}))")
        params += [ws_id, *found.params]
    return "(" + " OR ".join(alternatives) + ")" if alternatives else "FALSE"


def evaluated(
    store: Store, caller: Caller, f: EvaluatedFilter = EvaluatedFilter(), limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Rated documents matching ``f``, most recently rated first, with their tags."""
    if not 1 <= limit <= MAX_LIMIT or offset < 0:
        raise Invalid(f"limit is 1-{MAX_LIMIT}, offset at least 0")
    where, params = conditions(store, caller, f)
    rows = store.fetch(
        "SELECT d.ws_id, w.name AS workspace, d.pub_key, p.title, p.published, d.family_id, d.rating, "
        "d.inherited_from, u.name AS rated_by, d.rated_at, d.rating_comment FROM monitor_documents d "
        "JOIN monitor_workspaces w ON w.ws_id = d.ws_id LEFT JOIN publications p ON p.pub_key = d.pub_key "
        f"LEFT JOIN monitor_users u ON u.user_id = d.rated_by WHERE {where} "
        "ORDER BY d.rated_at DESC, d.ws_id, d.pub_key LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    _attach_tags(store, rows)
    return rows


def _attach_tags(store: Store, rows: list[dict[str, Any]]) -> None:
    tags: dict[tuple[int, str], list[str]] = {}
    for r in (
        fetch_in(
            store,
            "SELECT x.ws_id, x.pub_key, t.name FROM monitor_document_tags x JOIN monitor_tags t ON "
            "t.tag_id = x.tag_id "
            "WHERE {keys} ORDER BY t.name",
            "x.pub_key",
            sorted({r["pub_key"] for r in rows}),
        )
        if rows
        else []
    ):
        tags.setdefault((r["ws_id"], r["pub_key"]), []).append(r["name"])
    for r in rows:
        r["tags"] = tags.get((r["ws_id"], r["pub_key"]), [])


def export_rows(store: Store, caller: Caller, ws_id: int) -> list[dict[str, Any]]:
    """Every rated document of a workspace with its rating, tags and comments (one text cell each)."""
    access.check(store, caller, "ws.export", ws_id)
    rows: list[dict[str, Any]] = []
    while True:
        page = evaluated(store, caller, EvaluatedFilter(ws_ids=(ws_id,)), limit=MAX_LIMIT, offset=len(rows))
        rows += page
        if len(page) < MAX_LIMIT:
            break
    comments: dict[str, list[str]] = {}
    for c in store.fetch(
        "SELECT c.pub_key, u.name, c.text, c.created_at FROM monitor_comments c "
        "LEFT JOIN monitor_users u ON u.user_id = c.author_id WHERE c.ws_id = ? ORDER BY c.comment_id",
        (ws_id,),
    ):
        comments.setdefault(c["pub_key"], []).append(f"{c['name']} ({c['created_at']:%Y-%m-%d}): {c['text']}")
    return [
        {
            **{k: r.get(k) for k in EXPORT_COLUMNS},
            "tags": "; ".join(r["tags"]),
            "comments": "\n".join(comments.get(r["pub_key"], [])),
        }
        for r in rows
    ]


def safe_cell(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(rows: Sequence[dict[str, Any]], out: IO[str]) -> None:
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for r in rows:
        writer.writerow([safe_cell("" if r[c] is None else str(r[c])) for c in EXPORT_COLUMNS])


def xlsx_bytes(rows: Sequence[dict[str, Any]], title: str = "evaluated") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "evaluated"
    sheet.append(list(EXPORT_COLUMNS))
    for r in rows:
        cells = []
        for c in EXPORT_COLUMNS:
            v = r[c]
            if isinstance(v, str):
                v = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", v))
            cells.append(str(v) if isinstance(v, dt.datetime) else v)
        sheet.append(cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
