"""The working copies of the fact tables that the dashboard's panels read (``panels.Panels``), numbered and
masked.

- ``landscape_work_*`` (``WORK``): working copies of the fact table (``FACT_COLUMNS``) and its children
  (shared by every basis; the countries' one per basis), made once per connection on the first filter with
  conditions beyond the years (``Copies.prepare``), compressed (``backends.create_kept``: a sixth less time
  per filter change, a third of the memory), each row with its family's ``family_index``: the
  families numbered 0..n-1. Joined with a selection of such dense numbers, DuckDB looks each row up in a
  table addressed by the number, where a semi-join on the 63-bit ``family_key`` probes a hash table (alone,
  30 against 70 ms for a million families' countries and three quarters of them selected; a fifth less
  time per filter change in all, bench/README.md). A connection's copies hold the data as they were when
  made (the web application makes a new Ibis backend, and so new copies, when the data change);
- each copy's rows also carry their family's masks: a bit for each of the ``MASK_BITS`` countries held by
  most families on each basis, for each of the tags held by most, and for each of the owner groups owning
  most (``landscape_work_*_bits``). A filter's countries, tags and owner (its groups, by id or name) with a
  bit, and generative AI (by any method: the generative-AI families are numbered first, so it is a bound on
  the numbers), are conditions on each row (``mask & wanted``, ``Copies.masks``) that the scan checks,
  where a selection would be a join (for "CN or US" on a million families, half the time,
  bench/README.md).
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field, replace
from functools import cached_property

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend
from sqlglot import exp

from patscape.landscape.backends import create_kept, run_sql
from patscape.landscape.context import COUNTRY_BASES, Landscape
from patscape.landscape.filters import GENAI_DIMENSIONS, SOURCE_TAGS, LandscapeFilter, owner_groups, tag_key
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

# the columns of the fact rows the panels read (fewer columns: less to write per change)
FACT_COLUMNS = (
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
# the working copies of the fact tables (``Copies.prepare``): shared by the panels of every basis, the
# countries' one per basis
WORK = {
    FACTS: "landscape_work_facts",
    COUNTRIES: "landscape_work_countries_{basis}",
    OWNERS: "landscape_work_owners",
    TAGS: "landscape_work_tags",
    TAG_PAIRS: "landscape_work_tag_pairs",
}
# the tags' working copy merged over the methods (each family's tags once, ``method`` NULL, ``FIRST``
# on its first tag of each dimension): what the panels read for a filter without a method, whose taxonomy
# tables then need no DISTINCT (``Tables.merged_tags``; model × mode and applications of "CN or US" on a
# million families: 31 -> 19 and 16 -> 10 ms, bench/README.md) and count the tagged families without one
MERGED_TAGS = "landscape_work_tags_merged"
# the countries (of each basis), the tags and the owner groups with a bit in the copies' masks: their
# columns, and bit
BITS = {
    COUNTRIES: "landscape_work_country_bits",
    TAGS: "landscape_work_tag_bits",
    OWNERS: "landscape_work_owner_bits",
}
BIT_KEYS = {COUNTRIES: ("basis", "country"), TAGS: ("dimension", "tag"), OWNERS: ("group_id",)}
MASK_BITS = 63  # the bits of a BIGINT but its sign
# a copy row's family: the bits of its countries on each basis, of its tags, of its owner groups
COUNTRY_MASK = "country_mask_{basis}"
TAG_MASK = "tag_mask"
OWNER_MASK = "owner_mask"
MASK_COLUMNS = (*(COUNTRY_MASK.format(basis=b) for b in COUNTRY_BASES), TAG_MASK, OWNER_MASK)


@dataclass
class Held:
    """What a connection's temporary tables hold: the tables made once (the working copies), and what each
    table rewritten per filter change was last written for (by any ``Panels`` on the connection)."""

    made: set[str] = field(default_factory=set)
    written: dict[str, object] = field(default_factory=dict)
    # whether the search index was up to date when first asked (a query of words is then read from its
    # postings): asked once, as the copies hold the data as they were when made (3 ms a text query)
    index_fresh: bool | None = None


# per connection (by identity: backends compare equal by their database)
_HELD: dict[int, Held] = {}


def held(con: BaseBackend) -> Held:
    """What the connection's temporary tables hold."""
    found = _HELD.get(id(con))
    if found is None:
        found = _HELD[id(con)] = Held()
        weakref.finalize(con, _HELD.pop, id(con), None)
    return found


SLOT = "patscape-slot-{}"  # a value of a filter in compiled SQL (``bound``)
_SQLGLOT = {"duckdb": "duckdb", "postgres": "postgres", "pyspark": "spark"}


@dataclass(frozen=True)
class Masked:
    """A filter as conditions on each row of the working copies: its family's number at most ``last`` (the
    generative-AI families are numbered first; a tag held by them alone is too), any of ``countries``' bits,
    all of ``tags``' bits, any of ``owners``' bits (the groups an owner names)."""

    last: int
    countries: int | None = None
    tags: int | None = None
    owners: int | None = None


@dataclass(eq=False)
class Copies:
    """The working copies of one landscape's fact tables for the panels of one country basis: their
    expressions, their making (``prepare``), and the values with a bit in their masks (``bits``, read by
    ``prepare``), by which ``masks`` turns a filter into conditions on each row."""

    con: BaseBackend
    base: Landscape
    country_by: str
    # child table -> value -> (its bit, the last family number holding it)
    bits: dict[str, dict[tuple[str, ...], tuple[int, int]]] | None = None
    families: int = 0
    genai_families: int = 0

    def name(self, table: str) -> str:
        """The name of a fact table's working copy (the countries': of this basis)."""
        return WORK[table].format(basis=self.country_by)

    def masked_rows(self) -> dict[str, ir.Table]:
        """Child table -> its rows that give a family bits: the countries (of every basis: the copies are
        shared by the panels of every basis), the taxonomy's and the sources' tags (by any method), the
        owner groups (when their names are there: a filter names a group by id or name)."""
        t = self.base.tables
        out = {}
        if t.has(COUNTRIES):
            out[COUNTRIES] = t(COUNTRIES)
        if t.has(TAGS):
            g = t(TAGS)
            out[TAGS] = g.filter(g.dimension.isin((*GENAI_DIMENSIONS, SOURCE_TAGS)))
        if t.has(OWNERS) and t.has(OWNER_NAMES):
            out[OWNERS] = t(OWNERS)
        return out

    @cached_property
    def rows(self) -> dict[str, ir.Table]:
        """Working copy -> the expression of its rows: the fact rows (``FACT_COLUMNS``) and, for the child
        tables there are, their rows (the countries of the panels' basis), each with ``family_index``, in
        its order (the owners' by group within the generative-AI families, then within the others).

        The generative-AI families are numbered first: a selection within them is a range of the numbers,
        and DuckDB, which passes the range of a join's keys down to the scan of the other side, skips the
        copies' row groups outside it (a quarter of the time for the panels of a generative-AI filter on a
        million families, bench/README.md)."""
        t = self.base.tables
        out: dict[str, ir.Table] = {}
        facts = t(FACTS)
        genai = facts.genai.fill_null(False)
        index = ibis.row_number().over(order_by=(ibis.desc(genai), facts.family_key)).cast("int32")
        fact_rows = facts.select(*FACT_COLUMNS, **{INDEX: index})
        one = ibis.literal(1).cast("int64")
        for table, rows in self.masked_rows().items():
            keys = BIT_KEYS[table]
            rows = rows.select("family_key", *keys)
            # a tag by several methods; a group on a family once (as the owners' step writes them; no key
            # says so, and a value twice would sum to another bit); a country once on a family's basis
            if table != COUNTRIES:
                rows = rows.distinct()
            counted = rows.group_by(keys).agg(families=ibis._.count())
            # the most frequent values get a bit: countries on each basis, tags, owner groups
            bit = ibis.row_number().over(
                group_by=keys[:-1] if table == COUNTRIES else (), order_by=(ibis.desc("families"), *keys)
            )
            ranked = counted.mutate(bit=bit).filter(ibis._.bit < MASK_BITS).select(*keys, "bit")
            out[BITS[table]] = ranked
            bits = ibis.table(ranked.schema(), name=BITS[table])
            valued = rows.join(bits, list(keys))
            value = one << valued.bit.cast("int32")
            wheres = (
                [(COUNTRY_MASK.format(basis=b), valued.basis == b) for b in COUNTRY_BASES]
                if table == COUNTRIES
                else [(TAG_MASK if table == TAGS else OWNER_MASK, None)]
            )
            # a sum of distinct bits (Ibis compiles no bitwise OR for Spark); PostgreSQL sums BIGINTs as
            # NUMERIC, and Ibis drops a cast to the type it infers (int64)
            masks = valued.group_by("family_key").agg(
                **{m: value.sum(where=w).cast("decimal(38, 0)").cast("int64") for m, w in wheres}
            )
            joined = fact_rows.left_join(masks, "family_key")
            fact_rows = joined.select(*fact_rows.columns, **{m: joined[m].fill_null(0) for m, _ in wheres})
        for mask in MASK_COLUMNS:  # no such child table: no bits
            if mask not in fact_rows.columns:
                fact_rows = fact_rows.mutate(**{mask: ibis.literal(0).cast("int64")})
        name = self.name(FACTS)
        out[name] = fact_rows.order_by(INDEX)
        numbers = ibis.table(out[name].schema(), name=name).select(
            "family_key", INDEX, *MASK_COLUMNS, family_genai="genai"
        )
        for table in (COUNTRIES, OWNERS, TAGS):
            if t.has(table):
                rows, masks = t(table), MASK_COLUMNS
                own = list(rows.columns)
                if table == COUNTRIES:  # a copy per basis: its own countries' bits, its basis in ``tables``
                    rows = rows.filter(rows.basis == self.country_by)
                    masks = (COUNTRY_MASK.format(basis=self.country_by), TAG_MASK, OWNER_MASK)
                    own.remove("basis")
                joined = rows.join(numbers, "family_key")
                order = [joined[INDEX]]
                if table == OWNERS:
                    # a group's rows together, the generative-AI families' first: their numbers still
                    # bound the rows of a generative-AI filter, and grouping runs of one group takes a
                    # quarter less time ("CN or US" on a million families: 42 against 30 ms)
                    order = [ibis.desc(joined.family_genai.fill_null(False)), joined.group_id, *order]
                out[self.name(table)] = joined.order_by(order).select(*own, INDEX, *masks)
        if t.has(TAGS):
            copy = ibis.table(out[self.name(TAGS)].schema(), name=self.name(TAGS))
            merged = copy.mutate(method=ibis.null(copy.method.type())).distinct()
            first = ibis.row_number().over(group_by=(merged[INDEX], merged.dimension), order_by=merged.tag)
            out[MERGED_TAGS] = merged.mutate(**{FIRST: first == 0}).order_by(INDEX)
            out[self.name(TAG_PAIRS)] = _tag_pairs(ibis.table(out[MERGED_TAGS].schema(), name=MERGED_TAGS))
        return out

    @cached_property
    def tables(self) -> Tables:
        """The catalog with the fact tables read from their working copies (no query runs), and the
        model × mode pairs (``TAG_PAIRS``) when there are tags.

        The countries' copy holds one basis, which it gives as a constant: a condition on it is decided
        when the SQL is planned, where the scan compared every row's (the country summary on a million
        families: a tenth less time, bench/README.md)."""
        opened = {
            table: ibis.table(rows.schema(), name=name)
            for name, rows in self.rows.items()
            for table in WORK
            if self.name(table) == name
        }
        if COUNTRIES in opened:
            opened[COUNTRIES] = opened[COUNTRIES].mutate(basis=ibis.literal(self.country_by))
        if self.base.tables.has(OWNER_NAMES):
            opened[OWNER_NAMES] = self.base.tables(OWNER_NAMES)
        return Tables(self.con, self.base.tables.names | opened.keys(), opened)

    def prepare(self) -> None:
        """Make the working copies on the connection, unless they are there (the first filter with
        conditions beyond the years does it otherwise)."""
        made = held(self.con).made
        has = self.base.tables.has
        wanted = {self.name(t) for t in WORK if has(t)} | {BITS[t] for t in self.masked_rows()}
        wanted |= {MERGED_TAGS, self.name(TAG_PAIRS)} if has(TAGS) else set()
        if not wanted <= made:
            for name, rows in self.rows.items():
                if name not in made:
                    create_kept(self.con, name, str(ibis.to_sql(rows, dialect=self.con.name)))
                    made.add(name)
        if self.bits is None:
            self.bits = {table: self.read_bits(table) for table in self.masked_rows()}
            counts = run_sql(
                self.con,
                "SELECT count(*) AS families, sum(CASE WHEN genai THEN 1 ELSE 0 END) AS genai "
                f"FROM {self.name(FACTS)}",
                ibis.schema({"families": "int64", "genai": "int64"}),
            ).to_pylist()[0]
            self.families, self.genai_families = counts["families"], counts["genai"] or 0

    def read_bits(self, table: str) -> dict[tuple[str, ...], tuple[int, int]]:
        """The values with a bit in the copies' masks of a child table (countries: of the panels' basis):
        their bit and the last family number holding them."""
        keys = BIT_KEYS[table]
        schema = ibis.schema({**{k: "string" for k in keys}, "bit": "int64", "last": "int64"})
        on = " AND ".join(f"w.{k} = b.{k}" for k in keys if k != "basis")
        if table == COUNTRIES:  # the countries' copy holds the panels' basis only
            on += f" AND b.basis = '{self.country_by}'"
        rows = run_sql(
            self.con,
            f"SELECT {', '.join(f'b.{k}' for k in keys)}, b.bit, max(w.{INDEX}) AS last "
            f"FROM {BITS[table]} b JOIN {self.name(table)} w ON {on} "
            f"GROUP BY {', '.join(f'b.{k}' for k in keys)}, b.bit",
            schema,
        )
        columns = [rows[n].to_pylist() for n in schema.names]
        skip = 1 if table == COUNTRIES else 0  # a country by itself: its basis is the panels'
        return {tuple(r[skip:-2]): (r[-2], r[-1]) for r in zip(*columns, strict=True)}

    def masks(self, flt: LandscapeFilter) -> tuple[Masked, LandscapeFilter]:
        """The conditions of the filter on each row of the working copies (``prepare`` made), and the filter
        of the others, which the selection answers (``only_years`` when there are none): a method, a text
        query, dates, a tag without a bit, countries one of which has none, an owner naming a group without
        a bit (or none)."""
        if self.bits is None:
            self.prepare()
        bits = self.bits or {}
        rest = replace(flt, genai=bool(flt.genai and flt.genai_method))
        last = self.genai_families - 1 if flt.genai and not rest.genai else self.families - 1
        wanted: dict[str, int | None] = {COUNTRIES: None, TAGS: None, OWNERS: None}
        countries = {(c,) for c in flt.countries}
        if countries and countries <= bits.get(COUNTRIES, {}).keys():
            picked = [bits[COUNTRIES][c] for c in countries]
            wanted[COUNTRIES] = sum(1 << bit for bit, _ in picked)
            last = min(last, max(end for _, end in picked))  # a family holding any of them holds one
            rest = replace(rest, countries=())
        tags = {} if flt.genai_method else {t: tag_key(t) for t in flt.tags}  # by any method
        masked = {t: bits[TAGS][k] for t, k in tags.items() if k in bits.get(TAGS, {})}
        if masked:
            wanted[TAGS] = sum(1 << bit for bit, _ in masked.values())
            last = min(last, *(end for _, end in masked.values()))  # a family holding all holds each
            rest = replace(rest, tags=tuple(t for t in flt.tags if t not in masked))
        groups = {(g,) for g in self.owner_groups(flt.owner)} if flt.owner and OWNERS in bits else set()
        if groups and groups <= bits[OWNERS].keys():
            picked = [bits[OWNERS][g] for g in groups]
            wanted[OWNERS] = sum(1 << bit for bit, _ in picked)
            last = min(last, max(end for _, end in picked))  # a family owned by any of them
            rest = replace(rest, owner=None)
        return Masked(last, wanted[COUNTRIES], wanted[TAGS], wanted[OWNERS]), rest

    @cached_property
    def _owner_groups_sql(self) -> str:
        return str(ibis.to_sql(owner_groups(self.base.tables, SLOT.format(0)), dialect=self.con.name))

    def owner_groups(self, owner: str) -> list[str]:
        """The ids of the owner groups a filter's ``owner`` names (``filters.owner_groups``)."""
        sql = bound(self._owner_groups_sql, [owner.strip()], self.con.name)
        return run_sql(self.con, sql, ibis.schema({"group_id": "string"}))["group_id"].to_pylist()


def _tag_pairs(merged: ir.Table) -> ir.Table:
    """Each family's model × mode pairs (``TAG_PAIRS``) from the tags' copy merged over the methods, with the
    family's columns, ``weight`` (1/n over its n pairs: counting fractionally) and ``FIRST`` on its
    first pair: model × mode groups them without the join of two tag rows per family, and counts the
    tagged families without a DISTINCT (the panel of "CN or US" on a million families: 36 -> 5 ms,
    bench/README.md)."""
    family = [c for c in merged.columns if c not in ("dimension", "tag", "method", FIRST)]
    models = merged.filter(merged.dimension == "model").select(*family, model="tag")
    modes = merged.filter(merged.dimension == "mode").select(INDEX, mode="tag")
    pairs = models.join(modes, INDEX)
    per_family = ibis.window(group_by=pairs[INDEX])
    first = ibis.row_number().over(group_by=pairs[INDEX], order_by=(pairs.model, pairs["mode"]))
    return pairs.mutate(
        weight=1.0 / pairs.count().over(per_family).cast("float64"), **{FIRST: first == 0}
    ).order_by(INDEX)


def bound(sql: str, values: list[str], backend: str) -> str:
    """The SQL with each value as a string literal in its slot (``SLOT``; as a prepared statement's
    parameters)."""
    dialect = _SQLGLOT.get(backend)
    slots = {exp.Literal.string(SLOT.format(i)).sql(dialect=dialect): i for i in range(len(values))}
    missing = [values[i] for slot, i in slots.items() if slot not in sql]
    if missing:
        raise RuntimeError(f"the SQL has no slot for the value {missing[0]!r}")
    # all slots in one pass: a value that reads like a slot is never filled in again
    pattern = re.compile("|".join(re.escape(slot) for slot in sorted(slots, key=len, reverse=True)))
    literal = {slot: exp.Literal.string(values[i]).sql(dialect=dialect) for slot, i in slots.items()}
    return pattern.sub(lambda m: literal[m.group(0)], sql) if slots else sql
