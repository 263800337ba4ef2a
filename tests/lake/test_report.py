"""``patscape spark report`` writes the report ``patscape report`` writes: every table behind it equal, row
for row, to the embedded path's (the test slice, enriched and classified on both paths)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.lake.conftest import run_command
from tests.report.readback import read_csv


@pytest.fixture(scope="module")
def reports(enriched, lake_root, embedded: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[no-untyped-def]
    from patscape.report import write_report

    base = tmp_path_factory.mktemp("reports")
    expected = write_report(str(embedded), base / "embedded", pdf=False)
    args = ["--lake", str(lake_root["root"]), "--out", str(base / "spark"), "--no-pdf", "--json"]
    return {"embedded": expected.as_dict(), "spark": run_command("spark", "report", *args), "base": base}


def _rows(folder: Path, name: str) -> tuple[list[str], list[tuple]]:
    frame = read_csv(folder, name)
    rows = [tuple(_value(v) for v in row) for row in frame.itertuples(index=False)]
    return list(frame.columns), sorted(rows, key=repr)


def _value(v: object) -> object:
    """An empty cell as None (NaN equals nothing, itself included), a float to nine places."""
    if isinstance(v, float):
        return None if math.isnan(v) else round(v, 9)
    return v


def test_every_table_equals_the_embedded_report(reports) -> None:  # type: ignore[no-untyped-def]
    embedded, spark = reports["base"] / "embedded", reports["base"] / "spark"
    names = sorted(p.stem for p in embedded.glob("*.csv"))
    assert sorted(p.stem for p in spark.glob("*.csv")) == names
    assert {"country_totals", "owners", "key_figures", "method", "applications"} <= set(names)
    for name in names:
        assert _rows(spark, name) == _rows(embedded, name), name
    nonempty = [n for n in names if not read_csv(embedded, n).empty]
    assert len(nonempty) >= 15, nonempty  # the slice has no model, mode or source tag


def test_same_bases_placement_and_warnings(reports) -> None:  # type: ignore[no-untyped-def]
    expected, got = reports["embedded"], reports["spark"]
    for key in ("year", "country_by", "missing", "placement", "warnings"):
        assert got[key] == expected[key], key
    assert got["pdf"] is None and Path(got["html"]).name == "report.html"


def test_the_page_names_the_command_that_made_it(reports, lake_root) -> None:  # type: ignore[no-untyped-def]
    page = (reports["base"] / "spark" / "report.html").read_text(encoding="utf-8")
    assert f"patscape spark report --lake {lake_root['lake'].root}" in page  # the root as Hadoop spells it
