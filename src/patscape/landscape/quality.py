"""Quality per family, as defined in ``quality-indicators.md`` (OECD patent quality indicators), and cohort scores.

Raw indicators of a family (over its members in the store):

- ``family_size``: distinct offices where the family is published (``families.office_count``).
- ``claims``: the largest claim count of a member.
- ``scope``: distinct 4-character CPC/IPC subclasses on the members.
- ``backward``: distinct patent documents cited by the members (other members of the family left out); ``npl``:
  distinct non-patent references.
- ``forward5``: distinct citing families (a citing document outside any family counts alone) whose first citing
  publication is within 5 years (1,826 days) of the family's earliest publication; NULL without that date;
  ``citation_window_complete`` says whether those 5 years have passed by the reference date.
- ``grant_lag_days``: days from filing to grant of the first granted member (smallest lag).
- ``originality`` = 1 − Σ s_j², s_j the share of the cited documents' subclasses in subclass j (each cited document
  spread evenly over its subclasses); ``generality`` the same over the citing documents. NULL when none of the
  cited (citing) documents has classes in the store.

Cited documents are matched to stored publications by country and number (kinds differ between citing and cited
records, e.g. ``S`` and ``S1``).

Cohort scores: the cohort is (year, field) on the landscape's year basis, field = the family's most frequent
subclass; fields with fewer than ``min_cohort`` families in a year are pooled into field ``*``. Each component is
clipped to its cohort's 1st and 99th percentiles (nearest rank: the value at rank ceil(p·n) of the n known values)
and divided by the clipped cohort maximum, giving 0-1
(grant lag is reversed: a faster grant scores higher). ``index4`` averages the available scores of forward
citations, family size, claims and generality; ``index6`` adds backward citations and grant lag (OECD composite
index, 4 and 6 components). ``breakthrough``: forward citations > 0 and in the cohort's top 1 %.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from patscape.landscape.context import Landscape

FIVE_YEARS_DAYS = 1826
MIN_COHORT = 20
POOLED_FIELD = "*"
CLASS_SCHEMES = ("CPC", "IPC")
COMPONENTS4 = ("forward5", "family_size", "claims", "generality")
COMPONENTS6 = (*COMPONENTS4, "backward", "grant_lag_days")
REVERSED = frozenset({"grant_lag_days"})
TRIM_PERCENT = 1


def _selected_members(ctx: Landscape) -> ir.Table:
    members = ctx.table("family_members").select("family_id", "pub_key")
    return members.semi_join(ctx.selected_ids(), "family_id")


def _documents(ctx: Landscape) -> ir.Table:
    """Every stored publication as a citable document: ``pub_key``, ``doc_country``, ``doc_number``,
    ``doc_date`` (published) and ``doc_family`` (NULL when it belongs to no family)."""
    pubs = ctx.table("publications")
    pubs = pubs.select("pub_key", doc_country=pubs.country, doc_number=pubs.number, doc_date=pubs.published)
    members = ctx.table("family_members").select(member_key="pub_key", doc_family="family_id")
    j = pubs.left_join(members, pubs.pub_key == members.member_key)
    return j.select("pub_key", "doc_country", "doc_number", "doc_date", "doc_family")


def _patent_citations(ctx: Landscape) -> ir.Table:
    """``citing`` (pub_key), ``cited_country``, ``cited_number`` of every patent citation."""
    c = ctx.table("citations")
    c = c.filter(c.country.notnull() & c.number.notnull() & c.npl.isnull())
    return c.select(citing=c.pub_key, cited_country=c.country, cited_number=c.number).distinct()


def _subclasses(ctx: Landscape) -> ir.Table:
    """``pub_key``, ``subclass``: distinct 4-character CPC/IPC subclasses of each publication."""
    cl = ctx.table("classes")
    cl = cl.filter(cl.scheme.isin(CLASS_SCHEMES) & (cl.code.length() >= 4))
    return cl.select("pub_key", subclass=cl.code.substr(0, 4).upper()).distinct()


def _diversity(pairs: ir.Table, name: str) -> ir.Table:
    """``family_id``, ``name`` = 1 − Σ s_j² from rows (``family_id``, ``doc``, ``subclass``), each document
    spread evenly over its subclasses."""
    weighted = pairs.mutate(w=1.0 / pairs.count().over(group_by=[pairs.family_id, pairs.doc]))
    per_class = weighted.group_by(["family_id", "subclass"]).agg(w=weighted.w.sum())
    with_total = per_class.mutate(total=per_class.w.sum().over(group_by=per_class.family_id))
    shares = with_total.mutate(s2=(with_total.w / with_total.total) ** 2)
    return shares.group_by("family_id").agg(**{name: 1.0 - shares.s2.sum()})


def _backward(ctx: Landscape, members: ir.Table, docs: ir.Table, cites: ir.Table) -> ir.Table:
    """``family_id``, ``cited_country``, ``cited_number``, ``doc``: distinct documents cited by the members,
    other members of the same family left out."""
    made = cites.join(members, cites.citing == members.pub_key).select(
        "family_id", "cited_country", "cited_number"
    )
    cited = docs.filter(docs.doc_family.notnull()).select("doc_country", "doc_number", "doc_family").distinct()
    j = made.left_join(
        cited, (made.cited_country == cited.doc_country) & (made.cited_number == cited.doc_number)
    )
    own = (j.doc_family == j.family_id).fill_null(False)
    own_docs = j.filter(own).select("family_id", "cited_country", "cited_number").distinct()
    made = made.distinct().anti_join(own_docs, ["family_id", "cited_country", "cited_number"])
    return made.mutate(doc=made.cited_country.concat("-", made.cited_number))


def _received(ctx: Landscape, docs: ir.Table, cites: ir.Table) -> ir.Table:
    """``family_id`` (cited, selected), ``citing`` (pub_key), ``citing_family``, ``citing_date``: citations
    received from other families (a citing document in no family is its own family ``pub:<key>``)."""
    cited = docs.filter(docs.doc_family.notnull())
    cited = cited.select("doc_country", "doc_number", family_id=cited.doc_family).distinct()
    cited = cited.semi_join(ctx.selected_ids(), "family_id")
    rec = cites.join(
        cited, (cites.cited_country == cited.doc_country) & (cites.cited_number == cited.doc_number)
    )
    rec = rec.select("family_id", "citing").distinct()
    citing = docs.select(
        citing_key=docs.pub_key,
        citing_family=ibis.coalesce(docs.doc_family, ibis.literal("pub:").concat(docs.pub_key)),
        citing_date=docs.doc_date,
    )
    j = rec.join(citing, rec.citing == citing.citing_key)
    j = j.select("family_id", "citing", "citing_family", "citing_date")
    return j.filter(j.citing_family != j.family_id)


def _forward(received: ir.Table, base: ir.Table) -> ir.Table:
    """``family_id``, ``forward5``, ``forward_all`` (distinct citing families)."""
    first = received.group_by(["family_id", "citing_family"]).agg(first=received.citing_date.min())
    j = first.join(base.select("family_id", "earliest_publication"), "family_id")
    within = (j.first.delta(j.earliest_publication, unit="day") <= FIVE_YEARS_DAYS).fill_null(False)
    return j.group_by("family_id").agg(
        forward5=j.citing_family.nunique(where=within), forward_all=j.citing_family.nunique()
    )


def _window_complete(ctx: Landscape, start: ir.DateValue) -> ir.BooleanValue:
    ref = ctx.completeness.reference
    if ref is None:
        return ibis.literal(False)
    return (ibis.literal(ref).delta(start, unit="day") >= FIVE_YEARS_DAYS).fill_null(False)


def raw_indicators(ctx: Landscape) -> ir.Table:
    """One row per selected family with the raw indicators (see the module docstring)."""
    sel = ctx.selected
    base = sel.select(
        "family_id",
        "year",
        "granted",
        "earliest_publication",
        family_size=sel.office_count,
        members=sel.member_count,
    )
    members = _selected_members(ctx)
    pubs = ctx.table("publications").select("pub_key", "claim_count", "granted", "app_date")
    mp = members.join(pubs, "pub_key")

    claims = mp.group_by("family_id").agg(claims=mp.claim_count.max())
    granted = mp.filter(mp.granted.notnull() & mp.app_date.notnull())
    lag = granted.group_by("family_id").agg(
        grant_lag_days=granted.granted.delta(granted.app_date, unit="day").min()
    )

    fam_sub = _subclasses(ctx).join(members, "pub_key")
    fam_sub = fam_sub.group_by(["family_id", "subclass"]).agg(n=fam_sub.pub_key.nunique())
    scope = fam_sub.group_by("family_id").agg(scope=fam_sub.subclass.nunique())
    order = [ibis.desc(fam_sub.n), fam_sub.subclass]
    ranked = fam_sub.mutate(rn=ibis.row_number().over(group_by=fam_sub.family_id, order_by=order))
    field = ranked.filter(ranked.rn == 0).select("family_id", field="subclass")

    docs = _documents(ctx)
    cites = _patent_citations(ctx)
    made = _backward(ctx, members, docs, cites)
    backward = made.group_by("family_id").agg(backward=made.doc.nunique())

    c = ctx.table("citations")
    npl_rows = c.filter(c.npl.notnull()).select("pub_key", "npl").join(members, "pub_key")
    npl = npl_rows.group_by("family_id").agg(npl=npl_rows.npl.nunique())

    received = _received(ctx, docs, cites)
    forward = _forward(received, base)

    subclasses = _subclasses(ctx)
    cited_classes = docs.join(subclasses, "pub_key").select("doc_country", "doc_number", "subclass").distinct()
    orig_pairs = made.join(
        cited_classes,
        (made.cited_country == cited_classes.doc_country) & (made.cited_number == cited_classes.doc_number),
    ).select("family_id", "doc", "subclass")
    originality = _diversity(orig_pairs.distinct(), "originality")
    citing_docs = received.select("family_id", "citing").distinct()
    gen_pairs = citing_docs.join(subclasses, citing_docs.citing == subclasses.pub_key).select(
        "family_id", "subclass", doc=citing_docs.citing
    )
    generality = _diversity(gen_pairs.distinct(), "generality")

    out = base
    for part in (claims, lag, scope, field, backward, npl, forward, originality, generality):
        joined = out.left_join(part, "family_id")
        out = joined.select(*out.columns, *[joined[c] for c in part.columns if c != "family_id"])
    return out.select(
        "family_id",
        "year",
        "field",
        "granted",
        "members",
        "family_size",
        "claims",
        scope=out.scope.fill_null(0),
        backward=out.backward.fill_null(0),
        npl=out.npl.fill_null(0),
        forward5=ibis.ifelse(out.earliest_publication.isnull(), ibis.null("int64"), out.forward5.fill_null(0)),
        forward_all=out.forward_all.fill_null(0),
        grant_lag_days=out.grant_lag_days,
        originality=out.originality,
        generality=out.generality,
        citation_window_complete=_window_complete(ctx, out.earliest_publication),
    )


def _cohorts(raw: ir.Table, min_cohort: int) -> ir.Table:
    """Adds ``cohort_field`` (the field, or ``*`` for a small field) and ``cohort_size``."""
    size = raw.count().over(group_by=[raw.year, raw.field])
    t = raw.mutate(_fsize=size)
    t = t.mutate(
        cohort_field=ibis.ifelse(t.field.notnull() & (t._fsize >= min_cohort), t.field, POOLED_FIELD)
    )
    t = t.mutate(cohort_size=t.count().over(group_by=[t.year, t.cohort_field]))
    return t.drop("_fsize")


def _scores(t: ir.Table, columns: tuple[str, ...]) -> ir.Table:
    """Adds ``<column>_score`` for each column: clipped to the cohort's 1st and 99th percentiles, divided by the
    clipped maximum; and ``breakthrough``. Three window passes for all columns together (one per step), so the
    query stays flat."""
    cohort = [t.year, t.cohort_field]
    t = t.mutate(
        **{f"_{c}_rn": ibis.row_number().over(group_by=cohort, order_by=[t[c].isnull(), t[c]]) for c in columns},
        **{f"_{c}_n": t[c].count().over(group_by=cohort) for c in columns},
    )
    cohort = [t.year, t.cohort_field]
    bounds = {}
    for c in columns:
        v, rn, n = t[c], t[f"_{c}_rn"], t[f"_{c}_n"]
        # nearest rank (1-based ceil(p * n)), in integers so that every backend rounds alike; rn is 0-based
        top = (n * (100 - TRIM_PERCENT) + 99) // 100 - 1
        bottom = (n * TRIM_PERCENT + 99) // 100 - 1
        bounds[f"_{c}_hi"] = ibis.ifelse(rn <= top, v, ibis.null(v.type())).max().over(group_by=cohort)
        bounds[f"_{c}_lo"] = ibis.ifelse(rn >= bottom, v, ibis.null(v.type())).min().over(group_by=cohort)
    t = t.mutate(**bounds)
    scores = {}
    for c in columns:
        v, hi, lo = t[c], t[f"_{c}_hi"], t[f"_{c}_lo"]
        clipped = ibis.greatest(ibis.least(v, hi), lo).cast("float64")
        scaled = ibis.ifelse(hi > 0, clipped / hi.cast("float64"), 0.0)
        if c in REVERSED:
            scaled = 1.0 - scaled
        scores[f"{c}_score"] = ibis.ifelse(v.isnull(), ibis.null("float64"), scaled)
        if c == "forward5":
            scores["breakthrough"] = ((v > 0) & (v >= hi)).fill_null(False)
    helpers = [f"_{c}_{x}" for c in columns for x in ("rn", "n", "hi", "lo")]
    return t.mutate(**scores).drop(*helpers)


def _mean(t: ir.Table, columns: tuple[str, ...]) -> ir.FloatingValue:
    total = sum((t[c].fill_null(0.0) for c in columns), ibis.literal(0.0))
    count = sum((t[c].notnull().cast("int64") for c in columns), ibis.literal(0))
    return ibis.ifelse(count > 0, total / count, ibis.null("float64"))


def family_quality(ctx: Landscape, min_cohort: int = MIN_COHORT) -> ir.Table:
    """Raw indicators, cohort, component scores, ``index4``, ``index6`` and ``breakthrough`` per selected
    family; sorted by family id."""
    t = _scores(_cohorts(raw_indicators(ctx), min_cohort), COMPONENTS6)
    scores4 = tuple(f"{c}_score" for c in COMPONENTS4)
    scores6 = tuple(f"{c}_score" for c in COMPONENTS6)
    t = t.mutate(index4=_mean(t, scores4), index6=_mean(t, scores6))
    return t.order_by("family_id")
