"""Users: names, roles, argon2 passwords, and the admin's permission switches."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from patscape.monitor import access
from patscape.monitor.access import ROLES, SWITCHES, Caller
from patscape.monitor.errors import Conflict, Invalid, NotFound
from patscape.monitor.events import record, writing
from patscape.monitor.sql import next_id, now
from patscape.store import Store

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
PASSWORD_MIN, PASSWORD_MAX = 8, 1024
_hasher = PasswordHasher()  # argon2id with the library's recommended cost; stateless
_DUMMY_HASH = _hasher.hash("not a password of anyone")  # checked for unknown names: same time either way


@dataclass(frozen=True, slots=True)
class User:
    user_id: int
    name: str
    display_name: str | None
    email: str | None
    role: str
    active: bool
    created_at: dt.datetime
    denied: tuple[str, ...] = ()

    def caller(self, token_id: str | None = None) -> Caller:
        return Caller(self.user_id, self.name, self.role, frozenset(self.denied), token_id)


_SELECT = "SELECT user_id, name, display_name, email, role, active, created_at FROM monitor_users"


def _users(store: Store, where: str = "", params: tuple = ()) -> list[User]:
    rows = store.fetch(f"{_SELECT} {where} ORDER BY name", params)
    denied: dict[int, list[str]] = {}
    if rows:
        for r in store.fetch("SELECT user_id, permission FROM monitor_permissions WHERE NOT allowed"):
            denied.setdefault(int(r["user_id"]), []).append(r["permission"])
    return [
        User(
            int(r["user_id"]),
            r["name"],
            r["display_name"],
            r["email"],
            r["role"],
            bool(r["active"]),
            r["created_at"],
            tuple(sorted(denied.get(int(r["user_id"]), ()))),
        )
        for r in rows
    ]


def find_user(store: Store, name_or_id: str | int) -> User:
    """A user by name or id (no access check: for the library's own use)."""
    if isinstance(name_or_id, int) or str(name_or_id).isdigit():
        found = _users(store, "WHERE user_id = ? OR name = ?", (int(name_or_id), str(name_or_id)))
    else:
        found = _users(store, "WHERE name = ?", (name_or_id,))
    if not found:
        raise NotFound(f"no user {name_or_id}")
    return found[0]


def _valid_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"unknown role {role!r}: choose from {', '.join(ROLES)}")
    return role


def _hash(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise Invalid(f"a password has {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    return _hasher.hash(password)


def add_user(
    store: Store,
    caller: Caller,
    name: str,
    role: str,
    password: str | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    access.check(store, caller, "users.manage")
    if not NAME.fullmatch(name):
        raise Invalid(
            "a user name has 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    _valid_role(role)
    password_hash = _hash(password) if password is not None else None
    with writing(store, f"user:{name}"):
        if store.scalar("SELECT count(*) FROM monitor_users WHERE name = ?", (name,)):
            raise Conflict(f"a user {name} exists already")
        user_id = next_id(store)
        store.execute(
            "INSERT INTO monitor_users (user_id, name, display_name, email, role, password_hash, active, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?)",
            (user_id, name, display_name, email, role, password_hash, now()),
        )
        record(
            store,
            "user.created",
            actor_id=caller.actor_id,
            subject=user_id,
            new={"name": name, "role": role, "display_name": display_name, "email": email},
        )
    return find_user(store, user_id)


def list_users(store: Store, caller: Caller) -> list[User]:
    access.check(store, caller, "users.read")
    return _users(store)


def get_user(store: Store, caller: Caller, name_or_id: str | int) -> User:
    user = find_user(store, name_or_id)
    if user.user_id != caller.user_id:
        access.check(store, caller, "users.read")
    return user


def update_user(
    store: Store,
    caller: Caller,
    name_or_id: str | int,
    *,
    role: str | None = None,
    active: bool | None = None,
    display_name: str | None = None,
    email: str | None = None,
) -> User:
    access.check(store, caller, "users.manage")
    user = find_user(store, name_or_id)
    changes = {
        k: v
        for k, v in {
            "role": role and _valid_role(role),
            "active": active,
            "display_name": display_name,
            "email": email,
        }.items()
        if v is not None
    }
    if not changes:
        return user
    with writing(store, f"user:{user.name}"):
        sets = ", ".join(f"{k} = ?" for k in changes)
        store.execute(f"UPDATE monitor_users SET {sets} WHERE user_id = ?", (*changes.values(), user.user_id))
        record(
            store,
            "user.changed",
            actor_id=caller.actor_id,
            subject=user.user_id,
            old={k: getattr(user, k) for k in changes},
            new=changes,
        )
    return find_user(store, user.user_id)


def set_password(store: Store, caller: Caller, name_or_id: str | int, password: str) -> None:
    user = find_user(store, name_or_id)
    if user.user_id != caller.user_id:
        access.check(store, caller, "users.manage")
    hashed = _hash(password)
    with writing(store, f"user:{user.name}"):
        store.execute("UPDATE monitor_users SET password_hash = ? WHERE user_id = ?", (hashed, user.user_id))
        record(store, "user.password_set", actor_id=caller.actor_id, subject=user.user_id)


def set_permission(
    store: Store, caller: Caller, name_or_id: str | int, permission: str, allowed: bool
) -> User:
    """The admin's switch: forbid (``allowed=False``) or allow again one of ``SWITCHES`` to one user."""
    access.check(store, caller, "users.manage")
    if permission not in SWITCHES:
        raise Invalid(f"unknown permission {permission!r}: choose from {', '.join(SWITCHES)}")
    user = find_user(store, name_or_id)
    with writing(store, f"user:{user.name}"):
        store.execute(
            "DELETE FROM monitor_permissions WHERE user_id = ? AND permission = ?", (user.user_id, permission)
        )
        store.execute("INSERT INTO monitor_permissions VALUES (?, ?, ?)", (user.user_id, permission, allowed))
        record(
            store,
            "user.permission_set",
            actor_id=caller.actor_id,
            subject=user.user_id,
            old={permission: permission not in user.denied},
            new={permission: allowed},
        )
    return find_user(store, user.user_id)


def check_password(store: Store, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (the same work is done for unknown names)."""
    rows = store.fetch("SELECT user_id, password_hash FROM monitor_users WHERE name = ? AND active", (name,))
    stored = rows[0]["password_hash"] if rows and rows[0]["password_hash"] else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if not rows or stored is _DUMMY_HASH:
        return None
    user_id = int(rows[0]["user_id"])
    if _hasher.check_needs_rehash(stored):
        with writing(store, f"user:{name}"):
            store.execute(
                "UPDATE monitor_users SET password_hash = ? WHERE user_id = ?",
                (_hasher.hash(password), user_id),
            )
    return find_user(store, user_id)
