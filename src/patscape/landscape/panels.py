"""The dashboard's panels for one filter after another: a library API for the web dashboard.

A filter change must update every panel in about a tenth of a second. Compiling an Ibis expression to SQL
takes longer than running it on the fact table, so each panel is compiled once (and kept in the user's cache
folder, ``store/expressions.cached_query``), over temporary tables that stand for the filter:

- ``landscape_years``: one row, the filter's first and last year (NULL: none), checked on the year columns
  every fact table carries;
- ``landscape_selection`` (``family_key``): the families the rest of the filter keeps (genAI, tags,
  countries, owner, query, dates), written once per filter change that has such a condition. Its SQL is
  compiled once per shape of filter (which conditions, how many countries and tags), with a slot for each
  value, and the values are bound into it as SQL literals (as a prepared statement's parameters): compiling
  with Ibis takes longer than running the selection;
- ``landscape_found`` (``family_key``): the families a text query finds (the search language's SQL over its
  index), when the filter has one;
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
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend
from sqlglot import exp

from patscape.landscape import countries
from patscape.landscape.backends import create_temp, run_sql
from patscape.landscape.context import Landscape
from patscape.landscape.filters import GENAI_DIMENSIONS, LandscapeFilter
from patscape.landscape.sections import builders
from patscape.landscape.tables import FACTS
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
YEARS = "landscape_years"
COUNTS = "landscape_country_counts"
FOUND = "landscape_found"
SLOT = "patscape-slot-{}"  # a value of the filter in the selection's SQL, compiled once per shape of filter
_SQLGLOT = {"duckdb": "duckdb", "postgres": "postgres", "pyspark": "spark"}
SOURCES = tuple(Path(__file__).parent.glob("*.py"))  # the code the compiled panels come from
_COUNTED = frozenset({"countries", "country_totals", "china_vs_world", "growth"})


@dataclass(eq=False)
class Panels:
    """Every panel of the dashboard for a filter, on one backend, with the counting options fixed.

    Making one reads the catalog and the data's reference date; ``compute`` runs the panels. A panel whose
    table is missing (no owners, no labels) is left out and named in ``skipped``."""

    con: BaseBackend
    year: str = "publication"
    country_by: str = "inventor"
    fractional: bool = False
    top: int = 20
    window: tuple[int, int] | None = None
    as_of: dt.date | None = None
    panels: tuple[str, ...] = PANELS
    seconds: dict[str, float] = field(default_factory=dict)  # the last compute: seconds per step
    skipped: dict[str, str] = field(default_factory=dict)
    _compiled: dict[tuple[bool, str | None], dict[str, Query]] = field(default_factory=dict, repr=False)
    _selections: dict[tuple[LandscapeFilter, bool], str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.base = Landscape(
            self.con,
            year=self.year,  # type: ignore[arg-type]
            country_by=self.country_by,  # type: ignore[arg-type]
            fractional=self.fractional,
            as_of=self.as_of,
        )

    def context(self, flt: LandscapeFilter) -> Landscape:
        """The landscape of the filter (for its description, or to build other expressions on it)."""
        return self.base.with_options(filter=flt)

    # -- compiling ---------------------------------------------------------------------------------------
    def _key(self, name: str, keys: bool, genai_method: str | None) -> str:
        c = self.base.completeness
        return (
            f"panel {name} year={self.year} basis={self.country_by} fractional={self.fractional} "
            f"top={self.top} window={self.window} method={genai_method} keys={keys} "
            f"completeness={c.basis},{c.reference},{c.lag_years}"
        )

    def _compile(self, keys: bool, genai_method: str | None) -> dict[str, Query]:
        """The panels' SQL, for filters with conditions beyond the years (``keys``) or without."""
        if (keys, genai_method) in self._compiled:
            return self._compiled[(keys, genai_method)]
        ctx = self.base.with_options(
            filter=LandscapeFilter(genai_method=genai_method),
            years=ibis.table({"year_from": "int64", "year_to": "int64"}, name=YEARS),
            selection=ibis.table({"family_key": "int64"}, name=SELECTION) if keys else None,
        )
        counts_schema = countries.by_country_year(ctx, ordered=False).schema()
        make = builders(ctx, self.top, self.window, ibis.table(counts_schema, name=COUNTS))
        out: dict[str, Query] = {}
        wanted = [COUNTS] if any(p in _COUNTED for p in self.panels) else []
        for name in [*wanted, *self.panels]:
            build = (lambda: countries.by_country_year(ctx, ordered=False)) if name == COUNTS else make[name]
            try:
                out[name] = cached_query(self._key(name, keys, genai_method), self.con.name, build, SOURCES)
            except (LookupError, ValueError) as exc:  # a missing table, a window without dates
                self.skipped[name] = str(exc)
        self._compiled[(keys, genai_method)] = out
        return out

    def compile(self, genai_methods: Iterable[str | None] = (None,)) -> None:
        """Compile every panel ahead of the first filter (otherwise the first ``compute`` does it)."""
        for method in genai_methods:
            for keys in (False, True):
                self._compile(keys, method)

    # -- running ---------------------------------------------------------------------------------------------
    def selection_sql(self, flt: LandscapeFilter) -> str:
        """The SQL of the families a filter keeps but for its years (which every panel checks) and its
        text query (``landscape_found``): compiled once per shape of filter, the values bound into it."""
        shape, values = _shape(flt)
        key = (shape, bool(flt.query))
        if key not in self._selections:
            keys = self.context(shape).selected_keys()
            if flt.query:
                found = ibis.table({"family_key": "int64"}, name=FOUND)
                keys = keys.filter(keys.family_key.isin(found.family_key))
            self._selections[key] = str(ibis.to_sql(keys, dialect=self.con.name))
        sql = self._selections[key]
        for i, value in enumerate(values):
            slot = exp.Literal.string(SLOT.format(i)).sql(dialect=_SQLGLOT.get(self.con.name))
            if slot not in sql:
                raise RuntimeError(f"the selection's SQL has no slot for the value {value!r}")
            sql = sql.replace(slot, exp.Literal.string(value).sql(dialect=_SQLGLOT.get(self.con.name)))
        return sql

    def found_sql(self, query: str) -> str:
        """The SQL of the families a text query finds (``filters.query_families``), with its values bound."""
        from patscape.search.engine import prepare
        from patscape.search.expressions import BackendReader, bind

        reader = BackendReader(self.con)
        _, compiled = prepare(reader, query, families=True)  # type: ignore[arg-type]
        found = bind(compiled.sql, compiled.params, reader.dialect)
        return f"SELECT family_key FROM {FACTS} WHERE family_id IN ({found})"

    def compute(self, flt: LandscapeFilter | None = None) -> dict[str, Any]:
        """Panel name -> ``pyarrow.Table`` for this filter; the seconds of each step go to ``seconds``."""
        flt = flt or LandscapeFilter()
        keys = not flt.only_years()
        start = time.perf_counter()
        compiled = self._compile(keys, flt.genai_method)
        self.seconds = {"compile": time.perf_counter() - start}
        clock = time.perf_counter()
        bounds = ", ".join(
            f"CAST({'NULL' if y is None else int(y)} AS BIGINT) AS {name}"
            for name, y in (("year_from", flt.year_from), ("year_to", flt.year_to))
        )
        create_temp(self.con, YEARS, f"SELECT {bounds}")
        if keys:
            if flt.query:
                create_temp(self.con, FOUND, self.found_sql(flt.query))
            create_temp(self.con, SELECTION, self.selection_sql(flt))
        self.seconds["selection"] = time.perf_counter() - clock
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
        self.seconds["total"] = time.perf_counter() - start
        return out


def expressions(ctx: Landscape, names: Iterable[str] = PANELS, top: int = 20) -> dict[str, ir.Table]:
    """The panels as expressions on a landscape (no temporary tables): what ``Panels`` computes."""
    make = builders(ctx, top)
    return {name: make[name]() for name in names}


def _shape(flt: LandscapeFilter) -> tuple[LandscapeFilter, list[str]]:
    """The filter without its years and text query, each of its other values (tags, countries, owner) a
    slot; and the values, in the order of the slots."""
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
        year_from=None,
        year_to=None,
        query=None,
        tags=tuple(tags),
        countries=tuple(slot(c) for c in flt.countries),
        owner=slot(flt.owner.strip()) if flt.owner else None,
    )
    return shape, values
