"""A user's notifications: the task given to them, the comment that mentions them, the rating another
changed on a document they rated; nothing from a workspace they have left."""

from __future__ import annotations

from patscape import monitor
from patscape.monitor.notifications import notifications
from patscape.store import Store
from tests.monitor.conftest import make_people

GRANT, OTHER = "US-6530116-B2", "US-6334226-B1"


def test_tasks_mentions_and_changed_ratings(uspto: Store) -> None:
    p = make_people(uspto)
    for key in (GRANT, OTHER):
        monitor.add_document(uspto, p.manager, p.ws_id, key)
    monitor.assign(uspto, p.manager, p.ws_id, GRANT, "bob")
    monitor.rate(uspto, p.bob, p.ws_id, OTHER, 1)
    monitor.comment(uspto, p.alice, p.ws_id, GRANT, "@bob see claim 1, @nobody")
    monitor.rate(uspto, p.alice, p.ws_id, OTHER, 3, "our product")
    monitor.rate(uspto, p.bob, p.ws_id, GRANT, 2)  # bob's own rating tells bob nothing

    told = [(n.kind, n.pub_key, n.actor, n.detail) for n in notifications(uspto, p.bob)]
    assert told == [
        ("rating", OTHER, "alice", "3: our product"),
        ("mention", GRANT, "alice", "@bob see claim 1, @nobody"),
    ]  # the task is done (bob rated it): no longer a notification
    assert [(n.kind, n.pub_key) for n in notifications(uspto, p.alice)] == []
    monitor.assign(uspto, p.manager, p.ws_id, OTHER, "alice")
    assert [(n.kind, n.pub_key, n.actor) for n in notifications(uspto, p.alice)] == [
        ("task", OTHER, "manager")
    ]

    monitor.remove_member(uspto, p.manager, p.ws_id, "bob")
    assert notifications(uspto, p.bob) == []
