"""Digests by e-mail: one message per user with new notifications (plain text and HTML), sent through the
SMTP server the environment names."""

from __future__ import annotations

import html
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from patscape.digest.content import Digest, log_attempt, pending, users_with_mail
from patscape.store import Store

CHANNEL = "email"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "patscape@localhost"
    user: str | None = None
    password: str | None = None
    security: str = "none"  # none, starttls, ssl
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> SmtpSettings:
        """$PATSCAPE_SMTP_HOST (required), _PORT, _FROM, _USER, _PASSWORD, _SECURITY (none, starttls, ssl)."""
        host = os.environ.get("PATSCAPE_SMTP_HOST")
        if not host:
            raise ValueError("set PATSCAPE_SMTP_HOST (and _PORT, _FROM, _SECURITY) to send mail")
        security = os.environ.get("PATSCAPE_SMTP_SECURITY", "none")
        if security not in ("none", "starttls", "ssl"):
            raise ValueError("PATSCAPE_SMTP_SECURITY is none, starttls or ssl")
        default_port = {"none": 25, "starttls": 587, "ssl": 465}[security]
        return cls(
            host=host,
            port=int(os.environ.get("PATSCAPE_SMTP_PORT", default_port)),
            sender=os.environ.get("PATSCAPE_SMTP_FROM", "patscape@localhost"),
            user=os.environ.get("PATSCAPE_SMTP_USER") or None,
            password=os.environ.get("PATSCAPE_SMTP_PASSWORD") or None,
            security=security,
        )

    def connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout)
        else:
            server = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                server.starttls()
        if self.user:
            server.login(self.user, self.password or "")
        return server


def message(digest: Digest, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = digest.user.email or ""
    msg["Subject"] = digest.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="patscape")
    lines = [f"Hello {digest.user.display_name or digest.user.name},", ""]
    for i in digest.items:
        lines.append(f"- {i.text}")
        if i.quote:
            lines.append(f'  "{i.quote}"')
        lines.append(f"  {i.url}")
    msg.set_content("\n".join(lines) + "\n")
    rows = "".join(
        f'<li><a href="{html.escape(i.url)}">{html.escape(i.text)}</a>'
        + (f"<br><q>{html.escape(i.quote)}</q>" if i.quote else "")
        + "</li>"
        for i in digest.items
    )
    msg.add_alternative(f"<!doctype html><html><body><ul>{rows}</ul></body></html>", subtype="html")
    return msg


def send_emails(store: Store, settings: SmtpSettings, period: str = "daily") -> list[Digest]:
    """Mail each user with an address their digest of new notifications; returns the digests sent. A
    refused message is logged and sent again with the next run's digest."""
    sent: list[Digest] = []
    server: smtplib.SMTP | None = None
    try:
        for user in users_with_mail(store):
            digest = pending(store, user, period, CHANNEL)
            if digest is None:
                continue
            try:
                if server is None:
                    server = settings.connect()
                server.send_message(message(digest, settings.sender))
            except (smtplib.SMTPException, OSError) as exc:
                code = getattr(exc, "smtp_code", None)
                log_attempt(store, digest, CHANNEL, 1, False, code, f"{type(exc).__name__}: {exc}")
                continue
            log_attempt(store, digest, CHANNEL, 1, True, 250)
            sent.append(digest)
    finally:
        if server is not None:
            server.quit()
    return sent
