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

from patscape.enrich.rewrite import rewrite
from patscape.store.base import Store
from patscape.store.schema import FAMILY_COUNTRIES

BASES = ("inventor", "applicant", "office", "member")

# The parties that own a publication: its assignees where it names any (US grants name the inventors
# as applicants before 2012), else its applicants.
OWNER_PARTIES_SQL = """
SELECT pa.pub_key, pa.name, pa.country FROM parties pa
WHERE pa.name IS NOT NULL AND pa.name <> ''
  AND (pa.role = 'assignee'
       OR (pa.role = 'applicant'
           AND NOT EXISTS (SELECT 1 FROM parties a WHERE a.pub_key = pa.pub_key AND a.role = 'assignee')))
"""

_WEIGHTED = """
INSERT INTO family_countries (family_id, basis, country, weight)
SELECT family_id, '{basis}', country,
       CAST(1.0 AS DOUBLE PRECISION) / count(*) OVER (PARTITION BY family_id)
FROM ({pairs}) pairs
"""

_PAIRS = {
    "inventor": (
        "SELECT DISTINCT fm.family_id, pa.country FROM family_members fm "
        "JOIN parties pa ON pa.pub_key = fm.pub_key "
        "WHERE pa.role = 'inventor' AND pa.country IS NOT NULL {scope}"
    ),
    "applicant": (
        "SELECT DISTINCT fm.family_id, op.country FROM family_members fm "
        f"JOIN ({OWNER_PARTIES_SQL}) op ON op.pub_key = fm.pub_key WHERE op.country IS NOT NULL {{scope}}"
    ),
    "office": "SELECT family_id, first_filing_office AS country FROM families fm "
    "WHERE first_filing_office IS NOT NULL {scope}",
    "member": "SELECT DISTINCT family_id, country FROM family_members fm WHERE country IS NOT NULL {scope}",
}


def build_countries(store: Store, families: str | None = None) -> dict[str, int]:
    """(Re)write ``family_countries`` from ``families``/``family_members`` in one transaction: every family,
    or those named in the table ``families`` (a column ``family_id``)."""
    scope = f"AND fm.family_id IN (SELECT family_id FROM {families})" if families else ""
    with store.transaction():
        if families:
            store.execute(
                f"DELETE FROM family_countries WHERE family_id IN (SELECT family_id FROM {families})"
            )
            _fill(store, scope)
        else:
            with rewrite(store, FAMILY_COUNTRIES):
                _fill(store, scope)
    rows = store.fetch("SELECT basis, count(*) AS n FROM family_countries GROUP BY basis")
    counts = {b: 0 for b in BASES}
    counts.update({r["basis"]: int(r["n"]) for r in rows})
    return counts


def _fill(store: Store, scope: str) -> None:
    for basis in BASES:
        store.execute(_WEIGHTED.format(basis=basis, pairs=_PAIRS[basis].format(scope=scope)))
