"""Watch profiles: a query, an optional classifier condition, and the rules that route what they find."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from patscape.monitor import access, profile_query
from patscape.monitor.access import Caller
from patscape.monitor.errors import Invalid, NotFound
from patscape.monitor.events import record, writing
from patscape.monitor.sql import fetch_in, next_id, now
from patscape.monitor.workspaces import _label, workspace_members
from patscape.store import Store

FALLBACKS = ("round_robin", "best_rated")
RULE_KINDS = ("cpc", "tag", "owner")
EVALUATING_ROLES = ("admin", "manager", "evaluator")


@dataclass(frozen=True, slots=True)
class Rule:
    """Documents with a CPC code under ``cpc``, the taxonomy tag ``tag`` (``model:GAN``) or an applicant of
    the owner group ``owner`` go to the evaluators ``to`` (user names)."""

    kind: str
    value: str
    to: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {self.kind: self.value, "to": list(self.to)}


@dataclass(frozen=True, slots=True)
class Profile:
    profile_id: int
    ws_id: int
    name: str
    query: str
    genai: str | None
    min_score: float | None
    rules: tuple[Rule, ...] = field(default_factory=tuple)
    fallback: str = "round_robin"
    active: bool = True
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    @property
    def needs_classifier(self) -> bool:
        return self.genai is not None or self.min_score is not None


def parse_rules(rules: list[dict[str, Any]] | None) -> tuple[Rule, ...]:
    out = []
    for i, rule in enumerate(rules or []):
        kinds = [k for k in RULE_KINDS if k in rule]
        to = rule.get("to")
        if len(kinds) != 1 or set(rule) - {*RULE_KINDS, "to"}:
            raise Invalid(f"rule {i + 1}: give exactly one of {', '.join(RULE_KINDS)}, and 'to'")
        if not isinstance(to, list) or not to or not all(isinstance(n, str) for n in to):
            raise Invalid(f"rule {i + 1}: 'to' is a list of user names")
        value = rule[kinds[0]]
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            raise Invalid(f"rule {i + 1}: {kinds[0]} is a non-empty text")
        out.append(Rule(kinds[0], value.strip(), tuple(to)))
    return tuple(out)


def _row(r: dict[str, Any]) -> Profile:
    rules = parse_rules(json.loads(r["rules"]))
    return Profile(
        r["profile_id"],
        r["ws_id"],
        r["name"],
        r["query"],
        r["genai"],
        r["min_score"],
        rules,
        r["fallback"],
        bool(r["active"]),
        r["created_at"],
        r["updated_at"],
    )


def workspace_profiles(store: Store, ws_id: int, active_only: bool = False) -> list[Profile]:
    rows = store.fetch(
        "SELECT * FROM monitor_profiles WHERE ws_id = ? "
        + ("AND active " if active_only else "")
        + "ORDER BY profile_id",
        (ws_id,),
    )
    return [_row(r) for r in rows]


def profiles(store: Store, caller: Caller, ws_id: int) -> list[Profile]:
    access.check(store, caller, "ws.read", ws_id)
    return workspace_profiles(store, ws_id)


def get_profile(store: Store, caller: Caller, ws_id: int, profile_id: int) -> Profile:
    access.check(store, caller, "ws.read", ws_id)
    rows = store.fetch(
        "SELECT * FROM monitor_profiles WHERE ws_id = ? AND profile_id = ?", (ws_id, profile_id)
    )
    if not rows:
        raise NotFound(f"no profile {profile_id} in workspace {ws_id}")
    return _row(rows[0])


def _validate(
    store: Store,
    ws_id: int,
    query: str,
    genai: str | None,
    min_score: float | None,
    rules: tuple[Rule, ...],
    fallback: str,
    active: bool = True,
) -> None:
    profile_query.check(query)
    if genai not in (None, "yes", "no"):
        raise Invalid("genai is yes, no or absent")
    if min_score is not None and not 0.0 <= min_score <= 1.0:
        raise Invalid("min_score lies between 0 and 1")
    if fallback not in FALLBACKS:
        raise Invalid(f"fallback is one of {', '.join(FALLBACKS)}")
    evaluators = {m.name for m in workspace_members(store, ws_id) if m.role in EVALUATING_ROLES}
    for rule in rules if active else ():  # an inactive profile may name people who have left
        unknown = sorted(set(rule.to) - evaluators)
        if unknown:
            raise Invalid(f"not evaluators of this workspace: {', '.join(unknown)}")


def save_profile(
    store: Store,
    caller: Caller,
    ws_id: int,
    name: str,
    query: str,
    *,
    genai: str | None = None,
    min_score: float | None = None,
    rules: list[dict[str, Any]] | None = None,
    fallback: str = "round_robin",
    active: bool = True,
    profile_id: int | None = None,
) -> Profile:
    """Create a profile, or replace the settings of ``profile_id``; every version is kept in the log."""
    access.check(store, caller, "ws.manage", ws_id)
    name = _label(name, "profile")
    parsed = parse_rules(rules)
    _validate(store, ws_id, query, genai, min_score, parsed, fallback, active)
    before = get_profile(store, caller, ws_id, profile_id) if profile_id is not None else None
    values = {
        "name": name,
        "query": query,
        "genai": genai,
        "min_score": min_score,
        "rules": json.dumps([r.as_dict() for r in parsed]),
        "fallback": fallback,
        "active": active,
    }
    stamp = now()
    with writing(store, f"profiles:{ws_id}"):
        if before is None:
            if store.scalar("SELECT kind FROM monitor_workspaces WHERE ws_id = ?", (ws_id,)) != "monitoring":
                raise Invalid("watch profiles belong to monitoring workspaces")
            profile_id = next_id(store)
            store.execute(
                "INSERT INTO monitor_profiles (profile_id, ws_id, name, query, genai, min_score, rules, "
                "fallback, "
                "active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (profile_id, ws_id, *values.values(), stamp, stamp),
            )
        else:
            sets = ", ".join(f"{k} = ?" for k in values)
            store.execute(
                f"UPDATE monitor_profiles SET {sets}, updated_at = ? WHERE profile_id = ?",
                (*values.values(), stamp, profile_id),
            )
        old = None if before is None else _as_values(before)
        record(
            store,
            "profile.saved",
            actor_id=caller.actor_id,
            ws_id=ws_id,
            subject=profile_id,
            old=old,
            new={**values, "rules": json.loads(values["rules"])},
        )
    return get_profile(store, caller, ws_id, profile_id)


def _as_values(p: Profile) -> dict[str, Any]:
    return {
        "name": p.name,
        "query": p.query,
        "genai": p.genai,
        "min_score": p.min_score,
        "rules": [r.as_dict() for r in p.rules],
        "fallback": p.fallback,
        "active": p.active,
    }


def deactivate_profile(store: Store, caller: Caller, ws_id: int, profile_id: int) -> Profile:
    p = get_profile(store, caller, ws_id, profile_id)
    return save_profile(
        store,
        caller,
        ws_id,
        p.name,
        p.query,
        genai=p.genai,
        min_score=p.min_score,
        rules=[r.as_dict() for r in p.rules],
        fallback=p.fallback,
        active=False,
        profile_id=profile_id,
    )


def classifier_condition(profile: Profile) -> tuple[str, list[object]]:
    """The profile's classifier condition over ``publications p`` (TRUE when it has none)."""
    if not profile.needs_classifier:
        return "TRUE", []
    parts, params = ["g.pub_key = p.pub_key", "g.method = 'classifier'"], []
    if profile.genai is not None:
        parts.append("g.is_genai = ?")
        params.append(profile.genai == "yes")
    if profile.min_score is not None:
        parts.append("g.score >= ?")
        params.append(profile.min_score)
    return f"EXISTS (SELECT 1 FROM genai_labels g WHERE {' AND '.join(parts)})", params


def select(store: Store, profile: Profile, keys: list[str]) -> set[str]:
    """The publications among ``keys`` that the profile watches for: its query and classifier condition."""
    found = profile_query.matching(store, profile.query, keys)
    if not profile.needs_classifier or not found:
        return found
    condition, params = classifier_condition(profile)
    rows = fetch_in(
        store,
        f"SELECT p.pub_key FROM publications p WHERE {condition} AND {{keys}}",
        "p.pub_key",
        sorted(found),
        params,
    )
    return {r["pub_key"] for r in rows}


def preview(
    store: Store,
    caller: Caller,
    ws_id: int,
    query: str,
    *,
    genai: str | None = None,
    min_score: float | None = None,
    days: int = 28,
    limit: int = 50,
) -> dict[str, Any]:
    """What a profile would have found among the publications that arrived in the last ``days``."""
    access.check(store, caller, "ws.read", ws_id)
    probe = Profile(0, ws_id, "preview", query, genai, min_score)
    _validate(store, ws_id, query, genai, min_score, (), "round_robin")
    since = now() - dt.timedelta(days=days)
    keys = [
        r["pub_key"]
        for r in store.fetch(
            "SELECT pub_key FROM publications WHERE ingested_at >= ? ORDER BY pub_key", (since,)
        )
    ]
    hits = sorted(select(store, probe, keys))
    rows = (
        fetch_in(
            store,
            "SELECT pub_key, title, published FROM publications p WHERE {keys} ORDER BY pub_key",
            "p.pub_key",
            hits[:limit],
        )
        if hits
        else []
    )
    return {"arrived": len(keys), "matched": len(hits), "documents": rows}
