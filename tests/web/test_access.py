"""Access control of every endpoint, against a real server: anonymous 401, a role without the right 403, an
outsider 404 for anything of a workspace (whether or not the id exists), revoked and expired tokens 401.

The table below must name every route of the app: a new route without its access cases fails here."""

from __future__ import annotations

import pytest

from patscape.web import create_app
from patscape.web.security import all_routes
from tests.web.conftest import GRANT, Api

WS = "/api/workspaces/{ws_id}"
DOC = WS + "/documents/{key}"
EVERYONE = ()
# route -> (body, roles answered 403). Workspace routes are also checked for outsiders (404).
CASES: dict[str, tuple[dict | None, tuple[str, ...]]] = {
    "GET /api/me": (None, EVERYONE),
    "GET /api/users": (None, ("alice", "viewer")),
    "POST /api/users": ({"name": "eve", "role": "viewer"}, ("manager", "alice", "viewer")),
    "GET /api/users/{name}": (None, ("alice", "viewer")),
    "PATCH /api/users/{name}": ({"role": "viewer"}, ("manager", "alice", "viewer")),
    "PUT /api/users/{name}/password": ({"password": "a new password"}, ("manager", "alice", "viewer")),
    "PUT /api/users/{name}/permissions/{permission}": ({"allowed": False}, ("manager", "alice", "viewer")),
    "GET /api/tokens": (None, EVERYONE),
    "POST /api/tokens": ({"user": "bob"}, ("manager", "alice", "viewer")),
    "DELETE /api/tokens/{token_id}": (None, EVERYONE),  # another's token: 404 (tested below)
    "GET /api/workspaces": (None, EVERYONE),
    "POST /api/workspaces": ({"name": "another"}, ("alice", "viewer")),
    "GET " + WS: (None, EVERYONE),
    "PATCH " + WS: ({"description": "x"}, ("alice", "viewer")),
    "GET " + WS + "/members": (None, EVERYONE),
    "POST " + WS + "/members": ({"user": "outsider"}, ("alice", "viewer")),
    "DELETE " + WS + "/members/{name}": (None, ("alice", "viewer")),
    "GET " + WS + "/categories": (None, EVERYONE),
    "POST " + WS + "/categories": ({"name": "Technology"}, ("alice", "viewer")),
    "GET " + WS + "/tags": (None, EVERYONE),
    "POST " + WS + "/tags": ({"name": "licence"}, ("viewer",)),
    "GET " + WS + "/profiles": (None, EVERYONE),
    "POST " + WS + "/profiles": ({"name": "p", "query": "robot"}, ("alice", "viewer")),
    "GET " + WS + "/profiles/{profile_id}": (None, EVERYONE),
    "PUT " + WS + "/profiles/{profile_id}": ({"name": "p", "query": "robot"}, ("alice", "viewer")),
    "POST " + WS + "/preview": ({"query": "vacuum"}, EVERYONE),
    "POST " + WS + "/route": (None, ("alice", "viewer")),
    "GET " + WS + "/activity": (None, ("alice", "viewer")),
    "GET " + WS + "/export": (None, EVERYONE),
    "GET " + WS + "/tasks": (None, EVERYONE),
    "GET " + WS + "/documents": (None, EVERYONE),
    "POST " + WS + "/documents": ({"key": "US6334226B1"}, ("viewer",)),
    "GET " + DOC: (None, EVERYONE),
    "POST " + DOC + "/rating": ({"level": 1}, ("viewer",)),
    "POST " + DOC + "/tags": ({"tag": "competitor"}, ("viewer",)),
    "DELETE " + DOC + "/tags/{tag_id}": (None, ("viewer",)),
    "POST " + DOC + "/comments": ({"text": "noted"}, ("viewer",)),
    "PATCH " + WS + "/comments/{comment_id}": ({"pinned": True}, ("viewer",)),
    "POST " + DOC + "/assign": ({"user": "bob"}, ("alice", "viewer")),
    "POST " + DOC + "/forward": ({"to": "bob"}, ("viewer",)),
    "POST " + DOC + "/done": ({"done": True}, ("viewer",)),
    "PUT " + DOC + "/due": ({"user": "alice", "due": "2030-02-01"}, ("alice", "viewer")),
    "GET " + DOC + "/history": (None, EVERYONE),
    "GET /api/publications/{key}": (None, EVERYONE),
    "GET /api/search": (None, EVERYONE),
    "GET /api/landscape": (None, EVERYONE),
    "GET /api/evaluated": (None, EVERYONE),
    "GET /api/activity": (None, EVERYONE),
    "GET /api/notifications": (None, EVERYONE),
    "POST /api/notifications/seen": ({"up_to": 0}, EVERYONE),
}
QUERY = {"/api/search": {"q": "vacuum"}}
PUBLIC = {"POST /api/auth/token"}


def _url(api: Api, template: str, ws_id: int | None = None) -> str:
    return template.format(
        ws_id=api.ws_id if ws_id is None else ws_id,
        key=GRANT,
        name="bob",
        permission="tag",
        token_id=api.alice_token_id,
        profile_id=api.profile_id,
        tag_id=api.tag_id,
        comment_id=api.comment_id,
    )


def _send(api: Api, who: str | None, route: str, ws_id: int | None = None) -> int:
    method, template = route.split(" ", 1)
    body, _ = CASES[route]
    with api.client(who) as client:
        response = client.request(method, _url(api, template, ws_id), json=body, params=QUERY.get(template))
    assert response.headers["content-type"].startswith("application/json") or response.status_code < 300
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["status"] == response.status_code and error["code"] and error["message"]
    return response.status_code


def test_the_table_names_every_route() -> None:
    app = create_app("unused.duckdb")
    routes = {
        f"{m} {r.path}"
        for r in all_routes(app)
        if hasattr(r, "methods") and r.methods
        for m in r.methods
        if r.path != "/openapi.json"
    }
    assert routes - PUBLIC == set(CASES)


def test_anonymous_is_401(api: Api) -> None:
    for route in CASES:
        assert _send(api, None, route) == 401, route
    with api.client() as client:
        response = client.get("/api/me", headers={"Authorization": "Bearer psk_0_nonsense"})
    assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"


def test_roles_without_the_right_are_403(api: Api) -> None:
    checked = 0
    for route, (_, forbidden) in CASES.items():
        for who in forbidden:
            assert _send(api, who, route) == 403, (route, who)
            checked += 1
    assert checked > 40


def test_outsiders_see_nothing_of_a_workspace(api: Api) -> None:
    inside = [r for r in CASES if "{ws_id}" in r]
    assert len(inside) == 31
    for route in inside:
        assert _send(api, "outsider", route) == 404, route
        assert _send(api, "outsider", route, ws_id=api.ws_id + 10_000) == 404, route  # same as a missing id
    with api.client("outsider") as client:
        assert client.get("/api/workspaces").json() == []
        assert client.get("/api/evaluated", params={"ws": api.ws_id}).status_code == 404
        assert client.get("/api/activity", params={"ws": api.ws_id}).status_code == 404


def test_revoked_and_expired_tokens_stop_at_once(api: Api) -> None:
    token = str(api.extra["alice_revocable"])
    with api.client() as client:
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/me", headers=auth).json()["name"] == "alice"
        # another user cannot even see it; the owner revokes it
        bob = {"Authorization": f"Bearer {api.tokens['bob']}"}
        assert client.delete(f"/api/tokens/{api.alice_token_id}", headers=bob).status_code == 404
        revoked = client.delete(f"/api/tokens/{api.alice_token_id}", headers=auth)
        assert revoked.status_code == 200 and revoked.json()["active"] is False
        assert client.get("/api/me", headers=auth).status_code == 401
        expired = {"Authorization": f"Bearer {api.expired_token}"}
        assert client.get("/api/me", headers=expired).status_code == 401


@pytest.mark.parametrize("who", ["alice", "viewer"])
def test_switched_off_rights(api: Api, who: str) -> None:
    """The admin's switch takes a right away with the next request."""
    switch, route = {
        "alice": ("tag", "POST " + DOC + "/tags"),
        "viewer": ("export", "GET " + WS + "/export"),
    }[who]
    with api.client("admin") as admin:
        assert admin.put(f"/api/users/{who}/permissions/{switch}", json={"allowed": False}).status_code == 200
        assert _send(api, who, route) == 403
        assert admin.put(f"/api/users/{who}/permissions/{switch}", json={"allowed": True}).status_code == 200
    assert _send(api, who, route) in (200, 201)
