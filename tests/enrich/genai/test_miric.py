"""Miric, Jia & Huang's 3,198 manually labelled non-AI patents (never trained on): at most 0.2 % of
them may be labelled generative AI by the shipped pipeline."""

from __future__ import annotations

from pathlib import Path

from patscape.enrich.genai.document import read_miric
from patscape.enrich.genai.evaluate import non_ai_false_positives
from patscape.enrich.genai.pipeline import default_pipeline


def test_non_ai_patents_are_almost_never_generative_ai(data: Path) -> None:
    rows = read_miric(data / "miric_ai_patents_4k" / "4K_Patents_AI_20p.csv")
    non_ai = [doc for doc, is_ai in rows if not is_ai]
    assert len(rows) == 4000 and len(non_ai) == 3198
    found = non_ai_false_positives(non_ai, default_pipeline())
    assert found["documents"] == 3198
    assert found["genai"] <= 6, found["flagged"]  # 0.2 % of 3,198
