"""A job killed at any moment and run again ends in the state an uninterrupted job gives.

The jobs stop dead at their crash points inside the test process (``stop:<point>``: an exception nothing
catches, so no cleanup runs), sharing the session's Spark; ``patscape spark ingest`` under SIGKILL at the
same points leaves the same files."""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.lake.commit import CRASH_ENV, Crashed
from patscape.lake.tables import INGEST_TABLES
from tests.lake.conftest import TYPED, compared_columns, lake_table


def _state(root: Path) -> dict[str, list[tuple]]:
    return {
        t.name: lake_table(root, t.name, compared_columns(t))
        for t in INGEST_TABLES
        if (root / t.name).exists()
    }


@pytest.fixture(scope="module")
def clean(typed) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """The state an uninterrupted ingest gives (``patscape spark ingest`` of the same inputs)."""
    state = _state(typed["root"])
    assert state["publications"]
    return state


# before the commit, and half-way through applying it (the plan written: "after-plan" is the same path)
@pytest.mark.parametrize("point", ["read", "mid-apply"])
def test_killed_then_rerun(spark, data: Path, tmp_path: Path, clean, point: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from patscape.lake import Lake
    from patscape.lake.ingest import ingest

    paths = [data / p for p in TYPED]
    root = tmp_path / "lake"
    monkeypatch.setenv(CRASH_ENV, f"stop:{point}")
    with pytest.raises(Crashed):
        ingest(Lake(spark, str(root)), paths)
    monkeypatch.delenv(CRASH_ENV)
    assert list((root / "_runs").iterdir()), "the killed job left its run folder"

    again = ingest(Lake(spark, str(root)), paths)
    if point == "read":  # killed before its commit: the rerun does the work
        assert again["inputs"] == {"ingested": 4}  # the folder's three grants and the Lens file
    else:  # killed in its commit: the rerun finishes it, then finds nothing to do
        assert set(again["inputs"]) == {"already-ingested"}
    assert not list((root / "_runs").iterdir())
    assert _state(root) == clean
