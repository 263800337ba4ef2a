"""The cohort scores after a refresh of some families, written for the families whose scores can change.

A family's scores on a year basis depend on its own components and on its cohort's bounds (the nearest rank
1st and 99th percentiles of each component, ``quality.cohort_stats``); its cohort on the size of its field in
its year. Both follow from the counts of each value per (year, field), which a refresh changes by the counts
of the rewritten families' rows after less before (a small table). From the counts after and before, the
(year, field) pairs whose cohort changed (pooled or no longer pooled) or whose cohort's bounds changed are
found; only the families there, and the rewritten ones, are scored again, with the expressions of a full
scoring (``quality.bounds``, ``quality.clipped_scores``). After a 1 % batch nearly every cohort year moves,
yet few cohorts' bounds do. Both year bases and both states go through each statement together.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import ibis
import ibis.expr.types as ir

from patscape.enrich import quality
from patscape.enrich.rewrite import copy_some
from patscape.store import schema
from patscape.store.base import Store
from patscape.store.expressions import Query, compiled, unbound

SIZE = "#"  # the component whose row per (year, field) counts its families (value 0)
# a component's column in ``family_facts``, where it is named otherwise
SOURCE_COLUMNS = {"family_size": "office_count"}
# what a family's cohort scores are computed from, besides its years: a cohort whose families all keep these
# keeps its scores
SCORE_INPUTS = ("field", *(SOURCE_COLUMNS.get(c, c) for c in quality.COMPONENTS6))
_COUNT_COLUMNS = schema.FAMILY_FACT_COUNTS.columns
COUNTS = schema.Table("_score_counts", _COUNT_COLUMNS)  # after the refresh
OLD_COUNTS = schema.Table("_score_counts_old", _COUNT_COLUMNS)  # before it
DELTA = schema.Table("_score_delta", _COUNT_COLUMNS)
_SIDE = ("side", "TEXT NOT NULL")  # 'new' (the counts after) or 'old'
MAP = schema.Table(
    "_score_map", (_SIDE, *_COUNT_COLUMNS[:3], ("cohort_field", "TEXT NOT NULL"))
)  # (year, field) -> cohort field
STATS = schema.Table(
    "_score_stats",
    (
        _SIDE,
        ("basis", "TEXT NOT NULL"),
        ("cohort_year", "INTEGER NOT NULL"),
        ("cohort_field", "TEXT NOT NULL"),
        ("component", "TEXT NOT NULL"),
        ("_value_hi", "DOUBLE PRECISION"),
        ("_value_lo", "DOUBLE PRECISION"),
    ),
)  # the bounds of each component (and SIZE) per cohort
PICK = schema.Table("_score_pick", (("basis", "TEXT NOT NULL"), ("family_key", "BIGINT NOT NULL")))
# the whole fact rows of the families in PICK, read once: scored, compared and written again from here
PICKED = schema.Table("_score_rows", schema.FAMILY_FACTS.columns)
TEMPORARY = (COUNTS, OLD_COUNTS, DELTA, MAP, STATS, PICK, PICKED)
KEPT = schema.FAMILY_FACT_COUNTS
_COUNT_KEYS = "basis, year, field, component, value"


def counts_sql(source: str, sign: int = 1) -> str:
    """Per basis and (year, field) of the rows of ``source`` (a table or aliased subquery with
    ``family_facts``' columns): the count of each known value of each component, and of the rows
    (``SIZE``); times ``sign``."""
    parts = []
    for basis in schema.QUALITY_BASES:
        keys = f"'{basis}' AS basis, coalesce({basis}_year, -1) AS year, coalesce(field, '') AS field"
        parts.append(
            f"SELECT {keys}, '{SIZE}' AS component, CAST(0 AS DOUBLE PRECISION) AS value, "
            f"{sign} * count(*) AS n FROM {source} GROUP BY 1, 2, 3"
        )
        for c in quality.COMPONENTS6:
            column = SOURCE_COLUMNS.get(c, c)
            parts.append(
                f"SELECT {keys}, '{c}' AS component, CAST({column} AS DOUBLE PRECISION) AS value, "
                f"{sign} * count(*) AS n FROM {source} WHERE {column} IS NOT NULL GROUP BY 1, 2, 3, 5"
            )
    return " UNION ALL ".join(parts)


def _sides() -> ir.Table:
    new, old = unbound(COUNTS), unbound(OLD_COUNTS)
    return new.mutate(side=ibis.literal("new")).union(old.mutate(side=ibis.literal("old")), distinct=False)


@cache  # a value: built (and compiled, store/expressions.py) once per process
def cohort_map() -> ir.Table:
    """``MAP``: each (year, field) and its ``cohort_field`` that year (``quality.cohorts``), after and
    before."""
    t = _sides()
    sizes = t.filter(t.component == SIZE)
    return sizes.select("side", "basis", "year", "field", cohort_field=quality.pooled(sizes.field, sizes.n))


@cache  # a value: built (and compiled, store/expressions.py) once per process
def cohort_bounds() -> ir.Table:
    """``STATS``: per cohort and component the bounds of ``quality.cohort_stats``, after and before."""
    t, m = _sides(), unbound(MAP)
    j = t.join(m, ["side", "basis", "year", "field"])
    keys = ("side", "basis", "cohort_year", "cohort_field", "component")
    per = j.group_by([*keys[:2], j.year.name("cohort_year"), *keys[3:], "value"]).agg(_k=j.n.sum())
    return quality.bounds(per, "value", keys)


@cache  # a value: built (and compiled, store/expressions.py) once per process
def picked_scores(basis: str) -> ir.Table:
    """The scores on ``basis`` of its families in ``PICK`` (``facts.score_rows``' columns; their rows in
    ``PICKED``), from the cohorts after (``MAP``, ``STATS``)."""
    ff = unbound(PICKED)
    pick = unbound(PICK)
    ff = ff.filter(ff.family_key.isin(pick.filter(pick.basis == basis).family_key))
    raw = ff.select(
        "family_key",
        *(ff[SOURCE_COLUMNS.get(c, c)].name(c) for c in quality.COMPONENTS6),
        cohort_year=ff[f"{basis}_year"].fill_null(-1),
        _field=ff.field.fill_null(""),
    )
    m = unbound(MAP)
    m = m.filter((m.side == "new") & (m.basis == basis))
    j = raw.join(m, [raw.cohort_year == m.year, raw._field == m.field])
    t = j.select(*[c for c in raw.columns if c != "_field"], "cohort_field")
    s = unbound(STATS)
    s = s.filter((s.side == "new") & (s.basis == basis))
    stats = s.group_by(quality.COHORT).agg(
        **{
            f"_{c}_{x}": ibis.ifelse(s.component == c, s[f"_value_{x}"], ibis.null("float64")).max()
            for c in quality.COMPONENTS6
            for x in ("hi", "lo")
        }
    )
    scored = quality.with_indexes(quality.clipped_scores(t, stats, quality.COMPONENTS6))
    return scored.select(
        "family_key",
        "cohort_field",
        *(f"{c}_score" for c in quality.COMPONENTS6),
        "index4",
        "index6",
        "breakthrough",
    )


def pick_sql(todo: str) -> str:
    """``CREATE`` the table ``PICK``: per basis, the families of the (year, field) pairs whose cohort changed
    or whose cohort's bounds changed, and those in ``todo`` (a table of ``family_key``)."""
    cohort = ("basis", "cohort_year", "cohort_field")
    on = " AND ".join(f"o.{c} = s.{c}" for c in (*cohort, "component"))
    changed = (
        f"SELECT DISTINCT {', '.join(f'coalesce(s.{c}, o.{c}) AS {c}' for c in cohort)} "
        f"FROM (SELECT * FROM {STATS.name} WHERE side = 'new') s "
        f"FULL OUTER JOIN (SELECT * FROM {STATS.name} WHERE side = 'old') o ON {on} "
        "WHERE s.basis IS NULL OR o.basis IS NULL OR s._value_hi IS DISTINCT FROM o._value_hi "
        "OR s._value_lo IS DISTINCT FROM o._value_lo"
    )
    pairs = (
        f"SELECT m.basis, m.year, m.field FROM {MAP.name} m "
        f"LEFT JOIN {MAP.name} om ON om.side = 'old' AND om.basis = m.basis AND om.year = m.year "
        "AND om.field = m.field "
        f"LEFT JOIN ({changed}) c ON c.basis = m.basis AND c.cohort_year = m.year "
        "AND c.cohort_field = m.cohort_field "
        "WHERE m.side = 'new' AND (om.cohort_field IS NULL OR om.cohort_field <> m.cohort_field "
        "OR c.basis IS NOT NULL)"
    )
    selects = []
    for basis in schema.QUALITY_BASES:
        selects.append(
            f"SELECT p.basis, f.family_key FROM {schema.FAMILY_FACTS.name} f JOIN pairs p "
            f"ON p.basis = '{basis}' AND p.year = coalesce(f.{basis}_year, -1) "
            "AND p.field = coalesce(f.field, '')"
        )
        selects.append(f"SELECT '{basis}', family_key FROM {todo}")
    return f"CREATE TEMPORARY TABLE {PICK.name} AS WITH pairs AS ({pairs}) {' UNION '.join(selects)}"


def write_counts(store: Store) -> None:
    """(Re)write ``family_fact_counts`` from the whole ``family_facts`` (a full build)."""
    store.execute(f"DROP TABLE IF EXISTS {KEPT.name}")
    for stmt in KEPT.ddl(store.secondary_indexes):
        store.execute(stmt)
    store.execute(f"INSERT INTO {KEPT.name} ({_COUNT_KEYS}, n) {counts_sql(schema.FAMILY_FACTS.name)}")


def prepare(store: Store, todo: str, before: str, after: str) -> None:
    """The temporary tables ``picked_scores`` reads: the counts before (``family_fact_counts``; counted
    from ``family_facts`` less the rewritten rows when the store has none yet) and after (those plus
    ``after``, the rows of the families in ``todo`` as they are now, less ``before``, their rows before the
    refresh; both with the years and ``SCORE_INPUTS``), the cohort maps and bounds, the families to score
    and their rows (``PICKED``); ``family_fact_counts`` is brought up to date."""
    drop(store)
    store.execute(
        f"CREATE TEMPORARY TABLE {DELTA.name} AS SELECT {_COUNT_KEYS}, CAST(sum(n) AS BIGINT) AS n FROM ("
        f"{counts_sql(after)} UNION ALL {counts_sql(before, -1)}) d "
        f"GROUP BY {_COUNT_KEYS} HAVING sum(n) <> 0"
    )
    if store.has_table(KEPT.name) and _counts_all(store, before, after):
        store.execute(f"CREATE TEMPORARY TABLE {OLD_COUNTS.name} AS SELECT * FROM {KEPT.name}")
        _add(store, COUNTS, OLD_COUNTS, 1)

        def moved(table: str) -> str:  # the keys the delta moves (the kept counts of those are replaced)
            same = " AND ".join(f"{table}.{c} = d.{c}" for c in _COUNT_KEYS.split(", "))
            return f"EXISTS (SELECT 1 FROM {DELTA.name} d WHERE {same})"

        store.execute(f"DELETE FROM {KEPT.name} WHERE {moved(KEPT.name)}")
        store.execute(
            f"INSERT INTO {KEPT.name} ({_COUNT_KEYS}, n) "
            f"SELECT {_COUNT_KEYS}, n FROM {COUNTS.name} WHERE {moved(COUNTS.name)}"
        )
    else:  # no counts kept (or not of these rows): counted again, after the refresh
        write_counts(store)
        store.execute(f"CREATE TEMPORARY TABLE {COUNTS.name} AS SELECT * FROM {KEPT.name}")
        _add(store, OLD_COUNTS, COUNTS, -1)
    store.execute(f"CREATE TEMPORARY TABLE {MAP.name} AS {query(store, 'score-map', cohort_map).sql}")
    store.execute(f"CREATE TEMPORARY TABLE {STATS.name} AS {query(store, 'score-stats', cohort_bounds).sql}")
    store.execute(pick_sql(todo))
    copy_some(store, PICKED.name, schema.FAMILY_FACTS.name, "family_key", PICK.name)


def _counts_all(store: Store, before: str, after: str) -> bool:
    """Whether the kept counts count every family the table held before the refresh (a cheap check against
    counts that a refresh by other code left behind: they are then counted again)."""
    kept = (
        f"SELECT sum(n) FROM {KEPT.name} WHERE component = '{SIZE}' AND basis = '{schema.QUALITY_BASES[0]}'"
    )
    held = (
        f"(SELECT count(*) FROM {schema.FAMILY_FACTS.name}) - (SELECT count(*) FROM {after}) "
        f"+ (SELECT count(*) FROM {before})"
    )
    return bool(store.scalar(f"SELECT CASE WHEN ({kept}) = {held} THEN 1 ELSE 0 END"))


def _add(store: Store, made: schema.Table, counts: schema.Table, sign: int) -> None:
    """``CREATE`` the table ``made``: ``counts`` plus ``sign`` times ``DELTA`` (counts of 0 left out)."""
    store.execute(
        f"CREATE TEMPORARY TABLE {made.name} AS SELECT {_COUNT_KEYS}, CAST(sum(n) AS BIGINT) AS n FROM ("
        f"SELECT {_COUNT_KEYS}, n FROM {counts.name} "
        f"UNION ALL SELECT {_COUNT_KEYS}, {sign} * n FROM {DELTA.name}) c "
        f"GROUP BY {_COUNT_KEYS} HAVING sum(n) > 0"
    )


SOURCES = (Path(__file__), Path(quality.__file__))  # the code of the queries compiled here


def query(store: Store, name: str, build: Callable[[], ir.Table]) -> Query:
    return compiled(store, name, build, SOURCES)


def drop(store: Store) -> None:
    for table in TEMPORARY:
        store.execute(f"DROP TABLE IF EXISTS {table.name}")
