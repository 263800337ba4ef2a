"""Patent families: which publications describe one invention, and what each family looks like.

Membership (computed in Python: a union-find over keys, linear in the number of publications):

- **DOCDB family**: the id a source states (``publications.family_id``: DOCDB, OPS, CSET) is used as is.
- **Simple family**: publications with an identical set of priority claims. A publication that claims no
  priority (with office and number) is treated as claiming its own application, so it forms a family with
  the other publications of its application, and with those claiming that application as their only
  priority (the DOCDB rule). A publication with neither priorities nor an application number is alone.
- **Extended family**: publications connected directly or indirectly through a shared priority claim, a
  shared application, or a stated DOCDB family (the INPADOC idea).

Priority claims are the ``priorities`` rows with an office and a number, plus the earlier applications that
continuity data names (``related``: US continuations, divisions and provisionals, the PCT application of a
national phase), which DOCDB also lists as priorities.

Filings are compared through :func:`patscape.enrich.filing_keys.filing_key` (office, last digits of the
serial, date), because sources spell one application number in several ways. Priorities known only
by year (CSET) or only by date (Google Patents) cannot link publications; they still give the family's
earliest priority year.

The landscape's unit (``families.family_id``) is the DOCDB id where a source states one; a publication
without one takes the DOCDB id of its simple family when exactly one is known there, else its extended
family id ``x:<smallest pub_key of the extended family>``. ``family_type`` says which: ``docdb``,
``simple`` (a computed family that is one simple family) or ``extended`` (a computed family that joins
several simple families). The per-family figures are computed in SQL from ``family_members``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from patscape.enrich.changes import Scope, cited_links_sql
from patscape.enrich.filing_keys import filing_key
from patscape.enrich.rewrite import rewrite
from patscape.enrich.unionfind import UnionFind
from patscape.store import schema
from patscape.store.base import Store

EXTENDED_PREFIX = "x:"
SIMPLE_PREFIX = "s:"

# A publication is a grant when it says so, or, when it does not say, by its kind code:
# B* and C* (most offices); US A (grants before 2001), E (reissue), P2/P3 (plant), S (design).
GRANT_SQL = (
    "(p.granted IS NOT NULL OR p.doc_type IN ('grant', 'design', 'plant', 'reissue', 'amended') "
    "OR (p.doc_type IS NULL AND (substr(p.kind, 1, 1) IN ('B', 'C') "
    "OR (p.country = 'US' AND p.kind IN ('A', 'E', 'E1', 'P2', 'P3', 'S', 'S1')))))"
)


# Continuity data (US continuations, divisions, provisionals, PCT national phase) names earlier applications
# the publication claims, as DOCDB's domestic priorities do: they count as priority claims.
RELATED_CLAIMS = (
    "(r.relation IN ('continuation', 'continuation-in-part', 'division', 'us-provisional-application', "
    "'371-of-international', 'pct-filing', 'pct-application', 'continuing-reissue', 'reissue') "
    "AND (r.role IS NULL OR r.role IN ('parent', 'parent-pct')))"
)


@dataclass(slots=True)
class Member:
    family_id: str
    pub_key: str
    country: str | None
    published: Any
    kind: str | None
    simple_family_id: str
    extended_family_id: str

    def row(self) -> tuple[Any, ...]:
        return (
            self.family_id,
            self.pub_key,
            self.country,
            _iso(self.published),
            self.kind,
            self.simple_family_id,
            self.extended_family_id,
        )


def _iso(value: Any) -> str | None:
    """Dates are written as ISO text, which every backend's bulk insert reads."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()


def _claims(priorities: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Per publication, the filing keys of its priority claims (those with office and number)."""
    claims: dict[str, set[str]] = defaultdict(set)
    for pr in priorities:
        key = filing_key(pr["country"], pr["number"], pr["date"])
        if key:
            claims[pr["pub_key"]].add(key)
    return claims


def _application(pub: dict[str, Any]) -> str | None:
    return filing_key(pub["app_country"] or pub["country"], pub["app_number"], pub["app_date"])


def _links(pub: dict[str, Any], claims: set[str] | None, app: str | None) -> list[tuple[str, str]]:
    """A publication's link keys: ``f:`` of its claims and application, ``d:`` of its stated family."""
    pk = pub["pub_key"]
    out = [(pk, "f:" + key) for key in sorted({*(claims or ()), *((app,) if app else ())})]
    if pub["family_id"]:
        out.append((pk, "d:" + pub["family_id"]))
    return out


def compute_members(
    pubs: list[dict[str, Any]], priorities: list[dict[str, Any]], links: list[tuple[str, str]] | None = None
) -> list[Member]:
    """Family membership of every publication.

    ``pubs``: dicts with pub_key, country, kind, published, family_id, app_country, app_number, app_date;
    ``priorities``: dicts with pub_key, country, number, date (rows without office or number are ignored).
    ``links`` (when given) receives each publication's link keys: ``f:<filing key>`` for its priority claims
    and application, ``d:<id>`` for a stated DOCDB family; publications sharing a key are in one extended
    family.
    """
    claims = _claims(priorities)
    # Only publications with a linking filing go through the union-find; the others (all of CSET) are
    # their DOCDB family or alone.
    uf = UnionFind()
    signature: dict[str, frozenset[str]] = {}
    for pub in pubs:
        pk = pub["pub_key"]
        app = _application(pub)
        keys = claims.get(pk)
        if links is not None:
            links.extend(_links(pub, keys, app))
        if not keys and not app:
            continue
        node = "p:" + pk
        uf.add(node)
        for key in keys or ():
            uf.union(node, "f:" + key)
        if app:
            uf.union(node, "f:" + app)
        if pub["family_id"]:
            uf.union(node, "d:" + pub["family_id"])
        signature[pk] = frozenset(keys) if keys else frozenset((app,))

    def component(pk: str, docdb: str | None) -> str:
        if pk in signature:
            return uf.find("p:" + pk)  # type: ignore[return-value]
        if docdb:
            node = "d:" + docdb
            return uf.find(node) if node in uf.parent else node  # type: ignore[return-value]
        return "p:" + pk

    ext_min: dict[str, str] = {}
    sig_min: dict[frozenset[str], str] = {}
    sig_docdb: dict[frozenset[str], set[str]] = defaultdict(set)
    comps: list[str] = []
    for pub in pubs:
        pk, docdb = pub["pub_key"], pub["family_id"]
        comp = component(pk, docdb)
        comps.append(comp)
        if comp not in ext_min or pk < ext_min[comp]:
            ext_min[comp] = pk
        sig = signature.get(pk)
        if sig is not None:
            if sig not in sig_min or pk < sig_min[sig]:
                sig_min[sig] = pk
            if docdb:
                sig_docdb[sig].add(docdb)

    members = []
    for pub, comp in zip(pubs, comps, strict=True):
        pk, docdb = pub["pub_key"], pub["family_id"]
        extended = EXTENDED_PREFIX + ext_min[comp]
        sig = signature.get(pk)
        simple = docdb or SIMPLE_PREFIX + (sig_min[sig] if sig is not None else pk)
        unit = docdb
        if not unit:
            known = sig_docdb.get(sig) if sig is not None else None
            unit = next(iter(known)) if known and len(known) == 1 else extended
        members.append(Member(unit, pk, pub["country"], pub["published"], pub["kind"], simple, extended))
    return members


_FAMILIES_SQL = f"""
INSERT INTO families (family_id, family_type, earliest_priority, priority_year, earliest_publication,
                      publication_year, first_filing_office, granted, member_count, office_count)
WITH fm AS (SELECT * FROM {{members}} {{scope}}),
m AS (
  SELECT fm.family_id, fm.simple_family_id, p.pub_key, p.country, p.published, p.app_country, p.app_date,
         {GRANT_SQL} AS is_grant
  FROM fm JOIN {{publications}} p ON p.pub_key = fm.pub_key
),
filings AS (
  SELECT fm.family_id, pr.country, pr.date,
         CASE WHEN pr.kind = 'year-only' THEN 1 ELSE 0 END AS year_only, 0 AS is_app
  FROM fm JOIN {{priorities}} pr ON pr.pub_key = fm.pub_key
  WHERE pr.date IS NOT NULL
  UNION ALL
  SELECT fm.family_id, r.country, r.date, 0, 0
  FROM fm JOIN {{related}} r ON r.pub_key = fm.pub_key
  WHERE r.date IS NOT NULL AND {RELATED_CLAIMS}
  UNION ALL
  SELECT family_id, coalesce(app_country, country), app_date, 0, 1 FROM m WHERE app_date IS NOT NULL
),
first_filing AS (
  SELECT family_id,
         min(CASE WHEN year_only = 0 THEN date END) AS first_date,
         min(CAST(extract(year FROM date) AS INTEGER)) AS first_year
  FROM filings GROUP BY family_id
),
office AS (
  SELECT family_id, country FROM (
    SELECT family_id, country,
           row_number() OVER (PARTITION BY family_id ORDER BY is_app, date, country) AS rn
    FROM filings WHERE country IS NOT NULL AND year_only = 0
  ) ranked WHERE rn = 1
),
agg AS (
  SELECT family_id,
         min(published) AS first_pub,
         count(*) AS members,
         count(DISTINCT country) AS offices,
         count(DISTINCT simple_family_id) AS simple_families,
         bool_or(is_grant) AS granted
  FROM m GROUP BY family_id
)
SELECT a.family_id,
       CASE WHEN a.family_id NOT LIKE '{EXTENDED_PREFIX}%' THEN 'docdb'
            WHEN a.simple_families = 1 THEN 'simple' ELSE 'extended' END,
       CASE WHEN CAST(extract(year FROM f.first_date) AS INTEGER) = f.first_year THEN f.first_date END,
       f.first_year,
       a.first_pub,
       CAST(extract(year FROM a.first_pub) AS INTEGER),
       o.country,
       coalesce(a.granted, FALSE),
       a.members,
       a.offices
FROM agg a
LEFT JOIN first_filing f ON f.family_id = a.family_id
LEFT JOIN office o ON o.family_id = a.family_id
"""


def families_sql(scope: str = "", members: str = "family_members") -> str:
    """``INSERT`` of the ``families`` rows of every family, or of those ``scope`` (a ``WHERE`` on
    ``family_members``) selects, or of those whose ``family_members`` rows are the table ``members``: then
    only their publications' rows of the tables joined are read."""
    tables = {t: t for t in ("publications", "priorities", "related")}
    if scope or members != "family_members":
        tables = {t: f"(SELECT * FROM {t} WHERE pub_key IN (SELECT pub_key FROM fm))" for t in tables}
    return _FAMILIES_SQL.format(scope=scope, members=members, **tables)


_PUBLICATIONS_SQL = (
    "SELECT pub_key, country, kind, published, family_id, app_country, app_number, app_date FROM publications"
)
_PRIORITIES_SQL = (
    "SELECT pub_key, country, number, date FROM priorities "
    "WHERE country IS NOT NULL AND number IS NOT NULL {scope} "
    f"UNION ALL SELECT pub_key, country, number, date FROM related r WHERE {RELATED_CLAIMS} "
    "AND country IS NOT NULL AND number IS NOT NULL {scope}"
)


@dataclass
class FamilyChanges:
    """What a (re)build of the families did: ``publications`` placed, ``families`` written (of which
    ``created`` did not exist before), ``merged``: families absorbed into another, ``removed``: families
    that no longer exist (merged or left without members); ``touched``: the ids of every family written or
    removed."""

    publications: int = 0
    families: int = 0
    created: int = 0
    merged: int = 0
    removed: int = 0
    touched: set[str] = field(default_factory=set)


def build_families(store: Store, scope: Scope | None = None) -> dict[str, int]:
    """(Re)write ``family_members``, ``families`` and ``family_links`` in one transaction (every publication,
    or the publications of ``scope`` only); returns counts."""
    done = rebuild_families(store, scope)
    return {
        "publications": done.publications,
        "families": int(store.scalar("SELECT count(*) FROM families") or 0),
        "docdb": int(store.scalar("SELECT count(*) FROM families WHERE family_type = 'docdb'") or 0),
        "computed": int(store.scalar("SELECT count(*) FROM families WHERE family_type <> 'docdb'") or 0),
        **({"updated": done.families, "new": done.created, "merged": done.merged} if scope else {}),
    }


def rebuild_families(store: Store, scope: Scope | None = None) -> FamilyChanges:
    """The families of every publication, or of the publications in ``scope`` (which holds whole extended
    families: see ``changes.open_scope``)."""
    where = f"WHERE pub_key IN (SELECT pub_key FROM {scope.publications})" if scope else ""
    pubs = store.fetch(f"{_PUBLICATIONS_SQL} {where}")
    priorities = store.fetch(_PRIORITIES_SQL.format(scope=where.replace("WHERE", "AND")))
    links: list[tuple[str, str]] = []
    # an incremental run writes the links of the changed publications alone, found with its scope
    members = compute_members(pubs, priorities, links if scope is None else None)
    done = FamilyChanges(publications=len(pubs))
    with store.transaction():
        if scope is None:
            with rewrite(store, schema.FAMILY_MEMBERS):
                _insert(store, schema.FAMILY_MEMBERS, [m.row() for m in members])
            with rewrite(store, schema.FAMILY_LINKS):
                _insert(store, schema.FAMILY_LINKS, links)
                store.execute(cited_links_sql())
            with rewrite(store, schema.FAMILIES):
                store.execute(families_sql())
            done.families = done.created = int(store.scalar("SELECT count(*) FROM families") or 0)
            return done
        # dates as ISO text, as ``Member.row`` gives them
        columns = ", ".join(
            f"CAST({c} AS TEXT) AS {c}" if c == "published" else c for c in schema.FAMILY_MEMBERS.column_names
        )
        old_rows = {
            r["pub_key"]: tuple(r.values())
            for r in store.fetch(
                f"SELECT {columns} FROM family_members WHERE pub_key IN (SELECT pub_key FROM "
                f"{scope.publications} UNION ALL SELECT pub_key FROM {scope.removed})"
            )
        }
        new_rows = {m.pub_key: m.row() for m in members}
        before = {pk: row[0] for pk, row in old_rows.items()}
        after = {pk: row[0] for pk, row in new_rows.items()}
        existed = set(before.values())
        # only the rows that change are written: a table's row groups with deleted rows are rewritten
        moved = sorted(pk for pk in old_rows.keys() | new_rows.keys() if old_rows.get(pk) != new_rows.get(pk))
        scope.set_moved(store, moved)
        changed = set(scope.changed_keys)
        # the families of a publication that moved, or whose record changed (its dates, parties, classes)
        involved = changed | set(moved)
        done.touched = {before[pk] for pk in involved if pk in before} | {
            after[pk] for pk in involved if pk in after
        }
        store.execute(f"DELETE FROM family_members WHERE pub_key IN (SELECT pub_key FROM {scope.moved})")
        _insert(store, schema.FAMILY_MEMBERS, [new_rows[pk] for pk in moved if pk in new_rows])
        for source in (scope.changed, scope.removed):  # a publication's links are read from its record
            store.execute(f"DELETE FROM family_links WHERE pub_key IN (SELECT pub_key FROM {source})")
        _insert(store, schema.FAMILY_LINKS, scope.changed_links)
        store.execute(cited_links_sql(scope.changed))
        scope.add_families(store, done.touched)
        # the touched families' members are all in the scope (whole extended families): their rows at hand
        _temp_members(store, scope.members, [row for row in new_rows.values() if row[0] in done.touched])
        store.execute(f"DELETE FROM families WHERE family_id IN (SELECT family_id FROM {scope.families})")
        store.execute(families_sql(members=scope.members))
    survivors = {after[pk] for pk in involved if pk in after}
    done.families = len(survivors)
    done.created = len(set(after.values()) - existed)
    done.removed = len(existed - set(after.values()))
    absorbed: dict[str, set[str]] = defaultdict(set)
    for pk, old in before.items():
        if pk in after:
            absorbed[after[pk]].add(old)
    done.merged = sum(len(olds - {new}) for new, olds in absorbed.items() if len(olds) > 1)
    return done


def links_of(store: Store, keys: str) -> list[tuple[str, str]]:
    """The family link keys (``f:``, ``d:``) of the publications named in the table ``keys`` (a column
    ``pub_key``), as they are stored now."""
    where = f"WHERE pub_key IN (SELECT pub_key FROM {keys})"
    pubs = store.fetch(f"{_PUBLICATIONS_SQL} {where}")
    claims = _claims(store.fetch(_PRIORITIES_SQL.format(scope=where.replace("WHERE", "AND"))))
    return [link for pub in pubs for link in _links(pub, claims.get(pub["pub_key"]), _application(pub))]


def _temp_members(store: Store, name: str, rows: list[tuple[Any, ...]]) -> None:
    """The temporary table ``name``, with ``family_members``' columns, holding ``rows``."""
    table = schema.Table(name, schema.FAMILY_MEMBERS.columns)
    store.execute(f"DROP TABLE IF EXISTS {name}")
    store.execute(f"CREATE TEMPORARY TABLE {name} ({', '.join(f'{c} {t}' for c, t in table.columns)})")
    _insert(store, table, rows)


def _insert(store: Store, table: schema.Table, rows: list[tuple[Any, ...]]) -> None:
    for start in range(0, len(rows), 100_000):
        store.insert_rows(table, rows[start : start + 100_000])
