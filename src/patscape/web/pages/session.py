"""Who is looking at a page: the session cookie, the CSRF token of its forms, and the page caller.

A session is a monitor token (labelled "web session", hashed in the database, revocable, expiring) kept in
an HttpOnly, SameSite=Lax cookie, Secure when the page is served over HTTPS; signing out revokes it. A form's
CSRF token is an HMAC of the session's secret, so it needs no server-side state and dies with the session;
the sign-in form, which has no session yet, is protected by a double-submit cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from patscape import monitor
from patscape.monitor import Caller
from patscape.web.security import StoreDep

SESSION_COOKIE = "patscape_session"
SIGNIN_COOKIE = "patscape_signin"
SESSION_DAYS = 7
SESSION_LABEL = "web session"


class SignInRequired(Exception):
    """No valid session: the page answers with a redirect to the sign-in form."""


class BadCsrf(Exception):
    """A form without the CSRF token of the session (or of the sign-in cookie)."""


def csrf_token(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"patscape csrf", hashlib.sha256).hexdigest()


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int, samesite: str) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite=samesite,  # type: ignore[arg-type]
        secure=request.url.scheme == "https",
    )


def start_session(response: Response, request: Request, token: str) -> None:
    _cookie(response, request, SESSION_COOKIE, token, SESSION_DAYS * 86400, "lax")
    response.delete_cookie(SIGNIN_COOKIE, path="/")


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def signin_csrf(request: Request, response: Response) -> str:
    """The sign-in form's token: the one already in the browser's cookie, or a new one set now."""
    token = request.cookies.get(SIGNIN_COOKIE)
    if not token or len(token) > 100:
        token = secrets.token_urlsafe(24)
        _cookie(response, request, SIGNIN_COOKIE, token, 3600, "strict")
    return token


def check_signin_csrf(request: Request, sent: str | None) -> None:
    expected = request.cookies.get(SIGNIN_COOKIE)
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise BadCsrf("the sign-in form has expired: reload the page and sign in again")


def page_caller(request: Request, store: StoreDep) -> Caller:
    """The signed-in user of a page (every page but the sign-in form depends on it)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired
    try:
        caller = monitor.authenticate(store, token)
    except monitor.Unauthenticated:
        raise SignInRequired from None
    request.state.csrf = csrf_token(token)
    request.state.caller = caller
    return caller


PageCaller = Annotated[Caller, Depends(page_caller)]


async def form_caller(request: Request, caller: PageCaller) -> Caller:
    """The signed-in user of a form's POST, once the form carries its session's CSRF token."""
    form = await request.form()
    sent = form.get("csrf") or request.headers.get("x-csrf-token")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, request.state.csrf):
        raise BadCsrf("the form has expired or did not come from patscape: reload the page and try again")
    return caller


FormCaller = Annotated[Caller, Depends(form_caller)]


def safe_next(target: str | None, default: str = "/") -> str:
    """Where to go after signing in: a path of this site only (no other host, no scheme)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 2000:
        return default
    return target
