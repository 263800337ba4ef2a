"""The API at work against a real server: signing in, a queue rated, tagged and commented, history, the
evaluated database and its export, publications in any spelling, search, the landscape, errors' shape."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi import FastAPI

from patscape.web import create_app
from patscape.web.security import require_caller_everywhere, unauthenticated_routes
from tests.monitor.conftest import PASSWORD
from tests.web.conftest import APPLICATION, GRANT, Api


def test_an_unauthenticated_route_cannot_be_built() -> None:
    app = create_app("unused.duckdb")
    assert unauthenticated_routes(app) == []

    @app.get("/api/forgotten")
    def forgotten() -> dict:
        return {}

    with pytest.raises(RuntimeError, match="GET /api/forgotten"):
        require_caller_everywhere(app)
    assert isinstance(app, FastAPI)


def test_sign_in_with_a_form_or_json(api: Api) -> None:
    with api.client() as client:
        form = client.post("/api/auth/token", data={"username": "admin", "password": PASSWORD})
        assert form.status_code == 200, form.text
        body = client.post("/api/auth/token", json={"username": "admin", "password": PASSWORD, "days": 2})
        assert body.status_code == 200
        for token in (form.json()["access_token"], body.json()["access_token"]):
            me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"})
            assert me.json()["name"] == "admin"
        wrong = client.post("/api/auth/token", data={"username": "admin", "password": "not it"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "unauthenticated"
        assert client.post("/api/auth/token", content=b"\xff\xfe").status_code == 422
        # a user without a password signs in with tokens only
        assert client.post("/api/auth/token", json={"username": "alice", "password": "x"}).status_code == 401


def test_evaluating_a_queue(api: Api) -> None:
    with api.client("alice") as alice, api.client("bob") as bob, api.client("viewer") as viewer:
        queue = alice.get(f"/api/workspaces/{api.ws_id}/tasks", params={"assignee": "me", "state": "open"})
        assert [t["pub_key"] for t in queue.json()] == [GRANT]
        assert queue.json()[0]["due"] == "2030-01-31"
        rated = alice.post(
            f"/api/workspaces/{api.ws_id}/documents/US6530116B2/rating",
            json={"level": 3, "comment": "close to our handheld vacuum =SUM(A1)"},
        )
        assert rated.status_code == 200, rated.text
        assert rated.json()["rating"]["level"] == 3 and rated.json()["rating"]["rated_by_name"] == "alice"
        no_comment = alice.post(f"/api/workspaces/{api.ws_id}/documents/{GRANT}/rating", json={"level": 3})
        assert no_comment.status_code == 422 and no_comment.json()["error"]["code"] == "invalid"
        assert alice.get(f"/api/workspaces/{api.ws_id}/tasks").json() == []
        tagged = bob.post(
            f"/api/workspaces/{api.ws_id}/documents/{APPLICATION}/tags", json={"tag": "seeds", "create": True}
        )
        assert [t["name"] for t in tagged.json()["tags"]] == ["seeds"]
        bob.post(f"/api/workspaces/{api.ws_id}/documents/{GRANT}/tags", json={"tag": "competitor"})
        comment = bob.post(
            f"/api/workspaces/{api.ws_id}/documents/{APPLICATION}/comments",
            json={"text": "@alice prior art for us?", "colour": "blue"},
        )
        assert comment.status_code == 201
        bob.post(f"/api/workspaces/{api.ws_id}/documents/{APPLICATION}/rating", json={"level": 1})
        doc = viewer.get(f"/api/workspaces/{api.ws_id}/documents/{APPLICATION}").json()
        assert doc["comments"][0]["mentions"] == ["alice"] and doc["comments"][0]["colour"] == "blue"
        history = viewer.get(f"/api/workspaces/{api.ws_id}/documents/{APPLICATION}/history").json()
        assert [h["action"] for h in history] == [
            "document.added",
            "task.assigned",
            "document.tagged",
            "comment.added",
            "document.rated",
            "task.done",
        ]
        assert history[4]["actor_name"] == "bob" and history[4]["new"] == {"level": 1, "comment": None}
        # the evaluated database, by rating and by tag
        top = viewer.get("/api/evaluated", params={"rating_min": 2}).json()
        assert [(r["pub_key"], r["rating"]) for r in top] == [(GRANT, 3)]
        tagged_docs = viewer.get("/api/evaluated", params={"tag": "competitor"}).json()
        assert [r["pub_key"] for r in tagged_docs] == [GRANT]
        by_bob = viewer.get("/api/evaluated", params={"evaluator": "bob"}).json()
        assert [r["pub_key"] for r in by_bob] == [APPLICATION]
        # the same, as fields of the search language
        queried = viewer.get("/api/evaluated", params={"q": "rating>=2 OR evaluator=bob"}).json()
        assert sorted(r["pub_key"] for r in queried) == sorted([GRANT, APPLICATION])
        searched = viewer.get("/api/search", params={"q": "tag=competitor AND ti=vacuum"}).json()
        assert [h["pub_key"] for h in searched["hits"]] == [GRANT]
        # export: formulas neutralised
        exported = viewer.get(f"/api/workspaces/{api.ws_id}/export", params={"format": "csv"})
        rows = {r["pub_key"]: r for r in csv.DictReader(io.StringIO(exported.text))}
        assert rows[GRANT]["rating"] == "3" and rows[GRANT]["tags"] == "competitor"
        assert rows[GRANT]["rating_comment"] == "close to our handheld vacuum =SUM(A1)"
        assert "bob" in rows[APPLICATION]["comments"] and "@alice prior art" in rows[APPLICATION]["comments"]
        xlsx = viewer.get(f"/api/workspaces/{api.ws_id}/export", params={"format": "xlsx"})
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert values[0][:3] == ["workspace", "pub_key", "title"]
        assert {v[1] for v in values[1:]} == {GRANT, APPLICATION}
        # alice's notifications: bob's mention, bob's tag on the document she holds, her task (not her acts)
        told = alice.get("/api/notifications").json()
        assert [(n["reason"], n["event"]["action"], n["event"]["pub_key"]) for n in told] == [
            ("mentioned", "comment.added", APPLICATION),
            ("changed", "document.tagged", GRANT),
            ("assigned", "task.assigned", GRANT),
        ]
        seen = alice.post("/api/notifications/seen", json={"up_to": told[0]["event"]["event_id"]})
        assert seen.json() == {"up_to": told[0]["event"]["event_id"]}
        assert alice.get("/api/notifications").json() == []


def test_formula_in_a_cell_is_kept_as_text(api: Api) -> None:
    with api.client("manager") as manager:
        manager.post(f"/api/workspaces/{api.ws_id}/documents", json={"key": "US-6857133-B2"})
        manager.post(
            f"/api/workspaces/{api.ws_id}/documents/US-6857133-B2/rating",
            json={"level": 0, "comment": '=HYPERLINK("http://x")'},
        )
        exported = manager.get(f"/api/workspaces/{api.ws_id}/export").text
    rows = {r["pub_key"]: r for r in csv.DictReader(io.StringIO(exported))}
    assert rows["US-6857133-B2"]["rating_comment"] == '\'=HYPERLINK("http://x")'


def test_publications_search_landscape(api: Api) -> None:
    with api.client("viewer") as viewer:
        for spelling in ("US6530116B2", "US-6530116-B2", "US 6530116"):
            found = viewer.get(f"/api/publications/{spelling}")
            assert found.status_code == 200 and found.json()["publication"]["pub_key"] == GRANT
        assert viewer.get("/api/publications/US9999999B2").status_code == 404
        found = viewer.get("/api/search", params={"q": 'ti="vacuum cleaner"'}).json()
        assert [h["pub_key"] for h in found["hits"]] == [GRANT] and found["total"] == 1
        snippet = found["hits"][0]["snippet"]
        marked = {snippet["text"][a:b].lower() for a, b in snippet["highlights"]}
        assert marked and marked <= {"vacuum", "cleaner", "vacuum cleaner"}, snippet
        wrong = viewer.get("/api/search", params={"q": "ti=(vacuum"})
        assert wrong.status_code == 422 and "column 10" in wrong.json()["error"]["message"]
        landscape = viewer.get("/api/landscape", params={"by": "country", "country_by": "member"}).json()
        assert landscape["meta"]["by"] == "country" and "office" not in landscape["meta"]["counting"]
        us = [r for r in landscape["tables"]["countries"] if r["country"] == "US"]
        assert sum(r["families"] for r in us) == api.extra["families"] == 13  # every family has a US member
        assert viewer.get("/api/landscape", params={"year_from": 1700}).status_code == 422


def test_errors_have_one_shape(api: Api) -> None:
    with api.client("admin") as admin:
        cases = [
            admin.get("/api/workspaces/not-a-number"),
            admin.post("/api/workspaces", json={"name": ""}),
            admin.post("/api/workspaces", json={"name": "GenAI watch"}),
            admin.get("/api/nowhere"),
            admin.post("/api/users", content=b"{", headers={"content-type": "application/json"}),
            admin.post("/api/users", json={"name": "x\u0000y", "role": "viewer"}),
            admin.get("/api/me", headers={"Authorization": "Basic abc"}),
            admin.get("/api/landscape", params={"query": "ti=(robot"}),  # the search language's error
        ]
    assert [c.status_code for c in cases] == [422, 422, 409, 404, 422, 422, 401, 422]
    assert cases[-1].json()["error"]["details"][0]["column"] == 9
    for response in cases:
        error = response.json()["error"]
        assert (
            set(error) == {"code", "message", "status", "details"} and error["status"] == response.status_code
        )
