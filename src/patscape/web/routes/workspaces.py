"""Workspaces: members, tag categories, tags, watch profiles, routing, activity and export."""

from __future__ import annotations

import io
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from patscape import monitor
from patscape.web.errors import RESPONSES
from patscape.web.routes import out, out_list
from patscape.web.routes.params import Limit, ObjectId, Offset, WsId
from patscape.web.schemas import (
    CategoryIn,
    CategoryOut,
    EventOut,
    MemberIn,
    MemberOut,
    PreviewIn,
    PreviewOut,
    ProfileIn,
    ProfileOut,
    RouteOut,
    TagIn,
    TagOut,
    WorkspaceChange,
    WorkspaceIn,
    WorkspaceOut,
    naive_utc,
)
from patscape.web.security import CallerDep, StoreDep

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"], responses=RESPONSES)
UserName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


@router.get("", response_model=list[WorkspaceOut])
def workspaces(store: StoreDep, caller: CallerDep) -> list[WorkspaceOut]:
    """The workspaces the caller is a member of (an admin: all)."""
    return out_list(WorkspaceOut, monitor.list_workspaces(store, caller))


@router.post("", response_model=WorkspaceOut, status_code=201)
def create(body: WorkspaceIn, store: StoreDep, caller: CallerDep) -> WorkspaceOut:
    ws = monitor.create_workspace(
        store, caller, body.name, body.kind, body.description, naive_utc(body.watch_from), body.allow_training
    )
    return out(WorkspaceOut, ws)


@router.get("/{ws_id}", response_model=WorkspaceOut)
def workspace(ws_id: WsId, store: StoreDep, caller: CallerDep) -> WorkspaceOut:
    return out(WorkspaceOut, monitor.get_workspace(store, caller, ws_id))


@router.patch("/{ws_id}", response_model=WorkspaceOut)
def change(ws_id: WsId, body: WorkspaceChange, store: StoreDep, caller: CallerDep) -> WorkspaceOut:
    return out(WorkspaceOut, monitor.update_workspace(store, caller, ws_id, **body.model_dump()))


@router.get("/{ws_id}/members", response_model=list[MemberOut])
def members(ws_id: WsId, store: StoreDep, caller: CallerDep) -> list[MemberOut]:
    return out_list(MemberOut, monitor.members(store, caller, ws_id))


@router.post("/{ws_id}/members", response_model=MemberOut, status_code=201)
def add_member(ws_id: WsId, body: MemberIn, store: StoreDep, caller: CallerDep) -> MemberOut:
    return out(MemberOut, monitor.add_member(store, caller, ws_id, body.user))


@router.delete("/{ws_id}/members/{name}", status_code=204)
def remove_member(ws_id: WsId, name: UserName, store: StoreDep, caller: CallerDep) -> Response:
    monitor.remove_member(store, caller, ws_id, name)
    return Response(status_code=204)


@router.get("/{ws_id}/categories", response_model=list[CategoryOut])
def categories(ws_id: WsId, store: StoreDep, caller: CallerDep) -> list[CategoryOut]:
    return out_list(CategoryOut, monitor.categories(store, caller, ws_id))


@router.post("/{ws_id}/categories", response_model=CategoryOut, status_code=201)
def create_category(ws_id: WsId, body: CategoryIn, store: StoreDep, caller: CallerDep) -> CategoryOut:
    return out(CategoryOut, monitor.create_category(store, caller, ws_id, body.name, body.colour))


@router.get("/{ws_id}/tags", response_model=list[TagOut])
def tags(ws_id: WsId, store: StoreDep, caller: CallerDep) -> list[TagOut]:
    return out_list(TagOut, monitor.tags(store, caller, ws_id))


@router.post("/{ws_id}/tags", response_model=TagOut, status_code=201)
def create_tag(ws_id: WsId, body: TagIn, store: StoreDep, caller: CallerDep) -> TagOut:
    return out(TagOut, monitor.create_tag(store, caller, ws_id, body.name, body.category_id))


def _profile(p: monitor.Profile) -> ProfileOut:
    return ProfileOut(
        profile_id=p.profile_id,
        ws_id=p.ws_id,
        name=p.name,
        query=p.query,
        genai=p.genai,
        min_score=p.min_score,
        rules=[r.as_dict() for r in p.rules],
        fallback=p.fallback,
        active=p.active,
        created_at=p.created_at,
        updated_at=p.updated_at,
    )


def _save(
    ws_id: int, body: ProfileIn, store: StoreDep, caller: CallerDep, profile_id: int | None
) -> ProfileOut:
    rules = [r.model_dump(exclude_none=True) for r in body.rules]
    saved = monitor.save_profile(
        store,
        caller,
        ws_id,
        body.name,
        body.query,
        genai=body.genai,
        min_score=body.min_score,
        rules=rules,
        fallback=body.fallback,
        active=body.active,
        profile_id=profile_id,
    )
    return _profile(saved)


@router.get("/{ws_id}/profiles", response_model=list[ProfileOut])
def profiles(ws_id: WsId, store: StoreDep, caller: CallerDep) -> list[ProfileOut]:
    return [_profile(p) for p in monitor.profiles(store, caller, ws_id)]


@router.post("/{ws_id}/profiles", response_model=ProfileOut, status_code=201)
def create_profile(ws_id: WsId, body: ProfileIn, store: StoreDep, caller: CallerDep) -> ProfileOut:
    """A watch profile: a query, an optional classifier condition (genai, min_score) and routing rules
    (``{"cpc": "G06N3", "to": ["alice"]}``, ``tag``, ``owner``); otherwise the fallback. A profile is never
    deleted: PUT it with ``"active": false``."""
    return _save(ws_id, body, store, caller, None)


@router.get("/{ws_id}/profiles/{profile_id}", response_model=ProfileOut)
def profile(ws_id: WsId, profile_id: ObjectId, store: StoreDep, caller: CallerDep) -> ProfileOut:
    return _profile(monitor.get_profile(store, caller, ws_id, profile_id))


@router.put("/{ws_id}/profiles/{profile_id}", response_model=ProfileOut)
def replace_profile(
    ws_id: WsId, profile_id: ObjectId, body: ProfileIn, store: StoreDep, caller: CallerDep
) -> ProfileOut:
    return _save(ws_id, body, store, caller, profile_id)


@router.post("/{ws_id}/preview", response_model=PreviewOut)
def preview(ws_id: WsId, body: PreviewIn, store: StoreDep, caller: CallerDep) -> PreviewOut:
    """What a profile would have found among the publications that arrived in the last ``days``."""
    found = monitor.preview(
        store,
        caller,
        ws_id,
        body.query,
        genai=body.genai,
        min_score=body.min_score,
        days=body.days,
        limit=body.limit,
    )
    return PreviewOut(**found)


@router.post("/{ws_id}/route", response_model=list[RouteOut])
def route(ws_id: WsId, store: StoreDep, caller: CallerDep) -> list[RouteOut]:
    """Route the publications that arrived since the last run now (``patscape route`` does it for all)."""
    return out_list(RouteOut, monitor.route(store, caller, [ws_id], label=False))


@router.get("/{ws_id}/activity", response_model=list[EventOut])
def activity(
    ws_id: WsId, store: StoreDep, caller: CallerDep, limit: Limit = 100, offset: Offset = 0
) -> list[EventOut]:
    """Everything that happened in the workspace, newest first."""
    return out_list(EventOut, monitor.workspace_activity(store, caller, ws_id, limit, offset))


@router.get(
    "/{ws_id}/export",
    response_class=Response,
    responses={
        200: {
            "content": {
                "text/csv": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            },
            "description": "the workspace's evaluated documents",
        }
    },
)
def export(
    ws_id: WsId,
    store: StoreDep,
    caller: CallerDep,
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
) -> Response:
    """The workspace's rated documents with ratings, tags and comments, as CSV or XLSX."""
    rows = monitor.export_rows(store, caller, ws_id)
    name = f"workspace-{ws_id}-evaluated.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "xlsx":
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(monitor.xlsx_bytes(rows), media_type=media, headers=headers)
    buffer = io.StringIO()
    monitor.write_csv(rows, buffer)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
