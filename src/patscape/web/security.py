"""Who is calling: the one authentication dependency every route but the token endpoint depends on.

``current_caller`` turns the request's bearer token into the monitor's ``Caller``; what the caller may do
is decided by the monitor library itself (``patscape.monitor.access.check``), never here.
``require_caller_everywhere`` refuses to build an app with a route that lacks it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Authentication:
    """What an app's routes may depend on to know their caller, and what is public. The API's alone by
    default; ``create_app`` adds the pages' session cookie (``app.state.authentication``)."""

    callers: tuple[object, ...] = (current_caller,)
    public_routes: frozenset[tuple[str, str]] = field(default_factory=lambda: frozenset(PUBLIC_ROUTES))
    public_paths: frozenset[str] = field(default_factory=lambda: frozenset(PUBLIC_PATHS))


def unauthenticated_routes(app: FastAPI) -> list[str]:
    """Routes that depend on none of the app's callers and are not declared public."""
    rules = getattr(app.state, "authentication", None) or Authentication()
    missing = []
    for route in all_routes(app):
        if isinstance(getattr(route, "original_route", route), APIRoute):
            for method in sorted(route.methods):
                if (method, route.path) not in rules.public_routes and not any(
                    _depends_on(route.dependant, call) for call in rules.callers
                ):
                    missing.append(f"{method} {route.path}")
        elif route.path not in rules.public_paths:
            missing.append(f"{route.path} (not an API route)")
    return missing


def require_caller_everywhere(app: FastAPI) -> None:
    missing = unauthenticated_routes(app)
    if missing:
        raise RuntimeError(f"routes without authentication: {', '.join(missing)}")
