"""Who is calling: the one authentication dependency every route but the token endpoint depends on.

``current_caller`` turns the request's bearer token into the monitor's ``Caller``; what the caller may do
is decided by the monitor library itself (``patscape.monitor.access.check``), never here.
``require_caller_everywhere`` refuses to build an app with a route that lacks it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from patscape import monitor
from patscape.monitor import Caller
from patscape.store import Store

PUBLIC_ROUTES = {("POST", "/api/auth/token")}  # the only way in without a token: exchanging a password
PUBLIC_PATHS = {"/openapi.json"}  # the API's description, no data

_bearer = HTTPBearer(
    auto_error=False, description="a token from POST /api/auth/token or `patscape user token`"
)


def get_store(request: Request) -> Iterator[Store]:
    with request.app.state.db.store() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]


def current_caller(
    store: StoreDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller:
    if credentials is None:
        raise monitor.Unauthenticated("sign in: send 'Authorization: Bearer <token>'")
    return monitor.authenticate(store, credentials.credentials)


CallerDep = Annotated[Caller, Depends(current_caller)]


def _depends_on(dependant: Dependant, call: object) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in dependant.dependencies)


def all_routes(app: FastAPI) -> list[Any]:
    """Every route of the app, those of included routers too (FastAPI >= 0.16x includes them lazily)."""
    from fastapi import routing

    contexts = getattr(routing, "iter_route_contexts", None)
    return list(contexts(app.routes)) if contexts else list(app.routes)


def unauthenticated_routes(app: FastAPI) -> list[str]:
    """Routes that do not depend on ``current_caller`` and are not declared public."""
    missing = []
    for route in all_routes(app):
        if isinstance(getattr(route, "original_route", route), APIRoute):
            for method in sorted(route.methods):
                if (method, route.path) not in PUBLIC_ROUTES and not _depends_on(
                    route.dependant, current_caller
                ):
                    missing.append(f"{method} {route.path}")
        elif route.path not in PUBLIC_PATHS:
            missing.append(f"{route.path} (not an API route)")
    return missing


def require_caller_everywhere(app: FastAPI) -> None:
    missing = unauthenticated_routes(app)
    if missing:
        raise RuntimeError(f"routes without authentication: {', '.join(missing)}")
