"""Signing in and out, and the home page (the signed-in user's workspaces)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from patscape import monitor
from patscape.web.pages.render import PageRoute, redirect, render
from patscape.web.pages.session import (
    SESSION_DAYS,
    SESSION_LABEL,
    FormCaller,
    PageCaller,
    check_signin_csrf,
    end_session,
    safe_next,
    signin_csrf,
    start_session,
)
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Field = Annotated[str, Form(max_length=200)]


def _form(request: Request, next_url: str, error: str | None = None, username: str = "") -> Response:
    response = Response()
    token = signin_csrf(request, response)
    page = render(
        request,
        "signin.html.j2",
        status=401 if error else 200,
        signin_csrf=token,
        next_url=safe_next(next_url),
        error=error,
        username=username,
    )
    for value in response.headers.getlist("set-cookie"):
        page.headers.append("set-cookie", value)
    return page


@router.get("/signin")
def signin_form(request: Request, next: str = "/") -> Response:
    return _form(request, next)


@router.post("/signin")
async def signin(
    request: Request,
    username: Field,
    password: Field,
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    check_signin_csrf(request, csrf)

    def issue() -> str | None:
        with request.app.state.db.store() as store:
            user = monitor.check_password(store, username, password)
            if user is None:
                return None
            return monitor.issue_token(store, user.caller(), user.user_id, SESSION_LABEL, SESSION_DAYS).token

    token = await run_in_threadpool(issue)
    if token is None:
        return _form(request, next, "Wrong user name or password.", username)
    response = redirect(safe_next(next))
    start_session(response, request, token)
    return response


@router.post("/signout")
def signout(store: StoreDep, caller: FormCaller) -> Response:
    if caller.token_id:
        monitor.revoke(store, caller, caller.token_id)
    response = redirect("/signin")
    end_session(response)
    return response


@router.get("/")
def home(request: Request, store: StoreDep, caller: PageCaller) -> Response:
    return render(request, "home.html.j2", workspaces=monitor.list_workspaces(store, caller))
