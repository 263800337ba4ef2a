"""``patscape spark ingest`` as typed, twice: the second run finds every input in the manifest."""

from __future__ import annotations

from pathlib import Path

from tests.lake.conftest import TYPED, lake_table


def test_spark_ingest_then_again(typed, data: Path) -> None:  # type: ignore[no-untyped-def]
    grants, lens = data / TYPED[0], data / TYPED[1]
    documents = sum(p.read_text(encoding="utf-8").count("<us-patent-grant") for p in grants.glob("*.xml"))
    lines = sum(1 for line in lens.read_text(encoding="utf-8").splitlines() if line.strip())
    first = typed["first"]
    assert first["inputs"] == {"ingested": documents + 1}  # a grant a file, and the Lens file
    assert first["total"]["read"] == documents + lines  # one record a line
    keys = lake_table(typed["root"], "publications", ["pub_key"])
    assert first["total"]["stored"] == len(keys) > 0

    again = typed["again"]
    assert again["inputs"] == {"already-ingested": documents + 1} and again["total"]["read"] == 0
