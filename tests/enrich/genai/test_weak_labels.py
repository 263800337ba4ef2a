"""The weak labels' positive rules on the hand labels: they must never call a `no` document generative AI."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from patscape.enrich.genai.document import read_labels
from patscape.enrich.genai.query import load_query
from patscape.enrich.genai.weak_labels import positive_rule


def test_the_positive_rules_hit_no_negative_hand_label(shared: Path) -> None:
    query = load_query()
    hits = Counter(
        (lab.genai, positive_rule(query, lab.doc) is not None)
        for lab in read_labels(shared / "labels" / "dev.jsonl")
    )
    print(f"\npositive rules on dev.jsonl: {hits[('yes', True)]} `yes` hit, {hits[('no', True)]} `no` hit")
    assert hits[("no", True)] == 0
    assert hits[("yes", True)] > 0
