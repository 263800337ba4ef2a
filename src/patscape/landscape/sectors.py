"""Who files: families by applicant sector per country and year, and co-applications (families with both an
academic applicant, a university or a public research institute, and a company).

Each raw applicant name is classified by :mod:`patscape.enrich.sectors`; an owner group takes the sector
the alias file states for it (the universities), else the one most of its raw names have (ties go to the
first in ``SECTORS``); a group whose names the rules cannot tell has no sector. A family counts once in
each sector of its owner groups (full counting).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from patscape.enrich.aliases import load_aliases
from patscape.enrich.sectors import SECTORS, SectorRules, load_sector_rules

ACADEMIC = ("university", "institute")


def group_sectors(con: BaseBackend, rules: SectorRules | None = None) -> dict[str, str]:
    """Owner group id -> sector: the one the alias file states for the group, else the most frequent of
    the sectors of the group's raw names."""
    rules = rules or load_sector_rules()
    stated = {g.id: g.sector for g in load_aliases().groups if g.sector}
    names = con.table("owner_groups").select("raw_name", "group_id").to_pyarrow().to_pylist()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for row in names:
        if row["group_id"] in stated:
            continue
        sector = rules.classify(row["raw_name"] or "").sector
        if sector is not None:
            votes[row["group_id"]][sector] += 1
    found = {
        group: min(counts.items(), key=lambda kv: (-kv[1], SECTORS.index(kv[0])))[0]
        for group, counts in votes.items()
    }
    present = {row["group_id"] for row in names}
    return found | {g: s for g, s in stated.items() if g in present}


def family_sectors(con: BaseBackend, rules: SectorRules | None = None) -> ir.Table:
    """``family_id``, ``sector``: each sector among a family's owner groups."""
    sectors = group_sectors(con, rules)
    table = ibis.memtable(
        {"group_id": list(sectors), "sector": list(sectors.values())},
        schema={"group_id": "string", "sector": "string"},
    )
    owners = con.table("family_owners").select("family_id", "group_id")
    joined = owners.join(table, "group_id")
    return joined.select("family_id", "sector").distinct()


def _placed(con: BaseBackend, basis: str, year: str | None, families: ir.Table | None) -> ir.Table:
    """``family_id``, ``country`` (and ``year`` when a year column is given: dated families only), of the
    ``families`` (a ``family_id`` column) when given."""
    fc = con.table("family_countries")
    fc = fc.filter((fc.basis == basis) & fc.country.notnull()).select("family_id", "country")
    if families is not None:
        fc = fc.filter(fc.family_id.isin(families.family_id))
    if year is None:
        return fc
    dated = con.table("families").select("family_id", year)
    joined = fc.join(dated.filter(dated[year].notnull()), "family_id")
    return joined.select("family_id", "country", year=joined[year])


def by_sector(
    con: BaseBackend,
    basis: str = "applicant",
    year: str | None = "priority_year",
    rules: SectorRules | None = None,
    families: ir.Table | None = None,
) -> ir.Table:
    """``year`` (unless ``year`` is None: all years together), ``country``, ``sector``, ``families``,
    ``share`` (of the country's families that year with a sector); of ``families`` when given."""
    keys = ["year", "country"] if year else ["country"]
    placed = _placed(con, basis, year, families)
    joined = placed.join(family_sectors(con, rules), "family_id")
    per = joined.group_by([*keys, "sector"]).agg(families=joined.family_id.nunique())
    totals = joined.group_by(keys).agg(with_sector=joined.family_id.nunique())
    out = per.join(totals, keys)
    return out.select(*keys, "sector", "families", share=(out.families / out.with_sector).round(4)).order_by(
        [*keys, "sector"]
    )


def co_applications(
    con: BaseBackend,
    basis: str = "applicant",
    year: str | None = "priority_year",
    rules: SectorRules | None = None,
    families: ir.Table | None = None,
) -> ir.Table:
    """``year`` (unless None), ``country``, ``families`` (with a sector), ``academic`` (with a university or
    institute), ``co_applications`` (with an academic applicant and a company) and ``co_share`` (of
    ``academic``); of ``families`` when given."""
    keys = ["year", "country"] if year else ["country"]
    fs = family_sectors(con, rules)
    flags = fs.group_by("family_id").agg(
        academic=fs.sector.isin(ACADEMIC).any(), company=(fs.sector == "company").any()
    )
    joined = _placed(con, basis, year, families).join(flags, "family_id")
    per = joined.group_by(keys).agg(
        families=joined.count(),
        academic=joined.academic.cast("int64").sum(),
        co_applications=(joined.academic & joined.company).cast("int64").sum(),
    )
    share = ibis.ifelse(per.academic > 0, (per.co_applications / per.academic).round(4), None)
    return per.mutate(co_share=share).order_by(keys)
