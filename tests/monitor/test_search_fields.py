"""The evaluated database as fields of the search language (rating, tag, ws, evaluator, rated), each within
the workspaces the caller may read, alone and combined with the language's own fields."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from patscape import monitor, search
from patscape.store import Store
from tests.monitor.conftest import APPLICATION, GRANT, People, with_documents


@pytest.fixture
def rated(uspto: Store) -> tuple[Store, People, int]:
    """GRANT rated 3 and tagged competitor by alice, APPLICATION rated 1 by bob; in a second workspace
    that alice is not in, bob rates APPLICATION 3 and tags it competitor."""
    p = with_documents(uspto)
    monitor.rate(uspto, p.alice, p.ws_id, GRANT, 3, comment="our handheld line")
    monitor.tag(uspto, p.alice, p.ws_id, GRANT, "competitor", create=True)
    monitor.rate(uspto, p.bob, p.ws_id, APPLICATION, 1)
    other = monitor.create_workspace(uspto, p.admin, "Seeds", kind="project").ws_id
    monitor.add_member(uspto, p.admin, other, "bob")
    monitor.add_document(uspto, p.bob, other, APPLICATION)
    monitor.rate(uspto, p.bob, other, APPLICATION, 3, comment="licence it")
    monitor.tag(uspto, p.bob, other, APPLICATION, "competitor", create=True)
    return uspto, p, other


def _found(store: Store, who: monitor.Caller, query: str) -> set[str]:
    return set(search.matching_keys(store, query, fields=monitor.search_fields(store, who)))


def test_fields_within_readable_workspaces(rated: tuple[Store, People, int]) -> None:
    store, p, other = rated
    today = dt.datetime.now(dt.UTC).date()
    assert _found(store, p.alice, "rating>=2") == {GRANT}  # APPLICATION's 3 is in a workspace not hers
    assert _found(store, p.admin, "rating>=2") == {GRANT, APPLICATION}
    assert _found(store, p.bob, "rt=3") == {GRANT, APPLICATION}
    assert _found(store, p.alice, "tag=COMPETITOR") == {GRANT}
    assert _found(store, p.bob, "tag=competitor NOT ws=" + str(p.ws_id)) == set()  # tagged in both
    assert _found(store, p.alice, "evaluator=bob") == {APPLICATION}
    assert _found(store, p.alice, f"ws={other}") == set()  # exists, but not for her
    assert _found(store, p.bob, f"ws={other}") == {APPLICATION}
    assert _found(store, p.alice, f"rated={today}") == {GRANT, APPLICATION}
    assert _found(store, p.alice, "rated<2000") == set()
    assert _found(store, p.outsider, "rating>=0") == set()


def test_with_the_language_and_the_evaluated_database(rated: tuple[Store, People, int]) -> None:
    store, p, _ = rated
    titles = {r["pub_key"]: r["title"] or "" for r in store.fetch("SELECT pub_key, title FROM publications")}
    vacuum = {k for k, t in titles.items() if "vacuum" in re.findall(r"[^\W_]+", t.casefold())}
    assert GRANT in vacuum and APPLICATION not in vacuum  # read independently of the search
    assert _found(store, p.alice, "rating>=1 AND ti=vacuum") == {GRANT}
    assert _found(store, p.alice, "rating>=1 NOT ti=vacuum") == {APPLICATION}
    rows = monitor.evaluated(store, p.bob, monitor.EvaluatedFilter(query="tag=competitor AND rating=3"))
    assert sorted((r["pub_key"], r["workspace"]) for r in rows) == [
        (APPLICATION, "Seeds"),  # the rows of the evaluated database: per workspace
        (GRANT, "GenAI watch"),
    ]
    with pytest.raises(monitor.Invalid, match="column"):
        monitor.evaluated(store, p.bob, monitor.EvaluatedFilter(query="rating>=(2"))
    with pytest.raises(monitor.Invalid):
        monitor.evaluated(store, p.bob, monitor.EvaluatedFilter(query="ws=abc"))
