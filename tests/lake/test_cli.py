"""``patscape spark ingest`` and ``patscape landscape --lake`` as typed (in this process: the commands take
the running Spark session, the tests' local[2] one)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from patscape.cli import main
from tests.lake.conftest import lake_table

LENS = "lens_covid_jsonl/Coronavirus-MERS-treatment.jsonl"


def _run(*args: str) -> dict:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_spark_ingest_then_again(spark, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lake = str(tmp_path / "lake")
    first = _run("spark", "ingest", str(data / LENS), "--lake", lake, "--json")
    lines = sum(1 for line in (data / LENS).read_text(encoding="utf-8").splitlines() if line.strip())
    assert first["inputs"] == {"ingested": 1}
    assert first["total"]["read"] == lines  # one record a line
    keys = lake_table(tmp_path / "lake", "publications", ["pub_key"])
    assert first["total"]["stored"] == len(keys) > 0

    again = _run("spark", "ingest", str(data / LENS), "--lake", lake, "--json")
    assert again["inputs"] == {"already-ingested": 1} and again["total"]["read"] == 0
