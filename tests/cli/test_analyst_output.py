"""Issue 13, item 4: output an analyst can hand on (``--out FILE`` writes exactly FILE; a workbook with
formats, widths, frozen filterable headers and a sheet saying what produced it), and no traceback for a
locked database or Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl

from tests.cli.conftest import invoke

PATSCAPE = str(Path(sys.executable).with_name("patscape"))


def test_out_writes_exactly_the_file(classified: Path, tmp_path: Path) -> None:
    refused = invoke(
        "landscape", "--db", str(classified), "--by", "owner", "--out", str(tmp_path / "owners.csv")
    )
    assert refused.exit_code == 1
    assert "write them as sheets of one workbook (--out owners.xlsx) or into a folder" in refused.output
    assert list(tmp_path.iterdir()) == []

    target = tmp_path / "owners.xlsx"
    args = ("landscape", "--db", str(classified), "--by", "owner", "--genai")
    assert invoke(*args, "--out", str(target)).exit_code == 0
    assert list(tmp_path.iterdir()) == [target]
    expected = json.loads(invoke(*args, "--json").stdout)

    wb = openpyxl.load_workbook(target)
    assert wb.sheetnames == ["owners", "owner_quality", "about"]
    ws = wb["owners"]
    header = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == ws.dimensions
    first = {h: c for h, c in zip(header, ws[2], strict=True)}
    top = expected["tables"]["owners"][0]
    assert first["group_name"].value == top["group_name"]
    assert first["families"].value == top["families"] and first["families"].number_format == "#,##0"
    assert first["share"].value == top["share"] and first["share"].number_format == "0.0%"
    width = ws.column_dimensions["C"].width  # group_name: as wide as the longest name shown
    assert width >= max(len(r["group_name"]) for r in expected["tables"]["owners"])

    about = dict(wb["about"].iter_rows(min_row=2, values_only=True))
    assert (
        about["command"].startswith("patscape landscape --db ")
        and "--by owner --genai --out" in about["command"]
    )
    assert about["filter"] == "generative AI"
    assert about["placement"] == expected["placement"]["line"]
    assert about["counting"] == expected["counting"]
    assert about["version patscape"] and about["version duckdb"]
    assert about["written"][:4].isdigit()


def _held(path: Path) -> subprocess.Popen[str]:
    """Another process that holds the database open for writing until its stdin closes."""
    code = (
        "import duckdb, sys\n"
        f"con = duckdb.connect({str(path)!r})\n"
        "print('open', flush=True)\n"
        "sys.stdin.read()\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
    return proc


def test_locked_database_is_a_message_not_a_traceback(enriched: Path, tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    db.write_bytes(enriched.read_bytes())
    holder = _held(db)
    try:
        done = subprocess.run([PATSCAPE, "stats", "--db", str(db)], capture_output=True, text=True)
    finally:
        holder.communicate("")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "is open in another process" in done.stderr


def test_ctrl_c_ends_without_a_traceback(data: Path, tmp_path: Path) -> None:
    db = tmp_path / "interrupted.duckdb"
    proc = subprocess.Popen(
        [
            PATSCAPE,
            "ingest",
            "-q",
            "--db",
            str(db),
            str(data / "cset_1790_ai_patents/patent_database.csv.zip"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # as a terminal would: the shell running the tests may have left SIGINT ignored for its children
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while not db.exists() and proc.poll() is None:  # the ingest has begun: it takes far longer than this
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err
    assert err.strip().endswith("interrupted") and "Traceback" not in err


def test_wrong_option_is_a_usage_line(enriched: Path) -> None:
    result = invoke("landscape", "--db", str(enriched), "--by", "owners")
    assert result.exit_code == 2
    assert "Invalid value for '--by': 'owners' is not one of" in result.output
    assert "Traceback" not in result.output and os.linesep in result.output
