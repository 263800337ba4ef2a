"""A workspace's watch profiles: the list, a form to create one, and "test this profile", a preview of
what its query would have found among the publications of the last weeks (``monitor.preview``) before it
is saved. The query is the search language's; managers save, every member may test."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.responses import Response

from patscape import monitor
from patscape.web.pages.render import PageRoute, redirect, render
from patscape.web.pages.session import FormCaller, PageCaller
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
WsId = Annotated[int, Path(ge=1, le=2**31)]
DEFAULT_DAYS = 28


def _page(
    request: Request,
    store: StoreDep,
    caller: monitor.Caller,
    ws_id: int,
    form: dict[str, object],
    preview: dict[str, object] | None = None,
    error: str | None = None,
    saved: str | None = None,
) -> Response:
    return render(
        request,
        "profiles.html.j2",
        status=422 if error else 200,
        workspace=monitor.get_workspace(store, caller, ws_id),
        profiles=monitor.profiles(store, caller, ws_id),
        can_manage=monitor.can(caller, "ws.manage"),
        form=form,
        preview=preview,
        error=error,
        saved=saved,
    )


@router.get("/w/{ws_id}/profiles")
def profile_list(
    request: Request,
    ws_id: WsId,
    store: StoreDep,
    caller: PageCaller,
    saved: Annotated[str | None, Query(max_length=120)] = None,
) -> Response:
    form = {"name": "", "query": "", "genai": "", "days": DEFAULT_DAYS}
    return _page(request, store, caller, ws_id, form, saved=saved)


@router.post("/w/{ws_id}/profiles")
def test_or_save(
    request: Request,
    ws_id: WsId,
    store: StoreDep,
    caller: FormCaller,
    query: Annotated[str, Form(min_length=1, max_length=2000)],
    action: Annotated[str, Form(pattern="^(test|save)$")],
    name: Annotated[str, Form(max_length=120)] = "",
    genai: Annotated[str, Form(pattern="^(|yes|no)$")] = "",
    days: Annotated[int, Form(ge=1, le=3660)] = DEFAULT_DAYS,
) -> Response:
    """ "Test this profile" shows its preview with the form kept; "Save profile" saves it."""
    form = {"name": name, "query": query, "genai": genai, "days": days}
    try:
        if action == "save":
            profile = monitor.save_profile(store, caller, ws_id, name, query, genai=genai or None)
            return redirect(f"/w/{ws_id}/profiles?saved={profile.profile_id}")
        found = monitor.preview(store, caller, ws_id, query, genai=genai or None, days=days)
    except monitor.Invalid as exc:
        return _page(request, store, caller, ws_id, form, error=str(exc))
    return _page(request, store, caller, ws_id, form, preview=found)
