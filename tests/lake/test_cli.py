"""``patscape spark ingest`` as typed (the test corpus's first run), then again over everything: the second
run finds every input in the manifest."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.lake.conftest import FIRST, lake_table


def test_spark_ingest_then_again(lake_root, embedded: Path, data: Path) -> None:  # type: ignore[no-untyped-def]
    # what the embedded ingest (one run over the same inputs) found in the first run's inputs
    under = [str(data / p) for p in FIRST]
    with duckdb.connect(str(embedded), read_only=True) as con:
        log = con.execute("SELECT file, status, read FROM ingest_log").fetchall()
        every = len(log)
    log = [r for r in log if any(r[0] == u or r[0].startswith(u + "/") for u in under)]
    statuses = {s: sum(1 for r in log if r[1] == s) for s in ("done", "unrecognised")}
    first = lake_root["runs"][0]
    assert statuses["done"] > 10 and first["inputs"] == {
        "ingested": statuses["done"],
        "unrecognised": statuses["unrecognised"],
    }
    assert first["total"]["read"] == sum(r[2] for r in log)
    keys = lake_table(lake_root["after_first"], "publications", ["pub_key"])
    assert first["total"]["stored"] == len(keys) > 0

    again = lake_root["runs"][2]
    assert again["inputs"] == {"already-ingested": every} and again["total"]["read"] == 0
