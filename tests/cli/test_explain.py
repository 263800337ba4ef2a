"""Issue 13, item 4: ``explain`` grouped and short by default (one line per decision), every match under
--all."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import invoke

GAN = "EP-3396601-A1"  # "Graphics processing unit generative adversarial network", a Google Patents row


def _first_cells(text: str) -> list[str]:
    return [
        line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│ ") and line[2] != " "
    ]


def test_explain_is_one_line_per_decision(classified: Path, sql) -> None:  # type: ignore[no-untyped-def]
    tags = sql(
        classified, f"SELECT dimension, tag FROM genai_tags WHERE pub_key = '{GAN}' ORDER BY dimension"
    )
    labels = sql(classified, f"SELECT count(*) FROM genai_labels WHERE pub_key = '{GAN}'")[0][0]
    short = invoke("explain", GAN, "--db", str(classified), columns=250).output
    assert sorted(_first_cells(short)) == sorted(["generative AI"] * labels + [d for d, _ in tags])
    assert ("model", "GAN") in tags
    joined = " ".join(short.split())
    assert "generative adversarial (title)" in joined
    every = _first_cells(invoke("explain", GAN, "--db", str(classified), "--all", columns=250).output)
    found = json.loads(invoke("explain", GAN, "--db", str(classified), "--json").stdout)
    hits = sum(len(t["evidence"]["hits"]) or 1 for t in found["tags"])
    features = sum(len(lb["evidence"]["classifier"]["features"]) for lb in found["labels"])
    query_hits = sum(len(lb["evidence"]["query"]["hits"]) for lb in found["labels"])
    assert len(every) == labels + query_hits + features + hits > len(_first_cells(short))
