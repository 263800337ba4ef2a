"""Read-only views over the publications: one publication, search, the landscape, the evaluated database
and a user's activity. Any signed-in user may read publications; workspace data stay within membership."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from patscape import monitor
from patscape.monitor.keys import resolve
from patscape.web.errors import RESPONSES
from patscape.web.routes import out, out_list
from patscape.web.routes.params import Limit, Offset, PubKey, UserRef
from patscape.web.schemas import (
    EvaluatedOut,
    EventOut,
    LandscapeOut,
    NotificationOut,
    PublicationOut,
    SearchOut,
    SeenIn,
    SeenOut,
)
from patscape.web.security import CallerDep, StoreDep

router = APIRouter(prefix="/api", responses=RESPONSES)
QueryText = Annotated[str, Query(min_length=1, max_length=2000, pattern=r"^[^\x00]*$")]
DateText = Annotated[
    str | None,
    Query(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"}, description="YYYY-MM-DD"),
]


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise monitor.Invalid(f"not a date: {text}") from None


def _plain(value: Any) -> Any:
    from patscape.landscape.output import plain

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return plain(value)


@router.get("/publications/{key}", response_model=PublicationOut, tags=["publications"])
def publication(key: PubKey, store: StoreDep, caller: CallerDep) -> dict[str, Any]:
    """Everything stored about one publication (the number in any spelling)."""
    details = store.details(resolve(store, key))
    if details is None:
        raise monitor.NotFound(f"no publication {key}")
    return _plain(details)


@router.get("/search", response_model=SearchOut, tags=["publications"])
def search(
    q: QueryText,
    store: StoreDep,
    caller: CallerDep,
    limit: Limit = 20,
    families: bool = False,
    sort: Literal["relevance", "date"] = "relevance",
) -> SearchOut:
    """The publications (or families) a query of the patent search language finds, ranked, with snippets;
    with the evaluated database's fields over your workspaces (``rating>=2``, ``tag=…``, ``ws=…``,
    ``evaluator=…``, ``rated>=…``)."""
    from patscape import search as language
    from patscape.monitor.search_fields import parse

    query = parse(store, caller, q)
    result = language.search(store, query, families=families, sort=sort, limit=limit)
    return SearchOut.model_validate(_plain(result.as_dict()))


@router.get("/landscape", response_model=LandscapeOut, tags=["landscape"])
def landscape(
    store: StoreDep,
    caller: CallerDep,
    by: Literal["country", "owner", "model", "mode", "application", "quality"] = "country",
    year: Literal["publication", "priority"] = "publication",
    country_by: Literal["inventor", "applicant", "office", "member"] = "inventor",
    fractional: bool = False,
    genai: bool = False,
    tag: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006 (FastAPI's way to declare a list)
    year_from: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    year_to: Annotated[int | None, Query(ge=1800, le=2200)] = None,
    owner: Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")] = None,
    query: Annotated[str | None, Query(max_length=500, pattern=r"^[^\x00]*$")] = None,
    top: Annotated[int, Query(ge=1, le=200)] = 20,
) -> LandscapeOut:
    """The landscape tables of ``by`` with the landscape's filters (families counted as in the report)."""
    from patscape.landscape import LandscapeFilter
    from patscape.landscape.command import Request, run
    from patscape.landscape.output import records

    if any("\x00" in t or len(t) > 200 for t in tag):
        raise monitor.Invalid("a tag has at most 200 characters")
    if query is not None:
        from patscape.search import parse

        parse(query)  # a SearchSyntaxError is a 422 here, not a table the landscape skips
    request = Request(
        by=by,
        year=year,
        country_by=country_by,
        fractional=fractional,
        top=top,
        filter=LandscapeFilter(
            genai=genai, tags=tuple(tag), year_from=year_from, year_to=year_to, owner=owner, query=query
        ),
    )
    frames, meta = run(store, request)
    return LandscapeOut(meta=_plain(meta), tables={name: records(df) for name, df in frames.items()})


@router.get("/evaluated", response_model=list[EvaluatedOut], tags=["evaluation"])
def evaluated(
    store: StoreDep,
    caller: CallerDep,
    ws: Annotated[list[int], Query(max_length=50)] = [],  # noqa: B006
    rating_min: Annotated[int | None, Query(ge=0, le=3)] = None,
    rating_max: Annotated[int | None, Query(ge=0, le=3)] = None,
    tag: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    evaluator: UserRef = None,
    rated_from: DateText = None,
    rated_to: DateText = None,
    inherited: bool = True,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=2000,
            pattern=r"^[^\x00]*$",
            description="a query of the search language, with rating, tag, ws, evaluator and rated",
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[EvaluatedOut]:
    """The evaluated database: rated documents of the caller's workspaces, most recently rated first."""
    if any(not 0 <= w <= 2**53 for w in ws) or any("\x00" in t or len(t) > 120 for t in tag):
        raise monitor.Invalid("ws is a workspace id; a tag has at most 120 characters")
    f = monitor.EvaluatedFilter(
        ws_ids=tuple(ws),
        rating_min=rating_min,
        rating_max=rating_max,
        tags=tuple(tag),
        evaluator=evaluator,
        rated_from=_date(rated_from),
        rated_to=_date(rated_to),
        inherited=inherited,
        query=q,
    )
    return out_list(EvaluatedOut, monitor.evaluated(store, caller, f, limit, offset))


@router.get("/activity", response_model=list[EventOut], tags=["evaluation"])
def activity(
    store: StoreDep,
    caller: CallerDep,
    user: UserRef = None,
    ws: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[EventOut]:
    """What a user did (default: oneself), newest first."""
    return out_list(EventOut, monitor.activity(store, caller, user, ws, limit, offset))


@router.get("/notifications", response_model=list[NotificationOut], tags=["evaluation"])
def notifications(
    store: StoreDep,
    caller: CallerDep,
    after: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[NotificationOut]:
    """What others did that concerns you, newest first: after event ``after``, by default the unread
    (after the last event marked seen)."""
    found = monitor.notifications(store, caller, after, limit, offset)
    return [NotificationOut(reason=n.reason, event=out(EventOut, n.event)) for n in found]  # type: ignore[arg-type]


@router.post("/notifications/seen", response_model=SeenOut, tags=["evaluation"])
def notifications_seen(body: SeenIn, store: StoreDep, caller: CallerDep) -> SeenOut:
    """Mark your notifications seen up to an event id (the mark never moves back)."""
    return SeenOut(up_to=monitor.mark_seen(store, caller, body.up_to))
