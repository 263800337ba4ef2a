"""Pages as HTML: the Jinja2 templates, the headers every page sends (Content-Security-Policy first), and
the route class that turns the monitor's errors into pages instead of the API's JSON."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from patscape import monitor
from patscape.web.errors import STATUS
from patscape.web.pages import queues, urls
from patscape.web.pages.session import BadCsrf, SignInRequired

log = logging.getLogger("patscape.web")
TEMPLATES = Path(__file__).parent / "templates"

# Scripts, styles and everything else only from this site (the front-end packages are served from it):
# no inline script or style, no frames, forms post back here only.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
RATING_NAMES = {0: "not relevant", 1: "of interest", 2: "relevant", 3: "highly relevant"}


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        RATING_NAMES=RATING_NAMES, views=queues.VIEWS, doc_url=urls.doc_url, queue_url=urls.queue_url
    )
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = request.state
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            caller=getattr(state, "caller", None),
            csrf=getattr(state, "csrf", ""),
            **context,
        )
    )
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def redirect(url: str) -> RedirectResponse:
    """After a form's POST: see the result with a GET (303), so reloading never posts twice."""
    return RedirectResponse(url, status_code=303, headers=PAGE_HEADERS)


def _error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html.j2", status=status, status_code=status, message=message)


class PageRoute(APIRoute):
    """A page: no session → the sign-in form; the monitor's refusals → an error page with their status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                if request.method != "GET":
                    target = "/"
                return redirect(f"/signin?next={quote(target, safe='/')}")
            except BadCsrf as exc:
                return _error_page(request, 403, str(exc))
            except monitor.MonitorError as exc:
                return _error_page(request, STATUS.get(type(exc), 400), str(exc))
            except RequestValidationError as exc:
                where = ", ".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors())
                return _error_page(request, 422, f"the request is not valid ({where})")

        return page
