"""A job killed at any moment and run again ends in the state an uninterrupted job gives.

The second run of the test corpus (``SECOND``, which meets publications the first run stored) is killed at
its crash points inside the test process (``stop:<point>``: an exception nothing catches, so no cleanup
runs), sharing the session's Spark, on a copy of the lake the first run left; ``patscape spark ingest``
under SIGKILL at the same points leaves the same files."""

from __future__ import annotations

import shutil

import pytest

from patscape.lake.commit import CRASH_ENV, Crashed
from tests.lake.conftest import SECOND, ingest_state


@pytest.fixture(scope="module")
def clean(lake_root) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """The state the uninterrupted second run gave."""
    state = lake_root["state"]
    assert state["publications"]
    return state


# before the commit, and half-way through applying it (the plan written: "after-plan" is the same path)
@pytest.mark.parametrize("point", ["read", "mid-apply"])
def test_killed_then_rerun(spark, data, tmp_path, lake_root, clean, point, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from patscape.lake import Lake
    from patscape.lake.ingest import ingest

    paths = [data / p for p in SECOND]
    root = tmp_path / "lake"
    shutil.copytree(lake_root["after_first"], root)
    monkeypatch.setenv(CRASH_ENV, f"stop:{point}")
    with pytest.raises(Crashed):
        ingest(Lake(spark, str(root)), paths)
    monkeypatch.delenv(CRASH_ENV)
    assert list((root / "_runs").iterdir()), "the killed job left its run folder"

    again = ingest(Lake(spark, str(root)), paths)
    if point == "read":  # killed before its commit: the rerun does the work
        assert again["inputs"] == {"ingested": len(SECOND)}  # two Lens files
        assert again["total"]["stored"] > 0  # new publications: files to move in the commit
        assert again["total"]["replaced"] + again["total"]["unchanged"] > 0  # and stored ones met again
    else:  # killed in its commit: the rerun finishes it, then finds nothing to do
        assert set(again["inputs"]) == {"already-ingested"}
    assert not list((root / "_runs").iterdir())
    assert ingest_state(root) == clean
