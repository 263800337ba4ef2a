"""Atom feeds for feed readers (a user's notifications, a workspace's activity), opened by a feed token in
the URL, and the notifications page's form that makes such a link (revoked as any token, /tokens/revoke)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from patscape import monitor
from patscape.digest import user_feed, workspace_feed
from patscape.monitor.tokens import FEED_LABEL
from patscape.web.pages.notices import notification_page
from patscape.web.pages.render import PageRoute
from patscape.web.pages.session import FormCaller
from patscape.web.security import StoreDep

router = APIRouter(include_in_schema=False)  # the feeds: errors as the API's JSON
forms = APIRouter(route_class=PageRoute, include_in_schema=False)
FeedToken = Annotated[str, Query(min_length=10, max_length=200)]
ATOM_TYPE = "application/atom+xml; charset=utf-8"
FEED_DAYS = 366


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/feeds/me.atom")
def my_feed(request: Request, store: StoreDep, token: FeedToken) -> Response:
    caller = monitor.authenticate(store, token, feed=True)
    return Response(user_feed(store, caller, str(request.url), _base(request)), media_type=ATOM_TYPE)


@router.get("/feeds/w/{ws_id}.atom")
def ws_feed(
    request: Request, store: StoreDep, token: FeedToken, ws_id: Annotated[int, Path(ge=1, le=2**31)]
) -> Response:
    caller = monitor.authenticate(store, token, feed=True)
    body = workspace_feed(store, caller, ws_id, str(request.url), _base(request))
    return Response(body, media_type=ATOM_TYPE)


@forms.post("/feeds/token")
def new_feed_token(request: Request, store: StoreDep, caller: FormCaller) -> Response:
    """A feed token, shown once on the notifications page (its URLs are only known to the browser now)."""
    issued = monitor.issue_token(store, caller, caller.user_id, label=FEED_LABEL, days=FEED_DAYS)
    return notification_page(request, store, caller, new_token=issued.token)
