"""The web application's pages, server-rendered (Jinja2) beside the JSON API and thin over the same
libraries: signing in and out, the evaluator's queue and documents, notifications, search, watch
profiles, the dashboard, administration.

``install(app)`` adds them to the API's app. Every page depends on ``session.page_caller`` (the session
cookie) as every API route depends on the bearer token; the sign-in form and the scripts are public.
"""

from __future__ import annotations

from fastapi import FastAPI

from patscape.web.pages import (
    admin,
    assets,
    dashboard,
    evaluate,
    feeds,
    notices,
    profiles,
    search,
    signin,
)
from patscape.web.pages.session import page_caller
from patscape.web.security import Authentication

PUBLIC_ROUTES = {
    ("GET", "/signin"),
    ("POST", "/signin"),
    ("GET", "/static/vendor/{name}"),
    # feeds authenticate a feed token of their URL themselves (feed readers send no cookie or header)
    ("GET", "/feeds/me.atom"),
    ("GET", "/feeds/w/{ws_id}.atom"),
}
PUBLIC_PATHS = {"/static/app"}


def install(app: FastAPI) -> None:
    for module in (signin, dashboard, evaluate, notices, search, profiles, feeds, admin, assets):
        app.include_router(module.router)
    app.include_router(feeds.forms)
    app.mount("/static/app", assets.static_files(), name="static")
    api = getattr(app.state, "authentication", None) or Authentication()
    app.state.authentication = Authentication(
        (*api.callers, page_caller),
        api.public_routes | PUBLIC_ROUTES,
        api.public_paths | PUBLIC_PATHS,
    )
