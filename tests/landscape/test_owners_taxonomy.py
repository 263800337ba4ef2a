"""Top owners, model × mode and application breakdowns on the hand-made store (tests/landscape/mini.py)."""

from __future__ import annotations

import pytest

from patscape.landscape import LandscapeFilter, owners, taxonomy
from tests.landscape.conftest import records


def test_top_owners_full(mini) -> None:  # type: ignore[no-untyped-def]
    rows = records(owners.top_owners(mini(year="priority"), n=4, start=2014, end=2016).to_pandas())
    # Tencent (F1, F2), IBM (F2, F3), Baidu (F5, F6) have 2 families each: ties go by group id
    assert [(r["rank"], r["group_name"], r["families"]) for r in rows] == [
        (1, "Baidu", 2),
        (2, "IBM", 2),
        (3, "Tencent", 2),
        (4, "Siemens", 1),
    ]
    ibm = rows[1]
    assert ibm["share"] == pytest.approx(2 / 7)  # seven families have an owner (F8 has none)
    assert (ibm["start_families"], ibm["end_families"]) == (1, 1)  # F2 (2014) and F3 (2016)
    assert ibm["cagr"] == 0
    assert ibm["country"] == "US"
    assert rows[2]["cagr"] == -1  # Tencent: 2 in 2014, none in 2016


def test_top_owners_fractional(mini) -> None:  # type: ignore[no-untyped-def]
    rows = records(owners.top_owners(mini(year="priority", fractional=True), n=5).to_pandas())
    # F2 is split between Tencent and IBM
    assert [(r["group_name"], r["families"]) for r in rows] == [
        ("Baidu", 2),
        ("IBM", 1.5),
        ("Tencent", 1.5),
        ("Siemens", 1),
        ("Sony", 1),
    ]
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)


def test_model_mode(mini) -> None:  # type: ignore[no-untyped-def]
    rows = records(taxonomy.model_mode(mini()).to_pandas())
    assert [(r["model"], r["mode"], r["families"]) for r in rows] == [
        ("GAN", "image/video", 1),  # F1
        ("GAN", "speech/voice/music", 1),  # F2 (its mode tags come from two members)
        ("GAN", "text", 1),  # F2
        ("LLM", "text", 1),  # F5
        ("diffusion", "image/video", 1),  # F6
    ]
    assert {r["share"] for r in rows} == {0.25}
    frac = records(taxonomy.model_mode(mini(fractional=True)).to_pandas())
    assert [r["families"] for r in frac] == [1, 0.5, 0.5, 1, 1]


def test_models_and_modes(mini) -> None:  # type: ignore[no-untyped-def]
    models = records(taxonomy.breakdown(mini(), "model").to_pandas())
    assert [(r["model"], r["families"], r["share"]) for r in models] == [
        ("GAN", 2, 0.5),
        ("LLM", 1, 0.25),
        ("diffusion", 1, 0.25),
    ]
    modes = records(taxonomy.breakdown(mini(), "mode").to_pandas())
    assert [(r["mode"], r["families"]) for r in modes] == [
        ("image/video", 2),
        ("text", 2),
        ("speech/voice/music", 1),
    ]


def test_applications(mini) -> None:  # type: ignore[no-untyped-def]
    rows = records(taxonomy.applications(mini()).to_pandas())
    assert [(r["application"], r["families"], r["share"]) for r in rows] == [
        ("business", 2, 0.4),
        ("security", 2, 0.4),
        ("telecommunications", 1, 0.2),
    ]
    genai = records(taxonomy.applications(mini(filter=LandscapeFilter(genai=True))).to_pandas())
    assert [(r["application"], r["families"]) for r in genai] == [
        ("security", 2),
        ("business", 1),
        ("telecommunications", 1),
    ]
    by_year = records(taxonomy.applications(mini(year="priority"), by_year=True).to_pandas())
    assert [(r["year"], r["application"], r["families"], r["incomplete"]) for r in by_year] == [
        (2014, "security", 1, False),
        (2014, "telecommunications", 1, False),
        (2016, "business", 1, False),
        (2018, "business", 1, False),
        (2019, "security", 1, True),
    ]
