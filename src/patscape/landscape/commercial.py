"""Commercial signals per family, the usual proxies for an invention someone means to exploit, and their
counts and shares per country and per owner next to the plain family counts.

Per family (:func:`family_signals`):

- ``ip5_offices``: how many of the IP5 offices (CN, EP, JP, KR, US) publish a member of the family;
  ``ip5``: two or more of them;
- ``triadic``: members published by all three of EP, JP and US (the OECD's triadic family, on filings);
- ``granted``: a member granted anywhere (``families.granted``);
- ``cited_abroad``: a family from another country cites a member: another family whose countries on the
  chosen basis are all different from this family's (a family without a country on the basis is never
  foreign to another).

Only the members held in the store count: a source that selects publications (the CSET table keeps the
AI-classified ones) can hide a family's other offices, so the signals are lower bounds.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from patscape.enrich.offices import office_signals

SIGNALS = ("ip5", "triadic", "granted", "cited_abroad")


def family_signals(con: BaseBackend, basis: str = "applicant") -> ir.Table:
    """``family_id``, ``ip5_offices``, ``ip5``, ``triadic``, ``granted``, ``cited_abroad`` for every family;
    ``basis`` is the country basis (``family_countries.basis``) that says where a family comes from."""
    families = con.table("families")
    per_family = office_signals(con.table("family_members"))
    abroad = _cited_abroad(con, basis)
    joined = families.left_join(per_family, "family_id").left_join(abroad, "family_id")
    ip5_offices = joined.ip5_offices.fill_null(0)
    return joined.select(
        family_id=joined.family_id,
        ip5_offices=ip5_offices,
        ip5=ip5_offices >= 2,
        triadic=joined.triadic.fill_null(False),
        granted=joined.granted.fill_null(False),
        cited_abroad=joined.cited_abroad.fill_null(False),
    )


def _cited_abroad(con: BaseBackend, basis: str) -> ir.Table:
    """``family_id``, ``cited_abroad`` (True) for the families cited by a family from another country."""
    members = con.table("family_members")
    citations = con.table("citations").filter(lambda c: c.cited_key.notnull())
    citing = members.select(citing=members.family_id, pub_key=members.pub_key)
    cited = members.select(cited=members.family_id, cited_key=members.pub_key)
    pairs = (
        citations.join(citing, "pub_key")
        .join(cited, "cited_key")
        .filter(lambda t: t.citing != t.cited)
        .select("citing", "cited")
        .distinct()
    )
    fc = con.table("family_countries")
    fc = fc.filter((fc.basis == basis) & fc.country.notnull()).select("family_id", "country")
    placed = fc.select("family_id").distinct()
    both = pairs.filter(pairs.citing.isin(placed.family_id) & pairs.cited.isin(placed.family_id))
    citing_c = fc.select(citing=fc.family_id, country=fc.country)
    cited_c = fc.select(cited=fc.family_id, country=fc.country)
    shared = both.join(citing_c, "citing").join(cited_c, ["cited", "country"]).select("citing", "cited")
    foreign = both.anti_join(shared.distinct(), ["citing", "cited"])
    return foreign.select(family_id=foreign.cited).distinct().mutate(cited_abroad=ibis.literal(True))


def _shares(grouped: ir.Table) -> ir.Table:
    shares = {f"{s}_share": (grouped[s] / grouped.families).round(4) for s in SIGNALS}
    return grouped.mutate(**shares)


def by_country(
    con: BaseBackend,
    basis: str = "applicant",
    year: str | None = None,
    signal_basis: str | None = None,
    families: ir.Table | None = None,
) -> ir.Table:
    """Per country on ``basis`` (and per ``year`` column of ``families`` when given, e.g.
    ``priority_year``): ``families`` counted in full (a family counts once for each of its countries), the
    families with each signal and its share of them. ``signal_basis`` is the basis of "cited from abroad"
    (``basis`` by default); ``families`` (a ``family_id`` column) restricts the counts to a selection."""
    signals = family_signals(con, signal_basis or basis)
    fc = con.table("family_countries")
    fc = fc.filter((fc.basis == basis) & fc.country.notnull()).select("family_id", "country")
    if families is not None:
        fc = fc.filter(fc.family_id.isin(families.family_id))
    keys = ["country"]
    if year is not None:
        families = con.table("families").select("family_id", year)
        fc = fc.join(families, "family_id")
        keys = [year, "country"]
    joined = fc.join(signals, "family_id")
    grouped = joined.group_by(keys).agg(
        families=joined.count(), **{s: joined[s].cast("int64").sum() for s in SIGNALS}
    )
    return _shares(grouped).order_by(keys)


def by_owner(con: BaseBackend, basis: str = "applicant", limit: int | None = None) -> ir.Table:
    """Per owner group: ``families`` and the families with each signal and its share, the largest first."""
    signals = family_signals(con, basis)
    owners = con.table("family_owners").select("family_id", "group_id", "group_name")
    joined = owners.join(signals, "family_id")
    grouped = joined.group_by(["group_id", "group_name"]).agg(
        families=joined.family_id.nunique(), **{s: joined[s].cast("int64").sum() for s in SIGNALS}
    )
    ordered = _shares(grouped).order_by([ibis.desc("families"), "group_id"])
    return ordered.limit(limit) if limit else ordered
