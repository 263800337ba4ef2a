"""The pipeline's outputs on real documents are those written in ``expected-decisions.jsonl.gz`` (see
``expected_decisions.py``): labels, scores, tags and every piece of evidence. Written by commit 1c788cf's
code before the speed-up of issue 18 (faster, not different), and again for query 1.2.0 and the application
model's corpus, and for the application model's code-class tokens (the same yes/no decisions and scores,
other tags)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from patscape.enrich.genai.pipeline import default_pipeline

from .expected_decisions import EXPECTED, documents, summary


def _expected() -> tuple[str, list[dict]]:
    with gzip.open(EXPECTED, "rt", encoding="utf-8") as fh:
        header, *lines = [json.loads(line) for line in fh]
    return header["method_version"], lines


def test_the_pipeline_decides_as_before_on_real_documents(shared: Path) -> None:
    version, expected = _expected()
    pipe = default_pipeline()
    assert pipe.method_version == version  # the query and models the file was written with
    docs = documents(shared)
    assert len(docs) == len(expected) == 3509
    got = [summary(d) for d in pipe.decide(docs)]
    differ = [(e, g) for e, g in zip(expected, got, strict=True) if e != g]
    assert not differ, f"{len(differ)} decisions moved, e.g. {differ[:2]}"
    assert sum(e["genai"] for e in expected) > 300  # the set holds generative-AI documents, tags and all


def test_a_document_is_decided_alike_whatever_batch_it_comes_in(shared: Path) -> None:
    docs = documents(shared)[::5]
    pipe = default_pipeline()
    whole = pipe.decide(docs)
    pieces = [d for i in range(0, len(docs), 7) for d in pipe.decide(docs[i : i + 7])]
    assert [summary(d) for d in pieces] == [summary(d) for d in whole]
    assert pipe.decide([]) == []
