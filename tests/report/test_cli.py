"""``patscape report`` and the options of ``write_report``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from patscape.cli import main
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
    """--from/--to bound every year; --genai on a database without labels says so instead of failing."""
    r = write_report(str(cset_db), tmp_path / "y", year_from=2008, year_to=2016, pdf=False)
    years = read_csv(tmp_path / "y", "year_totals")["year"]
    assert years.min() == 2008 and years.max() == 2016
    growth = read_csv(tmp_path / "y", "growth")
    assert set(growth["start_year"]) == {2011} and set(growth["end_year"]) == {2016}
    assert r.pages == 0 and r.pdf is None

    g = write_report(str(cset_db), tmp_path / "g", genai=True, pdf=False)
    page = g.html.read_text(encoding="utf-8")
    assert "The selection holds no patent family" in page
    assert "no publication carries a generative-AI tag yet" in page
    assert read_csv(tmp_path / "g", "countries").empty


def test_empty_database(tmp_path: Path) -> None:
    """A database with nothing ingested gives a report that says so, section by section."""
    from patscape.store import open_store

    with open_store(str(tmp_path / "empty.duckdb")) as store:
        r = write_report(store, tmp_path / "e", pdf=False)
    page = r.html.read_text(encoding="utf-8")
    assert "The selection holds no patent family" in page
    assert page.count("Not shown:") >= 5
    assert read_csv(tmp_path / "e", "countries").empty
