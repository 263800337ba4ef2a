"""Errors as JSON of one stable shape: ``{"error": {"code", "message", "status", "details"}}``.

The monitor library's errors map to their HTTP status here; validation errors list what was wrong where;
anything unexpected is a 500 that says nothing of the inside (it is logged).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from patscape.monitor import errors
from patscape.search import SearchSyntaxError, SearchTimeout, SearchUnavailable
from patscape.web.schemas import ErrorBody

log = logging.getLogger("patscape.web")

STATUS = {
    errors.Unauthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Invalid: 422,
}
_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "internal",
    503: "unavailable",
}
# documented on every route, so that clients (and schemathesis) know the shape of each
RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "the body cannot be read (not JSON)"),
        (401, "no valid token (missing, unknown, revoked or expired)"),
        (403, "the caller's role or the admin's switches do not allow it"),
        (404, "no such object, or one in a workspace the caller is not a member of"),
        (409, "it exists already"),
        (422, "the request is not valid"),
        (503, "the search cannot run now: its index is far behind, or the query took too long"),
    )
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "status": status, "details": details}}
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": "Bearer"}
    return JSONResponse(jsonable_encoder(body), status_code=status, headers=headers)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    from patscape.web.security import all_routes

    methods: set[str] = set()
    for route in all_routes(app):
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path) and getattr(route, "methods", None):
            methods |= set(route.methods)
    return sorted(methods)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.MonitorError)
    async def monitor_error(request: Request, exc: errors.MonitorError) -> JSONResponse:
        status = STATUS.get(type(exc), 400)
        return error_response(status, exc.code, str(exc))

    @app.exception_handler(SearchSyntaxError)
    async def bad_query(request: Request, exc: SearchSyntaxError) -> JSONResponse:
        return error_response(422, "invalid", f"the query: {exc}", [exc.as_dict()])

    @app.exception_handler(SearchUnavailable)
    @app.exception_handler(SearchTimeout)
    async def search_unavailable(request: Request, exc: Exception) -> JSONResponse:
        return error_response(503, "unavailable", str(exc) or "the search took too long")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "message": str(e.get("msg", "")),
                "type": e.get("type"),
            }
            for e in exc.errors()
        ]
        return error_response(422, "invalid", "the request is not valid", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:  # every method of the path, not only those of the route that matched
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(app, request.url.path))}
        return error_response(
            exc.status_code, _CODES.get(exc.status_code, "error"), str(exc.detail), headers=headers
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(500, "internal", "internal error (logged on the server)")
