"""``spark enrich`` and ``spark classify`` on local[2] give the embedded path's tables, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.store import schema
from tests.lake.conftest import compared_columns, lake_table, store_table


@pytest.mark.parametrize(
    "table",
    [*schema.ENRICH_TABLES, schema.GENAI_LABELS, schema.GENAI_TAGS, *schema.FACT_TABLES],
    ids=lambda t: t.name,
)
def test_tables_equal_the_embedded_path(enriched, lake_root, embedded: Path, table) -> None:  # type: ignore[no-untyped-def]
    columns = compared_columns(table)
    expected = store_table(embedded, table.name, columns)
    assert expected, f"the corpus gives {table.name}"
    got = lake_table(lake_root["root"], table.name, columns)
    if "weight" in columns or "score" in columns:  # sums of 1/n: compared to the last bit that can differ
        got, expected = _rounded(got), _rounded(expected)
    assert got == expected


def test_the_corpus_has_computed_families_and_fuzzy_owner_groups(enriched, lake_root) -> None:  # type: ignore[no-untyped-def]
    root = lake_root["root"]
    types = {r[0] for r in lake_table(root, "families", ["family_type"])}
    assert {"docdb", "simple", "extended"} <= types
    assert {r[0] for r in lake_table(root, "owner_groups", ["method"])} >= {"self", "alias"}


def test_classify_again_labels_nothing(enriched) -> None:  # type: ignore[no-untyped-def]
    first, again = enriched["classify"], enriched["again"]
    assert first["labelled"] == first["publications"] > 0
    assert again["labelled"] == 0 and again["already_current"] == first["publications"]


def _rounded(rows: list[tuple]) -> list[tuple]:
    return sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows), key=repr)


@pytest.mark.parametrize("by", ["country", "owner"])
def test_landscape_equals_the_embedded_path(enriched, lake_root, embedded: Path, by: str) -> None:  # type: ignore[no-untyped-def]
    from patscape.lake.landscape import landscape
    from patscape.landscape.command import Request, run
    from patscape.store import open_store

    with open_store(str(embedded), read_only=True) as store:
        expected, expected_meta = run(store, Request(by=by))
    got, meta = landscape(lake_root["lake"], Request(by=by))
    timeless = ("seconds",)  # how long each section took: the one part of the meta that differs
    assert {k: v for k, v in meta.items() if k not in timeless} == {
        k: v for k, v in expected_meta.items() if k not in timeless
    }
    assert set(got) == set(expected) and any(len(f) for f in expected.values())
    for name, frame in expected.items():
        assert _frame_rows(got[name]) == _frame_rows(frame), name


def _frame_rows(frame) -> list[tuple]:  # type: ignore[no-untyped-def]
    from patscape.landscape.output import records

    return _rounded([tuple(r.values()) for r in records(frame)])
