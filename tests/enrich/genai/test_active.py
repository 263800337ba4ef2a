"""The label queue over a store of 2,000 real documents: the most uncertain first, diverse, never an already
labelled document, in the labels files' form; and the command."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from patscape.cli import main
from patscape.enrich.genai.active import POOL_FACTOR, _margins, label_queue, uncertainty
from patscape.enrich.genai.document import Labelled, family_key, read_scraped
from patscape.enrich.genai.pipeline import default_pipeline
from patscape.store import open_store
from patscape.store.ingest import ingest

from .conftest import SCRAPED_FILE

FIELDS = ("id", "pub", "title", "abstract", "genai", "models", "modes", "application", "confidence", "why")


def test_the_queue_is_uncertain_diverse_and_skips_known_documents(data: Path, tmp_path: Path) -> None:
    pipe = default_pipeline()
    docs = read_scraped([data / SCRAPED_FILE])
    known = [Labelled(d, "no") for d in docs[:300]]
    with open_store(str(tmp_path / "q.duckdb")) as store:
        ingest(store, [data / SCRAPED_FILE], build_index=False)
        rows = label_queue(store, pipe, 20, known)
    assert len(rows) == 20
    assert all(tuple(r)[: len(FIELDS)] == FIELDS and r["genai"] == "" for r in rows)
    keys = [family_key(r["pub"]) for r in rows]
    assert len(set(keys)) == 20
    assert not set(keys) & {family_key(lab.doc.pub_key) for lab in known}
    # the queue is drawn from the POOL_FACTOR * n most uncertain unlabelled documents
    rest = [d for d in docs[300:] if d.title or d.abstract]
    scores = sorted(
        uncertainty(d, pipe.threshold, m)
        for d, m in zip(pipe.decide(rest), _margins(pipe, rest), strict=True)
    )
    assert min(r["uncertainty"] for r in rows) >= round(scores[-POOL_FACTOR * 20], 4) - 1e-4
    assert any(r["predicted"]["retrieved"] for r in rows)


def test_label_queue_command_writes_jsonl(data: Path, tmp_path: Path, labels_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    with open_store(db) as store:
        ingest(store, [data / SCRAPED_FILE], build_index=False)
    out = tmp_path / "queue.jsonl"
    result = CliRunner().invoke(
        main, ["label-queue", "--n", "5", "--db", db, "--known", str(labels_path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and all(r["pool"] == "label-queue" for r in rows)
