"""Who may do what: the caller, the roles, the admin's switches, and the one function that decides.

Every library function that reads or changes the monitor calls ``check`` first, so the API, the pages and
the command line cannot forget it. Workspaces are private to their members: for anyone else a workspace,
and everything in it, does not exist (``NotFound``, never ``Forbidden``), so ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from patscape.monitor.errors import Forbidden, NotFound
from patscape.store import Store

ROLES = ("admin", "manager", "evaluator", "viewer")
# The admin's switches: each, when set to forbidden for a user, takes that right away whatever the role.
SWITCHES = ("tag", "create_tags", "assign", "export", "activity")

_EVALUATING = frozenset({"admin", "manager", "evaluator"})
_MANAGING = frozenset({"admin", "manager"})
_EVERYONE = frozenset(ROLES)


@dataclass(frozen=True, slots=True)
class Rule:
    roles: frozenset[str]
    workspace: bool = False  # the caller must be a member of the workspace (admins see every workspace)
    switch: str | None = None  # the admin's switch that can forbid it


RULES: dict[str, Rule] = {
    "users.read": Rule(_MANAGING),
    "users.manage": Rule(frozenset({"admin"})),
    "tokens.manage_all": Rule(frozenset({"admin"})),
    "workspaces.create": Rule(_MANAGING),
    "ws.read": Rule(_EVERYONE, workspace=True),
    "ws.manage": Rule(_MANAGING, workspace=True),
    "doc.add": Rule(_EVALUATING, workspace=True),
    "doc.rate": Rule(_EVALUATING, workspace=True),
    "doc.comment": Rule(_EVALUATING, workspace=True),
    "doc.tag": Rule(_EVALUATING, workspace=True, switch="tag"),
    "tags.create": Rule(_EVALUATING, workspace=True, switch="create_tags"),
    "doc.assign": Rule(_MANAGING, workspace=True, switch="assign"),
    "doc.forward": Rule(_EVALUATING, workspace=True, switch="assign"),
    "ws.export": Rule(_EVERYONE, workspace=True, switch="export"),
    "ws.activity": Rule(_MANAGING, workspace=True, switch="activity"),
    "activity.others": Rule(_MANAGING, switch="activity"),
    "classifier.train": Rule(frozenset({"admin"})),
}


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user of a request or command, with the switches that forbid them something."""

    user_id: int
    name: str
    role: str
    denied: frozenset[str] = field(default_factory=frozenset)
    token_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def actor_id(self) -> int | None:
        """The id events record as their actor (None for patscape itself)."""
        return self.user_id or None


SYSTEM = Caller(0, "patscape", "admin")  # the command line, run by whoever owns the database file


def can(caller: Caller, action: str) -> bool:
    """Whether the role and the switches allow ``action`` (membership aside)."""
    rule = RULES[action]
    if caller.role not in rule.roles:
        return False
    return caller.is_admin or rule.switch is None or rule.switch not in caller.denied


def is_member(store: Store, caller: Caller, ws_id: int) -> bool:
    """Whether the workspace exists and the caller may see it (admins see every workspace)."""
    if caller.is_admin:
        return bool(store.scalar("SELECT count(*) FROM monitor_workspaces WHERE ws_id = ?", (ws_id,)))
    return bool(
        store.scalar(
            "SELECT count(*) FROM monitor_members m JOIN monitor_workspaces w USING (ws_id) "
            "WHERE m.ws_id = ? AND m.user_id = ?",
            (ws_id, caller.user_id),
        )
    )


def check(store: Store, caller: Caller, action: str, ws_id: int | None = None) -> None:
    """Raise ``NotFound`` (a workspace the caller cannot see) or ``Forbidden`` unless ``action`` is
    allowed."""
    rule = RULES[action]
    if rule.workspace:
        if ws_id is None:
            raise ValueError(f"{action} needs a workspace")
        if not is_member(store, caller, ws_id):
            raise NotFound(f"no workspace {ws_id}")
    if not can(caller, action):
        why = (
            f"the admin has forbidden {caller.name} to {rule.switch}"
            if caller.role in rule.roles
            else (f"a {caller.role} may not do {action}")
        )
        raise Forbidden(why)


def readable_workspaces(store: Store, caller: Caller) -> list[int]:
    if caller.is_admin:
        rows = store.fetch("SELECT ws_id FROM monitor_workspaces ORDER BY ws_id")
    else:
        rows = store.fetch(
            "SELECT ws_id FROM monitor_members WHERE user_id = ? ORDER BY ws_id", (caller.user_id,)
        )
    return [int(r["ws_id"]) for r in rows]
