"""The sectors, signals and talent commands: thin layers that print what the library computes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from patscape.cli import main

LABELLED = Path(__file__).parents[1] / "enrich" / "data" / "sectors" / "applicant_names.jsonl"


def _json(args: list[str]) -> object:
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_sectors_of_names_with_their_evidence() -> None:
    rows = _json(["sectors", "清华大学", "Tencent America LLC", "Xerox"])
    assert [(r["sector"], r["evidence"]) for r in rows] == [  # type: ignore[union-attr]
        ("university", 'keyword "大学"'),
        ("company", "legal form"),
        (None, "no rule"),
    ]


def test_sectors_scored_on_the_rules_split() -> None:
    [row] = _json(["sectors", "--labels", str(LABELLED), "--split", "rules"])  # type: ignore[misc]
    assert row["names"] == 244 and row["correct"] <= row["answered"] <= row["names"]


def test_signals_by_country_and_owner_on_the_mini_store(mini_path: Path) -> None:
    rows = _json(["signals", "--db", str(mini_path)])
    assert {r["country"]: r["ip5"] for r in rows} == {"CN": 2, "US": 1, "DE": 1, "JP": 0}  # type: ignore[union-attr]
    owners = _json(["signals", "--db", str(mini_path), "--by", "owner", "--top", "2"])
    assert [r["group_name"] for r in owners] == ["Baidu", "IBM"]  # type: ignore[union-attr]


def test_talent_on_the_mini_store_without_inventors(mini_path: Path) -> None:
    assert _json(["talent", "--db", str(mini_path), "--teams", "3"]) == {"inventors": [], "teams": []}
