"""A recovered document is stored and marked, a rejected one is not, and the quarantine lists both kinds."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from patscape.cli import main
from patscape.store import open_store
from patscape.store.ingest import ingest

WEEKLY = "patentsview_db_fixtures/ipgxml/ipg130416.small.xml"


def _three_grants(data: Path) -> tuple[bytes, list[int], list[str]]:
    """The first three documents of a real weekly file, their offsets and their numbers as written."""
    raw = (data / WEEKLY).read_bytes()
    starts = [m.start() for m in re.finditer(rb"<\?xml ", raw)][:4]
    head = raw[: starts[3]]
    number = re.compile(
        rb"<publication-reference>\s*<document-id>\s*<country>US</country>\s*<doc-number>(\w+)"
    )
    numbers = [number.search(head, s).group(1).decode() for s in starts[:3]]
    return head, starts[:3], numbers


def _line(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def test_recovered_and_rejected_documents_in_the_store_and_the_quarantine(
    db_url: str, data: Path, tmp_path: Path
) -> None:
    raw, starts, numbers = _three_grants(data)
    in_claims = raw.index(b"<claim-text>", starts[1]) + len(b"<claim-text>")
    in_biblio = raw.index(b"<invention-title", starts[2])
    damaged = raw[:in_claims] + b"<First Embodiment " + raw[in_claims:in_biblio] + b"<" + raw[in_biblio:]
    path = tmp_path / "ipg-damaged.xml"
    path.write_bytes(damaged)
    in_biblio += len(b"<First Embodiment ")  # where they are in the damaged file
    third = starts[2] + len(b"<First Embodiment ")
    with open_store(db_url) as store:
        summary = ingest(store, [path])
        pubs = store.fetch("SELECT pub_key, recovered, source_line FROM publications ORDER BY source_line")
        quarantine = store.quarantine()
        recovered_key = pubs[1]["pub_key"]
        shown = store.details(recovered_key)
        again = ingest(store, [path])
    assert summary.total.stored == 2 and summary.total.rejected == 1
    assert [p["source_line"] for p in pubs] == [_line(damaged, starts[0]), _line(damaged, starts[1])]
    assert pubs[0]["recovered"] is None
    assert recovered_key.split("-")[1] == re.sub(r"^([A-Z]*)0*", r"\1", numbers[1])  # padding zeros dropped
    note = pubs[1]["recovered"]
    assert note.startswith(f"recovered: line {_line(damaged, in_claims)} in <")
    assert "dropped '<First Embodiment" in note

    by_kind = {q["kind"]: q for q in quarantine}
    assert set(by_kind) == {"recovered", "rejected"} and len(quarantine) == 2
    assert by_kind["recovered"]["reason"] == note and by_kind["recovered"]["pub_key"] == recovered_key
    assert by_kind["recovered"]["source_line"] == _line(damaged, starts[1])
    rejected = by_kind["rejected"]
    assert rejected["source_line"] == _line(damaged, third) and rejected["source_offset"] == third
    assert f"line {_line(damaged, in_biblio)}, column" in rejected["reason"]
    assert "not recovered" in rejected["reason"]
    assert [q["kind"] for q in shown["quarantine"]] == ["recovered"]  # `patscape show` says what was lost
    assert again.inputs == {"already-ingested": 1}


def test_quarantine_command_shows_both_kinds(data: Path, tmp_path: Path) -> None:
    raw, starts, _ = _three_grants(data)
    in_claims = raw.index(b"<claim-text>", starts[1]) + len(b"<claim-text>")
    in_biblio = raw.index(b"<invention-title", starts[2])
    path = tmp_path / "ipg-damaged.xml"
    path.write_bytes(raw[:in_claims] + b"<First " + raw[in_claims:in_biblio] + b"<" + raw[in_biblio:])
    db = str(tmp_path / "q.duckdb")
    assert CliRunner().invoke(main, ["ingest", str(path), "--db", db, "-q"]).exit_code == 0
    result = CliRunner().invoke(main, ["quarantine", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert sorted(r["kind"] for r in rows) == ["recovered", "rejected"]
    assert all(r["source_line"] for r in rows)
