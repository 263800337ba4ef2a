"""Issue 13, item 3: a figure the data cannot give is "n/a" with a caveat, never 0; the report quotes the
classifier's figures with interval and sample size; every table-printing ``--json`` parses, for every --by."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from patscape.enrich.genai.evaluate import FROZEN_FIGURES
from tests.cli.conftest import invoke


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.parametrize("by", ["country", "owner", "model", "mode", "application", "quality", "all"])
def test_json_parses_for_every_by(classified: Path, by: str) -> None:
    result = invoke("landscape", "--db", str(classified), "--by", by, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["by"] == by and out["tables"]
    assert out["placement"]["families"] > 0


def test_forward_citations_the_data_lack_are_not_zero(enriched: Path, sql) -> None:  # type: ignore[no-untyped-def]
    # a Google Patents export carries no citations: nothing in the database cites a Chinese family
    cited_cn = sql(
        enriched,
        "SELECT count(*) FROM citations c JOIN family_members m ON m.pub_key = c.cited_key "
        "JOIN family_countries f ON f.family_id = m.family_id AND f.basis = 'office' AND f.country = 'CN'",
    )[0][0]
    assert cited_cn == 0
    out = json.loads(invoke("landscape", "--db", str(enriched), "--by", "quality", "--json").stdout)
    cn = next(r for r in out["tables"]["country_quality"] if r["country"] == "CN")
    assert cn["mean_forward5"] is None and cn["cited"] is False
    assert cn["mean_family_size"] is not None  # the figures the data give stay
    printed = invoke("landscape", "--db", str(enriched), "--by", "quality").output
    cn_row = next(line for line in printed.splitlines() if line.strip("│ ").startswith("CN "))
    assert "n/a" in cn_row


def test_report_states_the_caveat_and_the_classifier_interval(classified: Path, tmp_path: Path) -> None:
    result = invoke("report", "--db", str(classified), "--out", str(tmp_path / "r"), "--no-pdf")
    assert result.exit_code == 0, result.output
    text = _text((tmp_path / "r" / "report.html").read_text(encoding="utf-8"))
    assert "Forward citations are not available (n/a) for" in text
    assert "China" in text.split("Forward citations are not available (n/a) for")[1].split(":")[0]
    figures = json.loads(FROZEN_FIGURES.read_text(encoding="utf-8"))
    p, r = figures["precision"], figures["recall"]
    assert (
        f"{figures['scored']} labelled documents ({figures['positives']} generative AI) never used for "
        f"training or tuning; precision 95 % interval {p['low']:.2f}-{p['high']:.2f}, "
        f"recall {r['low']:.2f}-{r['high']:.2f}"
    ) in text
    assert f"Precision {p['value'] * 100:.1f} % and recall {r['value'] * 100:.1f} %" in text
    # the words follow the basis: offices, never "countrys" or "a office"
    assert "countrys" not in text and " a office" not in text
    quality = (tmp_path / "r" / "country_quality.csv").read_text(encoding="utf-8").splitlines()
    header = quality[0].split(",")
    cn = next(line.split(",") for line in quality if line.startswith("CN,"))
    assert cn[header.index("mean_forward5")] == ""


@pytest.mark.parametrize(
    "command",
    [
        ["stats"],
        ["owners", "--top", "5"],
        ["quarantine"],
        ["formats"],
        ["show", "US-6530116-B2"],
        ["show", "US-6530116-B2", "--all"],
        ["family", "US-6530116-B2"],
        ["citations", "US-6530116-B2"],
        ["explain", "EP-3396601-A1"],
    ],
    ids=lambda c: "-".join(c[:1] + [a for a in c[1:] if a.startswith("--")]),
)
def test_every_table_command_json_parses(classified: Path, command: list[str]) -> None:
    args = [*command, "--json"] if command[0] == "formats" else [*command, "--db", str(classified), "--json"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list | dict)


@pytest.mark.postgres
def test_quality_json_from_postgresql(enriched: Path, pg_url: str) -> None:
    """PostgreSQL sums integers as NUMERIC (Python ``Decimal``): the JSON has them as numbers."""
    import duckdb

    from patscape.landscape import copy_duckdb_to_postgres
    from patscape.landscape.command import Request, run
    from patscape.landscape.output import to_json
    from patscape.store import open_store

    with duckdb.connect(str(enriched), read_only=True) as con:
        copy_duckdb_to_postgres(con, pg_url)
    with open_store(str(enriched), read_only=True) as store:
        duck = json.loads(to_json(*run(store, Request(by="quality"))))
    with open_store(pg_url) as store:
        pg = json.loads(to_json(*run(store, Request(by="quality"))))
    assert pg["tables"]["country_quality"] == duck["tables"]["country_quality"]
    assert pg["placement"] == duck["placement"]
