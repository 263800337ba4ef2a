"""Digests delivered for real: mail to a local SMTP server (aiosmtpd) read back and parsed, and a signed
webhook to a local HTTP receiver that fails before it accepts. The database is the web tests' (real USPTO
documents): alice's comment mentions bob, the manager gave bob a task."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from aiosmtpd.controller import Controller

from patscape import digest, monitor
from patscape.monitor import SYSTEM
from patscape.store import Store, open_store
from patscape.store.local_postgres import free_port
from tests.web.conftest import APPLICATION, GRANT, Api, prepare

BASE = "https://patscape.example.org"
BOB = "bob@example.org"


@pytest.fixture
def site(data: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, Api]]:
    """The web tests' database on DuckDB and on PostgreSQL (where the delivery log refuses changes)."""
    monkeypatch.setenv("PATSCAPE_BASE_URL", BASE)
    db = db_url
    api = prepare(db, data)
    with open_store(db) as store:
        monitor.update_user(store, SYSTEM, "bob", email=BOB)
        yield store, api


class Inbox:
    """aiosmtpd's handler: every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        parsed = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, digest.SmtpSettings]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, digest.SmtpSettings("127.0.0.1", port, sender="patscape@example.org")
    finally:
        controller.stop()


def _text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def test_a_daily_digest_is_mailed_once_with_what_is_new(site, smtp) -> None:  # type: ignore[no-untyped-def]
    store, api = site
    inbox, settings = smtp
    sent = digest.send_emails(store, settings, "daily")
    assert [d.user.name for d in sent] == ["bob"]  # the only user with an address
    [(sender, recipients, message)] = inbox.messages
    assert sender == "patscape@example.org" and recipients == [BOB]
    assert message["Subject"] == "patscape daily digest: 2 notifications"
    text = _text(message)
    assert "Hello bob," in text
    assert f"manager gave you {APPLICATION} to evaluate in GenAI watch" in text
    assert f"alice mentioned you on {GRANT} in GenAI watch" in text
    assert '"@bob have a look"' in text
    assert f"{BASE}/w/{api.ws_id}/doc/{GRANT}?view=all" in text
    html = message.get_body(preferencelist=("html",))
    assert html is not None and f'href="{BASE}/w/{api.ws_id}/doc/{GRANT}?view=all"' in html.get_content()

    # nothing new: no mail; something new: a digest of that alone
    assert digest.send_emails(store, settings, "daily") == []
    assert len(inbox.messages) == 1
    alice = monitor.get_user(store, SYSTEM, "alice").caller()
    monitor.comment(store, alice, api.ws_id, APPLICATION, "@bob the claims are narrow")
    [again] = digest.send_emails(store, settings, "daily")
    assert len(again.items) == 1 and len(inbox.messages) == 2
    assert inbox.messages[1][2]["Subject"] == "patscape daily digest: 1 notification"
    assert f"alice mentioned you on {APPLICATION}" in _text(inbox.messages[1][2])
    log = store.fetch(
        "SELECT channel, attempt, delivered, items FROM monitor_deliveries ORDER BY delivery_id"
    )
    assert [(r["channel"], r["attempt"], r["delivered"], r["items"]) for r in log] == [
        ("email", 1, True, 2),
        ("email", 1, True, 1),
    ]


def test_a_refused_mail_is_logged_and_sent_with_the_next_digest(site) -> None:  # type: ignore[no-untyped-def]
    store, _ = site
    nobody = digest.SmtpSettings("127.0.0.1", free_port(), timeout=5)  # no server listens there
    assert digest.send_emails(store, nobody, "daily") == []
    [row] = store.fetch("SELECT delivered, error FROM monitor_deliveries")
    assert row["delivered"] is False and "ConnectionRefusedError" in row["error"]
    [pending] = [digest.pending(store, monitor.get_user(store, SYSTEM, "bob"), "daily", "email")]
    assert pending is not None and len(pending.items) == 2  # nothing was marked delivered
    if store.dialect == "postgresql":  # the log is append-only: the server refuses to rewrite it
        with pytest.raises(Exception, match="append-only"), store.transaction():
            store.execute("UPDATE monitor_deliveries SET delivered = TRUE")


class Receiver(BaseHTTPRequestHandler):
    """Answers 503 to the first ``failures`` posts, then 200; keeps every request."""

    failures = 0
    seen: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).seen.append((dict(self.headers), body))
        self.send_response(503 if len(type(self).seen) <= type(self).failures else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[Receiver]]]:
    handler = type("Hook", (Receiver,), {"failures": 2, "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    finally:
        server.shutdown()
        server.server_close()


def test_a_webhook_is_signed_and_retried_with_back_off(site, receiver) -> None:  # type: ignore[no-untyped-def]
    store, _ = site
    url, handler = receiver
    bob = monitor.get_user(store, SYSTEM, "bob")
    webhook_id, secret = digest.add_webhook(store, bob.caller(), url)
    [hook] = [h for h in digest.webhook.webhooks(store) if h.webhook_id == webhook_id]
    pending = digest.pending(store, bob, "daily", "webhook", webhook_id)
    assert pending is not None
    waits: list[float] = []
    assert digest.deliver(store, hook, pending, attempts=4, backoff=0.5, sleep=waits.append) is True
    assert waits == [0.5, 1.0]  # two failures, each wait twice the one before
    assert len(handler.seen) == 3
    for attempt, (headers, body) in enumerate(handler.seen, start=1):
        stamp = headers["X-Patscape-Timestamp"]
        expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
        assert headers["X-Patscape-Signature"] == f"sha256={expected}"
        assert headers["X-Patscape-Attempt"] == str(attempt)
        assert headers["Content-Type"] == "application/json"
    payload = json.loads(handler.seen[-1][1])
    assert payload["user"] == "bob" and payload["period"] == "daily"
    assert {(i["reason"], i["pub_key"]) for i in payload["items"]} == {
        ("assigned", APPLICATION),
        ("mentioned", GRANT),
    }
    # a body changed on the way no longer matches its signature
    headers, body = handler.seen[-1]
    forged = f"{headers['X-Patscape-Timestamp']}.".encode() + body.replace(b"bob", b"eve")
    forged_mac = hmac.new(secret.encode(), forged, hashlib.sha256).hexdigest()
    assert headers["X-Patscape-Signature"] != f"sha256={forged_mac}"
    log = store.fetch(
        "SELECT attempt, delivered, status FROM monitor_deliveries WHERE webhook_id = ? ORDER BY attempt",
        (webhook_id,),
    )
    assert [(r["attempt"], r["delivered"], r["status"]) for r in log] == [
        (1, False, 503),
        (2, False, 503),
        (3, True, 200),
    ]
    # delivered: the next run has nothing to send to it
    assert digest.send_webhooks(store, "daily", sleep=waits.append) == {}


def test_a_failing_webhook_gives_up_and_is_tried_again_next_run(site, receiver) -> None:  # type: ignore[no-untyped-def]
    store, _ = site
    url, handler = receiver
    handler.failures = 100
    bob = monitor.get_user(store, SYSTEM, "bob")
    webhook_id, _ = digest.add_webhook(store, bob.caller(), url)
    waits: list[float] = []
    assert digest.send_webhooks(store, "daily", backoff=1.0, sleep=waits.append) == {webhook_id: False}
    assert waits == [1.0, 2.0, 4.0] and len(handler.seen) == 4
    assert digest.send_webhooks(store, "daily", backoff=1.0, sleep=waits.append) == {webhook_id: False}
    assert len(handler.seen) == 8  # the same digest again: it was never delivered
    bodies = {json.loads(b)["up_to_event"] for _, b in handler.seen}
    assert len(bodies) == 1


def test_each_user_chooses_daily_weekly_or_no_digest(site, smtp) -> None:  # type: ignore[no-untyped-def]
    store, _ = site
    inbox, settings = smtp
    bob = monitor.get_user(store, SYSTEM, "bob")
    assert digest.preference(store, bob.user_id) == "daily"  # never chosen
    digest.set_preference(store, bob.caller(), "weekly")
    assert digest.send_emails(store, settings, "daily") == []  # he wants his weekly
    [weekly] = digest.send_emails(store, settings, "weekly")
    assert weekly.user.name == "bob" and len(weekly.items) == 2
    digest.set_preference(store, bob.caller(), "none")
    alice = monitor.get_user(store, SYSTEM, "alice").caller()
    monitor.comment(store, alice, site[1].ws_id, GRANT, "@bob once more")
    assert digest.send_emails(store, settings, "weekly") == [] and len(inbox.messages) == 1
    with pytest.raises(monitor.Invalid):
        digest.set_preference(store, bob.caller(), "hourly")
    changes = store.fetch(
        "SELECT new_value FROM monitor_events WHERE action = 'digest.period' AND actor_id = ? "
        "ORDER BY event_id",
        (bob.user_id,),
    )
    assert [json.loads(r["new_value"])["period"] for r in changes] == ["weekly", "none"]  # in the log
