"""Issue 13, item 5: the README's "Your first hour" runs as written (from a folder beside ../shared), and
says on the way what the README says it says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[2]


def walkthrough() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```bash first-hour\n(.*?)```", readme, re.S)
    assert found, "README.md has no ```bash first-hour block"
    return found.group(1)


def test_first_hour_runs_as_written(shared: Path, tmp_path: Path) -> None:
    (tmp_path / "shared").symlink_to(shared.resolve())  # the README's ../shared, seen from its folder
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATSCAPE_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env["COLUMNS"] = "200"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", walkthrough()],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    said = " ".join((done.stdout + done.stderr).split())
    assert "landscape refused: the families are not built yet" in said
    assert (
        "needs families, country attribution and owner groups (not built yet): run `patscape enrich" in said
    )
    assert re.search(r"placed [\d,]+ of [\d,]+ families \(basis: publication year, office country", said)
    assert "the inventor country basis places only" in said and "try --country-by member" in said
    assert "US-12230040-B2 Robust state estimation" in said
    assert (work / "first-hour.duckdb").exists()
    assert sorted(p.name for p in work.glob("genai-owners*")) == ["genai-owners.xlsx"]
    assert openpyxl.load_workbook(work / "genai-owners.xlsx").sheetnames == [
        "owners",
        "owner_quality",
        "about",
    ]
    assert (work / "first-hour-report" / "report.html").exists()
