"""Country attribution of families, on four bases, written to ``family_countries`` in SQL.

- ``inventor``: the countries of the inventors of any member (WIPO's geography);
- ``applicant``: the countries of the owners (see :data:`OWNER_PARTIES_SQL`) of any member;
- ``office``: the first-filing office (the office of the earliest priority, else of the earliest
  application; the OECD's "priority office");
- ``member``: every office where a member is published, i.e. where protection is sought.

One row per (family, basis, country). Full counting counts the family once for each of its countries
(``count(DISTINCT family_id)``); fractional counting sums ``weight`` = 1/n, n being the number of the
family's countries on that basis, so that each family adds up to one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from patscape.enrich.rewrite import copy_some, rewrite
from patscape.store.base import Store
from patscape.store.schema import FAMILY_COUNTRIES

BASES = ("inventor", "applicant", "office", "member")


# The parties that own a publication: its assignees where it names any (US grants name the inventors
# as applicants before 2012), else its applicants.
def owner_parties_sql(keys: str | None = None) -> str:
    """``pub_key``, ``name``, ``country`` of the owners of every publication, or of those named in the table
    ``keys`` (a column ``pub_key``: the rest of ``parties`` is not read)."""
    only = f"pa.pub_key IN (SELECT pub_key FROM {keys}) AND " if keys else ""
    return f"""
SELECT pa.pub_key, pa.name, pa.country FROM parties pa
WHERE {only}pa.name IS NOT NULL AND pa.name <> ''
  AND (pa.role = 'assignee'
       OR (pa.role = 'applicant'
           AND NOT EXISTS (SELECT 1 FROM parties a WHERE a.pub_key = pa.pub_key AND a.role = 'assignee')))
"""


OWNER_PARTIES_SQL = owner_parties_sql()

_WEIGHTED = """
INSERT INTO family_countries (family_id, basis, country, weight)
SELECT family_id, '{basis}', country,
       CAST(1.0 AS DOUBLE PRECISION) / count(*) OVER (PARTITION BY family_id)
FROM ({pairs}) pairs
"""


def pairs_sql(basis: str, members: str | None = None, families: str | None = None) -> str:
    """``SELECT`` of the (family_id, country) pairs on ``basis``: of every family, or of those named in the
    table ``families`` whose ``family_members`` rows are copied in the table ``members`` (their parties
    alone are read)."""
    fm = members or "family_members"
    if basis == "inventor":
        only = f"AND pa.pub_key IN (SELECT pub_key FROM {members})" if members else ""
        return (
            f"SELECT DISTINCT fm.family_id, pa.country FROM {fm} fm "
            "JOIN parties pa ON pa.pub_key = fm.pub_key "
            f"WHERE pa.role = 'inventor' AND pa.country IS NOT NULL {only}"
        )
    if basis == "applicant":
        return (
            f"SELECT DISTINCT fm.family_id, op.country FROM {fm} fm JOIN ({owner_parties_sql(members)}) op "
            "ON op.pub_key = fm.pub_key WHERE op.country IS NOT NULL"
        )
    if basis == "office":
        only = f"AND fm.family_id IN (SELECT family_id FROM {families})" if families else ""
        return (
            "SELECT family_id, first_filing_office AS country FROM families fm "
            f"WHERE first_filing_office IS NOT NULL {only}"
        )
    return f"SELECT DISTINCT family_id, country FROM {fm} fm WHERE country IS NOT NULL"


# every family's pairs, with a place for a further condition (the Spark path's)
def build_countries(store: Store, families: str | None = None, members: str | None = None) -> dict[str, int]:
    """(Re)write ``family_countries`` from ``families``/``family_members`` in one transaction: every family,
    or those named in the table ``families`` (a column ``family_id``; ``members``: a table of their
    ``family_members`` rows, when at hand)."""
    with store.transaction():
        if families:
            store.execute(
                f"DELETE FROM family_countries WHERE family_id IN (SELECT family_id FROM {families})"
            )
            with members_of(store, families, members) as rows:
                _fill(store, rows, families)
        else:
            with rewrite(store, FAMILY_COUNTRIES):
                _fill(store)
    rows = store.fetch("SELECT basis, count(*) AS n FROM family_countries GROUP BY basis")
    counts = {b: 0 for b in BASES}
    counts.update({r["basis"]: int(r["n"]) for r in rows})
    return counts


MEMBERS = "_enrich_members"  # the family_members rows of some families (``members_of``)


@contextmanager
def members_of(store: Store, families: str, members: str | None = None) -> Iterator[str]:
    """A table of the ``family_members`` rows of the families named in the table ``families``: ``members``
    when the caller has it, else a temporary copy (``MEMBERS``, dropped after). The statements of an
    incremental run then read those rows, and the parties of those publications alone, instead of joining
    whole tables."""
    if members:
        yield members
        return
    copy_some(store, MEMBERS, "family_members", "family_id", families, "family_id, pub_key, country")
    try:
        yield MEMBERS
    finally:
        store.execute(f"DROP TABLE IF EXISTS {MEMBERS}")


def _fill(store: Store, members: str | None = None, families: str | None = None) -> None:
    for basis in BASES:
        store.execute(_WEIGHTED.format(basis=basis, pairs=pairs_sql(basis, members, families)))
