"""The FastAPI application: thin over the monitor and landscape libraries.

Every route depends on ``security.current_caller`` (checked when the app is built); rights are decided by
the monitor library; errors have one JSON shape (``errors``); the OpenAPI document is at /openapi.json.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response

from patscape import __version__
from patscape.web.db import POOL_SIZE, Database
from patscape.web.errors import install_handlers
from patscape.web.routes import auth, data, documents, workspaces
from patscape.web.security import require_caller_everywhere

MAX_BODY = 1024 * 1024  # requests larger than this are refused before they are read


class _Limits(BaseHTTPMiddleware):
    """Refuse oversized bodies; responses say they are not to be cached or sniffed."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            from patscape.web.errors import error_response

            return error_response(413, "too_large", f"a request body has at most {MAX_BODY} bytes")
        response = await call_next(request)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def create_app(db: str, pool_size: int = POOL_SIZE) -> FastAPI:
    """The app over the database at ``db`` (its schema and the monitor installed: ``patscape serve`` does)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = Database(db, pool_size)
        try:
            yield
        finally:
            app.state.db.close()

    app = FastAPI(
        title="patscape",
        version=__version__,
        description="Monitoring and evaluation of patent publications: workspaces, watch profiles, queues, "
        "ratings, tags and comments, the evaluated database, publications, search and the landscape.",
        docs_url=None,  # the interactive pages load scripts from a CDN: not offline, not under our CSP
        redoc_url=None,
        lifespan=lifespan,
    )
    app.add_middleware(_Limits)
    install_handlers(app)
    for module in (auth, workspaces, documents, data):
        app.include_router(module.router)
    require_caller_everywhere(app)
    return app


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory`` in each worker of ``patscape serve``: the database in $PATSCAPE_DB."""
    return create_app(os.environ["PATSCAPE_DB"], int(os.environ.get("PATSCAPE_POOL", POOL_SIZE)))
