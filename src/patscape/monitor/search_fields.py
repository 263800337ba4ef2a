"""The evaluated database as fields of the search language, within the workspaces a caller may read.

    rating>=2            rated 2 or 3 (``rt``; the fold's current rating, inherited ones included)
    tag=competitor       tagged so (the tag's name, case-insensitive)
    ws=12                in workspace 12
    evaluator=alice      rated by alice (``rater``)
    rated>=2026-11-01    rated on or after that day (``rated_at``)

In a search, each condition holds in some workspace of the caller's (``rating>=2 AND tag=x`` may be met
in two workspaces); ``fields(..., ws_ids=...)`` narrows all of them to given workspaces, and the evaluated
database (``evaluated``) reads a query per workspace: a row matches when its own workspace meets it. The
table is made per caller (``DEFAULT_FIELDS.extended``): the language's own table never sees a workspace.
"""

from __future__ import annotations

from collections.abc import Sequence

from patscape import search
from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.monitor.errors import Invalid
from patscape.search import DEFAULT_FIELDS, Compiled, Condition, Context, Field, FieldTable, Sql
from patscape.store import Store


def _int(text: str) -> int:
    if not text.strip().isdigit() or len(text.strip()) > 15:
        raise ValueError("a workspace id (a whole number)")
    return int(text)


def _name(text: str) -> str:
    name = text.strip()
    if not name or len(name) > 120:
        raise ValueError("a name of 1-120 characters")
    return name


def fields(store: Store, caller: Caller, ws_ids: Sequence[int] = ()) -> FieldTable:
    """The language's fields and the evaluated database's, within the caller's readable workspaces (or
    those of ``ws_ids`` among them)."""
    readable = access.readable_workspaces(store, caller)
    scope = [w for w in ws_ids if w in readable] if ws_ids else readable

    def documents(ctx: Context, condition: Sql) -> Sql:
        return ctx.key_in(
            ctx.sql(
                "SELECT d.pub_key FROM monitor_documents d WHERE {} AND {}",
                ctx.in_list("d.ws_id", scope),
                condition,
            )
        )

    def rating(cond: Condition, ctx: Context) -> Sql:
        return documents(ctx, ctx.compare("d.rating", cond))

    def tag(cond: Condition, ctx: Context) -> Sql:
        return documents(
            ctx,
            ctx.sql(
                "EXISTS (SELECT 1 FROM monitor_document_tags x JOIN monitor_tags t ON t.tag_id = x.tag_id "
                "WHERE x.ws_id = d.ws_id AND x.pub_key = d.pub_key AND lower(t.name) = lower({}))",
                cond.value,
            ),
        )

    def workspace(cond: Condition, ctx: Context) -> Sql:
        return documents(ctx, ctx.sql("d.ws_id = {}", cond.value))

    def evaluator(cond: Condition, ctx: Context) -> Sql:
        rater = ctx.sql("d.rated_by IN (SELECT u.user_id FROM monitor_users u WHERE u.name = {})", cond.value)
        return documents(ctx, rater)

    def rated(cond: Condition, ctx: Context) -> Sql:
        return documents(ctx, ctx.compare("CAST(d.rated_at AS DATE)", cond))

    return DEFAULT_FIELDS.extended(
        Field("rating", "number", rating, ("rt",), "the rating in a workspace of yours", example="rating>=2"),
        Field("tag", "key", tag, (), "a tag of a workspace of yours", parse=_name, example="tag=competitor"),
        Field("ws", "key", workspace, ("workspace",), "in a workspace of yours", parse=_int, example="ws=12"),
        Field("evaluator", "key", evaluator, ("rater",), "rated by", parse=_name, example="evaluator=alice"),
        Field("rated", "date", rated, ("rated_at",), "the day it was rated", example="rated>=2026-11-01"),
    )


def parse(store: Store, caller: Caller, text: str, ws_ids: Sequence[int] = ()) -> search.Query:
    """A query with the evaluated database's fields, or ``Invalid`` saying where and what was expected."""
    try:
        return search.parse(text, fields(store, caller, ws_ids))
    except ValueError as exc:  # SearchSyntaxError, and the limits of a query
        raise Invalid(f"the query: {exc}") from None


def compiled(store: Store, caller: Caller, text: str, ws_ids: Sequence[int] = ()) -> Compiled:
    """SQL selecting the ``pub_key`` of every publication the query finds, for this caller."""
    _, out = search.prepare(store, parse(store, caller, text, ws_ids))
    return out
