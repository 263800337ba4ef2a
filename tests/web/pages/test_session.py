"""The session cookie's flags by scheme, the CSRF token's binding to its session, and where sign-in may lead
(no browser needed: real Starlette requests and responses)."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from starlette.requests import Request
from starlette.responses import Response

from patscape.web.pages.session import SESSION_COOKIE, csrf_token, safe_next, start_session


def _request(scheme: str) -> Request:
    return Request(
        {
            "type": "http",
            "scheme": scheme,
            "server": ("patscape.example", 443 if scheme == "https" else 80),
            "method": "GET",
            "path": "/",
            "headers": [(b"host", b"patscape.example")],
            "query_string": b"",
        }
    )


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_the_session_cookie_is_secure_over_https(scheme: str) -> None:
    response = Response()
    start_session(response, _request(scheme), "psk_0123_secret")
    header = next(v for v in response.headers.getlist("set-cookie") if v.startswith(SESSION_COOKIE))
    cookie = SimpleCookie(header)[SESSION_COOKIE]
    assert cookie.value == "psk_0123_secret"
    assert cookie["httponly"] and cookie["samesite"] == "lax" and cookie["path"] == "/"
    assert bool(cookie["secure"]) == (scheme == "https")


def test_a_csrf_token_belongs_to_its_session() -> None:
    assert csrf_token("psk_a_one") == csrf_token("psk_a_one")
    assert csrf_token("psk_a_one") != csrf_token("psk_a_two")
    assert "psk_a_one" not in csrf_token("psk_a_one")


def test_signing_in_leads_only_to_this_site() -> None:
    assert safe_next("/w/1/queue?view=all") == "/w/1/queue?view=all"
    for elsewhere in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "",
    ):
        assert safe_next(elsewhere) == "/", elsewhere
