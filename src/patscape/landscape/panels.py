"""The dashboard's panels for one filter after another: a library API for the web dashboard.

A filter change must update every panel in about a tenth of a second. Compiling an Ibis expression to SQL
takes longer than running it on the fact table, so each panel is compiled once (and kept in the user's cache
folder, ``store/expressions.cached_query``), over temporary tables that stand for the filter:

- the filter's first and last year: a slot each in the panels' SQL (compiled for filters with and without
  them), where the years are written as literals, checked on the year columns every fact table carries (a
  literal, unlike a value read from a table, lets DuckDB skip row groups and plan with the bound);
- ``landscape_work_*`` (``WORK``): working copies of the fact table (``_FACT_COLUMNS``) and its children
  (the countries of the panels' basis only), made once per connection on the first filter with conditions
  beyond the years (``prepare``), each row with its family's ``family_index``: the families numbered
  0..n-1. Joined with a selection of such dense numbers, DuckDB looks each row up in a table addressed by
  the number, where a semi-join on the 63-bit ``family_key`` probes a hash table (alone, 30 against 70 ms
  for a million families' countries and three quarters of them selected; a fifth less time per filter
  change in all, bench/README.md). A connection's copies hold the data as they were when made (the web
  application connects anew when the data change);
- ``landscape_selection`` (``family_index``): the families the rest of the filter keeps (genAI, tags,
  countries, owner, query, dates), written once per filter change that has such a condition. Its SQL is
  compiled once per shape of filter (which conditions, how many countries and tags), with a slot for each
  value, and the values are bound into it as SQL literals (as a prepared statement's parameters):
  compiling with Ibis takes longer than running the selection;
- ``landscape_found`` (``family_key``): the families a text query finds (the search language's SQL over its
  index), when the filter has one (kept while the next changes keep the query);
- ``landscape_selected_*`` (``ROWS``): the selected families' rows of the fact table and each child table
  (their working copies joined with the selection), which the panels read unfiltered: views on DuckDB
  (each panel reading one makes the join: on a million families that costs less than writing the rows of
  a large selection once, bench/README.md), temporary tables on PostgreSQL (``backends.create_rows``);
- ``landscape_country_counts``: the families per year and country of that selection, which the country,
  share and China-versus-world panels all read.

Each panel is the expression the landscape's sections use (``sections.builders``), so the tables are those
of ``build(Landscape(..., filter=f))``; ``tests/landscape/test_panels.py`` checks it on every backend.

    panels = Panels(con, year="priority", country_by="member")
    tables = panels.compute(LandscapeFilter(genai=True, countries=("CN", "US")))
    tables["owners"]            # a pyarrow.Table, sorted as the section is
    panels.seconds              # the last change: seconds per step
"""

from __future__ import annotations

import datetime as dt
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend
from sqlglot import exp

from patscape.landscape import countries
from patscape.landscape.backends import create_rows, create_temp, run_sql
from patscape.landscape.context import Landscape
from patscape.landscape.empty import selection_counts, why_empty
from patscape.landscape.filters import GENAI_DIMENSIONS, SOURCE_TAGS, LandscapeFilter
from patscape.landscape.sections import builders
from patscape.landscape.tables import COUNTRIES, FACTS, OWNER_NAMES, OWNERS, TAGS, Tables
from patscape.store.expressions import Query, cached_query

PANELS = (
    "countries",
    "country_totals",
    "china_vs_world",
    "owners",
    "model_mode",
    "applications",
    "country_quality",
    "owner_quality",
)
SELECTION = "landscape_selection"
COUNTS = "landscape_country_counts"
SUMMARY = "selection_counts"  # the selected families and what the panels need (run when a panel is empty)
FOUND = "landscape_found"
DOC_FAMILIES = "landscape_doc_families"
# the selected families' rows of each fact table (``backends.create_rows``), per change with conditions beyond
# the years
ROWS = {
    FACTS: "landscape_selected_facts",
    COUNTRIES: "landscape_selected_countries",
    OWNERS: "landscape_selected_owners",
    TAGS: "landscape_selected_tags",
}
# the columns of the fact rows the panels read (fewer columns: less to write per change)
_FACT_COLUMNS = (
    "family_key",
    "family_id",
    "earliest_priority",
    "priority_year",
    "earliest_publication",
    "publication_year",
    "latest_publication",
    *(f"{b}_countries" for b in ("inventor", "applicant", "office", "member")),
    "owner_count",
    "genai",
    "granted",
    "forward5",
    "office_count",
    "priority_index6",
    "publication_index6",
)
INDEX = "family_index"  # the families numbered 0..n-1 in the working copies
# the working copies of the fact tables (``Panels.prepare``); the countries' of one basis each
WORK = {
    FACTS: "landscape_work_facts",
    COUNTRIES: "landscape_work_countries_{basis}",
    OWNERS: "landscape_work_owners",
    TAGS: "landscape_work_tags",
}
# per connection (by identity: backends compare equal by their database), the working copies made on it
_PREPARED: dict[int, set[str]] = {}
SLOT = "patscape-slot-{}"  # a value of the filter in the selection's SQL, compiled once per shape of filter
YEAR_SLOTS = (8123456701, 8123456702)  # the first and the last year in the panels' SQL
_SQLGLOT = {"duckdb": "duckdb", "postgres": "postgres", "pyspark": "spark"}
SOURCES = tuple(Path(__file__).parent.glob("*.py"))  # the code the compiled panels come from
_Variant = tuple[bool, str | None, bool, bool]  # conditions beyond the years, method, first year, last year
_COUNTED = frozenset({"countries", "country_totals", "china_vs_world", "growth"})


@dataclass(eq=False)
class Panels:
    """Every panel of the dashboard for a filter, on one backend, with the counting options fixed.

    Making one reads the catalog and the data's reference date; ``compute`` runs the panels. A panel whose
    table is missing (no owners, no labels) is left out and named in ``skipped``; a panel without rows is
    named in ``empty`` with the reason (``empty.why_empty``)."""

    con: BaseBackend
    year: str = "publication"
    country_by: str = "inventor"
    fractional: bool = False
    top: int = 20
    window: tuple[int, int] | None = None
    as_of: dt.date | None = None
    panels: tuple[str, ...] = PANELS
    tables: Tables | None = None  # the catalog, when the caller has read it already
    seconds: dict[str, float] = field(default_factory=dict)  # the last compute: seconds per step
    skipped: dict[str, str] = field(default_factory=dict)
    empty: dict[str, str] = field(default_factory=dict)  # the last compute: panel -> why it has no rows
    _compiled: dict[_Variant, dict[str, Query]] = field(default_factory=dict, repr=False)
    _selections: dict[tuple[LandscapeFilter, bool], str] = field(default_factory=dict, repr=False)
    _found: str | None = field(default=None, repr=False)  # the query whose families landscape_found holds
    _doc_families: bool = field(default=False, repr=False)  # landscape_doc_families is made

    def __post_init__(self) -> None:
        self.base = Landscape(
            self.con,
            year=self.year,  # type: ignore[arg-type]
            country_by=self.country_by,  # type: ignore[arg-type]
            fractional=self.fractional,
            as_of=self.as_of,
            tables=self.tables,  # type: ignore[arg-type]
        )

    def context(self, flt: LandscapeFilter) -> Landscape:
        """The landscape of the filter (for its description, or to build other expressions on it)."""
        return self.base.with_options(filter=flt)

    # -- compiling ---------------------------------------------------------------------------------------
    def _key(self, name: str, variant: _Variant) -> str:
        c = self.base.completeness
        keys, method, low, high = variant
        years = f"{low},{high}" if name in ROWS.values() or not keys else "in the rows"
        return (
            f"panel {name} year={self.year} basis={self.country_by} fractional={self.fractional} "
            f"top={self.top} window={self.window} method={method} keys={keys} years={years} "
            f"completeness={c.basis},{c.reference},{c.lag_years}"
        )

    # -- the working copies ------------------------------------------------------------------------------
    def _work_name(self, table: str) -> str:
        return WORK[table].format(basis=self.country_by)

    def _work_rows(self) -> dict[str, ir.Table]:
        """Working copy -> the expression of its rows: the fact rows (``_FACT_COLUMNS``) and, for the child
        tables there are, their rows (the countries of the panels' basis), each with ``family_index``, in
        its order.

        The generative-AI families are numbered first: a selection within them is a range of the numbers,
        and DuckDB, which passes the range of a join's keys down to the scan of the other side, skips the
        copies' row groups outside it (a quarter of the time for the panels of a generative-AI filter on a
        million families, bench/README.md)."""
        t = self.base.tables
        facts = t(FACTS)
        order = (ibis.desc(facts.genai.fill_null(False)), facts.family_key)
        index = ibis.row_number().over(order_by=order).cast("int32")
        out = {self._work_name(FACTS): facts.select(*_FACT_COLUMNS, **{INDEX: index}).order_by(INDEX)}
        numbers = ibis.table(out[self._work_name(FACTS)].schema(), name=self._work_name(FACTS))
        numbers = numbers.select("family_key", INDEX)
        for table in (COUNTRIES, OWNERS, TAGS):
            if t.has(table):
                rows = t(table)
                if table == COUNTRIES:
                    rows = rows.filter(rows.basis == self.country_by)
                joined = rows.join(numbers, "family_key").select(*rows.columns, INDEX)
                out[self._work_name(table)] = joined.order_by(INDEX)
        return out

    def _work_tables(self) -> Tables:
        """The catalog with the fact tables read from their working copies (no query runs)."""
        opened = {
            table: ibis.table(rows.schema(), name=name)
            for name, rows in self._work_rows().items()
            for table in WORK
            if self._work_name(table) == name
        }
        if self.base.tables.has(OWNER_NAMES):
            opened[OWNER_NAMES] = self.base.tables(OWNER_NAMES)
        return Tables(self.con, self.base.tables.names, opened)

    def prepare(self) -> None:
        """Make the working copies on the connection, unless they are there (the first filter with
        conditions beyond the years does it otherwise)."""
        made = _PREPARED.get(id(self.con))
        if made is None:
            made = _PREPARED[id(self.con)] = set()
            weakref.finalize(self.con, _PREPARED.pop, id(self.con), None)
        if {self._work_name(t) for t in WORK if self.base.tables.has(t)} <= made:
            return
        for name, rows in self._work_rows().items():
            if name not in made:
                create_temp(self.con, name, str(ibis.to_sql(rows, dialect=self.con.name)))
                made.add(name)

    def _rows(self, variant: _Variant) -> dict[str, Callable[[], ir.Table]]:
        """Temporary table -> the expression of its rows: the selected families' rows of the fact table and
        of each child table the panels read (their own columns: a landscape over them recomputes the year),
        from the working copies joined with the selection. The filter's years, applied by the selection
        already, are checked on the children's own year columns too (DuckDB skips row groups by them)."""
        _, _, low, high = variant
        work = self._work_tables()
        selection = ibis.table({INDEX: "int32"}, name=SELECTION)
        year = f"{self.year}_year"

        def selected(table: str, own: tuple[str, ...], dimensions: tuple[str, ...] = ()) -> ir.Table:
            rows = work(table)
            if table != FACTS and low:
                rows = rows.filter(rows[year] >= YEAR_SLOTS[0])
            if table != FACTS and high:
                rows = rows.filter(rows[year] <= YEAR_SLOTS[1])
            if dimensions:
                rows = rows.filter(rows.dimension.isin(dimensions))
            return rows.join(selection, INDEX).select(*own)

        t = self.base.tables
        out: dict[str, Callable[[], ir.Table]] = {ROWS[FACTS]: lambda: selected(FACTS, _FACT_COLUMNS)}
        if t.has(COUNTRIES):
            out[ROWS[COUNTRIES]] = lambda: selected(COUNTRIES, tuple(t(COUNTRIES).columns))
        if t.has(OWNERS):
            out[ROWS[OWNERS]] = lambda: selected(OWNERS, tuple(t(OWNERS).columns))
        if t.has(TAGS):
            # the sources' own categories only for the panel that counts them (CSET gives many per family)
            read = GENAI_DIMENSIONS
            if "source_categories" in self.panels:
                read = (*GENAI_DIMENSIONS, SOURCE_TAGS)
            out[ROWS[TAGS]] = lambda: selected(TAGS, tuple(t(TAGS).columns), read)
        return out

    def _compile(self, variant: _Variant) -> dict[str, Query]:
        """The panels' SQL for one variant of filter: with conditions beyond the years (``keys``) or
        without, by a method, with a first and a last year (their slots) or without.

        With ``keys``, the panels read each fact table's rows of the selected families (``ROWS``) unfiltered:
        the expressions of the panels are those of an unfiltered landscape."""
        if variant in self._compiled:
            return self._compiled[variant]
        keys, method, low, high = variant
        ctx = self.base.with_options(
            filter=LandscapeFilter(
                genai_method=method,
                year_from=YEAR_SLOTS[0] if low else None,
                year_to=YEAR_SLOTS[1] if high else None,
            ),
        )
        out: dict[str, Query] = {}
        if keys:
            for name, build in self._rows(variant).items():
                out[name] = cached_query(self._key(name, variant), self.con.name, build, SOURCES)
            opened = {
                table: ibis.table(out[temp].schema(), name=temp)
                for table, temp in ROWS.items()
                if temp in out
            }
            if self.base.tables.has(OWNER_NAMES):
                opened[OWNER_NAMES] = self.base.tables(OWNER_NAMES)
            names = frozenset(n for n in self.base.tables.names if n not in ROWS or n in opened)
            ctx = self.base.with_options(
                filter=LandscapeFilter(genai_method=method), tables=Tables(self.con, names, opened)
            )
        counts_schema = countries.by_country_year(ctx, ordered=False).schema()
        make = builders(ctx, self.top, self.window, ibis.table(counts_schema, name=COUNTS))
        wanted = [COUNTS] if any(p in _COUNTED for p in self.panels) else []
        make[COUNTS] = lambda: countries.by_country_year(ctx, ordered=False)
        make[SUMMARY] = lambda: selection_counts(ctx)
        for name in [*wanted, *self.panels, SUMMARY]:
            build = make[name]
            try:
                out[name] = cached_query(self._key(name, variant), self.con.name, build, SOURCES)
            except (LookupError, ValueError) as exc:  # a missing table, a window without dates
                self.skipped[name] = str(exc)
        self._compiled[variant] = out
        return out

    def compile(self, genai_methods: Iterable[str | None] = (None,)) -> None:
        """Compile every panel ahead of the first filter (otherwise the first ``compute`` of each variant
        of filter does it)."""
        for method in genai_methods:
            for keys in (False, True):
                for low in (False, True):
                    for high in (False, True):
                        self._compile((keys, method, low, high))

    # -- running ---------------------------------------------------------------------------------------------
    def selection_sql(self, flt: LandscapeFilter) -> str:
        """The SQL of the ``family_index`` of the families a filter keeps (in the working copies), those a
        text query finds read from ``landscape_found``: compiled once per shape of filter, its values bound
        into it."""
        shape, values = _shape(flt)
        key = (shape, bool(flt.query))
        if key not in self._selections:
            rows = self.base.with_options(filter=shape, tables=self._work_tables()).selected
            if flt.query:
                found = ibis.table({"family_key": "int64"}, name=FOUND)
                rows = rows.filter(rows.family_key.isin(found.family_key))
            rows = rows.select(INDEX)
            self._selections[key] = str(ibis.to_sql(rows, dialect=self.con.name))
        sql = _with_years(self._selections[key], flt.year_from, flt.year_to)
        for i, value in enumerate(values):
            slot = exp.Literal.string(SLOT.format(i)).sql(dialect=_SQLGLOT.get(self.con.name))
            if slot not in sql:
                raise RuntimeError(f"the selection's SQL has no slot for the value {value!r}")
            sql = sql.replace(slot, exp.Literal.string(value).sql(dialect=_SQLGLOT.get(self.con.name)))
        return sql

    def found_sql(self, query: str) -> str:
        """The SQL of the families a text query finds (``filters.query_families``), with its values bound.
        A query of words alone, on an index that is up to date, is answered from the postings and the map
        of documents to families (``landscape_doc_families``, made on the first such query): integers
        only, where the search language's SQL joins publications, members and families on their keys."""
        from patscape.search import parse
        from patscape.search.compiler import FAMILY_KEY, document_ids
        from patscape.search.engine import prepare
        from patscape.search.expressions import BackendReader, bind
        from patscape.search.index import index_state

        reader = BackendReader(self.con)
        parsed = parse(query)
        docs = document_ids(parsed, reader.dialect)
        if docs is not None and index_state(reader).fresh:  # type: ignore[arg-type]
            if not self._doc_families:
                # each indexed document's family, as the search language finds it
                create_temp(
                    self.con,
                    DOC_FAMILIES,
                    "SELECT d.doc_id, f.family_key FROM search_docs d "
                    "JOIN publications p ON p.pub_key = d.pub_key "
                    "LEFT JOIN family_members fm ON fm.pub_key = p.pub_key "
                    f"JOIN {FACTS} f ON f.family_id = {FAMILY_KEY}",
                )
                self._doc_families = True
            found = bind(docs.text, docs.params, reader.dialect)
            return f"SELECT family_key FROM {DOC_FAMILIES} WHERE doc_id IN ({found})"
        _, compiled = prepare(reader, parsed, families=True)  # type: ignore[arg-type]
        found = bind(compiled.sql, compiled.params, reader.dialect)
        return f"SELECT family_key FROM {FACTS} WHERE family_id IN ({found})"

    def compute(self, flt: LandscapeFilter | None = None) -> dict[str, Any]:
        """Panel name -> ``pyarrow.Table`` for this filter; the seconds of each step go to ``seconds``."""
        flt = flt or LandscapeFilter()
        keys = not flt.only_years()
        start = time.perf_counter()
        variant = (keys, flt.genai_method, flt.year_from is not None, flt.year_to is not None)
        compiled = {
            name: replace(query, sql=_with_years(query.sql, flt.year_from, flt.year_to))
            for name, query in self._compile(variant).items()
        }
        self.seconds = {"compile": time.perf_counter() - start}
        clock = time.perf_counter()
        if keys:
            self.prepare()
            self.seconds["prepare"] = time.perf_counter() - clock
            clock = time.perf_counter()
            if flt.query and flt.query != self._found:  # the same query as the last change: the same rows
                create_temp(self.con, FOUND, self.found_sql(flt.query))
                self._found = flt.query
            create_temp(self.con, SELECTION, self.selection_sql(flt))
        self.seconds["selection"] = time.perf_counter() - clock
        for name in ROWS.values():
            if name in compiled:
                clock = time.perf_counter()
                create_rows(self.con, name, compiled[name].sql)
                self.seconds[name] = time.perf_counter() - clock
        if COUNTS in compiled:
            clock = time.perf_counter()
            create_temp(self.con, COUNTS, compiled[COUNTS].sql)
            self.seconds[COUNTS] = time.perf_counter() - clock
        out: dict[str, Any] = {}
        for name in self.panels:
            if name not in compiled:
                continue
            clock = time.perf_counter()
            out[name] = run_sql(self.con, compiled[name].sql, compiled[name].schema())
            self.seconds[name] = time.perf_counter() - clock
        clock = time.perf_counter()
        self.empty = self._why_empty(flt, compiled, [name for name, t in out.items() if t.num_rows == 0])
        self.seconds["empty"] = time.perf_counter() - clock
        self.seconds["total"] = time.perf_counter() - start
        return out

    def _why_empty(
        self, flt: LandscapeFilter, compiled: dict[str, Query], names: list[str]
    ) -> dict[str, str]:
        """Panel -> why it has no rows, from one count of the selected families (none run when every
        panel has rows)."""
        if not names or SUMMARY not in compiled:
            return {}
        counts = run_sql(self.con, compiled[SUMMARY].sql, compiled[SUMMARY].schema()).to_pylist()[0]
        ctx = self.context(flt)
        return {name: why_empty(name, counts, ctx) for name in names}


def expressions(ctx: Landscape, names: Iterable[str] = PANELS, top: int = 20) -> dict[str, ir.Table]:
    """The panels as expressions on a landscape (no temporary tables): what ``Panels`` computes."""
    make = builders(ctx, top)
    return {name: make[name]() for name in names}


def _shape(flt: LandscapeFilter) -> tuple[LandscapeFilter, list[str]]:
    """The filter without its text query, its years in their slots (``YEAR_SLOTS``) and each of its other
    values (tags, countries, owner) a slot; and those values, in the order of the slots."""
    values: list[str] = []

    def slot(value: str) -> str:
        values.append(value)
        return SLOT.format(len(values) - 1)

    tags = []
    for tag in flt.tags:  # a taxonomy tag keeps its dimension: it decides which rows are read
        dimension, _, value = tag.partition(":")
        tags.append(f"{dimension}:{slot(value)}" if dimension in GENAI_DIMENSIONS and value else slot(tag))
    shape = replace(
        flt,
        year_from=None if flt.year_from is None else YEAR_SLOTS[0],
        year_to=None if flt.year_to is None else YEAR_SLOTS[1],
        query=None,
        tags=tuple(tags),
        countries=tuple(slot(c) for c in flt.countries),
        owner=slot(flt.owner.strip()) if flt.owner else None,
    )
    return shape, values


def _with_years(sql: str, first: int | None, last: int | None) -> str:
    """The SQL with the years in their slots."""
    for slot, year in zip(YEAR_SLOTS, (first, last), strict=True):
        if year is not None:
            sql = sql.replace(str(slot), str(int(year)))
    return sql
