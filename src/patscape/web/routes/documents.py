"""The evaluation: task queues, documents, ratings, tags, comments, assignment and history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from patscape import monitor
from patscape.web.errors import RESPONSES
from patscape.web.routes import out, out_list
from patscape.web.routes.params import Limit, ObjectId, Offset, PubKey, WsId
from patscape.web.schemas import (
    AssignIn,
    CommentChange,
    CommentCreated,
    CommentIn,
    DocumentIn,
    DocumentOut,
    DocumentTagIn,
    DoneIn,
    DueIn,
    EventOut,
    ForwardIn,
    Rating,
    TaskOut,
)
from patscape.web.security import CallerDep, StoreDep

router = APIRouter(prefix="/api/workspaces/{ws_id}", tags=["evaluation"], responses=RESPONSES)


@router.get("/tasks", response_model=list[TaskOut])
def tasks(
    ws_id: WsId,
    store: StoreDep,
    caller: CallerDep,
    assignee: Annotated[str, Query(max_length=64, pattern=r"^(me|all|[A-Za-z0-9][A-Za-z0-9._-]*)$")] = "me",
    state: Literal["open", "done", "all"] = "open",
    order: Literal["due", "arrival", "uncertainty"] = "due",
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[TaskOut]:
    """A queue: the tasks of ``assignee`` (me, a user name, or all) in ``state``; ``order=uncertainty`` puts
    the documents the classifier is least sure about first."""
    who = None if assignee == "all" else assignee
    return out_list(TaskOut, monitor.tasks(store, caller, ws_id, who, state, order, limit, offset))


@router.get("/documents", response_model=list[DocumentOut])
def documents(
    ws_id: WsId,
    store: StoreDep,
    caller: CallerDep,
    rated: bool | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[DocumentOut]:
    return out_list(DocumentOut, monitor.documents(store, caller, ws_id, rated, limit, offset))


def _document(store: StoreDep, caller: CallerDep, ws_id: int, key: str) -> DocumentOut:
    return out(DocumentOut, monitor.document(store, caller, ws_id, key))


@router.post("/documents", response_model=DocumentOut, status_code=201)
def add_document(ws_id: WsId, body: DocumentIn, store: StoreDep, caller: CallerDep) -> DocumentOut:
    """Add a publication by hand (how documents enter a project workspace)."""
    key = monitor.add_document(store, caller, ws_id, body.key)
    return _document(store, caller, ws_id, key)


@router.get("/documents/{key}", response_model=DocumentOut)
def document(ws_id: WsId, key: PubKey, store: StoreDep, caller: CallerDep) -> DocumentOut:
    """A document's evaluation in the workspace: rating, tags, comments, tasks."""
    return _document(store, caller, ws_id, key)


@router.post("/documents/{key}/rating", response_model=DocumentOut)
def rate(ws_id: WsId, key: PubKey, body: Rating, store: StoreDep, caller: CallerDep) -> DocumentOut:
    """Rate 0-3 (a comment is required for 3); closes the caller's task and rates the family's unrated
    members in the workspace (marked inherited)."""
    pub_key = monitor.rate(store, caller, ws_id, key, body.level, body.comment)
    return _document(store, caller, ws_id, pub_key)


@router.post("/documents/{key}/tags", response_model=DocumentOut)
def tag(ws_id: WsId, key: PubKey, body: DocumentTagIn, store: StoreDep, caller: CallerDep) -> DocumentOut:
    monitor.tag(store, caller, ws_id, key, body.tag, body.create)
    return _document(store, caller, ws_id, key)


@router.delete("/documents/{key}/tags/{tag_id}", response_model=DocumentOut)
def untag(ws_id: WsId, key: PubKey, tag_id: ObjectId, store: StoreDep, caller: CallerDep) -> DocumentOut:
    monitor.untag(store, caller, ws_id, key, tag_id)
    return _document(store, caller, ws_id, key)


@router.post("/documents/{key}/comments", response_model=CommentCreated, status_code=201)
def comment(ws_id: WsId, key: PubKey, body: CommentIn, store: StoreDep, caller: CallerDep) -> CommentCreated:
    """Comment; ``@name`` mentions a member of the workspace."""
    return CommentCreated(
        comment_id=monitor.comment(store, caller, ws_id, key, body.text, body.pinned, body.colour)
    )


@router.patch("/comments/{comment_id}", status_code=204)
def change_comment(
    ws_id: WsId, comment_id: ObjectId, body: CommentChange, store: StoreDep, caller: CallerDep
) -> Response:
    """Pin or unpin a comment, or set its colour ("" clears it)."""
    monitor.change_comment(store, caller, ws_id, comment_id, pinned=body.pinned, colour=body.colour)
    return Response(status_code=204)


@router.post("/documents/{key}/assign", response_model=DocumentOut)
def assign(ws_id: WsId, key: PubKey, body: AssignIn, store: StoreDep, caller: CallerDep) -> DocumentOut:
    monitor.assign(store, caller, ws_id, key, body.user, body.due)
    return _document(store, caller, ws_id, key)


@router.post("/documents/{key}/forward", response_model=DocumentOut)
def forward(ws_id: WsId, key: PubKey, body: ForwardIn, store: StoreDep, caller: CallerDep) -> DocumentOut:
    """Hand one's task (a manager: anyone's, ``from_user``) to another evaluator."""
    monitor.forward(store, caller, ws_id, key, body.to, body.from_user, body.note)
    return _document(store, caller, ws_id, key)


@router.post("/documents/{key}/done", response_model=DocumentOut)
def done(ws_id: WsId, key: PubKey, body: DoneIn, store: StoreDep, caller: CallerDep) -> DocumentOut:
    monitor.set_done(store, caller, ws_id, key, body.done, body.user)
    return _document(store, caller, ws_id, key)


@router.put("/documents/{key}/due", response_model=DocumentOut)
def due(ws_id: WsId, key: PubKey, body: DueIn, store: StoreDep, caller: CallerDep) -> DocumentOut:
    monitor.set_due(store, caller, ws_id, key, body.due, body.user)
    return _document(store, caller, ws_id, key)


@router.get("/documents/{key}/history", response_model=list[EventOut])
def history(ws_id: WsId, key: PubKey, store: StoreDep, caller: CallerDep) -> list[EventOut]:
    """Everything that happened to the document in the workspace, oldest first (who, what, when, before,
    after)."""
    return out_list(EventOut, monitor.history(store, caller, ws_id, key))
