"""Evaluation on real documents: ratings, tags, comments, tasks; the event log and the state
folded from it."""

from __future__ import annotations

import datetime as dt

import pytest

from patscape import monitor
from patscape.monitor import state
from patscape.store import Store
from tests.monitor.conftest import APPLICATION, GRANT, People, with_documents


@pytest.fixture
def ws(uspto: Store) -> tuple[Store, People]:
    p = with_documents(uspto)
    monitor.assign(uspto, p.manager, p.ws_id, GRANT, "alice", due=dt.date(2030, 1, 31))
    return uspto, p


def test_rating_closes_the_task_and_keeps_history(ws: tuple[Store, People]) -> None:
    store, p = ws
    assert [t.pub_key for t in monitor.tasks(store, p.alice, p.ws_id)] == [GRANT]
    # any spelling of the number
    monitor.rate(store, p.alice, p.ws_id, "US6530116B2", 1)
    monitor.rate(store, p.alice, p.ws_id, "US 6530116", 2, comment="close to our sensor work")
    assert monitor.tasks(store, p.alice, p.ws_id) == []
    done = monitor.tasks(store, p.alice, p.ws_id, state="done")
    assert [(t.pub_key, t.state, t.rating, t.due) for t in done] == [(GRANT, "done", 2, dt.date(2030, 1, 31))]
    doc = monitor.document(store, p.viewer, p.ws_id, GRANT)
    assert doc.rating is not None
    assert (doc.rating.level, doc.rating.comment, doc.rating.rated_by_name) == (
        2,
        "close to our sensor work",
        "alice",
    )
    assert doc.title == store.scalar("SELECT title FROM publications WHERE pub_key = ?", (GRANT,))
    actions = [
        (h.action, h.actor_name, h.old, h.new) for h in monitor.history(store, p.viewer, p.ws_id, GRANT)
    ]
    assert actions == [
        ("document.added", "manager", None, {"source": "manual", "family_id": None}),
        ("task.assigned", "manager", None, {"due": "2030-01-31"}),
        (
            "document.rated",
            "alice",
            {"level": None, "comment": None, "inherited_from": None},
            {"level": 1, "comment": None},
        ),
        ("task.done", "alice", {"state": "open"}, {"state": "done"}),
        (
            "document.rated",
            "alice",
            {"level": 1, "comment": None, "inherited_from": None},
            {"level": 2, "comment": "close to our sensor work"},
        ),
    ]


def test_rating_rules(ws: tuple[Store, People]) -> None:
    store, p = ws
    with pytest.raises(monitor.Invalid, match="comment"):
        monitor.rate(store, p.alice, p.ws_id, GRANT, 3)
    for bad in (4, -1, True):
        with pytest.raises(monitor.Invalid):
            monitor.rate(store, p.alice, p.ws_id, GRANT, bad)
    with pytest.raises(monitor.Forbidden):
        monitor.rate(store, p.viewer, p.ws_id, GRANT, 1)
    with pytest.raises(monitor.NotFound):  # not a member: the workspace does not exist for them
        monitor.rate(store, p.outsider, p.ws_id, GRANT, 1)
    with pytest.raises(monitor.NotFound):  # in the database but not in the workspace
        monitor.rate(store, p.alice, p.ws_id, "US-6334226-B1", 1)
    monitor.rate(store, p.alice, p.ws_id, GRANT, 3, comment="possible infringement of claim 1")
    assert monitor.document(store, p.alice, p.ws_id, GRANT).rating.level == 3  # type: ignore[union-attr]


def test_tags_comments_mentions_pins(ws: tuple[Store, People]) -> None:
    store, p = ws
    category = monitor.create_category(store, p.manager, p.ws_id, "Parties", colour="red")
    monitor.create_tag(store, p.manager, p.ws_id, "competitor", category.category_id)
    tag_id = monitor.tag(store, p.alice, p.ws_id, GRANT, "Competitor")
    monitor.tag(store, p.alice, p.ws_id, GRANT, "competitor")  # twice: once
    with pytest.raises(monitor.NotFound):
        monitor.tag(store, p.alice, p.ws_id, GRANT, "sensors")
    monitor.tag(store, p.alice, p.ws_id, GRANT, "sensors", create=True)
    comment_id = monitor.comment(
        store, p.alice, p.ws_id, GRANT, "@bob see claim 3; @nobody and @outsider too", colour="orange"
    )
    monitor.change_comment(store, p.bob, p.ws_id, comment_id, pinned=True, colour="green")
    later = monitor.comment(store, p.bob, p.ws_id, GRANT, "agreed")
    doc = monitor.document(store, p.alice, p.ws_id, GRANT)
    assert [t.name for t in doc.tags] == ["competitor", "sensors"]
    assert [(c.comment_id, c.author_name, c.pinned, c.colour, c.mentions) for c in doc.comments] == [
        (comment_id, "alice", True, "green", ("bob",)),  # outsider is no member: not notified
        (later, "bob", False, None, ()),
    ]
    monitor.untag(store, p.alice, p.ws_id, GRANT, tag_id)
    assert [t.name for t in monitor.document(store, p.alice, p.ws_id, GRANT).tags] == ["sensors"]
    assert store.scalar("SELECT count(*) FROM monitor_mentions WHERE user_id = ?", (p.bob.user_id,)) == 1


def test_switches_forbid(ws: tuple[Store, People]) -> None:
    store, p = ws
    monitor.set_permission(store, p.admin, "alice", "tag", False)
    monitor.set_permission(store, p.admin, "alice", "create_tags", False)
    alice = monitor.get_user(store, p.admin, "alice").caller()
    with pytest.raises(monitor.Forbidden, match="forbidden alice to tag"):
        monitor.tag(store, alice, p.ws_id, GRANT, "x", create=True)
    with pytest.raises(monitor.Forbidden):
        monitor.create_tag(store, alice, p.ws_id, "x")
    monitor.set_permission(store, p.admin, "alice", "tag", True)
    alice = monitor.get_user(store, p.admin, "alice").caller()
    with pytest.raises(monitor.Forbidden):  # tagging again, creating tags still not
        monitor.tag(store, alice, p.ws_id, GRANT, "x", create=True)
    monitor.set_permission(store, p.admin, "manager", "activity", False)
    manager = monitor.get_user(store, p.admin, "manager").caller()
    with pytest.raises(monitor.Forbidden):
        monitor.workspace_activity(store, manager, p.ws_id)
    monitor.set_permission(store, p.admin, "viewer", "export", False)
    with pytest.raises(monitor.Forbidden):
        monitor.export_rows(store, monitor.get_user(store, p.admin, "viewer").caller(), p.ws_id)


def test_forward_done_due(ws: tuple[Store, People]) -> None:
    store, p = ws
    monitor.forward(store, p.alice, p.ws_id, GRANT, "bob", note="your field")
    assert monitor.tasks(store, p.alice, p.ws_id) == []
    [task] = monitor.tasks(store, p.bob, p.ws_id)
    assert (task.pub_key, task.due) == (GRANT, dt.date(2030, 1, 31))
    with pytest.raises(monitor.Forbidden):  # someone else's task needs the right to assign
        monitor.forward(store, p.alice, p.ws_id, GRANT, "alice", from_user="bob")
    with pytest.raises(monitor.Invalid):  # viewers evaluate nothing
        monitor.assign(store, p.manager, p.ws_id, APPLICATION, "viewer")
    monitor.set_done(store, p.bob, p.ws_id, GRANT)
    monitor.set_done(store, p.bob, p.ws_id, GRANT, done=False)
    monitor.set_due(store, p.manager, p.ws_id, GRANT, dt.date(2030, 3, 1), user="bob")
    [task] = monitor.tasks(store, p.manager, p.ws_id, assignee="bob")
    assert (task.state, task.due) == ("open", dt.date(2030, 3, 1))


def test_state_is_the_fold_of_the_log(ws: tuple[Store, People]) -> None:
    store, p = ws
    monitor.rate(store, p.alice, p.ws_id, GRANT, 2)
    monitor.create_tag(store, p.manager, p.ws_id, "competitor")
    monitor.tag(store, p.alice, p.ws_id, APPLICATION, "competitor")
    cid = monitor.comment(store, p.bob, p.ws_id, APPLICATION, "@alice prior art?")
    monitor.change_comment(store, p.bob, p.ws_id, cid, pinned=True)
    monitor.assign(store, p.manager, p.ws_id, APPLICATION, "bob")
    monitor.forward(store, p.bob, p.ws_id, APPLICATION, "alice")
    before = state.snapshot(store)
    events_before = store.scalar("SELECT count(*) FROM monitor_events")
    assert monitor.rebuild(store) == events_before
    assert state.snapshot(store) == before
    assert store.scalar("SELECT count(*) FROM monitor_events") == events_before


def test_activity(ws: tuple[Store, People]) -> None:
    store, p = ws
    monitor.rate(store, p.alice, p.ws_id, GRANT, 1)
    mine = monitor.activity(store, p.alice)
    assert [(e.action, e.pub_key) for e in mine] == [("task.done", GRANT), ("document.rated", GRANT)]
    with pytest.raises(monitor.Forbidden):
        monitor.activity(store, p.alice, user="bob")
    assert [e.action for e in monitor.activity(store, p.manager, user="alice", ws_id=p.ws_id)][:1] == [
        "task.done"
    ]
    log = monitor.workspace_activity(store, p.manager, p.ws_id)
    assert log[0].action == "task.done" and log[-1].action == "workspace.created"
