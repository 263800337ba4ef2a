"""The evaluator's pages: a workspace's queue and a document in it, with rating, tags and comments.

Forms post here and answer with a redirect (so they work without scripts, and reloading never posts twice);
``static/keys.js`` adds the keyboard: 0-3 rate and open the next document, j/k move, t and c focus the tag
and comment fields, ? lists the shortcuts.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.responses import Response

from patscape import monitor
from patscape.web.pages import queues
from patscape.web.pages.publication import publication
from patscape.web.pages.render import PageRoute, redirect, render
from patscape.web.pages.session import FormCaller, PageCaller
from patscape.web.pages.urls import doc_url, queue_url
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
WsId = Annotated[int, Path(ge=1, le=2**31)]
Key = Annotated[str, Path(min_length=2, max_length=40)]
View = Annotated[str, Query(pattern="^(mine|open|rated|all)$")]
ViewField = Annotated[str, Form(pattern="^(mine|open|rated|all)$")]
Text = Annotated[str, Form(max_length=4000)]


@router.get("/w/{ws_id}/queue")
def queue(
    request: Request,
    ws_id: WsId,
    store: StoreDep,
    caller: PageCaller,
    view: View = "mine",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    done: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    workspace = monitor.get_workspace(store, caller, ws_id)
    size = queues.PAGE_SIZE
    found = queues.rows(store, caller, ws_id, view, size + 1, (page - 1) * size)
    return render(
        request,
        "queue.html.j2",
        workspace=workspace,
        view=view,
        rows=found[:size],
        page=page,
        more=len(found) > size,
        done=done,
    )


@router.get("/w/{ws_id}/doc/{key}")
def document(
    request: Request,
    ws_id: WsId,
    key: Key,
    store: StoreDep,
    caller: PageCaller,
    view: View = "mine",
    rate: Annotated[int | None, Query(ge=0, le=3)] = None,
    error: Annotated[str | None, Query(max_length=300)] = None,
) -> Response:
    workspace = monitor.get_workspace(store, caller, ws_id)
    evaluation = monitor.document(store, caller, ws_id, key)
    previous, following = queues.neighbours(store, caller, ws_id, view, evaluation.pub_key)
    return render(
        request,
        "document.html.j2",
        workspace=workspace,
        view=view,
        doc=evaluation,
        pub=publication(store, evaluation.pub_key),
        history=monitor.history(store, caller, ws_id, evaluation.pub_key),
        tags=monitor.tags(store, caller, ws_id),
        previous=previous,
        following=following,
        preset=rate,
        error=error,
    )


@router.get("/p/{key}")
def publication_page(request: Request, key: Key, store: StoreDep, caller: PageCaller) -> Response:
    """A publication outside any workspace (as every signed-in user may read publications)."""
    return render(request, "publication.html.j2", pub=publication(store, key))


@router.post("/w/{ws_id}/doc/{key}/rating")
def rate(
    ws_id: WsId,
    key: Key,
    store: StoreDep,
    caller: FormCaller,
    level: Annotated[int, Form(ge=0, le=3)],
    view: ViewField = "mine",
    comment: Text = "",
) -> Response:
    """Rate, then open the next document of the queue (the queue itself when none is left)."""
    if level == 3 and not comment.strip():
        return redirect(doc_url(ws_id, key, view, rate="3", error="A rating of 3 needs a comment."))
    _, following = queues.neighbours(
        store, caller, ws_id, view, monitor.document(store, caller, ws_id, key).pub_key
    )
    rated = monitor.rate(store, caller, ws_id, key, level, comment.strip() or None)
    if following is None or following == rated:
        return redirect(queue_url(ws_id, view, done=rated))
    return redirect(doc_url(ws_id, following, view))


@router.post("/w/{ws_id}/doc/{key}/tags")
def tag(
    ws_id: WsId,
    key: Key,
    store: StoreDep,
    caller: FormCaller,
    tag: Annotated[str, Form(min_length=1, max_length=100)],
    view: ViewField = "mine",
) -> Response:
    monitor.tag(store, caller, ws_id, key, tag.strip(), create=monitor.can(caller, "tags.create"))
    return redirect(doc_url(ws_id, key, view) + "#tags")


@router.post("/w/{ws_id}/doc/{key}/comments")
def comment(
    ws_id: WsId,
    key: Key,
    store: StoreDep,
    caller: FormCaller,
    text: Annotated[str, Form(min_length=1, max_length=4000)],
    view: ViewField = "mine",
) -> Response:
    monitor.comment(store, caller, ws_id, key, text)
    return redirect(doc_url(ws_id, key, view) + "#comments")
