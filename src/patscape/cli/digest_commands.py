"""Commands of the digests: send them (by e-mail and to webhooks), add a webhook."""

from __future__ import annotations

import click

from patscape import console
from patscape.cli.app import db_option, json_option, main
from patscape.cli.monitor_commands import _monitor_store, _run


@main.group()
def digest() -> None:
    """Digests of each user's new tasks, mentions and changes: e-mail, webhooks (Atom feeds: the server).

    \b
    PATSCAPE_SMTP_HOST=mail.example.com patscape digest send --period daily   # from cron, once a day
    patscape digest webhook alice https://hooks.example.com/patscape          # prints the secret once
    """


@digest.command("send")
@click.option("--period", type=click.Choice(["daily", "weekly"]), default="daily", show_default=True)
@click.option("--no-email", is_flag=True, help="Do not send mail.")
@click.option("--no-webhooks", is_flag=True, help="Do not post to webhooks.")
@db_option
@json_option
def digest_send(period: str, no_email: bool, no_webhooks: bool, db: str | None, as_json: bool) -> None:
    """Send each user what is new since their last digest: mail (SMTP settings from PATSCAPE_SMTP_HOST,
    _PORT, _FROM, _USER, _PASSWORD, _SECURITY; links to PATSCAPE_BASE_URL) and signed webhook posts."""
    from patscape import digest as digests

    rows = []
    with _monitor_store(db) as store:
        if not no_email:
            try:
                settings = digests.SmtpSettings.from_env()
            except ValueError as exc:
                raise click.ClickException(str(exc)) from None
            for d in digests.send_emails(store, settings, period):
                rows.append({"channel": "email", "to": d.user.name, "items": len(d.items), "sent": True})
        if not no_webhooks:
            for hook, ok in _run(lambda: digests.send_webhooks(store, period)).items():
                rows.append({"channel": "webhook", "to": f"webhook {hook}", "items": None, "sent": ok})
    console.print_rows(rows, title=f"{period} digests", as_json=as_json)


@digest.command("webhook")
@click.argument("user")
@click.argument("url")
@db_option
def digest_webhook(user: str, url: str, db: str | None) -> None:
    """Post USER's digests to URL, signed (HMAC-SHA256 in X-Patscape-Signature); prints the secret once."""
    from patscape import digest as digests
    from patscape import monitor

    with _monitor_store(db) as store:
        caller = _run(lambda: monitor.get_user(store, monitor.SYSTEM, user).caller())
        webhook_id, secret = _run(lambda: digests.add_webhook(store, caller, url))
    click.echo(f"webhook {webhook_id} of {user}: secret {secret}")
