"""20 evaluators rate, tag and comment the same queue at once, through the API served by two worker
processes on PostgreSQL: no event is lost, and every document ends in the state its last event says."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from pathlib import Path

import pytest

from patscape import monitor
from patscape.monitor import SYSTEM, state
from patscape.store import open_store
from patscape.store.ingest import ingest
from tests.web.conftest import Api, module_pg_database, running

EVALUATORS = 20
TAGS = ("competitor", "licence", "prior-art")


@pytest.fixture(scope="module")
def queue_server(request: pytest.FixtureRequest, data: Path):  # type: ignore[no-untyped-def]
    db = module_pg_database(request)
    with open_store(db) as store:
        monitor.install(store)
        ingest(store, [data / "go_uspto_testdata"], workers=0)
        keys = [r["pub_key"] for r in store.fetch("SELECT pub_key FROM publications ORDER BY pub_key")]
        manager = monitor.add_user(store, SYSTEM, "manager", "manager").caller()
        ws = monitor.create_workspace(store, manager, "shared queue", kind="project")
        tokens = {}
        for i in range(EVALUATORS):
            name = f"evaluator{i:02d}"
            monitor.add_user(store, SYSTEM, name, "evaluator")
            monitor.add_member(store, manager, ws.ws_id, name)
            tokens[name] = monitor.issue_token(store, SYSTEM, name).token
        for tag in TAGS:
            monitor.create_tag(store, manager, ws.ws_id, tag)
        for key in keys:
            monitor.add_document(store, manager, ws.ws_id, key)
            for name in tokens:
                monitor.assign(store, manager, ws.ws_id, key, name)
        events_before = store.scalar("SELECT count(*) FROM monitor_events")
    api = Api("", db, tokens, ws.ws_id, 0, 0, 0, 0, "", "", {"keys": keys, "events_before": events_before})
    with running(api, workers=2) as server:
        yield server


@pytest.mark.postgres
def test_twenty_evaluators_at_once(queue_server: Api) -> None:
    api = queue_server
    keys: list[str] = api.extra["keys"]  # type: ignore[assignment]
    sent: Counter[str] = Counter()
    tagged: set[tuple[str, str]] = set()
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(EVALUATORS)

    def evaluate(name: str, seed: int) -> None:
        rng = random.Random(seed)
        order = keys[:]
        rng.shuffle(order)
        with api.client(name) as client:
            start.wait()
            for key in order:
                base = f"/api/workspaces/{api.ws_id}/documents/{key}"
                level = rng.randrange(3)
                tag = rng.choice(TAGS)
                calls = [
                    ("rating", client.post(f"{base}/rating", json={"level": level})),
                    ("tag", client.post(f"{base}/tags", json={"tag": tag})),
                    ("comment", client.post(f"{base}/comments", json={"text": f"@{name} {level} {tag}"})),
                ]
                with lock:
                    for what, response in calls:
                        if response.status_code >= 300:
                            failures.append(
                                f"{name} {what} {key}: {response.status_code} {response.text[:200]}"
                            )
                        sent[what] += 1
                    tagged.add((key, tag))

    threads = [threading.Thread(target=evaluate, args=(n, i)) for i, n in enumerate(api.tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:5]
    assert sent == {
        "rating": EVALUATORS * len(keys),
        "tag": EVALUATORS * len(keys),
        "comment": EVALUATORS * len(keys),
    }

    with open_store(api.db) as store:
        actions = Counter(
            r["action"]
            for r in store.fetch("SELECT action FROM monitor_events WHERE ws_id = ?", (api.ws_id,))
        )
        # no event lost: one rating and one comment event per request, one done per evaluator and document,
        # one tag event per document and tag (tagging what is tagged already changes nothing)
        assert actions["document.rated"] == sent["rating"]
        assert actions["comment.added"] == sent["comment"]
        assert actions["task.done"] == EVALUATORS * len(keys)
        assert actions["document.tagged"] == len(tagged)
        for key in keys:
            last_rating = store.fetch(
                "SELECT actor_id, new_value FROM monitor_events WHERE ws_id = ? AND pub_key = ? "
                "AND action = 'document.rated' ORDER BY event_id DESC LIMIT 1",
                (api.ws_id, key),
            )[0]
            doc = store.fetch(
                "SELECT * FROM monitor_documents WHERE ws_id = ? AND pub_key = ?", (api.ws_id, key)
            )[0]
            level = json.loads(last_rating["new_value"])["level"]
            assert (doc["rating"], doc["rated_by"]) == (level, last_rating["actor_id"]), key
            last_event = store.scalar(
                "SELECT max(event_id) FROM monitor_events WHERE ws_id = ? AND pub_key = ?", (api.ws_id, key)
            )
            assert doc["last_event_id"] == last_event, key
            tags = {
                r["name"]
                for r in store.fetch(
                    "SELECT t.name FROM monitor_document_tags d JOIN monitor_tags t USING (tag_id) "
                    "WHERE d.ws_id = ? AND d.pub_key = ?",
                    (api.ws_id, key),
                )
            }
            assert tags == {t for k, t in tagged if k == key}, key
            open_tasks = store.scalar(
                "SELECT count(*) FROM monitor_tasks WHERE ws_id = ? AND pub_key = ? AND state = 'open'",
                (api.ws_id, key),
            )
            assert open_tasks == 0
        incremental = state.snapshot(store)
        monitor.rebuild(store)
        assert state.snapshot(store) == incremental  # the state is exactly the fold of the log
