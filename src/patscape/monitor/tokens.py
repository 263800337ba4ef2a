"""API tokens: shown once, stored as a hash, listed, revoked, expiring.

A token reads ``psk_<id>_<secret>``. The id is public (lists, revocation); of the secret only its SHA-256
is stored: 256 random bits need no slow hash, and a stolen table yields no usable token. Every request looks
its token up, so a revoked or expired token stops working with the next request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.monitor.errors import Invalid, NotFound, Unauthenticated
from patscape.monitor.events import record, writing
from patscape.monitor.sql import now
from patscape.monitor.users import find_user
from patscape.store import Store

PREFIX = "psk"
DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True, slots=True)
class TokenInfo:
    token_id: str
    user_id: int
    user_name: str
    label: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > now()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str  # the only time the secret is seen
    info: TokenInfo


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


_SELECT = (
    "SELECT t.token_id, t.user_id, u.name AS user_name, t.label, t.created_at, t.expires_at, t.revoked_at "
    "FROM monitor_tokens t JOIN monitor_users u USING (user_id)"
)


def _tokens(store: Store, where: str, params: tuple) -> list[TokenInfo]:
    return [
        TokenInfo(**r)
        for r in store.fetch(f"{_SELECT} WHERE {where} ORDER BY t.created_at, t.token_id", params)
    ]


def issue(
    store: Store, caller: Caller, user: str | int, label: str | None = None, days: int = DEFAULT_DAYS
) -> IssuedToken:
    """A new token for ``user`` (oneself, or anyone for an admin), valid for ``days``."""
    target = find_user(store, user)
    if target.user_id != caller.user_id:
        access.check(store, caller, "tokens.manage_all")
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"a token lasts 1 to {MAX_DAYS} days")
    if not target.active:
        raise Invalid(f"user {target.name} is deactivated")
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    created = now()
    expires = created + dt.timedelta(days=days)
    with writing(store):
        store.execute(
            "INSERT INTO monitor_tokens (token_id, user_id, secret_hash, label, created_at, expires_at, "
            "revoked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL)",
            (token_id, target.user_id, _digest(secret), label, created, expires),
        )
        record(
            store,
            "token.issued",
            actor_id=caller.actor_id,
            subject=token_id,
            new={"user_id": target.user_id, "label": label, "expires_at": expires},
        )
    info = TokenInfo(token_id, target.user_id, target.name, label, created, expires, None)
    return IssuedToken(f"{PREFIX}_{token_id}_{secret}", info)


def authenticate(store: Store, token: str) -> Caller:
    """The caller a token stands for; ``Unauthenticated`` if it is malformed, unknown, revoked or expired."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or len(token) > 200:
        raise Unauthenticated("malformed token")
    _, token_id, secret = parts
    rows = store.fetch(
        "SELECT t.secret_hash, t.user_id FROM monitor_tokens t JOIN monitor_users u USING (user_id) "
        "WHERE t.token_id = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.active",
        (token_id, now()),
    )
    if not rows or not hmac.compare_digest(rows[0]["secret_hash"], _digest(secret)):
        raise Unauthenticated("unknown, revoked or expired token")
    return find_user(store, int(rows[0]["user_id"])).caller(token_id)


def list_tokens(store: Store, caller: Caller, user: str | int | None = None) -> list[TokenInfo]:
    """One's own tokens; an admin's view of anyone's (``user``) or everyone's (``user="*"``)."""
    if user is None:
        return _tokens(store, "t.user_id = ?", (caller.user_id,))
    access.check(store, caller, "tokens.manage_all")
    if user == "*":
        return _tokens(store, "TRUE", ())
    return _tokens(store, "t.user_id = ?", (find_user(store, user).user_id,))


def revoke(store: Store, caller: Caller, token_id: str) -> TokenInfo:
    """Revoke one's own token (an admin: anyone's); another's token is ``NotFound`` to a non-admin."""
    found = _tokens(store, "t.token_id = ?", (token_id,))
    if not found or (found[0].user_id != caller.user_id and not access.can(caller, "tokens.manage_all")):
        raise NotFound(f"no token {token_id}")
    info = found[0]
    if info.revoked_at is not None:
        return info
    with writing(store):
        store.execute("UPDATE monitor_tokens SET revoked_at = ? WHERE token_id = ?", (now(), token_id))
        record(
            store,
            "token.revoked",
            actor_id=caller.actor_id,
            subject=token_id,
            new={"user_id": info.user_id},
        )
    return _tokens(store, "t.token_id = ?", (token_id,))[0]
