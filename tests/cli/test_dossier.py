"""Issue 13, item 4: ``show`` led by what an analyst reads (internal fields under --all), ``family KEY`` and
``citations KEY`` (backward with the citing party, forward)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.conftest import invoke

VACUUM = "US-6530116-B2"  # a USPTO grant of the test documents: parties with countries, IPC, 37 citations
INTERNAL = ("precedence", "content_hash", "reader_version")


@pytest.fixture(autouse=True)
def shared_env(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATSCAPE_SHARED", str(shared))


def _ipc_title(shared: Path, key: str) -> str:
    path = shared / "data/ipc_titles_inpi_cls/20220101/labels_group_id_6.tsv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(r["title"] for r in csv.DictReader(fh, delimiter="\t") if r["id"] == key)


def test_show_leads_with_what_an_analyst_reads(classified: Path, shared: Path, sql) -> None:  # type: ignore[no-untyped-def]
    result = invoke("show", "US6530116B2", "--db", str(classified))
    assert result.exit_code == 0, result.output
    text = result.output
    title = sql(classified, f"SELECT title FROM publications WHERE pub_key = '{VACUUM}'")[0][0]
    assert text.splitlines()[0] == f"{VACUUM}  {title}"
    for name, country in sql(
        classified, f"SELECT name, country FROM parties WHERE pub_key = '{VACUUM}' AND role = 'applicant'"
    ):
        assert name in text and country in text
    assert _ipc_title(shared, "A47L 5").split(" (")[0][:30] in text  # A47L5/14 with its main group's title
    assert "https://worldwide.espacenet.com/patent/search?q=pn%3DUS6530116B2" in "".join(text.split())
    assert "generative AI" in text and "not labelled yet" not in text
    assert not any(field in text for field in INTERNAL)
    everything = invoke("show", VACUUM, "--db", str(classified), "--all").output
    assert all(field in everything for field in INTERNAL)
    as_json = json.loads(invoke("show", VACUUM, "--db", str(classified), "--json").stdout)
    assert as_json["applicants"][0]["owner_group"] and as_json["generative_ai"]["label"]


def test_family_lists_every_member(enriched: Path, sql) -> None:  # type: ignore[no-untyped-def]
    members = sql(
        enriched,
        "SELECT pub_key FROM family_members WHERE family_id = "
        f"(SELECT family_id FROM family_members WHERE pub_key = '{VACUUM}') ORDER BY pub_key",
    )
    found = json.loads(invoke("family", VACUUM, "--db", str(enriched), "--json").stdout)
    assert sorted(m["pub_key"] for m in found["members"]) == [k for (k,) in members]
    before = invoke("family", VACUUM, "--db", str(enriched).replace("enriched", "ingested"))
    assert before.exit_code == 2 and "run `patscape enrich" in before.output


def test_citations_both_ways(enriched: Path, sql) -> None:  # type: ignore[no-untyped-def]
    backward = sql(
        enriched, f"SELECT cited_key, cited_by FROM citations WHERE pub_key = '{VACUUM}' ORDER BY seq"
    )
    forward = sql(enriched, f"SELECT pub_key FROM citations WHERE cited_key = '{VACUUM}'")
    found = json.loads(invoke("citations", VACUUM, "--db", str(enriched), "--json").stdout)
    assert [(r["cited_key"], r["cited_by"]) for r in found["backward"]] == backward
    assert {"examiner", "other"} <= {by for _, by in backward}
    assert [r["citing_key"] for r in found["forward"]] == [k for (k,) in forward]
    printed = invoke("citations", VACUUM, "--db", str(enriched)).output
    assert f"{VACUUM} cites {len(backward)}" in printed
    assert f"cited by {len(forward)} stored publications" in printed
