"""The offices a family is filed in, as commercial signals: how many of the IP5 offices (CN, EP, JP, KR, US)
publish a member, and whether EP, JP and US all do (the OECD's triadic family, on filings). Written into the
fact table (``family_facts.ip5_offices``, ``triadic``) and read by ``landscape/commercial.py``."""

from __future__ import annotations

import ibis.expr.types as ir

IP5 = ("CN", "EP", "JP", "KR", "US")
TRIADIC = ("EP", "JP", "US")


def office_signals(members: ir.Table) -> ir.Table:
    """``family_id``, ``ip5_offices``, ``triadic`` from ``family_members`` rows (any expression of that
    table: the enrichment passes the members of the families it refreshes); families without a member in
    an IP5 office have no row."""
    offices = members.filter(members.country.isin(IP5)).select("family_id", "country").distinct()
    per_family = offices.group_by("family_id").agg(
        ip5_offices=offices.count().cast("int32"),
        triadic_offices=offices.country.isin(TRIADIC).cast("int32").sum(),
    )
    return per_family.select("family_id", "ip5_offices", triadic=per_family.triadic_offices == len(TRIADIC))
