"""Rescoring after a refresh of some families (``enrich/rescore.py``) leaves the scores a full scoring gives:
fact rows written directly, scored in full, then some rewritten, added and removed as a refresh does, so that
a field's cohort is pooled, another stops being pooled, a cohort's bounds move and a family changes year;
a full scoring afterwards changes nothing, and the kept counts are those of the rows. With counts kept from
a full build, and without (a store enriched before they existed). On DuckDB and PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

import pytest

from patscape.enrich import facts, quality, rescore
from patscape.store import open_store, schema
from patscape.store.base import Store

COLUMNS = ("family_key", "family_id", "priority_year", "publication_year", "field", "office_count")
COLUMNS += ("claims", "forward5", "backward", "generality", "grant_lag_days")


def _row(family_id: str, year: int | None, field: str | None, rng: random.Random) -> tuple[Any, ...]:
    maybe = lambda v: None if rng.random() < 0.1 else v
    return (
        facts.family_key(family_id),
        family_id,
        year,
        None if year is None else year + 1,
        field,
        rng.randint(1, 6),
        maybe(rng.randint(1, 40)),
        maybe(rng.choice([0, 0, 0, 1, 2, 5, 30])),
        maybe(rng.randint(0, 25)),
        maybe(round(rng.random(), 3)),
        maybe(rng.randint(200, 2500)),
    )


def _families(rng: random.Random) -> dict[str, tuple[Any, ...]]:
    plan = [(2019, "G06N", 120), (2019, "H04L", 20), (2020, "G06N", 90), (2020, "A61B", 19)]
    plan += [(2020, None, 8), (None, "G06N", 5), (2018, "G06F", 3)]
    rows = {}
    for year, field, n in plan:
        for i in range(n):
            family_id = f"f-{year}-{field}-{i}"
            rows[family_id] = _row(family_id, year, field, rng)
    return rows


def _write(store: Store, rows: list[tuple[Any, ...]]) -> None:
    marks = ", ".join("?" * len(COLUMNS))
    for row in rows:
        store.execute(f"INSERT INTO family_facts ({', '.join(COLUMNS)}) VALUES ({marks})", row)


def _scores(store: Store) -> list[tuple[Any, ...]]:
    columns = ", ".join(
        ["family_id", *(f"{b}_{c}" for b in schema.QUALITY_BASES for c in facts.SCORE_COLUMNS)]
    )
    rows = store.fetch(f"SELECT {columns} FROM family_facts ORDER BY family_id")
    return [tuple(round(v, 9) if isinstance(v, float) else v for v in r.values()) for r in rows]


def _counts(store: Store, sql: str) -> list[tuple[Any, ...]]:
    return sorted(
        tuple(r.values())
        for r in store.fetch(f"SELECT basis, year, field, component, value, n FROM ({sql}) c")
    )


@pytest.mark.parametrize("kept", [True, False])
def test_rescoring_the_moved_cohorts_gives_the_scores_of_a_full_scoring(db_url: str, kept: bool) -> None:
    rng = random.Random(16)
    rows = _families(rng)
    with open_store(db_url) as store:
        with store.transaction():
            _write(store, list(rows.values()))
            for basis in schema.QUALITY_BASES:
                facts._rescore(store, basis)
            if kept:
                rescore.write_counts(store)
        changed = {
            "f-2019-H04L-0": None,  # removed: H04L in 2019 falls to 19 families, pooled
            "f-2020-G06N-0": _row("f-2020-A61B-new", 2020, "A61B", rng),  # A61B in 2020 reaches 20
            "f-2019-G06N-1": (*rows["f-2019-G06N-1"][:6], 500, *rows["f-2019-G06N-1"][7:]),  # most claims
            "f-2018-G06F-0": _row("f-2018-G06F-0", 2019, "G06F", rng),  # another year
        }
        added = [_row(f"f-new-{i}", 2020, "G06N", rng) for i in range(3)]
        todo = [*changed, *(r[1] for r in changed.values() if r is not None), *(r[1] for r in added)]
        with store.transaction():
            facts._fill_todo(store, todo)
            facts._keep_before(store)
            store.execute("DELETE FROM family_facts WHERE family_key IN (SELECT family_key FROM _fact_todo)")
            _write(store, [r for r in changed.values() if r is not None] + added)
            facts._restore_scores(store)
            facts._copy_written(store)
            rescore.prepare(store, facts.TODO.name, facts.BEFORE.name, facts.WRITTEN.name)
            picked = {
                b: int(store.scalar(f"SELECT count(*) FROM {rescore.PICK.name} WHERE basis = ?", [b]))
                for b in schema.QUALITY_BASES
            }
            undated_picked = store.scalar(
                f"SELECT count(*) FROM {rescore.PICK.name} p JOIN family_facts f USING (family_key) "
                "WHERE f.priority_year IS NULL AND f.publication_year IS NULL"
            )
            rescored = facts._rescore_some(store)
            rescore.drop(store)
        incremental = _scores(store)
        counted = _counts(store, rescore.counts_sql(schema.FAMILY_FACTS.name))
        assert _counts(store, f"SELECT * FROM {schema.FAMILY_FACT_COUNTS.name}") == counted
        with store.transaction():
            again = {b: facts._rescore(store, b) for b in schema.QUALITY_BASES}
        assert again == {"priority": 0, "publication": 0}, again
        assert _scores(store) == incremental
        total = int(store.scalar("SELECT count(*) FROM family_facts"))
        pooled = store.fetch_column(
            "SELECT DISTINCT priority_cohort_field FROM family_facts WHERE field = 'A61B' OR field = 'H04L'"
        )
        cohort = (
            "SELECT DISTINCT priority_cohort_field FROM family_facts WHERE field = ? AND priority_year = ?"
        )
        h04l_2019 = store.fetch_column(cohort, ["H04L", 2019])
        a61b_2020 = store.fetch_column(cohort, ["A61B", 2020])
    assert set(pooled) == {"A61B", quality.POOLED_FIELD}
    assert h04l_2019 == [quality.POOLED_FIELD] and a61b_2020 == ["A61B"]  # pooled, a cohort of its own
    assert all(n > 0 for n in rescored.values()), rescored
    # the five families without a year, in a cohort no change touched, are not scored again
    assert all(n <= total - 5 for n in picked.values()), (picked, total)
    assert undated_picked == 0
