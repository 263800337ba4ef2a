"""`patscape enrich` and `patscape owners` on real data."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from patscape.cli import main
from patscape.store import open_store
from patscape.store.ingest import ingest


def test_enrich_and_owners_commands(data: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    with open_store(db) as store:
        ingest(store, [data / "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102842.csv"])
    runner = CliRunner()
    result = runner.invoke(main, ["enrich", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    # the ingest built no full-text index: enrich builds it too
    assert set(summary) == {"families", "countries", "owners", "search_index"}
    assert summary["families"]["publications"] == summary["families"]["families"] > 2000

    result = runner.invoke(main, ["owners", "--db", db, "--top", "40", "--json"])
    assert result.exit_code == 0, result.output
    groups = {g["group_id"]: g for g in json.loads(result.output)}
    # gp-search-20251001-102842.csv lists 腾讯科技（深圳）有限公司 among the applicants
    assert "tencent" in groups and groups["tencent"]["country"] == "CN"
    assert any(name.startswith("腾讯科技（深圳）有限公司 (") for name in groups["tencent"]["names"])

    result = runner.invoke(main, ["owners", "--db", db, "--top", "5"])
    assert result.exit_code == 0 and "owner groups" in result.output
