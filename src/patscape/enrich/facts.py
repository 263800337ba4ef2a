"""The family fact table: one row per family with everything the landscape counts and filters on, under an
integer key, and its child tables (countries, owners, tags). Written from the enrichment tables by Ibis
expressions (``store/expressions.py``) that the store runs in its own transaction.

- ``family_facts``: dates and years, first-filing office, member and office counts, the IP5 offices and
  triadic flag (``enrich/offices.py``), the number of countries on each basis and of owner groups, the
  generative-AI flag and score, the raw quality indicators (``enrich/quality.py``) and, on each year basis,
  the cohort scores;
- ``family_fact_countries``, ``family_fact_owners``, ``family_fact_tags``: ``family_countries``,
  ``family_owners`` and the tags of the members (``genai_tags``; ``genai`` = a member labelled generative AI;
  ``source`` = the ingested ``tags``) under the family key, each row with both years of its family;
- ``family_fact_sources``: the sources of each family's members (``source_name``), which the landscape's
  source composition per year counts;
- ``owner_facts``: one name and country per owner group.

``refresh(store, family_ids)`` rewrites the rows of the given families only, with the scores they had, then
the scores of the families whose cohort or cohort bounds moved with them (``rescore.py``: from the cohorts'
counts of each value of what the scores are computed from, ``SCORE_INPUTS``); only the families whose scores
changed are written. A family whose labels alone changed (``classify``) moves no cohort. ``refresh(store)``
rewrites everything. Both give the same tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ibis
import ibis.expr.types as ir

from patscape.enrich import offices, quality, rescore
from patscape.enrich.offices import office_signals
from patscape.enrich.rewrite import copy_some, rewrite
from patscape.store import schema
from patscape.store.base import Store
from patscape.store.expressions import Query, compiled, insert, unbound

# the families a refresh rewrites, with their keys (a temporary table)
TODO = schema.Table("_fact_todo", (("family_id", "TEXT NOT NULL"), ("family_key", "BIGINT NOT NULL")))
# their members (``family_members`` rows), copied once by a refresh of some families: the expressions read
# these few rows instead of semi-joining the whole table with the to-do table at each use
TODO_MEMBERS = schema.Table("_fact_members", schema.FAMILY_MEMBERS.columns)
BASES = ("inventor", "applicant", "office", "member")
SOURCE_TAG = "source"
GENAI_TAG = "genai"
CHILDREN = (schema.FAMILY_FACT_COUNTRIES, schema.FAMILY_FACT_OWNERS, schema.FAMILY_FACT_TAGS)
SOURCES_TABLE = schema.FAMILY_FACT_SOURCES


def family_key(family_id: str) -> int:
    """A family's integer key: the first 63 bits of the BLAKE2b digest of its id (the same wherever and
    whenever it is computed; among ten million families two keys coincide with a chance of 1 in 10^5, and a
    build that meets one stops with an error)."""
    return int.from_bytes(hashlib.blake2b(family_id.encode(), digest_size=8).digest(), "big") >> 1


@dataclass
class Refreshed:
    families: int = 0  # fact rows written
    removed: int = 0  # families that no longer exist
    rescored: dict[str, int] = field(default_factory=dict)  # basis -> families whose scores changed

    def as_dict(self) -> dict[str, int]:
        return {
            "families": self.families,
            "removed": self.removed,
            **{f"rescored_{b}": n for b, n in self.rescored.items()},
        }


# -- the rows ------------------------------------------------------------------------------------------------


def _todo() -> ir.Table:
    return unbound(TODO)


def _todo_members(some: bool) -> ir.Table:
    """The ``family_members`` rows of the to-do families: the copy of a refresh of some (``some``), else
    the table's, semi-joined with the to-do table."""
    if some:
        return unbound(TODO_MEMBERS)
    fm = unbound(schema.FAMILY_MEMBERS)
    return fm.filter(fm.family_id.isin(_todo().family_id))


def _years(families: ir.Table) -> dict[str, ir.Value]:
    return {"priority_year": families.priority_year, "publication_year": families.publication_year}


def _labelled(members: ir.Table) -> ir.Table:
    """Per family with a labelled member: ``genai`` (a member labelled generative AI by any method) and
    ``genai_score`` (the highest score of a label)."""
    labels = unbound(schema.GENAI_LABELS)
    m = members.select("family_id", label_key="pub_key")
    labelled = labels.join(m, labels.pub_key == m.label_key)
    return labelled.group_by("family_id").agg(genai=labelled.is_genai.any(), genai_score=labelled.score.max())


@cache  # a value: built (and compiled, store/expressions.py) once per process
def label_columns() -> ir.Table:
    """``family_key``, ``genai``, ``genai_score`` of the to-do families (members in ``TODO_MEMBERS``), as
    ``fact_rows`` gives them."""
    todo = _todo()
    j = todo.left_join(_labelled(_todo_members(True)), "family_id")
    return j.select(todo.family_key, genai=j.genai.fill_null(False), genai_score=j.genai_score)


@cache  # a value: built (and compiled, store/expressions.py) once per process
def fact_rows(some: bool = False) -> ir.Table:
    """The ``family_facts`` rows of the families in the to-do table (scores left NULL); ``some``: their
    members are in ``TODO_MEMBERS``."""
    todo = _todo()
    f = unbound(schema.FAMILIES)
    f = f.join(todo, "family_id")
    members = _todo_members(some)
    latest = members.group_by("family_id").agg(latest_publication=members.published.max())

    fc = unbound(schema.FAMILY_COUNTRIES)
    fc = fc.filter(fc.family_id.isin(todo.family_id))
    placed = fc.group_by("family_id").agg(
        **{f"{b}_countries": ibis.ifelse(fc.basis == b, 1, 0).sum() for b in BASES}
    )
    fo = unbound(schema.FAMILY_OWNERS)
    fo = fo.filter(fo.family_id.isin(todo.family_id))
    owned = fo.group_by("family_id").agg(owner_count=fo.count())

    genai = _labelled(members)

    out = f.select(
        "family_key",
        "family_id",
        "family_type",
        "earliest_priority",
        "priority_year",
        "earliest_publication",
        "publication_year",
        "first_filing_office",
        "granted",
        "member_count",
        "office_count",
    )
    filed = office_signals(members)
    subset = todo.select("family_id")
    indicators = (
        quality.raw_indicators(subset, members, quality.COPIES) if some else quality.raw_indicators(subset)
    )
    for part in (latest, filed, placed, owned, genai, indicators):
        joined = out.left_join(part, "family_id")
        out = joined.select(*out.columns, *[joined[c] for c in part.columns if c != "family_id"])
    counts = {f"{b}_countries": out[f"{b}_countries"].fill_null(0).cast("int32") for b in BASES}
    return out.mutate(
        **counts,
        owner_count=out.owner_count.fill_null(0).cast("int32"),
        ip5_offices=out.ip5_offices.fill_null(0).cast("int32"),
        triadic=out.triadic.fill_null(False),
        genai=out.genai.fill_null(False),
    )


def _with_years(rows: ir.Table, quality: bool = False, some: bool = False) -> ir.Table:
    """``rows`` (with ``family_id``) under the family key, with both years of the family (and the figures
    that quality by country and by owner average, from its fact row: ``quality``); ``some``: from the fact
    rows a refresh of some families wrote (``WRITTEN``), instead of joining the whole tables."""
    todo = _todo()
    if some:
        facts = unbound(WRITTEN)
        years = facts.select("family_key", "priority_year", "publication_year")
        keyed = rows.join(todo, "family_id").drop("family_id").join(years, "family_key")
    else:
        facts = unbound(schema.FAMILY_FACTS)
        f = unbound(schema.FAMILIES).select("family_id", "priority_year", "publication_year")
        keyed = rows.join(todo, "family_id").join(f, "family_id").drop("family_id")
    if not quality:
        return keyed
    figures = facts.select(
        "family_key",
        "granted",
        "forward5",
        family_size=facts.office_count,
        **{f"{b}_index6": facts[f"{b}_index6"] for b in schema.QUALITY_BASES},
    )
    return keyed.join(figures, "family_key")


@cache  # a value: built (and compiled, store/expressions.py) once per process
def country_rows(some: bool = False) -> ir.Table:
    fc = unbound(schema.FAMILY_COUNTRIES)
    return _with_years(fc.select("family_id", "basis", "country", "weight"), quality=True, some=some)


@cache  # a value: built (and compiled, store/expressions.py) once per process
def owner_rows(some: bool = False) -> ir.Table:
    fo = unbound(schema.FAMILY_OWNERS)
    return _with_years(fo.select("family_id", "group_id", "weight"), quality=True, some=some)


@cache  # a value: built (and compiled, store/expressions.py) once per process
def tag_rows(some: bool = False) -> ir.Table:
    members = _todo_members(some).select("family_id", "pub_key")
    gt = unbound(schema.GENAI_TAGS)
    taxonomy = gt.join(members, "pub_key").select("family_id", "dimension", "tag", "method")
    labels = unbound(schema.GENAI_LABELS)
    labels = labels.filter(labels.is_genai)
    flagged = labels.join(members, "pub_key").select(
        "family_id", dimension=ibis.literal(GENAI_TAG), tag=ibis.literal("yes"), method=labels.method
    )
    tags = unbound(schema.TAGS)
    source = tags.join(members, "pub_key").select(
        "family_id", dimension=ibis.literal(SOURCE_TAG), tag=tags.tag, method=ibis.literal(SOURCE_TAG)
    )
    rows = taxonomy.union(flagged, distinct=False).union(source, distinct=False).distinct()
    return _with_years(rows, some=some)


def source_name(pubs: ir.Table) -> ir.StringValue:
    """``reader: folder`` of each publication (the folder holding its file, or the archive): what one reader
    read from one folder, the unit of the landscape's source composition (``landscape/coverage.py``)."""
    folder = pubs.source_file.re_extract(r"([^/\\]+)[/\\][^/\\]+$", 1)
    return pubs.reader.fill_null("unknown").concat(": ", folder.fill_null(""))


@cache  # a value: built (and compiled, store/expressions.py) once per process
def source_rows(some: bool = False) -> ir.Table:
    """A row per family and source of one of its members."""
    members = _todo_members(some).select("family_id", "pub_key")
    # some: the names of the members' publications alone, from the copy of their rows that the quality
    # indicators read (else of every publication, before the join)
    pubs = unbound(quality.COPIES.publications if some else schema.PUBLICATIONS)
    pubs = pubs.select("pub_key", source=source_name(pubs))
    return _with_years(members.join(pubs, "pub_key").select("family_id", "source").distinct(), some=some)


@cache  # a value: built (and compiled, store/expressions.py) once per process
def owner_fact_rows() -> ir.Table:
    fo = unbound(schema.FAMILY_OWNERS)
    return fo.group_by("group_id").agg(
        group_name=fo.group_name.min(), country=fo.country.min(), families=fo.family_id.nunique()
    )


@cache  # a value: built (and compiled, store/expressions.py) once per process
def score_rows(basis: str) -> ir.Table:
    """``family_key`` and the cohort scores on ``basis`` of every family."""
    ff = unbound(schema.FAMILY_FACTS)
    raw = ff.select(
        "family_key",
        "field",
        *(ff[rescore.SOURCE_COLUMNS.get(c, c)].name(c) for c in quality.COMPONENTS6),
        year=ff[f"{basis}_year"],
    )
    scored = quality.cohort_scores(raw)
    return scored.select(
        "family_key",
        cohort_field=scored.cohort_field,
        **{f"{c}_score": scored[f"{c}_score"] for c in quality.COMPONENTS6},
        index4=scored.index4,
        index6=scored.index6,
        breakthrough=scored.breakthrough,
    )


SCORE_COLUMNS = (
    "cohort_field",
    *(f"{c}_score" for c in quality.COMPONENTS6),
    "index4",
    "index6",
    "breakthrough",
)


# -- writing ---------------------------------------------------------------------------------------------


def _fill_todo(store: Store, family_ids: Iterable[str]) -> int:
    store.execute(f"DROP TABLE IF EXISTS {TODO.name}")
    store.execute(f"CREATE TEMPORARY TABLE {TODO.name} (family_id TEXT NOT NULL, family_key BIGINT NOT NULL)")
    rows = [(fid, family_key(fid)) for fid in dict.fromkeys(family_ids)]
    for start in range(0, len(rows), 200_000):
        store.insert_rows(TODO, rows[start : start + 200_000])
    clashes = store.scalar(
        f"SELECT count(*) FROM (SELECT family_key FROM {TODO.name} GROUP BY family_key HAVING count(*) > 1) c"
    )
    if clashes:
        raise RuntimeError(f"{clashes} family keys coincide: the 63-bit key cannot tell these families apart")
    return len(rows)


# the fact rows a refresh of some families wrote: their years, the figures the child rows repeat and what
# their scores are computed from, copied once (after their scores are restored) for the child rows and the
# rescoring, instead of joining whole ``families`` and ``family_facts``
WRITTEN = schema.Table(
    "_fact_written",
    tuple(
        (c, t)
        for c, t in schema.FAMILY_FACTS.columns
        if c in ("family_key", "priority_year", "publication_year", "granted", "forward5", "office_count")
        or c in {f"{b}_index6" for b in schema.QUALITY_BASES}
        or c in rescore.SCORE_INPUTS
    ),
)


def _copy_written(store: Store) -> None:
    columns = ", ".join(WRITTEN.column_names)
    copy_some(store, WRITTEN.name, schema.FAMILY_FACTS.name, "family_key", TODO.name, columns)


def _copy_todo_members(store: Store) -> None:
    """``TODO_MEMBERS``: the ``family_members`` rows of the to-do families, copied once for every
    expression of a refresh of some families that reads them."""
    copy_some(store, TODO_MEMBERS.name, schema.FAMILY_MEMBERS.name, "family_id", TODO.name)


SCORES = schema.Table("_fact_scores", ())
BEFORE = schema.Table("_fact_before", ())


def _score_columns() -> list[str]:
    return [f"{b}_{c}" for b in schema.QUALITY_BASES for c in SCORE_COLUMNS]


def _keep_before(store: Store) -> None:
    """The to-do families' fact rows as they are, before they are rewritten: their years, score inputs and
    scores."""
    years = [f"{b}_year" for b in schema.QUALITY_BASES]
    columns = ", ".join(["family_key", *years, *rescore.SCORE_INPUTS, *_score_columns()])
    copy_some(store, BEFORE.name, schema.FAMILY_FACTS.name, "family_key", TODO.name, columns)


def _restore_scores(store: Store) -> None:
    """The rewritten rows get the scores they had (``_rescore`` then rewrites those of the cohorts that
    moved)."""
    sets = ", ".join(f"{c} = b.{c}" for c in _score_columns())
    store.execute(
        f"UPDATE {schema.FAMILY_FACTS.name} AS t SET {sets} FROM {BEFORE.name} AS b "
        "WHERE t.family_key = b.family_key"
    )


def _changed_scores(store: Store, table: str, scored: Query, basis: str, rows: str) -> None:
    """The temporary table ``table``: the rows of ``scored`` whose scores on ``basis`` differ from those in
    ``rows`` (the fact table, or the copy of the rows scored) (a few thousand after a small batch: what is
    written is joined with these alone)."""
    store.execute(f"DROP TABLE IF EXISTS {table}")
    changed = " OR ".join(f"t.{basis}_{c} IS DISTINCT FROM s.{c}" for c in SCORE_COLUMNS)
    store.execute(
        f"CREATE TEMPORARY TABLE {table} AS SELECT s.* FROM ({scored.sql}) s "
        f"JOIN {rows} t ON t.family_key = s.family_key WHERE {changed}"
    )


def _rescore(store: Store, basis: str) -> int:
    """Write the scores on ``basis`` of every family where they changed (a full build, whose tables are new
    in its transaction); returns how many families changed."""
    scored = _query(store, f"scores-{basis}-all", lambda: score_rows(basis))
    _changed_scores(store, SCORES.name, scored, basis, schema.FAMILY_FACTS.name)
    target = schema.FAMILY_FACTS.name
    sets = ", ".join(f"{basis}_{c} = s.{c}" for c in SCORE_COLUMNS)
    store.execute(
        f"UPDATE {target} AS t SET {sets} FROM {SCORES.name} AS s WHERE t.family_key = s.family_key"
    )
    for child in (schema.FAMILY_FACT_COUNTRIES, schema.FAMILY_FACT_OWNERS):  # their copy of the index
        store.execute(
            f"UPDATE {child.name} AS c SET {basis}_index6 = s.index6 FROM {SCORES.name} AS s "
            f"WHERE c.family_key = s.family_key AND c.{basis}_index6 IS DISTINCT FROM s.index6"
        )
    written = int(store.scalar(f"SELECT count(*) FROM {SCORES.name}") or 0)
    store.execute(f"DROP TABLE {SCORES.name}")
    return written


RESCORED = schema.Table("_fact_rescored", ())
RESCORED_KEYS = "_fact_rescored_keys"


def _rescore_some(store: Store) -> dict[str, int]:
    """Write the scores, on each basis, of the families whose scores can have changed with the to-do
    families' rows (``rescore.py``) where they changed; returns per basis how many families changed.

    The rows of those families are deleted and written again rather than updated: in DuckDB an update of
    rows spread over the stored row groups makes the commit's checkpoint rewrite those columns of every
    row group they are in (most of ``family_facts`` and ``family_fact_countries`` after a 1 % batch), where
    deleted rows are marks and the rows written again one new row group."""
    tables = {b: f"{SCORES.name}_{b}" for b in schema.QUALITY_BASES}
    for basis, table in tables.items():
        scored = rescore.query(store, f"scores-{basis}-picked", lambda b=basis: rescore.picked_scores(b))
        _changed_scores(store, table, scored, basis, rescore.PICKED.name)
    # the families whose scores changed on either basis, once for the six statements that read them
    store.execute(f"DROP TABLE IF EXISTS {RESCORED_KEYS}")
    union = " UNION ".join(f"SELECT family_key FROM {t}" for t in tables.values())
    store.execute(f"CREATE TEMPORARY TABLE {RESCORED_KEYS} AS {union}")
    keys = f"SELECT family_key FROM {RESCORED_KEYS}"
    joins = " ".join(f"LEFT JOIN {t} AS s_{b} ON s_{b}.family_key = t.family_key" for b, t in tables.items())
    for target in (schema.FAMILY_FACTS, schema.FAMILY_FACT_COUNTRIES, schema.FAMILY_FACT_OWNERS):
        values = []
        for column in target.column_names:
            basis, _, score = column.partition("_")
            kept = score in SCORE_COLUMNS if target is schema.FAMILY_FACTS else score == "index6"
            if basis in tables and kept:  # the new score where the basis' scores changed
                s_b = f"s_{basis}"
                values.append(f"CASE WHEN {s_b}.family_key IS NULL THEN t.{column} ELSE {s_b}.{score} END")
            else:
                values.append(f"t.{column}")
        values = [f"{v} AS {c}" for v, c in zip(values, target.column_names, strict=True)]
        # the fact rows straight from the copy of the rows scored (``rescore.PICKED``), which holds them
        # all; the child rows through a copy, as they are read from the table they are deleted from
        source = rescore.PICKED.name if target is schema.FAMILY_FACTS else target.name
        rows = f"SELECT {', '.join(values)} FROM {source} AS t {joins} WHERE t.family_key IN ({keys})"
        if target is not schema.FAMILY_FACTS:
            store.execute(f"DROP TABLE IF EXISTS {RESCORED.name}")
            store.execute(f"CREATE TEMPORARY TABLE {RESCORED.name} AS {rows}")
            rows = f"SELECT * FROM {RESCORED.name}"
        store.execute(f"DELETE FROM {target.name} WHERE family_key IN ({keys})")
        store.execute(f"INSERT INTO {target.name} {rows}")
    done = {b: int(store.scalar(f"SELECT count(*) FROM {t}") or 0) for b, t in tables.items()}
    for table in (RESCORED.name, RESCORED_KEYS, *tables.values()):
        store.execute(f"DROP TABLE {table}")
    return done


SOURCES = (
    Path(__file__),
    Path(quality.__file__),
    Path(offices.__file__),
)  # the code of the queries compiled here


def _query(store: Store, name: str, build: Callable[[], ir.Table]) -> Query:
    return compiled(store, name, build, SOURCES)


def _columns(table: schema.Table, expr: ir.Table) -> ir.Table:
    """``expr``'s columns in the order of ``table``'s."""
    return expr.select(*[c for c in table.column_names if c in expr.columns])


def _count_todo(store: Store, table: str, column: str = "family_key") -> int:
    return int(
        store.scalar(f"SELECT count(*) FROM {table} WHERE {column} IN (SELECT {column} FROM {TODO.name})")
        or 0
    )


def refresh(store: Store, family_ids: Iterable[str] | None = None) -> Refreshed:
    """Rewrite the fact rows of ``family_ids`` (families that no longer exist are removed) and the scores of
    their cohorts; every family when None. Runs in one transaction."""
    done = Refreshed()
    full = family_ids is None
    with store.transaction():
        ids = store.fetch_column("SELECT family_id FROM families") if full else family_ids
        todo = _fill_todo(store, ids)  # type: ignore[arg-type]
        # the sources' table is made by a full build; a store enriched before it existed has none until then
        children = (*CHILDREN, *((SOURCES_TABLE,) if full or store.has_table(SOURCES_TABLE.name) else ()))
        if full:
            for table in (schema.FAMILY_FACTS, *children):
                store.execute(f"DROP TABLE IF EXISTS {table.name}")
                for stmt in table.ddl(store.secondary_indexes):
                    store.execute(stmt)
        else:
            _keep_before(store)
            _copy_todo_members(store)
            quality.copy_inputs(store, TODO_MEMBERS.name)
            for table in (schema.FAMILY_FACTS, *children):
                store.execute(
                    f"DELETE FROM {table.name} WHERE family_key IN (SELECT family_key FROM {TODO.name})"
                )
        order = ["priority_year", "publication_year", "family_key"]  # a full build writes them by year
        facts = (lambda: fact_rows().order_by(order)) if full else (lambda: fact_rows(some=True))
        insert(
            store,
            schema.FAMILY_FACTS,
            _query(
                store, f"facts-{'sorted' if full else 'some'}", lambda: _columns(schema.FAMILY_FACTS, facts())
            ),
        )
        if not full:
            _restore_scores(store)  # before the child rows copy their index
            _copy_written(store)
        for table, rows, order in (
            (schema.FAMILY_FACT_COUNTRIES, lambda: country_rows(some=not full), ("basis", "country")),
            (schema.FAMILY_FACT_OWNERS, lambda: owner_rows(some=not full), ("group_id",)),
            (schema.FAMILY_FACT_TAGS, lambda: tag_rows(some=not full), ("dimension", "tag")),
            (SOURCES_TABLE, lambda: source_rows(some=not full), ("source",)),
        ):
            if table not in children:
                continue
            # a full build writes them in order, so that a condition on the basis or the dimension skips
            # whole row groups (DuckDB's zone maps)
            name = f"{table.name}-{'sorted' if full else 'some'}"
            build = lambda t=table, r=rows, o=order: _columns(t, r().order_by(list(o)) if full else r())
            insert(store, table, _query(store, name, build))
        done.families = _count_todo(store, schema.FAMILY_FACTS.name)
        done.removed = todo - done.families  # every family that exists has its row written
        if full:
            rescore.write_counts(store)
        else:
            rescore.prepare(store, TODO.name, BEFORE.name, WRITTEN.name)
        if full:
            done.rescored = {basis: _rescore(store, basis) for basis in schema.QUALITY_BASES}
        else:
            done.rescored = _rescore_some(store)
        rescore.drop(store)
        with rewrite(store, schema.OWNER_FACTS):
            insert(
                store,
                schema.OWNER_FACTS,
                _query(store, "owner_facts", lambda: _columns(schema.OWNER_FACTS, owner_fact_rows())),
            )
        for temp in (TODO, TODO_MEMBERS, BEFORE, WRITTEN):
            store.execute(f"DROP TABLE IF EXISTS {temp.name}")
        quality.drop_inputs(store)
    return done


def refresh_labels(store: Store, family_ids: list[str]) -> Refreshed:
    """Rewrite what the labels give the fact rows of ``family_ids``: ``genai``, ``genai_score`` and their
    ``family_fact_tags`` rows (``refresh`` when one of them has no fact row yet). The other columns and child
    tables come from the enrichment's tables and the publications alone, the cohort scores from those
    columns: labels move none of them, and a refresh of the same families writes the rows this one does
    (without reading the store's citations and classes for their quality indicators, nor rescoring)."""
    with store.transaction():
        _fill_todo(store, family_ids)
        if _count_todo(store, schema.FAMILY_FACTS.name) < len(set(family_ids)):
            store.execute(f"DROP TABLE {TODO.name}")
            return refresh(store, family_ids)
        _copy_todo_members(store)
        _copy_written(store)
        labelled = _query(store, "label-columns", label_columns).sql
        store.execute(
            f"UPDATE {schema.FAMILY_FACTS.name} AS t SET genai = g.genai, genai_score = g.genai_score "
            f"FROM ({labelled}) AS g WHERE t.family_key = g.family_key"
        )
        tags = schema.FAMILY_FACT_TAGS
        store.execute(f"DELETE FROM {tags.name} WHERE family_key IN (SELECT family_key FROM {TODO.name})")
        # the same compiled query as a refresh of some families
        insert(store, tags, _query(store, f"{tags.name}-some", lambda: _columns(tags, tag_rows(some=True))))
        done = Refreshed(
            families=_count_todo(store, schema.FAMILY_FACTS.name),
            rescored=dict.fromkeys(schema.QUALITY_BASES, 0),
        )
        for temp in (TODO, TODO_MEMBERS, WRITTEN):
            store.execute(f"DROP TABLE IF EXISTS {temp.name}")
    return done


def refresh_publications(store: Store, pub_keys: list[str]) -> Refreshed | None:
    """Rewrite what the labels give the fact rows of the families of these publications (after they were
    labelled: ``refresh_labels``; every fact row when they are more than half the families); None when no
    family has been built yet (``patscape enrich`` builds the facts)."""
    total = int(store.scalar("SELECT count(*) FROM families") or 0)
    if not total or not pub_keys:
        return None
    ids: set[str] = set()
    for start in range(0, len(pub_keys), 10_000):
        chunk = pub_keys[start : start + 10_000]
        marks = ", ".join("?" * len(chunk))
        ids.update(
            r["family_id"]
            for r in store.fetch(
                f"SELECT DISTINCT family_id FROM family_members WHERE pub_key IN ({marks})", chunk
            )
        )
    return refresh(store) if len(ids) > total // 2 else refresh_labels(store, sorted(ids))
