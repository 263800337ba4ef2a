"""Administration pages over the monitor library, which decides every right: users and roles (admins),
the signed-in user's tokens (an admin's: everyone's), a new workspace (managers), and a workspace's
settings: members, tag categories and tags (its managers)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from patscape import monitor
from patscape.web.pages.render import PageRoute, redirect, render
from patscape.web.pages.session import SESSION_LABEL, FormCaller, PageCaller, safe_next
from patscape.web.security import StoreDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)
WsId = Annotated[int, Path(ge=1, le=2**31)]
Name = Annotated[str, Form(min_length=1, max_length=120)]
ROLES = ("viewer", "evaluator", "manager", "admin")


@router.get("/admin/users")
def users(request: Request, store: StoreDep, caller: PageCaller) -> Response:
    return render(
        request,
        "users.html.j2",
        users=monitor.list_users(store, caller),
        can_manage=monitor.can(caller, "users.manage"),
        roles=ROLES,
    )


@router.post("/admin/users")
def add_user(
    store: StoreDep,
    caller: FormCaller,
    name: Name,
    role: Annotated[str, Form(pattern="^(viewer|evaluator|manager|admin)$")],
    password: Annotated[str, Form(min_length=10, max_length=200)],
    email: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    monitor.add_user(store, caller, name.strip(), role, password, email=email.strip() or None)
    return redirect("/admin/users")


@router.post("/admin/users/{name}/role")
def set_role(
    store: StoreDep,
    caller: FormCaller,
    name: Annotated[str, Path(max_length=120)],
    role: Annotated[str, Form(pattern="^(viewer|evaluator|manager|admin)$")],
) -> Response:
    monitor.update_user(store, caller, name, role=role)
    return redirect("/admin/users")


@router.get("/tokens")
def tokens(request: Request, store: StoreDep, caller: PageCaller) -> Response:
    everyone = monitor.can(caller, "tokens.manage_all")
    found = monitor.list_tokens(store, caller, "*" if everyone else None)
    return render(request, "tokens.html.j2", tokens=found, session_label=SESSION_LABEL, everyone=everyone)


@router.post("/tokens/revoke")
def revoke_token(
    store: StoreDep,
    caller: FormCaller,
    token_id: Annotated[str, Form(min_length=4, max_length=40)],
    next: Annotated[str, Form(max_length=200)] = "/tokens",
) -> Response:
    monitor.revoke(store, caller, token_id)
    return redirect(safe_next(next, "/tokens"))


@router.post("/workspaces")
def create_workspace(
    store: StoreDep,
    caller: FormCaller,
    name: Name,
    kind: Annotated[str, Form(pattern="^(monitoring|project)$")],
) -> Response:
    workspace = monitor.create_workspace(store, caller, name.strip(), kind=kind)
    return redirect(f"/w/{workspace.ws_id}/settings")


@router.get("/w/{ws_id}/settings")
def settings(request: Request, ws_id: WsId, store: StoreDep, caller: PageCaller) -> Response:
    workspace = monitor.get_workspace(store, caller, ws_id)
    return render(
        request,
        "settings.html.j2",
        workspace=workspace,
        members=monitor.members(store, caller, ws_id),
        categories=monitor.categories(store, caller, ws_id),
        tags=monitor.tags(store, caller, ws_id),
        can_manage=monitor.can(caller, "ws.manage"),
    )


@router.post("/w/{ws_id}/members")
def add_member(ws_id: WsId, store: StoreDep, caller: FormCaller, user: Name) -> Response:
    monitor.add_member(store, caller, ws_id, user.strip())
    return redirect(f"/w/{ws_id}/settings#members")


@router.post("/w/{ws_id}/members/remove")
def remove_member(ws_id: WsId, store: StoreDep, caller: FormCaller, user: Name) -> Response:
    monitor.remove_member(store, caller, ws_id, user)
    return redirect(f"/w/{ws_id}/settings#members")


@router.post("/w/{ws_id}/categories")
def add_category(ws_id: WsId, store: StoreDep, caller: FormCaller, name: Name) -> Response:
    monitor.create_category(store, caller, ws_id, name.strip())
    return redirect(f"/w/{ws_id}/settings#tags")


@router.post("/w/{ws_id}/tags")
def add_tag(
    ws_id: WsId,
    store: StoreDep,
    caller: FormCaller,
    name: Name,
    category_id: Annotated[str, Form(pattern=r"^\d{0,12}$")] = "",
) -> Response:
    monitor.create_tag(store, caller, ws_id, name.strip(), int(category_id) if category_id else None)
    return redirect(f"/w/{ws_id}/settings#tags")
