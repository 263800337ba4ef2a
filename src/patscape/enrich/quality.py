"""Quality per family, as defined in ``quality-indicators.md`` (OECD patent quality indicators), computed at
enrichment for the family fact table (``enrich/facts.py``).

Raw indicators of a family (over its members in the store):

- ``family_size``: distinct offices where the family is published (``families.office_count``).
- ``claims``: the largest claim count of a member.
- ``scope``: distinct 4-character CPC/IPC subclasses on the members; ``field``: the most frequent one (ties:
  the first in order).
- ``backward``: distinct patent documents cited by the members (other members of the family left out);
  ``npl``: distinct non-patent references.
- ``forward5``: distinct citing families (a citing document outside any family counts alone) whose first
  citing publication is within 5 years (1,826 days) of the family's earliest publication; NULL without that
  date. ``forward_all``: every citing family.
- ``grant_lag_days``: days from filing to grant of the first granted member (smallest lag).
- ``originality`` = 1 − Σ s_j², s_j the share of the cited documents' subclasses in subclass j (each cited
  document spread evenly over its subclasses); ``generality`` the same over the citing documents. NULL when
  none of the cited (citing) documents has classes in the store.

Cited documents are matched to stored publications by country and number (kinds differ between citing and
cited records, e.g. ``S`` and ``S1``).

Cohort scores (on each year basis, priority and publication): the cohort is (year, field), fields with fewer
than ``MIN_COHORT`` families in a year pooled into field ``*`` (families without a year form the cohort year
-1). The cohort is every family in the store: a filter selects families, it does not change how good they
are. Each component is clipped to its cohort's 1st and 99th percentiles (nearest rank: the value at rank
ceil(p·n) of the n known values, found from each cohort's counts of distinct values and their running total)
and divided by the clipped cohort maximum, giving 0-1 (grant lag is reversed: a faster grant scores higher).
``index4`` averages the available scores of forward citations, family size, claims and generality;
``index6`` adds backward citations and grant lag (OECD composite index, 4 and 6 components).
``breakthrough``: forward citations > 0 and in the cohort's top 1 %.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from patscape.store import schema
from patscape.store.base import Store
from patscape.store.expressions import unbound

FIVE_YEARS_DAYS = 1826
MIN_COHORT = 20
POOLED_FIELD = "*"
CLASS_SCHEMES = ("CPC", "IPC")
COMPONENTS4 = ("forward5", "family_size", "claims", "generality")
COMPONENTS6 = schema.QUALITY_COMPONENTS
assert set(COMPONENTS4) <= set(COMPONENTS6)
REVERSED = frozenset({"grant_lag_days"})
TRIM_PERCENT = 1
RAW = ("field", "claims", "scope", "backward", "npl", "forward5", "forward_all", "grant_lag_days")
RAW_FLOATS = ("originality", "generality")


@dataclass(frozen=True)
class Inputs:
    """The tables the raw indicators read besides ``families``: the store's, or (a refresh of some
    families) copies of the rows those families' indicators need (``copy_inputs``)."""

    publications: schema.Table = schema.PUBLICATIONS
    citations: schema.Table = schema.CITATIONS
    classes: schema.Table = schema.CLASSES
    members: schema.Table = schema.FAMILY_MEMBERS


def _copy(name: str, table: schema.Table, columns: tuple[str, ...]) -> schema.Table:
    return schema.Table(name, tuple(c for c in table.columns if c[0] in columns))


# the copies: only the columns read, of only the rows needed
COPIES = Inputs(
    _copy(
        "_quality_publications",
        schema.PUBLICATIONS,
        # and where each was read from, for the fact rows' sources (``facts.source_rows``)
        (
            *("pub_key", "country", "number", "published", "claim_count", "granted", "app_date"),
            *("source_file", "reader"),
        ),
    ),
    _copy("_quality_citations", schema.CITATIONS, ("pub_key", "country", "number", "npl")),
    _copy("_quality_classes", schema.CLASSES, ("pub_key", "scheme", "code")),
    _copy("_quality_members", schema.FAMILY_MEMBERS, ("family_id", "pub_key", "published")),
)


def copy_inputs(store: Store, members: str) -> None:
    """``COPIES``: the rows of the store's tables that the indicators of the families whose members are in
    the table ``members`` (a ``pub_key`` column) read: their members' citations and the citations of their
    members' numbers; the publications that are members, cite one or are cited; the family rows and the
    classes of those publications. Over these the indicators are those computed over the whole tables."""
    c, p, k, m = COPIES.citations, COPIES.publications, COPIES.classes, COPIES.members
    mine = f"pub_key IN (SELECT pub_key FROM {members})"

    def rows(copy: schema.Table, source: schema.Table) -> str:
        return f"SELECT {', '.join(f't.{col}' for col in copy.column_names)} FROM {source.name} t"

    def numbered(pairs: str) -> str:  # the rows whose country and number are among ``pairs``
        return f"JOIN ({pairs}) n ON n.country = t.country AND n.number = t.number"

    # each a union of semi-joins rather than one scan with the conditions ORed: DuckDB answers an OR of
    # subqueries with mark joins, several times slower
    cited = "SELECT DISTINCT country, number"
    steps = (
        (
            c,
            f"{rows(c, schema.CITATIONS)} WHERE t.{mine} UNION {rows(c, schema.CITATIONS)} "
            f"{numbered(f'{cited} FROM {schema.PUBLICATIONS.name} WHERE {mine}')} WHERE t.npl IS NULL",
        ),
        (
            p,
            f"{rows(p, schema.PUBLICATIONS)} WHERE t.pub_key IN (SELECT pub_key FROM {members} UNION ALL "
            f"SELECT pub_key FROM {c.name}) UNION {rows(p, schema.PUBLICATIONS)} "
            f"{numbered(f'{cited} FROM {c.name} WHERE npl IS NULL')}",
        ),
        (m, f"{rows(m, schema.FAMILY_MEMBERS)} WHERE t.pub_key IN (SELECT pub_key FROM {p.name})"),
        (k, f"{rows(k, schema.CLASSES)} WHERE t.pub_key IN (SELECT pub_key FROM {p.name})"),
    )
    for copy, select in steps:
        store.execute(f"DROP TABLE IF EXISTS {copy.name}")
        store.execute(f"CREATE TEMPORARY TABLE {copy.name} AS {select}")


def drop_inputs(store: Store) -> None:
    for copy in (COPIES.publications, COPIES.citations, COPIES.classes, COPIES.members):
        store.execute(f"DROP TABLE IF EXISTS {copy.name}")


def _members(subset: ir.Table | None, key: str = "pub_key", rows: ir.Table | None = None) -> ir.Table:
    """``family_id`` and the member's publication key (named ``key``) of the families in ``subset`` (from
    ``rows``, their ``family_members`` rows, when given).

    Each use names the key differently: identical expressions become one SQL CTE, which DuckDB materialises
    (a copy of the whole table), while distinct ones are plain column scans."""
    if rows is not None:
        return rows.select("family_id", **{key: rows.pub_key})
    fm = unbound(schema.FAMILY_MEMBERS)
    members = fm.select("family_id", **{key: fm.pub_key})
    if subset is None:
        return members
    return members.filter(members.family_id.isin(subset.family_id))


def _patent_citations(inputs: Inputs) -> ir.Table:
    """``citing`` (pub_key), ``cited_country``, ``cited_number`` of every patent citation."""
    c = unbound(inputs.citations)
    c = c.filter(c.country.notnull() & c.number.notnull() & c.npl.isnull())
    return c.select(citing=c.pub_key, cited_country=c.country, cited_number=c.number).distinct()


def _cited_documents(cites: ir.Table, inputs: Inputs) -> ir.Table:
    """The stored publications that are cited: ``cited_country``, ``cited_number``, ``pub_key``,
    ``doc_family`` (NULL when the publication is in no family)."""
    p = unbound(inputs.publications)
    pubs = p.select("pub_key", cited_country="country", cited_number="number")
    pairs = cites.select("cited_country", "cited_number").distinct()
    cited = pubs.join(pairs, ["cited_country", "cited_number"]).select(*pubs.columns)
    fm = unbound(inputs.members)
    members = fm.select(member_key="pub_key", doc_family="family_id")
    # the large tables are first cut down to the few keys involved. IN (subquery) rather than semi-joins
    # throughout: Ibis renders some nested semi-joins as SEMI JOIN, which PostgreSQL does not know.
    members = members.filter(members.member_key.isin(cited.pub_key))
    j = cited.left_join(members, cited.pub_key == members.member_key)
    return j.select("cited_country", "cited_number", "pub_key", "doc_family")


def _citing_documents(cites: ir.Table, inputs: Inputs) -> ir.Table:
    """The citing publications: ``citing``, ``citing_family`` (``pub:<key>`` when in no family),
    ``citing_date`` (the member's publication date, else the publication's)."""
    citing = cites.select("citing").distinct()
    fm = unbound(inputs.members)
    members = fm.select(member_key="pub_key", doc_family="family_id", doc_date="published")
    members = members.filter(members.member_key.isin(citing.citing))
    p = unbound(inputs.publications)
    pubs = p.select(pub_key="pub_key", pub_date="published")
    pubs = pubs.filter(pubs.pub_key.isin(citing.citing))
    j = citing.left_join(members, citing.citing == members.member_key)
    k = j.select("citing", "doc_family", "doc_date")
    j = k.left_join(pubs, k.citing == pubs.pub_key)
    return j.select(
        "citing",
        citing_date=ibis.coalesce(j.doc_date, j.pub_date),
        citing_family=ibis.coalesce(j.doc_family, ibis.literal("pub:").concat(j.citing)),
    )


def _subclasses(inputs: Inputs) -> ir.Table:
    """``pub_key``, ``subclass``: distinct 4-character CPC/IPC subclasses of each publication."""
    cl = unbound(inputs.classes)
    cl = cl.filter(cl.scheme.isin(CLASS_SCHEMES) & (cl.code.length() >= 4))
    return cl.select("pub_key", subclass=cl.code.substr(0, 4).upper()).distinct()


def _diversity(pairs: ir.Table, name: str) -> ir.Table:
    """``family_id``, ``name`` = 1 − Σ s_j² from rows (``family_id``, ``doc``, ``subclass``), each document
    spread evenly over its subclasses."""
    weighted = pairs.mutate(w=1.0 / pairs.count().over(group_by=[pairs.family_id, pairs.doc]).cast("float64"))
    per_class = weighted.group_by(["family_id", "subclass"]).agg(w=weighted.w.sum())
    with_total = per_class.mutate(total=per_class.w.sum().over(group_by=per_class.family_id))
    shares = with_total.mutate(s2=(with_total.w / with_total.total) ** 2)
    return shares.group_by("family_id").agg(**{name: 1.0 - shares.s2.sum()})


def _backward(members: ir.Table, cited_docs: ir.Table, cites: ir.Table) -> ir.Table:
    """``family_id``, ``cited_country``, ``cited_number``, ``doc``: distinct documents cited by the members,
    other members of the same family left out."""
    made = (
        cites.join(members, cites.citing == members.member_citing)
        .select("family_id", "cited_country", "cited_number")
        .distinct()
    )
    in_family = cited_docs.filter(cited_docs.doc_family.notnull())
    in_family = in_family.select(
        own_country="cited_country", own_number="cited_number", own_family="doc_family"
    ).distinct()
    j = made.left_join(
        in_family,
        (made.family_id == in_family.own_family)
        & (made.cited_country == in_family.own_country)
        & (made.cited_number == in_family.own_number),
    )
    made = j.filter(j.own_family.isnull()).select("family_id", "cited_country", "cited_number")
    return made.mutate(doc=made.cited_country.concat("-", made.cited_number))


def _received(
    cited_docs: ir.Table, citing_docs: ir.Table, cites: ir.Table, subset: ir.Table | None
) -> ir.Table:
    """``family_id`` (cited, in the subset), ``citing``, ``citing_family``, ``citing_date``: citations
    received from other families."""
    cited = cited_docs.filter(cited_docs.doc_family.notnull())
    cited = cited.select("cited_country", "cited_number", family_id="doc_family").distinct()
    if subset is not None:
        cited = cited.filter(cited.family_id.isin(subset.family_id))
    rec = cites.join(cited, ["cited_country", "cited_number"]).select("family_id", "citing").distinct()
    j = rec.join(citing_docs, "citing")
    return j.filter(j.citing_family != j.family_id)


def _forward(received: ir.Table, families: ir.Table) -> ir.Table:
    """``family_id``, ``forward5``, ``forward_all`` (distinct citing families)."""
    first = received.group_by(["family_id", "citing_family"]).agg(first=received.citing_date.min())
    j = first.join(families.select("family_id", "earliest_publication"), "family_id")
    within = (j.first.delta(j.earliest_publication, unit="day") <= FIVE_YEARS_DAYS).fill_null(False)
    # one row per (family, citing family): counting rows counts distinct citing families
    return j.group_by("family_id").agg(forward5=ibis.ifelse(within, 1, 0).sum(), forward_all=j.count())


def raw_indicators(
    subset: ir.Table | None = None, member_rows: ir.Table | None = None, inputs: Inputs | None = None
) -> ir.Table:
    """One row per family (of ``subset``, a table of ``family_id``; every family when None): ``family_id``
    and the raw indicators but family size (see the module docstring). ``member_rows``: the
    ``family_members`` rows of the subset's families, when they are at hand (a small table rather than
    the whole one); ``inputs``: the tables read (``COPIES`` after ``copy_inputs`` for the subset)."""
    inputs = inputs or Inputs()
    f = unbound(schema.FAMILIES)
    families = f if subset is None else f.filter(f.family_id.isin(subset.family_id))
    base = families.select("family_id", "earliest_publication")
    members = _members(subset, rows=member_rows)
    p = unbound(inputs.publications)
    pubs = p.filter(p.claim_count.notnull() | p.granted.notnull())  # the only ones that matter here
    mp = members.join(pubs.select("pub_key", "claim_count", "granted", "app_date"), "pub_key")
    lag_days = ibis.ifelse(
        mp.granted.notnull() & mp.app_date.notnull(),
        mp.granted.delta(mp.app_date, unit="day"),
        ibis.null("int64"),
    )
    per_family = mp.group_by("family_id").agg(claims=mp.claim_count.max(), grant_lag_days=lag_days.min())

    sub_members = _members(subset, "class_key", member_rows)
    fam_sub = _subclasses(inputs).join(sub_members, _subclasses(inputs).pub_key == sub_members.class_key)
    fam_sub = fam_sub.group_by(["family_id", "subclass"]).agg(n=fam_sub.count())  # (pub, subclass) distinct
    order = [ibis.desc(fam_sub.n), fam_sub.subclass]
    ranked = fam_sub.mutate(
        rn=ibis.row_number().over(group_by=fam_sub.family_id, order_by=order),
        scope=fam_sub.count().over(group_by=fam_sub.family_id),
    )
    field = ranked.filter(ranked.rn == 0).select("family_id", "scope", field="subclass")

    cites = _patent_citations(inputs)
    cited_docs = _cited_documents(cites, inputs)
    made = _backward(_members(subset, "member_citing", member_rows), cited_docs, cites)
    backward = made.group_by("family_id").agg(backward=made.count())  # rows are distinct documents

    c = unbound(inputs.citations)
    npl_members = _members(subset, "npl_key", member_rows)
    npl_rows = c.filter(c.npl.notnull()).select("pub_key", "npl")
    npl_rows = npl_rows.join(npl_members, npl_rows.pub_key == npl_members.npl_key)
    npl = npl_rows.group_by("family_id").agg(npl=npl_rows.npl.nunique())

    received = _received(cited_docs, _citing_documents(cites, inputs), cites, subset)
    forward = _forward(received, base)

    subclasses = _subclasses(inputs)
    cited_classes = cited_docs.join(subclasses, "pub_key").select("cited_country", "cited_number", "subclass")
    orig_pairs = made.join(cited_classes, ["cited_country", "cited_number"]).select(
        "family_id", "doc", "subclass"
    )
    originality = _diversity(orig_pairs.distinct(), "originality")
    citing_docs = received.select("family_id", "citing").distinct()
    gen_pairs = citing_docs.join(subclasses, citing_docs.citing == subclasses.pub_key).select(
        "family_id", "subclass", doc=citing_docs.citing
    )
    generality = _diversity(gen_pairs.distinct(), "generality")

    out = base
    for part in (per_family, field, backward, npl, forward, originality, generality):
        joined = out.left_join(part, "family_id")
        out = joined.select(*out.columns, *[joined[c] for c in part.columns if c != "family_id"])
    return out.select(
        "family_id",
        "field",
        claims=out.claims.cast("int32"),
        scope=out.scope.fill_null(0).cast("int32"),
        backward=out.backward.fill_null(0).cast("int32"),
        npl=out.npl.fill_null(0).cast("int32"),
        forward5=ibis.ifelse(
            out.earliest_publication.isnull(), ibis.null("int64"), out.forward5.fill_null(0)
        ).cast("int32"),
        forward_all=out.forward_all.fill_null(0).cast("int32"),
        grant_lag_days=out.grant_lag_days.cast("int32"),
        originality=out.originality,
        generality=out.generality,
    )


# -- cohort scores -------------------------------------------------------------------------------------------

COHORT = ("cohort_year", "cohort_field")


def cohort_stats(t: ir.Table, columns: tuple[str, ...]) -> ir.Table:
    """Per cohort: ``cohort_size`` and, per component, the clipping bounds ``_<c>_lo`` and ``_<c>_hi``
    (nearest rank 1st and 99th percentiles), from the counts of each distinct value and their running total (a
    small table: no window over the families themselves)."""
    stats = t.group_by(COHORT).agg(cohort_size=t.count())
    for c in columns:
        known = t.filter(t[c].notnull())
        joined = stats.left_join(bounds(known.group_by([*COHORT, c]).agg(_k=known.count()), c), list(COHORT))
        stats = joined.select(*stats.columns, f"_{c}_hi", f"_{c}_lo")
    return stats


def bounds(counts: ir.Table, c: str, by: tuple[str, ...] = COHORT) -> ir.Table:
    """Per cohort (``by``), ``_<c>_hi`` and ``_<c>_lo`` (nearest rank 99th and 1st percentiles) from
    ``counts``: a row per cohort and known value of ``c`` with its count ``_k``."""
    running = ibis.cumulative_window(group_by=[counts[k] for k in by], order_by=counts[c])
    counts = counts.mutate(_cum=counts._k.sum().over(running), _n=counts._k.sum().over(group_by=list(by)))
    # 1-based nearest ranks ceil(0.99 n) and ceil(0.01 n), in integers so that every backend agrees
    top = (counts._n * (100 - TRIM_PERCENT) + 99) // 100
    bottom = (counts._n * TRIM_PERCENT + 99) // 100
    return counts.group_by(list(by)).agg(
        **{
            f"_{c}_hi": ibis.ifelse(counts._cum >= top, counts[c], ibis.null(counts[c].type())).min(),
            f"_{c}_lo": ibis.ifelse(counts._cum >= bottom, counts[c], ibis.null(counts[c].type())).min(),
        }
    )


def pooled(field: ir.StringValue, size: ir.IntegerValue, min_cohort: int = MIN_COHORT) -> ir.StringValue:
    """The cohort field of a field ('' for none) with ``size`` families in a year: itself, or ``*``."""
    return ibis.ifelse((field != "") & (size >= min_cohort), field, POOLED_FIELD)


def cohorts(raw: ir.Table, min_cohort: int = MIN_COHORT) -> ir.Table:
    """Adds ``cohort_year`` (``year``, -1 when unknown) and ``cohort_field`` (the field, or ``*`` for a field
    with fewer than ``min_cohort`` families that year)."""
    t = raw.mutate(cohort_year=raw.year.fill_null(-1), _field=raw.field.fill_null(""))
    sizes = t.group_by(["cohort_year", "_field"]).agg(_fsize=t.count()).view()
    j = t.join(sizes, ["cohort_year", "_field"])
    return j.select(*raw.columns, "cohort_year", cohort_field=pooled(j._field, j._fsize, min_cohort))


def scores(t: ir.Table, columns: tuple[str, ...]) -> ir.Table:
    """Adds ``cohort_size``, ``<column>_score`` for each column (clipped to the cohort's 1st and 99th
    percentiles, divided by the clipped maximum) and ``breakthrough`` to rows with a cohort."""
    stats = cohort_stats(t, columns)
    # stats derive from t: views keep the self-join unambiguous
    return clipped_scores(t.view(), stats.view(), columns)


def clipped_scores(t: ir.Table, stats: ir.Table, columns: tuple[str, ...]) -> ir.Table:
    """``scores`` of the rows ``t`` (with a cohort) from ``stats``: their cohorts' ``cohort_stats``."""
    t = t.join(stats, list(COHORT))
    out = {}
    for c in columns:
        v, hi, lo = t[c], t[f"_{c}_hi"], t[f"_{c}_lo"]
        clipped = ibis.greatest(ibis.least(v, hi), lo).cast("float64")
        scaled = ibis.ifelse(hi > 0, clipped / hi.cast("float64"), 0.0)
        if c in REVERSED:
            scaled = 1.0 - scaled
        out[f"{c}_score"] = ibis.ifelse(v.isnull(), ibis.null("float64"), scaled)
        if c == "forward5":
            out["breakthrough"] = ((v > 0) & (v >= hi)).fill_null(False)
    helpers = [f"_{c}_{x}" for c in columns for x in ("hi", "lo")]
    return t.mutate(**out).drop(*helpers)


def mean_of(t: ir.Table, columns: tuple[str, ...]) -> ir.FloatingValue:
    """The mean of the columns that are not NULL (NULL when none is known)."""
    total = sum((t[c].fill_null(0.0) for c in columns), ibis.literal(0.0))
    count = sum((ibis.ifelse(t[c].notnull(), 1, 0) for c in columns), ibis.literal(0))
    return ibis.ifelse(count > 0, total / count, ibis.null("float64"))


def cohort_scores(raw: ir.Table, min_cohort: int = MIN_COHORT) -> ir.Table:
    """From rows with ``year`` and the raw components: adds the cohort, ``cohort_size``, the component scores,
    ``index4``, ``index6`` and ``breakthrough``."""
    return with_indexes(scores(cohorts(raw, min_cohort), COMPONENTS6))


def with_indexes(t: ir.Table) -> ir.Table:
    """Adds ``index4`` and ``index6`` to rows with the component scores."""
    return t.mutate(
        index4=mean_of(t, tuple(f"{c}_score" for c in COMPONENTS4)),
        index6=mean_of(t, tuple(f"{c}_score" for c in COMPONENTS6)),
    )
