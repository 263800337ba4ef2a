"""Digests: what each user was told about (``monitor.notifications``: new tasks, mentions, changes) sent
on a schedule as e-mail (``mail``) and as a signed webhook (``webhook``), and read as Atom feeds
(``atom``). Every delivery attempt is logged (``monitor_deliveries``); a digest holds what came after the
last one delivered on its channel, so a failed delivery is sent again next time, and nothing twice.

    from patscape import digest
    digest.send_emails(store, digest.SmtpSettings.from_env(), period="daily")
    digest.send_webhooks(store, period="weekly")
"""

from patscape.digest.atom import user_feed, workspace_feed
from patscape.digest.content import (
    CHOICES,
    PERIODS,
    Digest,
    Item,
    base_url,
    pending,
    preference,
    set_preference,
)
from patscape.digest.mail import SmtpSettings, message, send_emails
from patscape.digest.webhook import SIGNATURE_HEADER, add_webhook, deliver, send_webhooks, signature

__all__ = [
    "CHOICES",
    "PERIODS",
    "SIGNATURE_HEADER",
    "Digest",
    "Item",
    "SmtpSettings",
    "add_webhook",
    "base_url",
    "deliver",
    "message",
    "pending",
    "preference",
    "send_emails",
    "send_webhooks",
    "set_preference",
    "signature",
    "user_feed",
    "workspace_feed",
]
