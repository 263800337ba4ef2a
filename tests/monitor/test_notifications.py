"""Notifications: @-mentions, tasks given, and others' changes to the annotations of a document one
annotated or holds; read from the log, marked seen by an event of their own."""

from __future__ import annotations

import pytest

from patscape import monitor
from patscape.store import Store
from tests.monitor.conftest import APPLICATION, GRANT, People, with_documents


@pytest.fixture
def ws(uspto: Store) -> tuple[Store, People]:
    return uspto, with_documents(uspto)


def _told(store: Store, who: monitor.Caller, after: int | None = None) -> list[tuple[str, str, str, str]]:
    return [
        (n.reason, n.event.action, n.event.pub_key or "", n.event.actor_name or "")
        for n in monitor.notifications(store, who, after)
    ]


def test_what_concerns_whom(ws: tuple[Store, People]) -> None:
    store, p = ws
    monitor.assign(store, p.manager, p.ws_id, GRANT, "alice")
    monitor.comment(store, p.bob, p.ws_id, GRANT, "@alice is claim 3 ours?")
    monitor.rate(store, p.alice, p.ws_id, GRANT, 2)
    monitor.tag(store, p.manager, p.ws_id, APPLICATION, "licence", create=True)  # nobody annotated it

    # newest first; one's own rating is no news to oneself
    assert _told(store, p.alice) == [
        ("mentioned", "comment.added", GRANT, "bob"),
        ("assigned", "task.assigned", GRANT, "manager"),
    ]
    assert _told(store, p.bob) == [("changed", "document.rated", GRANT, "alice")]
    assert _told(store, p.viewer) == [] and _told(store, p.outsider) == []
    # the manager assigned GRANT: follows it
    assert _told(store, p.manager) == [
        ("changed", "document.rated", GRANT, "alice"),
        ("changed", "comment.added", GRANT, "bob"),
    ]


def test_seen_and_membership(ws: tuple[Store, People]) -> None:
    store, p = ws
    monitor.comment(store, p.bob, p.ws_id, GRANT, "@alice have a look")
    latest = monitor.notifications(store, p.alice)[0].event.event_id
    assert monitor.mark_seen(store, p.alice, latest) == latest
    assert _told(store, p.alice) == []
    assert monitor.mark_seen(store, p.alice, 0) == latest  # the mark never moves back
    assert [r for r, *_ in _told(store, p.alice, after=0)] == ["mentioned"]  # the past can still be read
    with pytest.raises(monitor.Invalid):
        monitor.mark_seen(store, p.alice, latest + 10_000)

    monitor.comment(store, p.alice, p.ws_id, GRANT, "it is not")  # alice annotates: she now watches GRANT
    monitor.rate(store, p.bob, p.ws_id, GRANT, 0)
    assert _told(store, p.alice) == [("changed", "document.rated", GRANT, "bob")]
    seen = store.scalar("SELECT count(*) FROM monitor_events WHERE action = 'notifications.seen'")
    assert seen == 1

    monitor.remove_member(store, p.manager, p.ws_id, "alice")  # a workspace one left tells nothing
    assert _told(store, p.alice, after=0) == []
