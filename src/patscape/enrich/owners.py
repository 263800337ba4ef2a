"""Owner groups: applicant names grouped into the organisations (and corporate groups) that own patents.

Each distinct raw name is normalised (:mod:`patscape.enrich.names`), then:

1. **alias**: the alias file (``owner_aliases.toml``) assigns corporate groups whose names cannot be matched
   by spelling (腾讯科技（深圳）有限公司 and Tencent America LLC; Lemon Inc. and ByteDance);
2. **self**: names with the same normalised form are one owner (``Samsung Electronics Co., Ltd.`` and
   ``Samsung Electronics Co Ltd``);
3. **fuzzy**: other names are linked when
   (a) their normalised forms have a rapidfuzz ``ratio`` of at least :data:`FUZZY_THRESHOLD` (95 when
   neither reads as an organisation's: LI QING / LI QIANG are two people) and differ as a misspelling does,
   by one or two characters and not in a number or a word such as North/South
   (``Microsoft Technoloogy Licensing``; ``Northeastern`` / ``Northwestern University`` stay apart);
   (b) one is the other plus more words, the shorter being an organisation's name of two or more words:
   ``General Mills`` / ``General Mills Marketing`` (not before "of": ``Zhejiang University`` /
   ``Zhejiang University of Technology`` stay apart), or a Chinese university and its graduate school
   (清华大学 / 清华大学深圳国际研究生院);
   (c) word for word, each word of one abbreviates the other's (``Amazon Tech`` / ``Amazon
   Technologies``, ``Univ Hong Kong`` / ``University of Hong Kong``).
   Linked names form one group (single link), or join the alias group they are linked to. Chinese,
   Japanese and Korean names are not compared by similarity: one character is a word there (海军/陆军,
   navy/army).

``owner_groups.score``: 100 for ``alias`` and ``self``; for ``fuzzy`` the best link's similarity (the
``ratio`` for a misspelling, the token-set ratio for a longer name or an abbreviation).

Accuracy on the 507 hand-labelled real names of ``tests/enrich/data/owner_names.csv``, pairwise
(``pytest tests/enrich/test_owners.py -s -k precision``): on the 189 names the alias file does not match,
where normalisation and fuzzy matching alone decide, precision 1.00 and recall 0.59 (most misses are
parents and subsidiaries or renamed companies, Northrop / Northrop Grumman, Inspur's companies, which only
an alias joins); the figure over all names is flattered by the alias file, written with these names in view.

Comparisons are blocked by the first letters of the normalised name, so the cost stays near-linear.
The owner's country is kept: per raw name the country most often given with it in the records (else its
group's), per group the alias file's country (else the most frequent one in the records).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist

from patscape.cycles import without_cycle_collection
from patscape.enrich import names as names_module
from patscape.enrich.aliases import Aliases, AliasGroup, load_aliases
from patscape.enrich.attribution import OWNER_PARTIES_SQL, members_of, owner_parties_sql
from patscape.enrich.names import has_cjk, is_organisation, normalise_parts
from patscape.enrich.rewrite import rewrite
from patscape.enrich.unionfind import UnionFind
from patscape.store import schema
from patscape.store.base import Store

FUZZY_THRESHOLD = 90.0  # rapidfuzz ratio (0-100) on normalised names, when one reads as an organisation
PERSON_THRESHOLD = 95.0  # when neither name reads as an organisation's (LI QING / LI QIANG: two people)
_MIN_FUZZY_LEN = 5  # shorter names only group by identical normalised form
_JOINERS = frozenset("of for and de du des la le del der und at in on".split())  # noqa: SIM905
# Words that tell two otherwise similar names apart: they are never typos of each other.
_DISTINGUISHING = frozenset(
    """north south east west northern southern eastern western northeast northwest southeast southwest
    northeastern northwestern southeastern southwestern central upper lower new old i ii iii iv v
    first second third""".split()  # noqa: SIM905
)
_UNIVERSITY_CJK = ("大学", "大學")
_STOPWORDS = frozenset("of the and for de du des la le del der und".split())  # noqa: SIM905


@dataclass(slots=True)
class Assignment:
    raw_name: str
    normalised: str
    group_id: str
    group_name: str
    method: str  # alias, fuzzy, self
    score: float


# -- candidate links ------------------------------------------------------------------------------


def _prefix_links(norms: set[str], org: Mapping[str, bool]) -> Iterator[tuple[str, str, float]]:
    for n in norms:
        if has_cjk(n):
            # a university and its graduate schools: 清华大学 / 清华大学深圳国际研究生院
            for end in _UNIVERSITY_CJK:
                at = n.find(end)
                if (
                    at >= 2
                    and at + len(end) < len(n)
                    and n[at + len(end)] != " "
                    and n[: at + len(end)] in norms
                ):
                    yield n[: at + len(end)], n, 100.0
            continue
        tokens = n.split()
        for k in range(2, len(tokens)):
            shorter = " ".join(tokens[:k])
            if shorter in norms and org.get(shorter) and tokens[k] not in _JOINERS:
                yield shorter, n, float(fuzz.token_set_ratio(shorter, n))


def _abbreviates(a: list[str], b: list[str]) -> bool:
    differs = False
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        short, long = (x, y) if len(x) < len(y) else (y, x)
        if len(short) < 3 or not long.startswith(short):
            return False
        differs = True
    return differs


def _abbreviation_links(norms: set[str], org: Mapping[str, bool]) -> Iterator[tuple[str, str, float]]:
    blocks: dict[tuple[str, int], list[tuple[str, list[str]]]] = defaultdict(list)
    for n in norms:
        if has_cjk(n) or not org.get(n):
            continue
        words = [w for w in n.split() if w not in _STOPWORDS]
        if len(words) >= 2:
            blocks[(words[0][:3], len(words))].append((n, words))
    for members in blocks.values():
        for (a, wa), (b, wb) in combinations(members, 2):
            if _abbreviates(wa, wb):
                yield a, b, float(fuzz.token_set_ratio(a, b))


def _typo(a: str, b: str) -> bool:
    """Whether two similar names differ as a misspelling does: by one or two characters (one when short),
    not in a number or a word that tells entities apart (Northeastern / Northwestern University)."""
    limit = 1 if min(len(a), len(b)) < 12 else 2
    if Levenshtein.distance(a, b, score_cutoff=limit) > limit:
        return False
    differing = set(a.split()) ^ set(b.split())
    return not any(t in _DISTINGUISHING or any(c.isdigit() for c in t) for t in differing)


def _fuzzy_links(
    norms: set[str], org: Mapping[str, bool], threshold: float
) -> Iterator[tuple[str, str, float]]:
    blocks: dict[str, list[str]] = defaultdict(list)
    for n in norms:
        compact = n.replace(" ", "")
        if len(compact) < _MIN_FUZZY_LEN or has_cjk(n):
            continue  # in CJK names one character is a word: 海军/陆军 (navy/army) are not typos
        blocks[compact[:3]].append(n)
    for members in blocks.values():
        if len(members) < 2:
            continue
        members.sort()
        scores = cdist(members, members, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
        rows, cols = (scores >= threshold).nonzero()
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b, score = members[i], members[j], float(scores[i, j])
            if i < j and (score >= PERSON_THRESHOLD or org.get(a) or org.get(b)) and _typo(a, b):
                yield a, b, score


# -- grouping -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadName:
    """How a raw name reads: its normalised form, whether it reads as a company's, and the alias group its
    normalised form matches (None: none)."""

    normalised: str
    company: bool
    alias_id: str | None


def read_names(
    raws: Iterable[str], aliases: Aliases, known: Mapping[str, ReadName] | None = None
) -> dict[str, ReadName]:
    """Every raw name read (normalised and matched to the alias file); names in ``known`` are not read
    again (the two steps take nine tenths of the grouping's time)."""
    known = known or {}
    out: dict[str, ReadName] = {}
    alias_ids: dict[str, str | None] = {r.normalised: r.alias_id for r in known.values()}
    for raw in raws:
        if raw in known:
            out[raw] = known[raw]
            continue
        norm, is_company = normalise_parts(raw)
        norm = norm or raw.strip().casefold()
        if norm not in alias_ids:
            group = aliases.match(norm)
            alias_ids[norm] = group.id if group else None
        out[raw] = ReadName(norm, is_company, alias_ids[norm])
    return out


def group_names(
    counts: Mapping[str, int] | list[str],
    aliases: Aliases | None = None,
    threshold: float = FUZZY_THRESHOLD,
    read: Mapping[str, ReadName] | None = None,
) -> dict[str, Assignment]:
    """Assign every raw name to a group; ``counts`` (raw name -> records) picks each group's display name.
    ``read``: the names as ``read_names`` reads them (read here when not given)."""
    if not isinstance(counts, Mapping):
        counts = Counter(counts)
    aliases = aliases if aliases is not None else load_aliases()
    read = read if read is not None else read_names(counts, aliases)
    norm_of: dict[str, str] = {}
    org: dict[str, bool] = defaultdict(bool)
    alias_of: dict[str, AliasGroup | None] = {}
    by_id = {g.id: g for g in aliases.groups}
    for raw in counts:
        name = read[raw]
        norm_of[raw] = name.normalised
        org[name.normalised] |= name.company or is_organisation(name.normalised)
        alias_of[name.normalised] = by_id.get(name.alias_id) if name.alias_id else None
    norms = set(norm_of.values())

    uf = UnionFind()
    best: dict[str, float] = {}
    attach: dict[str, list[tuple[float, int, AliasGroup]]] = defaultdict(list)
    order = {g.id: i for i, g in enumerate(aliases.groups)}
    links = [
        *_prefix_links(norms, org),
        *_abbreviation_links(norms, org),
        *_fuzzy_links(norms, org, threshold),
    ]
    for a, b, score in links:
        ga, gb = alias_of[a], alias_of[b]
        if ga is None and gb is None:
            uf.union(a, b)
        elif ga is None and gb is not None:
            attach[a].append((score, -order[gb.id], gb))
        elif gb is None and ga is not None:
            attach[b].append((score, -order[ga.id], ga))
        else:
            continue
        for n in (a, b):
            best[n] = max(best.get(n, 0.0), score)

    by_norm: dict[str, list[str]] = defaultdict(list)
    for raw, norm in norm_of.items():
        by_norm[norm].append(raw)
    components: dict[Any, list[str]] = defaultdict(list)
    for norm in sorted(norms):
        if alias_of[norm] is None:
            components[uf.find(norm)].append(norm)

    out: dict[str, Assignment] = {}
    for norm, group in alias_of.items():
        if group is not None:
            for raw in by_norm[norm]:
                out[raw] = Assignment(raw, norm, group.id, group.name, "alias", 100.0)
    for comp in components.values():
        candidates = [c for n in comp for c in attach.get(n, [])]
        if candidates:
            _score, _order, group = max(candidates, key=lambda c: (c[0], c[1]))
            for norm in comp:
                for raw in by_norm[norm]:
                    out[raw] = Assignment(raw, norm, group.id, group.name, "fuzzy", best.get(norm, 100.0))
            continue
        raws = [raw for norm in comp for raw in by_norm[norm]]
        rep = min(raws, key=lambda r: (-counts[r], len(r), r))
        rep_norm = norm_of[rep]
        gid = SELF_PREFIX + rep_norm
        for norm in comp:
            same = norm == rep_norm
            for raw in by_norm[norm]:
                out[raw] = Assignment(
                    raw, norm, gid, rep, "self" if same else "fuzzy", 100.0 if same else best.get(norm, 0.0)
                )
    return out


# -- tables -------------------------------------------------------------------------------------------

_FAMILY_OWNERS_SQL = """
INSERT INTO family_owners (family_id, group_id, group_name, country, weight)
WITH fo AS (
  SELECT DISTINCT fm.family_id, g.group_id
  FROM {members} fm
  JOIN ({parties}) op ON op.pub_key = fm.pub_key
  JOIN owner_groups g ON g.raw_name = op.name
),
names AS (SELECT group_id, min(group_name) AS group_name FROM owner_groups GROUP BY group_id),
gc AS (
  SELECT group_id, country FROM (
    SELECT group_id, country, row_number() OVER (PARTITION BY group_id ORDER BY count(*) DESC, country) AS rn
    FROM owner_groups WHERE country IS NOT NULL GROUP BY group_id, country
  ) ranked WHERE rn = 1
)
SELECT fo.family_id, fo.group_id, n.group_name, gc.country,
       CAST(1.0 AS DOUBLE PRECISION) / count(*) OVER (PARTITION BY fo.family_id)
FROM fo JOIN names n ON n.group_id = fo.group_id LEFT JOIN gc ON gc.group_id = fo.group_id
"""


def family_owners_sql(members: str | None = None) -> str:
    """``INSERT`` of the ``family_owners`` rows of every family, or of the families whose ``family_members``
    rows are copied in the table ``members`` (the parties of their publications alone are read)."""
    if members is None:
        return _FAMILY_OWNERS_SQL.format(members="family_members", parties=OWNER_PARTIES_SQL)
    return _FAMILY_OWNERS_SQL.format(members=members, parties=owner_parties_sql(members))


READER_META = "owner_reader"  # patscape_meta: the digest of the alias file and name reader the cache holds
GROUPING_META = "owner_grouping"  # patscape_meta: that digest and the threshold the stored groups come from
SELF_PREFIX = "n:"  # the id of a group no alias names: this prefix and its most frequent name, normalised


def owner_name_counts(store: Store, names: str | None = None) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Publications per raw owner name, and the countries given with each name (of the names in the table
    ``names``, a column ``raw_name``, or of all)."""
    counts: Counter[str] = Counter()
    countries: dict[str, Counter[str]] = defaultdict(Counter)
    only = f"WHERE name IN (SELECT raw_name FROM {names})" if names else ""
    for r in store.fetch(
        f"SELECT name, country, count(*) AS n FROM ({OWNER_PARTIES_SQL}) op {only} GROUP BY name, country"
    ):
        counts[r["name"]] += int(r["n"])
        if r["country"]:
            countries[r["name"]][r["country"]] += int(r["n"])
    return counts, countries


def _reader_digest(aliases: Aliases) -> str:
    """What the names were read with: the alias groups and the normaliser's code."""
    digest = hashlib.blake2b(digest_size=12)
    digest.update(Path(names_module.__file__).read_bytes())
    for g in aliases.groups:
        digest.update(repr((g.id, g.name, g.country, g.names, [p.pattern for p in g.patterns])).encode())
    return digest.hexdigest()


def _known_names(
    store: Store, digest: str, rows: Mapping[str, tuple[Any, ...]] | None = None
) -> dict[str, ReadName]:
    """The names read before with the same reader (``rows``: the ``owner_groups`` rows by raw name, when
    read already)."""
    if store.meta(READER_META) != digest:
        return {}
    if rows is not None:
        columns = schema.OWNER_GROUPS.column_names
        n, o, a = (columns.index(c) for c in ("normalised", "organisation", "alias_id"))
        return {raw: ReadName(r[n], bool(r[o]), r[a]) for raw, r in rows.items()}
    return {
        r["raw_name"]: ReadName(r["normalised"], bool(r["organisation"]), r["alias_id"])
        for r in store.fetch("SELECT raw_name, normalised, organisation, alias_id FROM owner_groups")
    }


def build_owners(
    store: Store,
    aliases: Aliases | None = None,
    threshold: float = FUZZY_THRESHOLD,
    families: str | None = None,
    new: str | None = None,
    members: str | None = None,
) -> dict[str, Any]:
    """(Re)write ``owner_groups`` and ``family_owners`` in one transaction; needs ``family_members``.

    Names read before (with the same alias file and normaliser) are not read again. ``families``: a table of
    ``family_id`` whose owners are rewritten, to which the families of every group whose rows changed are
    added (every family when None). ``new``: a table of ``pub_key``, the only publications stored since the
    groups were written (none replaced or gone): when their owners' names are all known, only the rows of
    those names' groups are computed again (the counts of no other name moved). ``members``: a table of the
    ``family_members`` rows of ``families``, when at hand (the rows of the families added are added to it).
    Returns counts;
    ``changed_groups``: groups whose rows changed.

    Python's cycle collector is paused meanwhile: the step makes a few objects per raw name (rows, read names,
    assignments), none in a cycle, and the collector, woken every 700 new objects, walked them and everything
    alive again and again: 0.15-0.23 s of the incremental step's 0.57-0.67 s on the 340,375-publication store
    (``bench/dashboard.py``, ``patscape.cycles``)."""
    with without_cycle_collection():
        return _build_owners(store, aliases, threshold, families, new, members)


_GROUP_NAMES = schema.Table("_owner_group_names", (("raw_name", "TEXT NOT NULL"),))
_OWNED_NAMES = "_owner_new_names"  # the names of the new publications' owners, with their groups


def _touched_names(store: Store, new: str) -> str | None:
    """The table ``_GROUP_NAMES``: every raw name of the groups of the owners of the publications in ``new``
    (None, and no table, when one of those names has no group yet)."""
    store.execute(f"DROP TABLE IF EXISTS {_GROUP_NAMES.name}")
    # the owners' names with their groups, read once from ``parties`` (a name without a group has none)
    store.execute(f"DROP TABLE IF EXISTS {_OWNED_NAMES}")
    store.execute(
        f"CREATE TEMPORARY TABLE {_OWNED_NAMES} AS SELECT DISTINCT op.name, g.group_id "
        f"FROM ({owner_parties_sql(new)}) op LEFT JOIN owner_groups g ON g.raw_name = op.name"
    )
    known = not store.scalar(f"SELECT count(*) FROM {_OWNED_NAMES} WHERE group_id IS NULL")
    if known:
        store.execute(
            f"CREATE TEMPORARY TABLE {_GROUP_NAMES.name} AS SELECT raw_name FROM owner_groups "
            f"WHERE group_id IN (SELECT group_id FROM {_OWNED_NAMES})"
        )
    store.execute(f"DROP TABLE {_OWNED_NAMES}")
    return _GROUP_NAMES.name if known else None


def _counts_and_rows(
    store: Store, names: str | None, rows: bool
) -> tuple[Counter[str], dict[str, Counter[str]], dict[str, tuple[Any, ...]]]:
    """``owner_name_counts`` and (``rows``) the stored ``owner_groups`` rows by raw name: of the names in the
    table ``names``, or of all."""
    counts, countries = owner_name_counts(store, names)
    old: dict[str, tuple[Any, ...]] = {}
    if rows:
        only = f"WHERE raw_name IN (SELECT raw_name FROM {names})" if names else ""
        columns = ", ".join(schema.OWNER_GROUPS.column_names)
        old = {
            r["raw_name"]: tuple(r.values())
            for r in store.fetch(f"SELECT {columns} FROM owner_groups {only}")
        }
    return counts, countries, old


def _build_owners(
    store: Store,
    aliases: Aliases | None,
    threshold: float,
    families: str | None,
    new: str | None,
    members: str | None,
) -> dict[str, Any]:
    aliases = aliases if aliases is not None else load_aliases()
    digest = _reader_digest(aliases)
    grouping = f"{digest}:{threshold}"
    same_reading = store.meta(READER_META) == digest and store.meta(GROUPING_META) == grouping
    names = _touched_names(store, new) if families and new and same_reading else None
    counts, countries, old = _counts_and_rows(store, names, bool(families))
    if names:
        store.execute(f"DROP TABLE {names}")
        if old.keys() != counts.keys():  # a stored name without records: every name is grouped again
            counts, countries, old = _counts_and_rows(store, None, True)
    known = _known_names(store, digest, old or None) if old or not names else {}
    read = read_names(counts, aliases, known)

    def regroup(names: Mapping[str, int]) -> dict[str, Assignment]:
        return group_names(names, aliases, threshold, read)

    kept = _kept_groups(old, counts, regroup) if old and store.meta(GROUPING_META) == grouping else None
    assignments = kept.assignments if kept is not None else regroup(counts)
    group_country: dict[str, str | None] = {}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for a in assignments.values():
        votes[a.group_id].update(countries.get(a.raw_name, Counter()))
    by_id = {g.id: g for g in aliases.groups}
    for gid, vote in votes.items():
        alias = by_id.get(gid)
        group_country[gid] = (alias.country if alias else None) or (
            min(vote, key=lambda c: (-vote[c], c)) if vote else None
        )
    rows = []
    for a in sorted(assignments.values(), key=lambda a: a.raw_name):
        own = countries.get(a.raw_name)
        country = min(own, key=lambda c: (-own[c], c)) if own else group_country.get(a.group_id)
        name = read[a.raw_name]
        rows.append(
            (
                a.raw_name,
                a.normalised,
                a.group_id,
                a.group_name,
                country,
                a.method,
                a.score,
                name.company,
                name.alias_id,
            )
        )
    changed: set[str] = set()
    written = len(rows)
    with store.transaction():
        if families:
            new = {r[0]: r for r in rows}
            differing = sorted(raw for raw in old.keys() | new.keys() if old.get(raw) != new.get(raw))
            for raw in differing:
                before, after = old.get(raw), new.get(raw)
                if before is None or after is None or _differs(before, after):
                    changed.update(r[2] for r in (before, after) if r is not None)
            # only the rows that differ are rewritten (the table's other row groups stay as they are)
            _write_owner_rows(store, differing, [new[raw] for raw in differing if raw in new])
            written = len(differing)
        else:
            with rewrite(store, schema.OWNER_GROUPS):
                for start in range(0, len(rows), 100_000):
                    store.insert_rows(schema.OWNER_GROUPS, rows[start : start + 100_000])
        if families:
            _add_owned_by(store, families, changed, members)
            store.execute(f"DELETE FROM family_owners WHERE family_id IN (SELECT family_id FROM {families})")
            with members_of(store, families, members) as rows:
                store.execute(family_owners_sql(rows))
        else:
            with rewrite(store, schema.FAMILY_OWNERS):
                store.execute(family_owners_sql())
        store.set_meta(READER_META, digest)
        store.set_meta(GROUPING_META, grouping)
    return {
        "raw_names": int(store.scalar("SELECT count(*) FROM owner_groups")),
        "names_read": sum(1 for raw in counts if raw not in known),
        "names_counted": len(counts),  # the names whose rows were computed (all, or the touched groups')
        "groups": int(store.scalar("SELECT count(DISTINCT group_id) FROM owner_groups")),
        "family_owners": int(store.scalar("SELECT count(*) FROM family_owners")),
        "changed_groups": len(changed),
        "rows_written": written,
        "regrouped": len(counts) if kept is None else kept.regrouped,
    }


@dataclass
class _Kept:
    assignments: dict[str, Assignment]
    regrouped: int  # raw names grouped again


def _kept_groups(
    old: Mapping[str, tuple[Any, ...]],
    counts: Mapping[str, int],
    regroup: Callable[[Mapping[str, int]], dict[str, Assignment]],
) -> _Kept | None:
    """The groups ``group_names`` forms from ``counts``, from the stored ones (``old``: ``owner_groups`` rows
    by raw name) when the raw names are the same; None when they are not.

    The links between names depend on the names alone (and on the alias file, the reader and the threshold:
    ``GROUPING_META``); the counts only pick the display name (and id) of a group that no alias names: its
    most frequent raw name. Such a group's names link only among themselves (a link to a name of an alias
    group would have joined it to that group), so where another name now has most records, ``regroup`` of
    that group's names alone forms it as grouping every name does; every other group stays as stored."""
    if old.keys() != counts.keys():
        return None
    columns = schema.OWNER_GROUPS.column_names
    at = {c: columns.index(c) for c in ("normalised", "group_id", "group_name", "method", "score")}
    members: dict[str, list[str]] = defaultdict(list)
    out: dict[str, Assignment] = {}
    for raw, row in old.items():
        gid = row[at["group_id"]]
        out[raw] = Assignment(
            raw, row[at["normalised"]], gid, row[at["group_name"]], row[at["method"]], row[at["score"]]
        )
        if gid.startswith(SELF_PREFIX):
            members[gid].append(raw)
    moved = [
        raws
        for raws in members.values()
        if min(raws, key=lambda r: (-counts[r], len(r), r)) != out[raws[0]].group_name
    ]
    names = {raw: counts[raw] for raws in moved for raw in raws}
    if names:
        out.update(regroup(names))
    return _Kept(out, len(names))


_RAW_NAMES = schema.Table("_owner_raw_names", (("raw_name", "TEXT NOT NULL"),))


def _write_owner_rows(store: Store, raw_names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Replace the ``owner_groups`` rows of ``raw_names`` by ``rows``."""
    if not raw_names:
        return
    store.execute(f"DROP TABLE IF EXISTS {_RAW_NAMES.name}")
    store.execute(f"CREATE TEMPORARY TABLE {_RAW_NAMES.name} (raw_name TEXT NOT NULL)")
    store.insert_rows(_RAW_NAMES, [(raw,) for raw in raw_names])
    store.execute(f"DELETE FROM owner_groups WHERE raw_name IN (SELECT raw_name FROM {_RAW_NAMES.name})")
    store.execute(f"DROP TABLE {_RAW_NAMES.name}")
    for start in range(0, len(rows), 100_000):
        store.insert_rows(schema.OWNER_GROUPS, rows[start : start + 100_000])


def _differs(before: tuple[Any, ...], after: tuple[Any, ...]) -> bool:
    return any(
        (round(float(a), 9) != round(float(b), 9)) if isinstance(a, float) and b is not None else a != b
        for a, b in zip(before, after, strict=True)
    )


def _add_owned_by(store: Store, families: str, groups: set[str], members: str | None = None) -> None:
    """Add to the table ``families`` the families that some of ``groups`` own (and their ``family_members``
    rows to the table ``members``, which holds those of ``families``, when given)."""
    if not groups:
        return
    marks = ", ".join("?" * len(groups))
    added = store.fetch_column(
        f"SELECT DISTINCT family_id FROM family_owners WHERE group_id IN ({marks}) "
        f"AND family_id NOT IN (SELECT family_id FROM {families})",
        sorted(groups),
    )
    if not added:
        return
    store.insert_rows(schema.Table(families, (("family_id", "TEXT NOT NULL"),)), [(f,) for f in added])
    if members:  # the few ids as values: a filter on the scan, not a join of the whole table
        store.execute(
            f"INSERT INTO {members} SELECT * FROM family_members WHERE family_id IN "
            f"({', '.join('?' * len(added))})",
            added,
        )


def top_owners(store: Store, limit: int = 20, names_per_group: int = 10) -> list[dict[str, Any]]:
    """The owner groups with the most families, each with its raw names (most frequent first)."""
    groups = store.fetch(
        "SELECT group_id, min(group_name) AS group_name, min(country) AS country, "
        "count(DISTINCT family_id) AS families, round(CAST(sum(weight) AS NUMERIC), 2) AS fractional "
        "FROM family_owners GROUP BY group_id ORDER BY families DESC, group_id LIMIT ?",
        (limit,),
    )
    if not groups:
        return []
    ids = [g["group_id"] for g in groups]
    marks = ", ".join("?" * len(ids))
    names: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for r in store.fetch(
        f"SELECT g.group_id, g.raw_name, count(DISTINCT op.pub_key) AS n FROM owner_groups g "
        f"JOIN ({OWNER_PARTIES_SQL}) op ON op.name = g.raw_name WHERE g.group_id IN ({marks}) "
        "GROUP BY g.group_id, g.raw_name",
        ids,
    ):
        names[r["group_id"]].append((r["raw_name"], int(r["n"])))
    out = []
    for g in groups:
        raw = sorted(names[g["group_id"]], key=lambda x: (-x[1], x[0]))
        out.append(
            {
                "group_id": g["group_id"],
                "group": g["group_name"],
                "country": g["country"],
                "families": int(g["families"]),
                "fractional": float(g["fractional"]),
                "raw_names": len(raw),
                "names": [f"{name} ({n})" for name, n in raw[:names_per_group]],
            }
        )
    return out


def merge_report(store: Store, source_like: str | None = None, limit: int = 15) -> list[dict[str, Any]]:
    """For the owner groups with the most publications: raw names and publication counts before grouping
    (the most frequent single name) and after (the whole group). ``source_like`` restricts the count to
    publications whose source file matches a SQL LIKE pattern (e.g. ``%gp_search_exports%``)."""
    where, params = "", []
    if source_like:
        where, params = "WHERE p.source_file LIKE ?", [source_like]
    rows = store.fetch(
        f"SELECT g.group_id, g.group_name, g.raw_name, count(DISTINCT op.pub_key) AS n "
        f"FROM ({OWNER_PARTIES_SQL}) op JOIN publications p ON p.pub_key = op.pub_key "
        f"JOIN owner_groups g ON g.raw_name = op.name {where} "
        "GROUP BY g.group_id, g.group_name, g.raw_name",
        params,
    )
    per_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        per_group[r["group_id"]].append(r)
    totals = {
        r["group_id"]: int(r["n"])
        for r in store.fetch(
            f"SELECT g.group_id, count(DISTINCT op.pub_key) AS n "
            f"FROM ({OWNER_PARTIES_SQL}) op JOIN publications p ON p.pub_key = op.pub_key "
            f"JOIN owner_groups g ON g.raw_name = op.name {where} GROUP BY g.group_id",
            params,
        )
    }
    out = []
    for gid, total in sorted(totals.items(), key=lambda x: (-x[1], x[0]))[:limit]:
        names = sorted(per_group[gid], key=lambda r: (-int(r["n"]), r["raw_name"]))
        out.append(
            {
                "group_id": gid,
                "group": names[0]["group_name"],
                "raw_names": len(names),
                "largest_name": names[0]["raw_name"],
                "before": int(names[0]["n"]),
                "after": total,
            }
        )
    return out
