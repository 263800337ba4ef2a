"""Signing in, oneself, users and tokens."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import ValidationError

from patscape import monitor
from patscape.web.errors import RESPONSES
from patscape.web.routes import out, out_list
from patscape.web.schemas import (
    Credentials,
    PasswordIn,
    PermissionIn,
    TokenIn,
    TokenInfoOut,
    TokenOut,
    UserChange,
    UserIn,
    UserOut,
)
from patscape.web.security import CallerDep, StoreDep

router = APIRouter(prefix="/api", responses=RESPONSES)
UserName = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
TokenId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9a-f]+$")]
Switch = Annotated[str, Path(pattern="^(tag|create_tags|assign|export|activity)$")]

_CREDENTIALS = Credentials.model_json_schema()
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def _credentials(request: Request) -> Credentials:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if kind in _FORM_TYPES:
            form = await request.form()
            data: Any = {k: v for k, v in form.items() if isinstance(v, str)}
            if str(data.get("days", "")).isdigit():  # a form's values are all text
                data["days"] = int(data["days"])
        else:
            data = json.loads(await request.body() or b"null")
        return Credentials.model_validate(data)
    except (ValidationError, ValueError, UnicodeDecodeError) as exc:
        raise monitor.Invalid("send username and password, as JSON or as a form") from exc


@router.post(
    "/auth/token",
    response_model=TokenOut,
    tags=["auth"],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _CREDENTIALS},
                "application/x-www-form-urlencoded": {"schema": _CREDENTIALS},
            },
        }
    },
)
async def token(request: Request) -> TokenOut:
    """Exchange a user name and password for a bearer token (form or JSON)."""
    from starlette.concurrency import run_in_threadpool

    credentials = await _credentials(request)

    def issue() -> TokenOut:
        with request.app.state.db.store() as store:
            user = monitor.check_password(store, credentials.username, credentials.password)
            if user is None:
                raise monitor.Unauthenticated("wrong user name or password")
            issued = monitor.issue_token(
                store, user.caller(), user.user_id, credentials.label, credentials.days
            )
        return TokenOut(
            access_token=issued.token, token_id=issued.info.token_id, expires_at=issued.info.expires_at
        )

    return await run_in_threadpool(issue)


@router.get("/me", response_model=UserOut, tags=["auth"])
def me(store: StoreDep, caller: CallerDep) -> UserOut:
    """The signed-in user, with the permissions the admin has switched off."""
    return out(UserOut, monitor.get_user(store, caller, caller.user_id))


@router.get("/users", response_model=list[UserOut], tags=["users"])
def users(store: StoreDep, caller: CallerDep) -> list[UserOut]:
    return out_list(UserOut, monitor.list_users(store, caller))


@router.post("/users", response_model=UserOut, status_code=201, tags=["users"])
def add_user(body: UserIn, store: StoreDep, caller: CallerDep) -> UserOut:
    user = monitor.add_user(store, caller, body.name, body.role, body.password, body.display_name, body.email)
    return out(UserOut, user)


@router.get("/users/{name}", response_model=UserOut, tags=["users"])
def user(name: UserName, store: StoreDep, caller: CallerDep) -> UserOut:
    return out(UserOut, monitor.get_user(store, caller, name))


@router.patch("/users/{name}", response_model=UserOut, tags=["users"])
def change_user(name: UserName, body: UserChange, store: StoreDep, caller: CallerDep) -> UserOut:
    return out(UserOut, monitor.update_user(store, caller, name, **body.model_dump()))


@router.put("/users/{name}/password", status_code=204, tags=["users"])
def set_password(name: UserName, body: PasswordIn, store: StoreDep, caller: CallerDep) -> Response:
    monitor.set_password(store, caller, name, body.password)
    return Response(status_code=204)


@router.put("/users/{name}/permissions/{permission}", response_model=UserOut, tags=["users"])
def set_permission(
    name: UserName, permission: Switch, body: PermissionIn, store: StoreDep, caller: CallerDep
) -> UserOut:
    """The admin's switch: forbid (allowed=false) or allow again tagging, creating tags, assigning,
    exporting or seeing the activity log."""
    return out(UserOut, monitor.set_permission(store, caller, name, permission, body.allowed))


@router.get("/tokens", response_model=list[TokenInfoOut], tags=["tokens"])
def tokens(
    store: StoreDep,
    caller: CallerDep,
    user: Annotated[str | None, Query(max_length=64, pattern=r"^(\*|[A-Za-z0-9][A-Za-z0-9._-]*)$")] = None,
) -> list[TokenInfoOut]:
    """One's own tokens; an admin: another user's (user=NAME) or everyone's (user=*)."""
    return out_list(TokenInfoOut, monitor.list_tokens(store, caller, user))


@router.post("/tokens", response_model=TokenOut, status_code=201, tags=["tokens"])
def new_token(body: TokenIn, store: StoreDep, caller: CallerDep) -> TokenOut:
    """A new token (shown once) for oneself, or for another user by an admin."""
    issued = monitor.issue_token(store, caller, body.user or caller.user_id, body.label, body.days)
    return TokenOut(
        access_token=issued.token, token_id=issued.info.token_id, expires_at=issued.info.expires_at
    )


@router.delete("/tokens/{token_id}", response_model=TokenInfoOut, tags=["tokens"])
def revoke_token(token_id: TokenId, store: StoreDep, caller: CallerDep) -> TokenInfoOut:
    """Revoke a token: it stops working with the next request."""
    return out(TokenInfoOut, monitor.revoke(store, caller, token_id))
