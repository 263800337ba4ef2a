"""The frozen test split: reproducible from its seed, stratified, near-duplicates on one side, never trained
on, and scored only through the logged function."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from patscape.enrich.genai.evaluate import SCORINGS_LOG, load_frozen_split_figures
from patscape.enrich.genai.pipeline import default_pipeline
from patscape.enrich.genai.split import (
    SEED,
    SPLIT_FILE,
    _rows,
    draw,
    duplicate_groups,
    read_reference_labels,
    split_labels,
)
from patscape.enrich.genai.split import (
    test_ids as split_test_ids,
)


def test_the_committed_split_is_the_one_its_seed_draws(shared: Path) -> None:
    committed = json.loads(SPLIT_FILE.read_text(encoding="utf-8"))
    again = draw(shared / "labels", seed=committed["seed"])
    assert committed["seed"] == SEED
    assert again["test_ids"] == committed["test_ids"]
    assert committed["size"] == len(committed["test_ids"]) >= 300
    assert committed["of"] == 1500  # dev.jsonl 300 + train.jsonl 1,200


def test_each_pool_and_label_keeps_its_share(shared: Path) -> None:
    rows = _rows(shared / "labels")
    ids = split_test_ids()
    total = Counter((r["pool"], r["genai"]) for r in rows)
    held = Counter((r["pool"], r["genai"]) for r in rows if r["id"] in ids)
    share = len(ids) / len(rows)
    for stratum, n in total.items():
        assert abs(held[stratum] - share * n) <= 2, stratum  # a near-duplicate pair may tip one over
    assert sum(n for (pool, g), n in held.items() if g == "yes") == 63


def test_near_duplicates_stay_on_one_side(shared: Path) -> None:
    ids = split_test_ids()
    groups = [g for g in duplicate_groups(_rows(shared / "labels")) if len(g) > 1]
    assert groups  # the labels hold the same invention published twice
    for g in groups:
        assert len({i in ids for i in g}) == 1, g


def test_the_shipped_model_never_trained_on_the_split(shared: Path) -> None:
    development, test = split_labels(read_reference_labels(shared))
    assert len(development) + len(test) == 1500
    info = default_pipeline().classifier.info_
    trained = set(info["trained_on_labels"])
    assert trained and not trained & {lab.doc.pub_key for lab in test}
    assert not {lab.doc.pub_key for lab in development if lab.extra["pool"].startswith("miric")} & trained


def test_the_stored_figures_are_the_shipped_pipelines_and_every_scoring_is_logged() -> None:
    figures = load_frozen_split_figures()
    assert figures is not None
    assert figures.method_version == default_pipeline().method_version
    log = [json.loads(line) for line in SCORINGS_LOG.read_text(encoding="utf-8").splitlines() if line]
    assert [e["scoring"] for e in log] == list(range(1, len(log) + 1))
    assert figures.scoring == log[-1]["scoring"] and log[-1]["method_version"] == figures.method_version
    assert figures.precision.low <= figures.precision.value <= figures.precision.high
    assert figures.documents == 451 and figures.scored == 449  # two `unsure` left out of yes/no
