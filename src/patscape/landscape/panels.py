"""The dashboard's panels for one filter after another: a library API for the web dashboard.

A filter change must update every panel in about a tenth of a second. Compiling an Ibis expression to SQL
takes longer than running it on the fact table, so each panel is compiled once (and kept in the user's cache
folder, ``store/expressions.cached_query``), over temporary tables that stand for the filter:

- the filter's first and last year: a slot each in the panels' SQL (compiled for filters with and without
  them), where the years are written as literals, checked on the year columns every fact table carries (a
  literal, unlike a value read from a table, lets DuckDB skip row groups and plan with the bound);
- ``landscape_work_*``: working copies of the fact table and its children, made once per connection, each
  row with its family's number and the bits of its countries, tags and owner groups (``copies.Copies``):
  a filter's conditions with a bit, and generative AI, are checked on each row (``Copies.masks``);
- ``landscape_selection`` (``family_index``): the families the rest of the filter keeps (genAI by a method,
  tags, countries, owner, query, dates), written once per filter change that has such a condition and is
  not answered by the masks. Its SQL is compiled once per shape of filter (which conditions, how many
  countries and tags), with a slot for each value, and the values are bound into it as SQL literals (as a
  prepared statement's parameters): compiling with Ibis takes longer than running the selection;
- ``landscape_found`` (``family_index``): the families a text query finds (the search language's SQL over its
  index, or on DuckDB its postings as masks: ``documents``), when the filter has one (kept while the next
  changes keep the query, as the selection is while they keep its conditions);
- ``landscape_selected_*`` (``ROWS``): the selected families' rows of the fact table and each child table
  (their working copies joined with the selection, or checked against the masks), which the panels read
  unfiltered: views on DuckDB
  (each panel reading one makes the join: on a million families that costs less than writing the rows of
  a large selection once, bench/README.md), temporary tables on PostgreSQL (``backends.create_rows``);
- ``KEPT``: the tables several panels derive from, written once per change and read by the panels'
  expressions in their place (``Landscape.kept``): the selection's totals per year
  (``summaries.family_summary``), its families per year and country with the sums behind the quality means
  (``summaries.country_summary``), the counts per year and country (``countries.by_country_year``), and per
  owner group (``owners.owner_summary``). Each is one pass over a table's rows, where each panel grouped
  them again (the two owner panels of "CN or US" on a million families: 62 against 38 ms, bench/README.md).

Each panel is the expression the landscape's sections use (``sections.builders``), so the tables are those
of ``build(Landscape(..., filter=f))``; ``tests/landscape/test_panels.py`` checks it on every backend.

    panels = Panels(con, year="priority", country_by="member")
    tables = panels.compute(LandscapeFilter(genai=True, countries=("CN", "US")))
    tables["owners"]            # a pyarrow.Table, sorted as the section is
    panels.seconds              # the last change: seconds per step
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from ibis.backends import BaseBackend

from patscape.landscape import countries, owners, summaries
from patscape.landscape.backends import create_rows, create_temp, run_sql
from patscape.landscape.context import Landscape
from patscape.landscape.copies import (
    COUNTRY_MASK,
    FACT_COLUMNS,
    INDEX,
    MERGED_TAGS,
    OWNER_MASK,
    SLOT,
    TAG_MASK,
    Copies,
    Masked,
    bound,
    held,
)
from patscape.landscape.empty import selection_counts, why_empty
from patscape.landscape.filters import GENAI_DIMENSIONS, SOURCE_TAGS, LandscapeFilter, tag_key
from patscape.landscape.sections import builders
from patscape.landscape.tables import (
    COUNTRIES,
    FACTS,
    FIRST,
    OWNER_NAMES,
    OWNERS,
    TAG_PAIRS,
    TAGS,
    Tables,
)
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
FAMILY_SUMMARY_TABLE = "landscape_family_summary"
COUNTRY_SUMMARY_TABLE = "landscape_country_summary"
COUNTS_TABLE = "landscape_country_counts"
OWNER_SUMMARY_TABLE = "landscape_owner_summary"
_COUNTED = frozenset({"countries", "country_totals", "china_vs_world", "growth"})
_OWNED = frozenset({"owners", "owner_quality"})
# the tables several panels derive from (``Landscape.kept``), written once per filter change in this order
# (each may read the ones before it): the panels reading each (a panel's SQL depends on which are kept:
# they are part of its compiled key)
KEPT = {
    FAMILY_SUMMARY_TABLE: _COUNTED | _OWNED | {"country_quality", "year_totals"},
    COUNTRY_SUMMARY_TABLE: _COUNTED | {"country_quality"},
    COUNTS_TABLE: _COUNTED,
    OWNER_SUMMARY_TABLE: _OWNED,
}
# sections that read the stored fact table beyond the selected families' rows (the per-family quality table
# ranks each family in its cohort of every family): for a filter beyond the years, built from the filter's
# landscape itself (compiled each time: for the report and the command, not the dashboard)
WHOLE = frozenset({"quality"})
SUMMARY = "selection_counts"  # the selected families and what the panels need (run when a panel is empty)
FOUND = "landscape_found"
# each indexed document's family number (one per connection: the family numbers are every basis')
DOC_FAMILIES = "landscape_doc_families"
# the selected families' rows of each fact table (``backends.create_rows``), per change with conditions beyond
# the years
ROWS = {
    FACTS: "landscape_selected_facts",
    COUNTRIES: "landscape_selected_countries",
    OWNERS: "landscape_selected_owners",
    TAGS: "landscape_selected_tags",
    TAG_PAIRS: "landscape_selected_tag_pairs",  # from the tags merged over the methods only
}
# in the rows' SQL: the countries' bits, the tags' bits, the owner groups' bits, the last family number the
# filter can keep (the owners' slot came last: the others kept their numbers)
MASK_SLOTS = (8123456703, 8123456704, 8123456706, 8123456705)
YEAR_SLOTS = (8123456701, 8123456702)  # the first and the last year in the panels' SQL
SOURCES = tuple(Path(__file__).parent.glob("*.py"))  # the code the compiled panels come from
_Variant = tuple[bool, str | None, bool, bool]  # conditions beyond the years, method, first year, last year
# how the rows are selected beyond a bound on the family numbers: joined with the selection, by the
# countries' bits, by the tags' bits, by the owner groups' bits
_Shape = tuple[bool, bool, bool, bool]
_BY_SELECTION: _Shape = (True, False, False, False)
_SHAPES: tuple[_Shape, ...] = tuple(itertools.product((False, True), repeat=4))  # type: ignore[arg-type]


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
    # the filters whose tables are kept, the most recent: a return to one of them is answered at once (the
    # web dashboard's; the tables hold the data as the working copies do)
    remember: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # the last compute: seconds per step
    skipped: dict[str, str] = field(default_factory=dict)
    empty: dict[str, str] = field(default_factory=dict)  # the last compute: panel -> why it has no rows
    _compiled: dict[_Variant, dict[str, Query]] = field(default_factory=dict, repr=False)
    _compiled_rows: dict[tuple[_Shape, bool, bool, bool], dict[str, Query]] = field(
        default_factory=dict, repr=False
    )
    _selections: dict[tuple[LandscapeFilter, bool], str] = field(default_factory=dict, repr=False)
    _by_document: np.ndarray | None = field(default=None, repr=False)  # ``_family_by_document``
    _one_family: bool = field(default=True, repr=False)  # every document in one family
    _tags_last: int | None = field(default=None, repr=False)  # ``_tag_rows_last``
    _remembered: OrderedDict[LandscapeFilter, tuple[dict[str, Any], dict[str, str]]] = field(
        default_factory=OrderedDict, repr=False
    )

    def __post_init__(self) -> None:
        self.base = Landscape(
            self.con,
            year=self.year,  # type: ignore[arg-type]
            country_by=self.country_by,  # type: ignore[arg-type]
            fractional=self.fractional,
            as_of=self.as_of,
            tables=self.tables,  # type: ignore[arg-type]
        )

    @cached_property
    def copies(self) -> Copies:
        """The working copies the panels read for filters beyond the years."""
        return Copies(self.con, self.base, self.country_by)

    def prepare(self) -> None:
        """Make the working copies on the connection, unless they are there, and read what the panels
        need of them (the first filter with conditions beyond the years does it otherwise): on DuckDB with
        an index up to date, the array of documents to families too, which the first text query made (0.4 s
        of it on a million families)."""
        self.copies.prepare()
        if self.base.tables.has(TAGS):
            self._tag_rows_last()
        if self.con.name == "duckdb" and self._index_fresh():
            self._family_by_document()

    def masks(self, flt: LandscapeFilter) -> tuple[Masked, LandscapeFilter]:
        """The filter's conditions answered by the copies' masks, and the rest (``Copies.masks``)."""
        return self.copies.masks(flt)

    def context(self, flt: LandscapeFilter) -> Landscape:
        """The landscape of the filter (for its description, or to build other expressions on it)."""
        return self.base.with_options(filter=flt)

    # -- compiling ---------------------------------------------------------------------------------------
    def _key(self, name: str, variant: _Variant, kept: Iterable[str]) -> str:
        c = self.base.completeness
        keys, method, low, high = variant
        years = f"{low},{high}" if not keys else "in the rows"
        return (
            f"panel {name} year={self.year} basis={self.country_by} fractional={self.fractional} "
            f"top={self.top} window={self.window} method={method} keys={keys} years={years} "
            f"completeness={c.basis},{c.reference},{c.lag_years} kept={sorted(kept)}"
        )

    def _rows_key(self, name: str, shape: _Shape, low: bool, high: bool, merged: bool) -> str:
        sources = "source_categories" in self.panels  # the tags' rows then hold the sources' too
        return (
            f"rows {name} year={self.year} basis={self.country_by} shape={shape} years={low},{high} "
            f"sources={sources} merged={merged}"
        )

    # -- the selected rows -------------------------------------------------------------------------------
    def _rows(self, shape: _Shape, low: bool, high: bool, merged: bool) -> dict[str, Callable[[], ir.Table]]:
        """Temporary table -> the expression of its rows: the selected families' rows of the fact table and
        of each child table the panels read (their own columns: a landscape over them recomputes the year),
        from the working copies joined with the selection or checked against the masks (``shape``), and
        within the filter's years (the same bound on each table's own year: DuckDB skips row groups by
        it). ``merged``: the tags' rows from their copy merged over the methods (``copies.MERGED_TAGS``),
        for a filter without a method."""
        by_selection, countries, tags, owners = shape
        work = self.copies.tables
        selection = ibis.table({INDEX: "int32"}, name=SELECTION)
        year = f"{self.year}_year"

        def selected(table: str, own: tuple[str, ...], dimensions: tuple[str, ...] = ()) -> ir.Table:
            rows = work(table)
            if table == TAGS and merged:
                rows = ibis.table(self.copies.rows[MERGED_TAGS].schema(), name=MERGED_TAGS)
            if low:
                rows = rows.filter(rows[year] >= YEAR_SLOTS[0])
            if high:
                rows = rows.filter(rows[year] <= YEAR_SLOTS[1])
            if dimensions:
                rows = rows.filter(rows.dimension.isin(dimensions))
            rows = rows.filter(rows[INDEX] <= MASK_SLOTS[3])
            if countries:
                rows = rows.filter((rows[COUNTRY_MASK.format(basis=self.country_by)] & MASK_SLOTS[0]) != 0)
            if tags:
                rows = rows.filter((rows[TAG_MASK] & MASK_SLOTS[1]) == MASK_SLOTS[1])
            if owners:
                rows = rows.filter((rows[OWNER_MASK] & MASK_SLOTS[2]) != 0)
            if by_selection:
                rows = rows.join(selection, INDEX)
            return rows.select(*own)

        t = self.base.tables
        out: dict[str, Callable[[], ir.Table]] = {ROWS[FACTS]: lambda: selected(FACTS, FACT_COLUMNS)}
        if t.has(COUNTRIES):
            out[ROWS[COUNTRIES]] = lambda: selected(COUNTRIES, tuple(t(COUNTRIES).columns))
        if t.has(OWNERS):
            out[ROWS[OWNERS]] = lambda: selected(OWNERS, tuple(t(OWNERS).columns))
        if t.has(TAGS):
            own = (*t(TAGS).columns, *((FIRST,) if merged else ()))
            out[ROWS[TAGS]] = lambda: selected(TAGS, own, self._tag_dimensions())
            if merged:
                out[ROWS[TAG_PAIRS]] = lambda: selected(TAG_PAIRS, tuple(work(TAG_PAIRS).columns))
        return out

    def _compile_rows(self, shape: _Shape, low: bool, high: bool, merged: bool) -> dict[str, Query]:
        """The SQL of the selected families' rows (``ROWS``) for one shape of selection and of years, the
        tags merged over the methods or not."""
        key = (shape, low, high, merged)
        if key not in self._compiled_rows:
            self._compiled_rows[key] = {
                name: cached_query(self._rows_key(name, *key), self.con.name, build, SOURCES)
                for name, build in self._rows(*key).items()
            }
        return self._compiled_rows[key]

    def _compile(self, variant: _Variant) -> dict[str, Query]:
        """The panels' SQL for one variant of filter: with conditions beyond the years (``keys``) or
        without, by a method, with a first and a last year (their slots) or without.

        With ``keys``, the panels read each fact table's rows of the selected families (``ROWS``) unfiltered:
        the expressions of the panels are those of an unfiltered landscape, whichever way the rows are
        selected."""
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
            rows = self._compile_rows(_BY_SELECTION, low, high, merged=method is None)
            opened = {
                table: ibis.table(rows[temp].schema(), name=temp)
                for table, temp in ROWS.items()
                if temp in rows
            }
            if self.base.tables.has(OWNER_NAMES):
                opened[OWNER_NAMES] = self.base.tables(OWNER_NAMES)
            names = (self.base.tables.names - ROWS.keys()) | opened.keys()
            ctx = self.base.with_options(
                filter=LandscapeFilter(genai_method=method),
                tables=Tables(self.con, names, opened, merged_tags=method is None),
            )
        start, end = self.window or (None, None)
        kept: dict[str, tuple[str, Callable[[Landscape], ir.Table]]] = {  # in the order of ``KEPT``
            FAMILY_SUMMARY_TABLE: (summaries.FAMILY_SUMMARY, summaries.family_summary),
            COUNTRY_SUMMARY_TABLE: (summaries.COUNTRY_SUMMARY, summaries.country_summary),
            COUNTS_TABLE: (countries.COUNTS, lambda c: countries.by_country_year(c, ordered=False)),
            OWNER_SUMMARY_TABLE: (
                owners.OWNER_SUMMARY.format(owners.growth_window(ctx, start, end)),
                lambda c: owners.owner_summary(c, start, end),
            ),
        }
        for temp, (name, build_kept) in kept.items():
            if not KEPT[temp] & set(self.panels):
                continue
            try:  # each reads the ones before it as they are kept
                expr = build_kept(ctx)
                key = self._key(temp, variant, ctx.kept)
                out[temp] = cached_query(key, self.con.name, lambda e=expr: e, SOURCES)
            except (LookupError, ValueError):  # a missing table: the panels reading it are skipped below
                continue
            ctx = ctx.with_options(kept={**ctx.kept, name: ibis.table(expr.schema(), name=temp)})
        make = builders(ctx, self.top, self.window)
        make[SUMMARY] = lambda: selection_counts(ctx)
        for name in [*self.panels, SUMMARY]:
            if keys and name in WHOLE:
                continue
            build = make[name]
            try:
                out[name] = cached_query(self._key(name, variant, ctx.kept), self.con.name, build, SOURCES)
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
        for low in (False, True):
            for high in (False, True):
                for shape in _SHAPES:
                    for merged in (False, True):
                        self._compile_rows(shape, low, high, merged)

    # -- running ---------------------------------------------------------------------------------------------
    def selection_sql(self, flt: LandscapeFilter) -> str:
        """The SQL of the ``family_index`` of the families a filter keeps (in the working copies), those a
        text query finds read from ``landscape_found``: compiled once per shape of filter, its values bound
        into it."""
        shape, values = _shape(flt)
        key = (shape, bool(flt.query))
        if key not in self._selections:
            rows = self.base.with_options(filter=shape, tables=self.copies.tables).selected
            if flt.query:
                found = ibis.table({INDEX: "int32"}, name=FOUND)
                rows = rows.filter(rows[INDEX].isin(found[INDEX]))
            rows = rows.select(INDEX)
            self._selections[key] = str(ibis.to_sql(rows, dialect=self.con.name))
        return bound(_with_years(self._selections[key], flt.year_from, flt.year_to), values, self.con.name)

    def found_sql(self, query: str) -> str:
        """The SQL of the families a text query finds (``filters.query_families``), with its values bound.
        A query of words alone, on an index that is up to date, is answered from the postings and the map
        of documents to families (``landscape_doc_families``, made on the first such query): integers
        only, where the search language's SQL joins publications, members and families on their keys."""
        from patscape.search import parse
        from patscape.search.engine import prepare
        from patscape.search.expressions import BackendReader, bind

        docs = self.documents_sql(query)
        if docs is not None:
            return f"SELECT DISTINCT {INDEX} FROM {self._doc_families()} WHERE doc_id IN ({docs})"
        reader = BackendReader(self.con)
        _, compiled = prepare(reader, parse(query), families=True)  # type: ignore[arg-type]
        found = bind(compiled.sql, compiled.params, reader.dialect)
        return f"SELECT {INDEX} FROM {self.copies.name(FACTS)} WHERE family_id IN ({found})"

    def documents_sql(self, query: str) -> str | None:
        """The SQL of the ``doc_id`` of the indexed documents a query of words alone finds, its values
        bound (``search.compiler.document_ids``); None for another query, or an index that was not up to
        date when the connection first asked."""
        from patscape.search import parse
        from patscape.search.compiler import document_ids
        from patscape.search.expressions import BackendReader, bind

        reader = BackendReader(self.con)
        docs = document_ids(parse(query), reader.dialect)
        if docs is None or not self._index_fresh():
            return None
        return bind(docs.text, docs.params, reader.dialect)

    def documents(self, query: str) -> np.ndarray | None:
        """The indexed documents with a family that a query of words alone finds, as a mask over the
        ``doc_id`` of ``_family_by_document`` (DuckDB): each leaf's postings read into a mask, and AND, OR
        and NOT done on the masks, where ``documents_sql``'s INTERSECT hashes every document id ("neural
        network": its families written in 18 against 43 ms on a million families). None when
        ``documents_sql`` is, or when the array of documents to families is."""
        from patscape.search import parse
        from patscape.search.compiler import DocumentAlgebra, document_ids, document_sets
        from patscape.search.expressions import BackendReader, bind
        from patscape.search.sqlparts import Sql

        reader = BackendReader(self.con)
        parsed = parse(query)
        # a query of words alone? asked of the SQL algebra first: the masks' leaves run as they are met
        if document_ids(parsed, reader.dialect) is None or not self._index_fresh():
            return None
        by_document = self._family_by_document()
        if by_document is None:
            return None
        universe = by_document >= 0  # the documents with a family: NOT is within them

        def leaf(part: Sql) -> np.ndarray:
            ids = self.con.con.execute(bind(part.text, part.params, reader.dialect)).fetchnumpy()["doc_id"]
            mask = np.zeros(len(universe), dtype=bool)
            mask[ids[ids < len(universe)]] = True
            return mask

        masks = DocumentAlgebra[np.ndarray](
            leaf=leaf,
            every_but=lambda inner: universe & ~inner,
            all_of=lambda parts: np.logical_and.reduce(parts),
            any_of=lambda parts: np.logical_or.reduce(parts),
        )
        return document_sets(parsed, masks, reader.dialect)

    def _index_fresh(self) -> bool:
        """Whether the search index was up to date when the connection first asked (``Held``)."""
        from patscape.search.expressions import BackendReader
        from patscape.search.index import index_state

        state = held(self.con)
        if state.index_fresh is None:
            state.index_fresh = index_state(BackendReader(self.con)).fresh  # type: ignore[arg-type]
        return state.index_fresh

    def _doc_families(self) -> str:
        """The map of each indexed document to its family's number, made on the connection once."""
        from patscape.search.compiler import FAMILY_KEY

        name = DOC_FAMILIES
        made = held(self.con).made
        if name not in made:
            # each indexed document's family, as the search language finds it
            create_temp(
                self.con,
                name,
                f"SELECT d.doc_id, f.{INDEX} FROM search_docs d "
                "JOIN publications p ON p.pub_key = d.pub_key "
                "LEFT JOIN family_members fm ON fm.pub_key = p.pub_key "
                f"JOIN {self.copies.name(FACTS)} f ON f.family_id = {FAMILY_KEY}",
            )
            made.add(name)
        return name

    def write_found(self, query: str) -> None:
        """``landscape_found``: the families a text query finds (``found_sql``).

        On DuckDB a query of words alone finds its documents as a mask (``documents``) and looks their
        families up in an array of the map of documents to families, then writes them from Arrow, sorted:
        the join with the map and its DISTINCT took most of the time ("image": 63 against 16 ms on a
        million families, bench/README.md)."""
        found = self.documents(query) if self.con.name == "duckdb" else None
        if found is None or self._by_document is None:
            create_temp(self.con, FOUND, self.found_sql(query))
            return
        numbers = self._by_document[found]
        kept = np.zeros(self.copies.families, dtype=bool)
        kept[numbers[numbers >= 0]] = True  # a leaf's documents may lack a family
        families = pa.table({INDEX: pa.array(np.flatnonzero(kept).astype(np.int32))})
        view = f"{FOUND}_arrow"
        self.con.con.register(view, families)
        try:
            create_temp(self.con, FOUND, f"SELECT {INDEX} FROM {view}")
        finally:
            self.con.con.unregister(view)

    def _family_by_document(self) -> np.ndarray | None:
        """The map of documents to families as an array: a document's family number at its ``doc_id``, -1
        where none; None when a document is in two families (no key declares otherwise: the SQL then)."""
        if self._by_document is None:
            rows = self.con.con.execute(f"SELECT doc_id, {INDEX} FROM {self._doc_families()}").fetchnumpy()
            ids = rows["doc_id"]
            self._by_document = np.full(int(ids.max()) + 1 if len(ids) else 0, -1, dtype=np.int32)
            self._by_document[ids] = rows[INDEX]
            # a document given two families keeps the last: its other row then reads another number
            self._one_family = bool(np.array_equal(self._by_document[ids], rows[INDEX]))
        return self._by_document if self._one_family else None

    def _select(self, flt: LandscapeFilter) -> dict[str, str]:
        """Temporary table (``ROWS``) -> the SQL of the rows of the families the filter keeps: checked
        against the copies' masks (``masks``) and joined with the selection of the other conditions, which
        this writes when there are any."""
        masks, rest = self.masks(flt)
        # the rows are kept within the years by each table's own year: the selection needs them not
        rest = replace(rest, year_from=None, year_to=None)
        written = held(self.con).written
        if not rest.is_empty() and written.get(SELECTION) != (self.year, self.country_by, rest):
            if rest.query and written.get(FOUND) != (self.country_by, rest.query):
                self.write_found(rest.query)
                written[FOUND] = (self.country_by, rest.query)
            only_query = rest.query and replace(rest, query=None).is_empty()
            sql = f"SELECT {INDEX} FROM {FOUND}" if only_query else self.selection_sql(rest)
            create_temp(self.con, SELECTION, sql)
            written[SELECTION] = (self.year, self.country_by, rest)
        shape = (
            not rest.is_empty(),
            masks.countries is not None,
            masks.tags is not None,
            masks.owners is not None,
        )
        out = {}
        for name, query in self._compile_rows(
            shape, flt.year_from is not None, flt.year_to is not None, merged=flt.genai_method is None
        ).items():
            # the tags' rows the panels read end at a family number read from the copy (the taxonomy tags
            # the generative-AI families, numbered first): a bound DuckDB carries through the join to the
            # selection, whose hash table it makes smaller (model x mode and applications of a text
            # query: 35 -> 31 ms on a million families)
            tags = name in (ROWS[TAGS], ROWS[TAG_PAIRS])
            last = min(masks.last, self._tag_rows_last()) if tags else masks.last
            wanted = (masks.countries or 0, masks.tags or 0, masks.owners or 0, last)
            sql = _with_years(query.sql, flt.year_from, flt.year_to)
            for slot, value in zip(MASK_SLOTS, wanted, strict=True):
                sql = sql.replace(str(slot), str(value))
            out[name] = sql
        return out

    def _tag_rows_last(self) -> int:
        """The last family number of the tags' rows the panels read (``_rows``), read once."""
        if self._tags_last is None:
            rows = run_sql(
                self.con,
                f"SELECT max({INDEX}) AS last FROM {self.copies.name(TAGS)} "
                f"WHERE dimension IN ({', '.join(repr(d) for d in self._tag_dimensions())})",
                ibis.schema({"last": "int64"}),
            )
            found = rows["last"][0].as_py()
            self._tags_last = -1 if found is None else found
        return self._tags_last

    def _tag_dimensions(self) -> tuple[str, ...]:
        """The dimensions of the tags the panels read: the taxonomy's, and the sources' categories only
        for the panel that counts them (CSET gives many per family)."""
        if "source_categories" in self.panels:
            return (*GENAI_DIMENSIONS, SOURCE_TAGS)
        return GENAI_DIMENSIONS

    def compute(self, flt: LandscapeFilter | None = None) -> dict[str, Any]:
        """Panel name -> ``pyarrow.Table`` for this filter; the seconds of each step go to ``seconds``."""
        flt = flt or LandscapeFilter()
        start = time.perf_counter()
        if self.remember and flt in self._remembered:
            tables, empty = self._remembered[flt]
            self._remembered.move_to_end(flt)
            self.empty = dict(empty)
            self.seconds = {"remembered": time.perf_counter() - start}
            self.seconds["total"] = self.seconds["remembered"]
            return dict(tables)
        # no filter at all: on DuckDB the copies, once these panels have read them, answer it faster than
        # the stored tables (the tags merged over the methods: "all families" on a million, 140 -> 125 ms;
        # PostgreSQL would write every row); with years, the stored tables, ordered by year, do
        keys = not flt.only_years() or (
            flt.is_empty() and self.copies.bits is not None and self.con.name == "duckdb"
        )
        variant = (keys, flt.genai_method, flt.year_from is not None, flt.year_to is not None)
        compiled = {
            name: replace(query, sql=_with_years(query.sql, flt.year_from, flt.year_to))
            for name, query in self._compile(variant).items()
        }
        self.seconds = {"compile": time.perf_counter() - start}
        clock = time.perf_counter()
        rows: dict[str, str] = {}
        if keys:
            self.prepare()
            self.seconds["prepare"] = time.perf_counter() - clock
            clock = time.perf_counter()
            rows = self._select(flt)
        self.seconds["selection"] = time.perf_counter() - clock
        for name, sql in rows.items():
            clock = time.perf_counter()
            create_rows(self.con, name, sql)
            self.seconds[name] = time.perf_counter() - clock
        for name in KEPT:
            if name in compiled:
                clock = time.perf_counter()
                create_temp(self.con, name, compiled[name].sql)
                self.seconds[name] = time.perf_counter() - clock
        out: dict[str, Any] = {}
        for name in self.panels:
            clock = time.perf_counter()
            if keys and name in WHOLE and name not in self.skipped:
                out[name] = expressions(self.context(flt), [name], self.top, self.window)[name].to_pyarrow()
            elif name in compiled:
                out[name] = run_sql(self.con, compiled[name].sql, compiled[name].schema())
            else:
                continue
            self.seconds[name] = time.perf_counter() - clock
        clock = time.perf_counter()
        self.empty = self._why_empty(flt, compiled, [name for name, t in out.items() if t.num_rows == 0])
        self.seconds["empty"] = time.perf_counter() - clock
        self.seconds["total"] = time.perf_counter() - start
        if self.remember:
            self._remembered[flt] = (dict(out), dict(self.empty))
            while len(self._remembered) > self.remember:
                self._remembered.popitem(last=False)
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


def expressions(
    ctx: Landscape,
    names: Iterable[str] = PANELS,
    top: int = 20,
    window: tuple[int, int] | None = None,
) -> dict[str, ir.Table]:
    """The panels as expressions on a landscape (no temporary tables): what ``Panels`` computes."""
    make = builders(ctx, top, window)
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
        dimension, value = tag_key(tag)
        tags.append(slot(tag) if dimension == SOURCE_TAGS else f"{dimension}:{slot(value)}")
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
