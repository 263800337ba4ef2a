"""The signed-in user's notifications (tasks given, mentions, changes others made to documents they
follow) and their Atom feed links."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from patscape import digest, monitor
from patscape.monitor import Caller
from patscape.monitor.notifications import last_seen, notifications
from patscape.monitor.tokens import FEED_LABEL
from patscape.store import Store
from patscape.web.pages.render import PageRoute, redirect, render
from patscape.web.pages.session import FormCaller, PageCaller
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def feed_tokens(store: Store, caller: Caller) -> list[monitor.TokenInfo]:
    """The caller's feed tokens still open."""
    mine = monitor.list_tokens(store, caller)
    return [t for t in mine if t.label == FEED_LABEL and t.active]


def notification_page(
    request: Request, store: Store, caller: Caller, new_token: str | None = None
) -> Response:
    workspaces = monitor.list_workspaces(store, caller)
    notices = notifications(store, caller, after=0)  # all of them, newest first, seen or not
    return render(
        request,
        "notifications.html.j2",
        notices=notices,
        seen=last_seen(store, caller),
        digest=digest.preference(store, caller.user_id) if caller.user_id else "none",
        digest_choices=digest.CHOICES,
        names={ws.ws_id: ws.name for ws in workspaces},
        # a workspace's activity is its managers' to read (monitor's rule ws.activity)
        feed_workspaces=workspaces if monitor.can(caller, "ws.activity") else [],
        feed_tokens=feed_tokens(store, caller),
        new_token=new_token,
        base=str(request.base_url).rstrip("/"),
    )


@router.get("/notifications")
def notification_list(request: Request, store: StoreDep, caller: PageCaller) -> Response:
    return notification_page(request, store, caller)


@router.post("/notifications/digest")
def choose_digest(
    store: StoreDep, caller: FormCaller, period: Annotated[str, Form(pattern="^(daily|weekly|none)$")]
) -> Response:
    digest.set_preference(store, caller, period)
    return redirect("/notifications#digests")


@router.post("/notifications/seen")
def mark_seen(store: StoreDep, caller: FormCaller, up_to: Annotated[int, Form(ge=0, le=2**53)]) -> Response:
    """Mark the notifications shown read (up to the newest of them: later ones stay new)."""
    monitor.mark_seen(store, caller, up_to)
    return redirect("/notifications")
