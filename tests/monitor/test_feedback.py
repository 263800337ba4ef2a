"""Ratings as classifier labels: own ratings of workspaces that allow it; 1 and disagreements left out.

(The training run itself, ``patscape retrain``, takes minutes on the shared data: its figures are measured
from the command and quoted in the closing note, not re-run by the suite.)"""

from __future__ import annotations

import pytest

from patscape import monitor
from patscape.monitor.feedback import rating_labels
from patscape.store import Store
from tests.monitor.conftest import make_people


def test_rating_labels(uspto: Store) -> None:
    p = make_people(uspto, kind="project")
    second = monitor.create_workspace(uspto, p.manager, "second", kind="project", allow_training=True)
    closed = monitor.create_workspace(uspto, p.manager, "no training", kind="project")
    monitor.update_workspace(uspto, p.manager, p.ws_id, allow_training=True)
    ratings = {
        p.ws_id: {"US-6530116-B2": 3, "US-2021267109-A1": 0, "US-6334226-B1": 1, "US-6857133-B2": 2},
        second.ws_id: {"US-6857133-B2": 0, "US-2022159901-A1": 2},  # disagrees on US-6857133-B2
        closed.ws_id: {"US-11147202-B2": 3},
    }
    for ws_id, rated in ratings.items():
        for key, level in rated.items():
            monitor.add_document(uspto, p.manager, ws_id, key)
            monitor.rate(uspto, p.manager, ws_id, key, level, comment="why" if level == 3 else None)
    labels = {lab.doc.pub_key: lab.genai for lab in rating_labels(uspto, p.admin)}
    assert labels == {"US-6530116-B2": "yes", "US-2021267109-A1": "no", "US-2022159901-A1": "yes"}
    doc = next(lab.doc for lab in rating_labels(uspto, p.admin) if lab.doc.pub_key == "US-6530116-B2")
    assert doc.title == uspto.scalar("SELECT title FROM publications WHERE pub_key = 'US-6530116-B2'")
    with pytest.raises(monitor.Forbidden):
        rating_labels(uspto, p.manager)
