"""Digests as a signed webhook: a JSON POST of the digest to each of a user's webhooks, signed with the
webhook's secret, retried with back-off while the receiver fails, every attempt logged.

The receiver checks ``X-Patscape-Signature: sha256=<hex>``, the HMAC-SHA256 of ``<timestamp>.<body>``
under the secret, with the timestamp of ``X-Patscape-Timestamp`` (seconds since the epoch; refuse old ones
to stop replays)."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from patscape import monitor
from patscape.digest.content import Digest, log_attempt, pending
from patscape.monitor import Caller
from patscape.monitor.sql import next_id, now
from patscape.store import Store

CHANNEL = "webhook"
SIGNATURE_HEADER = "X-Patscape-Signature"
TIMESTAMP_HEADER = "X-Patscape-Timestamp"
ATTEMPTS = 4
BACKOFF = 2.0  # seconds before the second attempt, doubled before each later one


@dataclass(frozen=True, slots=True)
class Webhook:
    webhook_id: int
    user_id: int
    url: str
    secret: str


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def add_webhook(store: Store, caller: Caller, url: str) -> tuple[int, str]:
    """Post the caller's digests to ``url`` (http or https); returns its id and its secret (shown once)."""
    if not url.startswith(("https://", "http://")) or len(url) > 2000:
        raise monitor.Invalid("a webhook's URL starts with https:// or http:// (at most 2000 characters)")
    if not caller.user_id:
        raise monitor.Invalid("patscape itself has no digests")
    secret = secrets.token_urlsafe(32)
    webhook_id = next_id(store)
    with store.transaction():
        store.execute(
            "INSERT INTO monitor_webhooks (webhook_id, user_id, url, secret, created_at, active) "
            "VALUES (?, ?, ?, ?, ?, TRUE)",
            (webhook_id, caller.user_id, url, secret, now()),
        )
    return webhook_id, secret


def webhooks(store: Store) -> list[Webhook]:
    rows = store.fetch(
        "SELECT webhook_id, user_id, url, secret FROM monitor_webhooks WHERE active ORDER BY webhook_id"
    )
    return [Webhook(int(r["webhook_id"]), int(r["user_id"]), r["url"], r["secret"]) for r in rows]


def deliver(
    store: Store,
    hook: Webhook,
    digest: Digest,
    attempts: int = ATTEMPTS,
    backoff: float = BACKOFF,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """POST the digest until the receiver answers 2xx or the attempts run out; every attempt is logged."""
    body = json.dumps(digest.as_dict(), ensure_ascii=False, sort_keys=True).encode()
    delay = backoff
    with httpx.Client(timeout=30, follow_redirects=False) as client:
        for attempt in range(1, attempts + 1):
            timestamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                TIMESTAMP_HEADER: timestamp,
                SIGNATURE_HEADER: signature(hook.secret, timestamp, body),
                "X-Patscape-Attempt": str(attempt),
                "User-Agent": "patscape-webhook",
            }
            status, error = None, None
            try:
                status = client.post(hook.url, content=body, headers=headers).status_code
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            delivered = status is not None and 200 <= status < 300
            if not delivered and error is None:
                error = f"the receiver answered {status}"
            log_attempt(store, digest, CHANNEL, attempt, delivered, status, error, hook.webhook_id)
            if delivered:
                return True
            if attempt < attempts:
                sleep(delay)
                delay *= 2
    return False


def send_webhooks(store: Store, period: str = "daily", **options: Any) -> dict[int, bool]:
    """Each active webhook's digest, delivered; webhook id -> delivered (webhooks with nothing new left
    out)."""
    users = {u.user_id: u for u in monitor.list_users(store, monitor.SYSTEM) if u.active}
    out: dict[int, bool] = {}
    for hook in webhooks(store):
        user = users.get(hook.user_id)
        digest = pending(store, user, period, CHANNEL, hook.webhook_id) if user else None
        if digest is not None:
            out[hook.webhook_id] = deliver(store, hook, digest, **options)
    return out
