"""Routing: publications new to a monitoring workspace that match one of its watch profiles become open tasks.

"New" is by arrival in the database (``publications.ingested_at``), not by publication date, so late
CN/JP/KR data are routed when they arrive. Each run considers what arrived since the last run of the
workspace (with an hour's overlap, for records an ingest stamped before the last run but committed after
it) and skips documents already in the workspace, so a second run creates nothing. A family already in
the workspace is not routed again: a new member is added without a task and, when the family is rated,
inherits that rating (marked as inherited).

Who gets the task: every evaluator named by a matching rule of a matching profile (CPC prefix, taxonomy
tag, owner group); otherwise the profile's fallback among the workspace's evaluators, either round robin
(the one who has had the fewest tasks in the workspace) or ``best_rated`` (the one whose own past ratings
of documents sharing a CPC subclass were highest on average).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from patscape.monitor import access
from patscape.monitor.access import SYSTEM, Caller
from patscape.monitor.events import family_key, record, session_lock, writing
from patscape.monitor.profiles import EVALUATING_ROLES, Profile, Rule, select, workspace_profiles
from patscape.monitor.sql import fetch_in, next_id, now
from patscape.monitor.workspaces import workspace_members
from patscape.store import Store

OVERLAP = dt.timedelta(hours=1)
BATCH = 200  # documents per transaction (PostgreSQL holds one advisory lock per family until commit)
_EPOCH = dt.datetime(1900, 1, 1)


@dataclass
class RouteResult:
    ws_id: int
    run_id: int = 0
    arrived_from: dt.datetime | None = None
    arrived_to: dt.datetime | None = None
    candidates: int = 0
    matched: int = 0
    added: int = 0
    tasks: int = 0
    inherited: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Doc:
    pub_key: str
    family_id: str | None
    published: dt.date | None
    profiles: list[Profile]
    cpc: set[str] = field(default_factory=set)
    tags: set[str] = field(default_factory=set)
    owners: set[str] = field(default_factory=set)  # lower-case raw names, group ids and group names


def _rule_matches(rule: Rule, doc: _Doc) -> bool:
    value = rule.value.lower()
    if rule.kind == "cpc":
        prefix = rule.value.replace(" ", "").upper()
        return any(code.startswith(prefix) for code in doc.cpc)
    if rule.kind == "tag":
        return value in doc.tags
    return any(value == o or (len(value) >= 3 and value in o) for o in doc.owners)


class _Chooser:
    """Decides the evaluators of each document of one workspace's run."""

    def __init__(self, store: Store, ws_id: int) -> None:
        members = workspace_members(store, ws_id)
        self.by_name = {m.name: m.user_id for m in members if m.role in EVALUATING_ROLES}
        pool = [m.user_id for m in members if m.role == "evaluator"] or list(self.by_name.values())
        self.pool = sorted(pool)
        self.load = {uid: 0 for uid in self.pool}
        for r in store.fetch(
            "SELECT assignee, count(*) AS n FROM monitor_tasks WHERE ws_id = ? GROUP BY assignee", (ws_id,)
        ):
            if r["assignee"] in self.load:
                self.load[r["assignee"]] = int(r["n"])
        self.history: dict[int, dict[str, tuple[float, int]]] = defaultdict(dict)
        for r in store.fetch(
            "SELECT d.rated_by, substr(replace(c.code, ' ', ''), 1, 4) AS subclass, avg(d.rating) AS mean, "
            "count(*) AS n FROM monitor_documents d JOIN classes c ON c.pub_key = d.pub_key AND c.scheme = "
            "'CPC' "
            "WHERE d.ws_id = ? AND d.rating IS NOT NULL AND d.inherited_from IS NULL AND d.rated_by IS NOT "
            "NULL "
            "GROUP BY 1, 2",
            (ws_id,),
        ):
            self.history[int(r["rated_by"])][r["subclass"]] = (float(r["mean"]), int(r["n"]))

    def _least_loaded(self) -> int | None:
        if not self.pool:
            return None
        return min(self.pool, key=lambda uid: (self.load[uid], uid))

    def _best_rated(self, doc: _Doc) -> int | None:
        subclasses = {code[:4] for code in doc.cpc}
        scored = []
        for uid in self.pool:
            seen = [self.history[uid][s] for s in subclasses if s in self.history[uid]]
            n = sum(c for _, c in seen)
            if n:
                scored.append((sum(m * c for m, c in seen) / n, n, -uid))
        return -max(scored)[2] if scored else None

    def choose(self, doc: _Doc) -> tuple[list[int], str]:
        chosen: list[int] = []
        for profile in doc.profiles:
            for rule in profile.rules:
                if _rule_matches(rule, doc):
                    chosen += [
                        self.by_name[n]
                        for n in rule.to
                        if n in self.by_name and self.by_name[n] not in chosen
                    ]
        how = "rule"
        if not chosen:
            fallback = doc.profiles[0].fallback
            pick = self._best_rated(doc) if fallback == "best_rated" else None
            how = "best_rated" if pick is not None else "round_robin"
            pick = pick if pick is not None else self._least_loaded()
            chosen = [] if pick is None else [pick]
        for uid in chosen:
            if uid in self.load:
                self.load[uid] += 1
        return chosen, how


def _describe(store: Store, matched: dict[str, list[Profile]]) -> list[_Doc]:
    keys = sorted(matched)
    docs = {
        r["pub_key"]: _Doc(r["pub_key"], r["family_id"], r["published"], matched[r["pub_key"]])
        for r in fetch_in(
            store,
            "SELECT p.pub_key, p.published, coalesce((SELECT min(fm.family_id) FROM family_members fm "
            "WHERE fm.pub_key = p.pub_key), p.family_id) AS family_id FROM publications p WHERE {keys}",
            "p.pub_key",
            keys,
        )
    }
    for r in fetch_in(
        store,
        "SELECT pub_key, replace(code, ' ', '') AS code FROM classes WHERE scheme = 'CPC' AND {keys}",
        "pub_key",
        keys,
    ):
        docs[r["pub_key"]].cpc.add(r["code"].upper())
    for r in fetch_in(store, "SELECT pub_key, dimension, tag FROM genai_tags WHERE {keys}", "pub_key", keys):
        docs[r["pub_key"]].tags.add(f"{r['dimension']}:{r['tag']}".lower())
    for r in fetch_in(
        store,
        "SELECT a.pub_key, a.name, o.group_id, o.group_name FROM parties a LEFT JOIN owner_groups o "
        "ON o.raw_name = a.name WHERE a.role IN ('applicant', 'assignee') AND {keys}",
        "a.pub_key",
        keys,
    ):
        docs[r["pub_key"]].owners |= {
            str(v).lower() for v in (r["name"], r["group_id"], r["group_name"]) if v
        }
    # the family's earliest member first: it gets the task, later members join it
    return sorted(
        docs.values(), key=lambda d: (d.family_id or d.pub_key, d.published or dt.date.max, d.pub_key)
    )


def _families(store: Store, ws_id: int, family_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per family present in the workspace: a member, and its latest own rating if it has one."""
    out: dict[str, dict[str, Any]] = {}
    rows = fetch_in(
        store,
        "SELECT family_id, pub_key, rating, rating_comment, rated_at, inherited_from FROM monitor_documents "
        "WHERE ws_id = ? AND {keys} ORDER BY family_id, rated_at NULLS FIRST, pub_key",
        "family_id",
        family_ids,
        (ws_id,),
    )
    for r in rows:
        entry = out.setdefault(r["family_id"], {"member": r["pub_key"], "rated": None})
        if r["rating"] is not None and r["inherited_from"] is None:
            entry["rated"] = r  # the latest own rating (rows ordered by rated_at)
    return out


def _write_batch(store: Store, ws_id: int, batch: list[_Doc], chooser: _Chooser, result: RouteResult) -> None:
    families = [d.family_id for d in batch if d.family_id]
    locks = [family_key(ws_id, d.family_id, d.pub_key) for d in batch]
    with writing(store, *locks):
        present = {
            r["pub_key"]
            for r in fetch_in(
                store,
                "SELECT pub_key FROM monitor_documents WHERE ws_id = ? AND {keys}",
                "pub_key",
                [d.pub_key for d in batch],
                (ws_id,),
            )
        }
        known = _families(store, ws_id, sorted(set(families))) if families else {}
        for doc in batch:
            if doc.pub_key in present:
                continue
            family = known.get(doc.family_id) if doc.family_id else None
            added = {
                "source": "routing",
                "family_id": doc.family_id,
                "profile_id": doc.profiles[0].profile_id,
                "profiles": [p.profile_id for p in doc.profiles],
                "run_id": result.run_id,
            }
            if family is not None:
                added["family_member_of"] = family["member"]
            record(store, "document.added", actor_id=None, ws_id=ws_id, pub_key=doc.pub_key, new=added)
            result.added += 1
            if family is None:
                assignees, how = chooser.choose(doc)
                for uid in assignees:
                    record(
                        store,
                        "task.assigned",
                        actor_id=None,
                        ws_id=ws_id,
                        pub_key=doc.pub_key,
                        subject=uid,
                        new={"due": None, "routed": how},
                    )
                    result.tasks += 1
                if doc.family_id:
                    known[doc.family_id] = {"member": doc.pub_key, "rated": None}
            elif family["rated"] is not None:
                rated = family["rated"]
                record(
                    store,
                    "document.rated",
                    actor_id=None,
                    ws_id=ws_id,
                    pub_key=doc.pub_key,
                    new={
                        "level": rated["rating"],
                        "comment": rated["rating_comment"],
                        "inherited_from": rated["pub_key"],
                    },
                )
                result.inherited += 1


def _route_workspace(store: Store, ws_id: int, progress: Callable[[int, int], None] | None) -> RouteResult:
    result = RouteResult(ws_id)
    active = workspace_profiles(store, ws_id, active_only=True)
    last = store.scalar("SELECT max(arrived_to) FROM monitor_route_runs WHERE ws_id = ?", (ws_id,))
    watch_from = store.scalar("SELECT watch_from FROM monitor_workspaces WHERE ws_id = ?", (ws_id,))
    result.arrived_from = (last - OVERLAP) if last is not None else (watch_from or _EPOCH)
    result.arrived_to = store.scalar("SELECT max(ingested_at) FROM publications")
    result.run_id = next_id(store)
    if result.arrived_to is not None and active:
        candidates = [
            r["pub_key"]
            for r in store.fetch(
                "SELECT p.pub_key FROM publications p WHERE p.ingested_at >= ? AND p.ingested_at <= ? AND "
                "NOT EXISTS "
                "(SELECT 1 FROM monitor_documents d WHERE d.ws_id = ? AND d.pub_key = p.pub_key) ORDER BY "
                "p.pub_key",
                (result.arrived_from, result.arrived_to, ws_id),
            )
        ]
        result.candidates = len(candidates)
        matched: dict[str, list[Profile]] = defaultdict(list)
        for profile in active:
            for key in sorted(select(store, profile, candidates)) if candidates else ():
                matched[key].append(profile)
        result.matched = len(matched)
        docs = _describe(store, matched) if matched else []
        chooser = _Chooser(store, ws_id)
        for start in range(0, len(docs), BATCH):
            _write_batch(store, ws_id, docs[start : start + BATCH], chooser, result)
            if progress:
                progress(min(start + BATCH, len(docs)), len(docs))
    with writing(store):
        store.execute(
            "INSERT INTO monitor_route_runs (run_id, ws_id, started_at, arrived_from, arrived_to, "
            "candidates, "
            "matched, added, tasks, inherited) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                result.run_id,
                ws_id,
                now(),
                result.arrived_from,
                result.arrived_to or result.arrived_from,
                result.candidates,
                result.matched,
                result.added,
                result.tasks,
                result.inherited,
            ),
        )
    return result


def _label_new(store: Store) -> None:
    """Classify what has no current classifier label (the new arrivals), for profiles with a condition."""
    from patscape.enrich.genai.store_labels import classify

    classify(store)


def _index_new(store: Store) -> None:
    """Bring the search index up to date, so that every profile's query reads the new arrivals from it
    (a stale index would be scanned in Python once per profile)."""
    from patscape.search import index_state, update_index

    if index_state(store).fresh:
        return
    with session_lock(store, "search-index"):
        if not index_state(store).fresh:
            update_index(store)


def route(
    store: Store,
    caller: Caller = SYSTEM,
    ws_ids: list[int] | None = None,
    *,
    label: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> list[RouteResult]:
    """Route the new arrivals of every monitoring workspace (or of ``ws_ids``) the caller manages."""
    rows = store.fetch("SELECT ws_id FROM monitor_workspaces WHERE kind = 'monitoring' ORDER BY ws_id")
    targets = [int(r["ws_id"]) for r in rows if ws_ids is None or int(r["ws_id"]) in ws_ids]
    for ws_id in ws_ids or []:
        access.check(store, caller, "ws.manage", ws_id)
    targets = [
        ws for ws in targets if access.is_member(store, caller, ws) and access.can(caller, "ws.manage")
    ]
    active = [p for ws in targets for p in workspace_profiles(store, ws, True)]
    if label and any(p.needs_classifier for p in active):
        _label_new(store)
    if active:
        _index_new(store)
    results = []
    for ws_id in targets:
        with session_lock(store, f"route:{ws_id}"):
            results.append(_route_workspace(store, ws_id, progress))
    return results


def route_after_ingest(store: Store) -> tuple[list[RouteResult], list[int]]:
    """What an ingest ends with: route every monitoring workspace whose active profiles need no classifier
    labels (the ingest has not labelled the new arrivals). Returns the results, and the workspaces left for
    ``route`` with labelling (their window stays open: nothing of theirs is missed)."""
    from patscape.monitor.schema import install

    rows = store.fetch("SELECT ws_id FROM monitor_workspaces WHERE kind = 'monitoring' ORDER BY ws_id")
    ready, waiting = [], []
    for ws_id in (int(r["ws_id"]) for r in rows):
        active = workspace_profiles(store, ws_id, active_only=True)
        if any(p.needs_classifier for p in active):
            waiting.append(ws_id)
        elif active:
            ready.append(ws_id)
    if not ready:
        return [], waiting
    install(store)
    return route(store, SYSTEM, ready, label=False), waiting
