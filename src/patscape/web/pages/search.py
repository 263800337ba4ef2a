"""The search page: a query of the patent search language (with the evaluated database's fields), its
result count, the best hits, facets that narrow the query (each a condition of the language added to it),
a syntax error shown at its position, and "add to workspace" for the caller's project workspaces."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from patscape import monitor
from patscape import search as language
from patscape.monitor.search_fields import fields as evaluated_fields
from patscape.search.facets import facets
from patscape.web.pages.render import PageRoute, redirect, render
from patscape.web.pages.session import FormCaller, PageCaller
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
QueryText = Annotated[str, Query(max_length=2000, pattern=r"^[^\x00]*$")]
HITS = 25  # the best hits shown; the count and the facets cover every hit
FACET_NAMES = {
    "office": "Office",
    "year": "Publication year",
    "owner": "Owner group",
    "cpc": "CPC subclass",
    "genai": "Generative AI",
}


def narrowed(query: str, term: str) -> str:
    """The query with one more condition (a facet's)."""
    return f"({query}) AND {term}" if query.strip() else term


def search_url(query: str, **more: str) -> str:
    return "/search?" + urlencode({"q": query, **more})


@router.get("/search")
def search_page(
    request: Request,
    store: StoreDep,
    caller: PageCaller,
    q: QueryText = "",
    added: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    targets = [ws for ws in monitor.list_workspaces(store, caller) if ws.kind == "project"]
    page = {
        "q": q,
        "added": added,
        "targets": targets if monitor.can(caller, "doc.add") else [],
        "result": None,
        "facets": {},
        "error": None,
        "facet_names": FACET_NAMES,
        "narrowed": narrowed,
        "search_url": search_url,
    }
    if not q.strip():
        return render(request, "search.html.j2", **page)
    try:
        parsed = language.parse(q, evaluated_fields(store, caller))
    except ValueError as exc:  # a SearchSyntaxError (with its position), or a query beyond the limits
        page["error"] = exc
        return render(request, "search.html.j2", status=422, **page)
    _, compiled = language.prepare(store, parsed)
    page["result"] = language.search(store, parsed, limit=HITS)
    page["facets"] = facets(store, compiled)
    return render(request, "search.html.j2", **page)


@router.post("/search/add")
def add_to_workspace(
    store: StoreDep,
    caller: FormCaller,
    ws_id: Annotated[int, Form(ge=1, le=2**31)],
    key: Annotated[str, Form(min_length=2, max_length=40)],
    q: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    added = monitor.add_document(store, caller, ws_id, key)
    return redirect(search_url(q, added=added))
