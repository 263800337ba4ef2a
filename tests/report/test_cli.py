"""``patscape report`` and the options of ``write_report``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from patscape.cli import main
from patscape.landscape.diagnosis import EmptySelection
from patscape.report import write_report
from tests.report.readback import read_csv


def test_command(cset_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = CliRunner().invoke(main, ["report", "--db", str(cset_db), "--out", str(out), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert str(out / "report.html") in result.output
    assert (out / "report.html").exists() and not (out / "report.pdf").exists()
    assert (out / "countries.csv").exists()


def test_command_without_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path)]
    )
    assert result.exit_code != 0 and "no database" in result.output


def test_years_and_missing_labels(cset_db: Path, tmp_path: Path) -> None:
    """--from/--to bound every year; --genai on a database without labels is refused with what to run, and
    writes nothing (no report of zeros)."""
    r = write_report(str(cset_db), tmp_path / "y", year_from=2008, year_to=2016, pdf=False)
    years = read_csv(tmp_path / "y", "year_totals")["year"]
    assert years.min() == 2008 and years.max() == 2016
    growth = read_csv(tmp_path / "y", "growth")
    assert set(growth["start_year"]) == {2011} and set(growth["end_year"]) == {2016}
    assert r.pages == 0 and r.pdf is None

    with pytest.raises(EmptySelection, match=r"no family is labelled generative AI: run `patscape classify`"):
        write_report(str(cset_db), tmp_path / "g", genai=True, pdf=False)
    assert not (tmp_path / "g").exists()


def test_empty_database(tmp_path: Path) -> None:
    """A database with nothing ingested gives no report, but what to do first."""
    from patscape.store import open_store

    with open_store(str(tmp_path / "empty.duckdb")) as store, pytest.raises(EmptySelection) as refused:
        write_report(store, tmp_path / "e", pdf=False)
    assert "the database holds no patent family" in str(refused.value)
    assert not (tmp_path / "e").exists()
