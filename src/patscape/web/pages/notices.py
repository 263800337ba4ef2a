"""The signed-in user's notifications: tasks given, mentions, changes others made to documents they follow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from patscape import monitor
from patscape.monitor.notifications import notifications
from patscape.web.pages.render import PageRoute, render
from patscape.web.pages.session import PageCaller
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/notifications")
def notification_list(request: Request, store: StoreDep, caller: PageCaller) -> Response:
    names = {ws.ws_id: ws.name for ws in monitor.list_workspaces(store, caller)}
    notices = notifications(store, caller, after=0)  # all of them, newest first, seen or not
    return render(request, "notifications.html.j2", notices=notices, names=names)
