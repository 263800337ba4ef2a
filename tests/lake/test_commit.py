"""The lake's commits: a run folder without a commit plan is a job that did not finish, and is dropped."""

from __future__ import annotations

from pathlib import Path


def test_an_unfinished_run_is_dropped(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from patscape.lake import Lake

    lake = Lake(spark, str(tmp_path / "lake"))
    staged = tmp_path / "lake" / "_runs" / "20260101T000000-dead" / "items"
    staged.mkdir(parents=True)
    (staged / "part-0.parquet").write_bytes(b"unfinished")
    assert lake.runs.recover() == []
    assert not (tmp_path / "lake" / "_runs" / "20260101T000000-dead").exists()


def test_a_planned_run_is_finished(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from patscape.lake import Lake
    from patscape.lake.commit import PLAN, Plan

    lake = Lake(spark, str(tmp_path / "lake"))
    run = tmp_path / "lake" / "_runs" / "20260101T000000-done"
    (run / "new" / "t" / "office=US").mkdir(parents=True)
    (run / "new" / "t" / "office=US" / "part-0.parquet").write_bytes(b"rows")
    plan = Plan(
        "20260101T000000-done",
        moves=[("_runs/20260101T000000-done/new/t/office=US/part-0.parquet", "t/office=US/part-0.parquet")],
    )
    (run / PLAN).write_text(plan.to_json())
    assert lake.runs.recover() == ["20260101T000000-done"]
    assert (tmp_path / "lake" / "t" / "office=US" / "part-0.parquet").read_bytes() == b"rows"
    assert not run.exists()
    assert lake.runs.recover() == []  # applying a plan twice is harmless: it is gone
