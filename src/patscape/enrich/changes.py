"""What an incremental enrichment has to redo, from what changed since the last one.

``enriched_publications`` holds the content hash of every publication as it was when last enriched; a
publication whose hash is missing (new) or differs (replaced by a later version or a merge) is *changed*.
``family_links`` holds the keys through which publications affect each other's enrichment:

- ``f:<filing key>`` (a priority claim or the application) and ``d:<DOCDB id>`` (a stated family): two
  publications sharing one are in the same extended family;
- ``c:<country>-<number>``: a patent document the publication cites (its quality indicators count for the
  cited family's, and the other way round).

The scope of a run (``Scope``, temporary tables) is closed: every extended family that a changed
publication joins, or used to be in, is recomputed whole, so that the families computed for it are those a
full rebuild computes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from patscape.store import schema
from patscape.store.base import Store

FAMILY_LINK_PREFIXES = ("f:", "d:")
CITED_PREFIX = "c:"
_KEYS = schema.Table("_enrich_keys", (("pub_key", "TEXT NOT NULL"),))
_LINKS = schema.Table("_enrich_links", (("link", "TEXT NOT NULL"),))
_FAMILIES = schema.Table("_enrich_families", (("family_id", "TEXT NOT NULL"),))


@dataclass
class Changes:
    new: list[str] = field(default_factory=list)  # stored, never enriched
    replaced: list[str] = field(default_factory=list)  # enriched with another content hash
    removed: list[str] = field(default_factory=list)  # enriched, no longer stored
    hashes: dict[str, str] = field(default_factory=dict)  # content hash of the new and replaced, as found

    @property
    def changed(self) -> list[str]:
        return [*self.new, *self.replaced]

    def __bool__(self) -> bool:
        return bool(self.new or self.replaced or self.removed)


def detect(store: Store) -> Changes:
    """The publications stored since the last enrichment, replaced since, or gone.

    One outer join of the stored publications with the enriched ones on the key finds those new (no
    enriched row) or replaced (another hash) together; the publications gone are looked for only when the
    counts say there are some (stored = kept + new, enriched = kept + gone), which spares a second pass over
    both tables."""
    rows = store.fetch(
        "SELECT p.pub_key, p.content_hash, e.pub_key IS NOT NULL AS known FROM publications p "
        "LEFT JOIN enriched_publications e ON e.pub_key = p.pub_key "
        "WHERE e.content_hash IS DISTINCT FROM p.content_hash"
    )
    found = Changes(hashes={r["pub_key"]: r["content_hash"] for r in rows})
    found.new = sorted(r["pub_key"] for r in rows if not r["known"])
    found.replaced = sorted(r["pub_key"] for r in rows if r["known"])
    stored = int(store.scalar("SELECT count(*) FROM publications") or 0)
    enriched = int(store.scalar("SELECT count(*) FROM enriched_publications") or 0)
    if enriched - (stored - len(found.new)):
        found.removed = store.fetch_column(
            "SELECT e.pub_key FROM enriched_publications e WHERE NOT EXISTS "
            "(SELECT 1 FROM publications p WHERE p.pub_key = e.pub_key) ORDER BY 1"
        )
    return found


def enriched_before(store: Store) -> bool:
    return bool(store.scalar("SELECT count(*) FROM enriched_publications"))


def _temp(store: Store, table: schema.Table, rows: Iterable[tuple[str, ...]]) -> None:
    store.execute(f"DROP TABLE IF EXISTS {table.name}")
    columns = ", ".join(f"{c} {t}" for c, t in table.columns)
    store.execute(f"CREATE TEMPORARY TABLE {table.name} ({columns})")
    batch = list(rows)
    for start in range(0, len(batch), 100_000):
        store.insert_rows(table, batch[start : start + 100_000])


@dataclass
class Scope:
    """Temporary tables naming what an incremental run rewrites: ``publications`` (pub_key) whose families
    are recomputed, ``removed`` (pub_key) enriched before and no longer stored, ``families`` (family_id)
    written or removed."""

    publications: str = "_enrich_publications"
    removed: str = "_enrich_removed"
    families: str = _FAMILIES.name
    changed: str = _KEYS.name  # pub_key of the changed publications (new or replaced)
    changed_keys: list[str] = field(default_factory=list)  # the same, at hand
    # their family link keys (``f:``, ``d:``) as (pub_key, link), found by ``open_scope``
    changed_links: list[tuple[str, str]] = field(default_factory=list)
    moved: str = "_enrich_moved"  # pub_key whose family_members row changes
    # the family_members rows of the families in ``families``, written by the family step from the rows it
    # computed (the scope holds whole families), read by the later steps instead of the whole table
    members: str = "_enrich_scope_members"

    def set_moved(self, store: Store, keys: list[str]) -> None:
        _temp(store, schema.Table(self.moved, _KEYS.columns), ((k,) for k in keys))

    def add_families(self, store: Store, ids: Iterable[str]) -> None:
        have = {r["family_id"] for r in store.fetch(f"SELECT family_id FROM {self.families}")}
        new = sorted(set(ids) - have)
        for start in range(0, len(new), 100_000):
            store.insert_rows(_FAMILIES, [(i,) for i in new[start : start + 100_000]])

    def family_ids(self, store: Store) -> list[str]:
        return [r["family_id"] for r in store.fetch(f"SELECT family_id FROM {self.families}")]

    def close(self, store: Store) -> None:
        names = (self.publications, self.removed, self.families, self.moved, self.members)
        for name in (*names, _KEYS.name, _LINKS.name):
            store.execute(f"DROP TABLE IF EXISTS {name}")


def open_scope(
    store: Store, changes: Changes, links_of: Callable[[Store, str], list[tuple[str, str]]]
) -> Scope:
    """The scope of a run: the changed publications with every extended family they join (through their
    link keys as ``links_of`` computes them now, from a table of ``pub_key``) or were in. Also records, for
    ``citation_neighbours``, the documents the scope's publications cited when last enriched."""
    scope = Scope(changed_keys=changes.changed)
    _temp(store, schema.Table(scope.removed, _KEYS.columns), ((k,) for k in changes.removed))
    _temp(store, _KEYS, ((k,) for k in changes.changed))
    scope.changed_links = links_of(store, _KEYS.name)
    _temp(
        store,
        _LINKS,
        ((link,) for _, link in scope.changed_links if link.startswith(FAMILY_LINK_PREFIXES)),
    )
    prefixes = " OR ".join(f"link LIKE '{p}%'" for p in FAMILY_LINK_PREFIXES)
    kept = f" AND pub_key NOT IN (SELECT pub_key FROM {scope.removed})" if changes.removed else ""
    store.execute(
        f"CREATE TEMPORARY TABLE {scope.publications} AS "
        "SELECT pub_key FROM family_members WHERE extended_family_id IN ("
        "  SELECT extended_family_id FROM family_members WHERE pub_key IN ("
        f"    SELECT pub_key FROM {_KEYS.name} UNION SELECT pub_key FROM {scope.removed} UNION "
        f"    SELECT pub_key FROM family_links WHERE ({prefixes}) "
        f"    AND link IN (SELECT link FROM {_LINKS.name})))"
        f"{kept} UNION SELECT pub_key FROM {_KEYS.name}"
    )
    _temp(store, _FAMILIES, ())
    # what the changed publications cited when last enriched (their links are rewritten with the families)
    store.execute(
        f"INSERT INTO {_LINKS.name} SELECT DISTINCT link FROM family_links WHERE link LIKE '{CITED_PREFIX}%' "
        f"AND pub_key IN (SELECT pub_key FROM {scope.changed} UNION ALL SELECT pub_key FROM {scope.removed})"
    )
    return scope


def citation_neighbours(store: Store, scope: Scope) -> list[str]:
    """The families whose quality indicators may change with the publications that changed or changed
    family: the families of the documents they cite or cited, and the families citing them."""
    pubs = f"SELECT pub_key FROM {scope.moved} UNION ALL SELECT pub_key FROM {scope.changed}"
    cited = (
        f"SELECT link FROM {_LINKS.name} WHERE link LIKE '{CITED_PREFIX}%' UNION SELECT link FROM "
        f"family_links WHERE pub_key IN ({pubs}) AND link LIKE '{CITED_PREFIX}%'"
    )
    # ``c:<country>-<number>`` read back into its parts (a country has no '-'), so that the publications
    # are found by a join on their columns rather than by making the link of each
    head = "split_part(link, '-', 1)"
    parts = (
        f"SELECT DISTINCT substr({head}, {len(CITED_PREFIX) + 1}) AS country, "
        f"substr(link, length({head}) + 2) AS number FROM ({cited}) c"
    )
    rows = store.fetch(
        # documents cited now or before by the scope's publications
        "SELECT DISTINCT family_id FROM family_members WHERE pub_key IN (SELECT p.pub_key "
        f"FROM publications p JOIN ({parts}) d ON d.country = p.country AND d.number = p.number) "
        "UNION "
        # publications citing them
        "SELECT DISTINCT family_id FROM family_members WHERE pub_key IN (SELECT pub_key FROM family_links "
        f"WHERE link IN (SELECT '{CITED_PREFIX}' || country || '-' || number FROM publications "
        f"WHERE pub_key IN ({pubs})))"
    )
    return [r["family_id"] for r in rows]


def cited_links_sql(keys: str | None = None) -> str:
    """``INSERT`` of the ``c:`` links of the publications (named in the table ``keys``, or all)."""
    where = f"AND pub_key IN (SELECT pub_key FROM {keys})" if keys else ""
    return (
        "INSERT INTO family_links (pub_key, link) "
        f"SELECT DISTINCT pub_key, '{CITED_PREFIX}' || country || '-' || number FROM citations "
        f"WHERE country IS NOT NULL AND number IS NOT NULL AND npl IS NULL {where}"
    )


def record(store: Store, scope: Scope | None, found: Changes | None = None) -> None:
    """Remember the content hash of the publications enriched: of ``scope``, as ``found`` found them (the
    content enriched: a version stored meanwhile is found next time), or of all."""
    if scope is None or found is None:
        store.execute("DELETE FROM enriched_publications")
        store.execute("INSERT INTO enriched_publications SELECT pub_key, content_hash FROM publications")
        return
    # a new publication has no row yet
    for source, some in ((scope.changed, found.replaced), (scope.removed, found.removed)):
        if some:
            store.execute(
                f"DELETE FROM enriched_publications WHERE pub_key IN (SELECT pub_key FROM {source})"
            )
    rows = [(k, found.hashes[k]) for k in found.changed]
    for start in range(0, len(rows), 100_000):
        store.insert_rows(schema.ENRICHED_PUBLICATIONS, rows[start : start + 100_000])
