"""Commands of the monitoring: users and tokens, serve, route, retrain."""

from __future__ import annotations

import sys

import click

from patscape import console
from patscape.cli.app import db_option, json_option, main


def _monitor_store(db: str | None):  # type: ignore[no-untyped-def]
    from patscape import monitor
    from patscape.store import open_store

    store = open_store(db)
    monitor.install(store)
    return store


def _run(action):  # type: ignore[no-untyped-def]
    """Run a monitor call, turning its errors into a clean message."""
    from patscape.monitor import MonitorError

    try:
        return action()
    except MonitorError as exc:
        raise click.ClickException(str(exc)) from None


@main.group()
def user() -> None:
    """Users and their API tokens (run by whoever owns the database: acts as admin).

    \b
    patscape user add ada --role admin --password-stdin < password.txt
    patscape user token ada          # prints a new token once
    patscape user list
    patscape user revoke TOKEN_ID
    """


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "manager", "evaluator", "viewer"]), required=True)
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of standard input."
)
@click.option("--display-name", help="The name shown to others.")
@click.option("--email")
@db_option
@json_option
def user_add(
    name: str,
    role: str,
    password_stdin: bool,
    display_name: str | None,
    email: str | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Create a user (without --password-stdin the user signs in with tokens only)."""
    from patscape import monitor

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    with _monitor_store(db) as store:
        created = _run(
            lambda: monitor.add_user(store, monitor.SYSTEM, name, role, password, display_name, email)
        )
    console.print_rows([_user_row(created)], title="user added", as_json=as_json)


def _user_row(u) -> dict:  # type: ignore[no-untyped-def]
    return {
        "user_id": u.user_id,
        "name": u.name,
        "role": u.role,
        "active": u.active,
        "display_name": u.display_name,
        "email": u.email,
        "denied": ", ".join(u.denied),
        "created_at": u.created_at,
    }


@user.command("list")
@db_option
@json_option
def user_list(db: str | None, as_json: bool) -> None:
    """Every user with role, state and the permissions the admin switched off."""
    from patscape import monitor

    with _monitor_store(db) as store:
        rows = [_user_row(u) for u in monitor.list_users(store, monitor.SYSTEM)]
    console.print_rows(rows, title="users", as_json=as_json)


@user.command("token")
@click.argument("name")
@click.option("--days", default=30, show_default=True, help="Days until the token expires (1-366).")
@click.option("--label", help="What the token is for (shown in lists).")
@db_option
@json_option
def user_token(name: str, days: int, label: str | None, db: str | None, as_json: bool) -> None:
    """Issue an API token for NAME and print it: it is shown this once (only its hash is kept)."""
    from patscape import monitor

    with _monitor_store(db) as store:
        issued = _run(lambda: monitor.issue_token(store, monitor.SYSTEM, name, label, days))
    if as_json:
        console.print_json(
            {
                "token": issued.token,
                "token_id": issued.info.token_id,
                "expires_at": issued.info.expires_at.isoformat(),
            }
        )
    else:
        click.echo(issued.token)
        click.echo(
            f"token id {issued.info.token_id}, expires {issued.info.expires_at:%Y-%m-%d %H:%M} UTC", err=True
        )


@user.command("tokens")
@click.argument("name", required=False)
@db_option
@json_option
def user_tokens(name: str | None, db: str | None, as_json: bool) -> None:
    """The tokens of NAME (default: everyone's): id, label, expiry, revocation."""
    from patscape import monitor

    with _monitor_store(db) as store:
        found = _run(lambda: monitor.list_tokens(store, monitor.SYSTEM, name or "*"))
    rows = [
        {
            "token_id": t.token_id,
            "user": t.user_name,
            "label": t.label,
            "created_at": t.created_at,
            "expires_at": t.expires_at,
            "revoked_at": t.revoked_at,
            "active": t.active,
        }
        for t in found
    ]
    console.print_rows(rows, title="tokens", as_json=as_json)


@user.command("revoke")
@click.argument("token_id")
@db_option
def user_revoke(token_id: str, db: str | None) -> None:
    """Revoke a token by its id: it stops working with the next request."""
    from patscape import monitor

    with _monitor_store(db) as store:
        info = _run(lambda: monitor.revoke(store, monitor.SYSTEM, token_id))
    click.echo(f"revoked {info.token_id} of {info.user_name}")


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, help="Worker processes (PostgreSQL only) [default: one per core].")
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(db: str | None, host: str, port: int, workers: int | None, log_level: str) -> None:
    """Serve the REST API (OpenAPI at /openapi.json): one process on a DuckDB file, several on PostgreSQL.

    \b
    patscape serve --db patscape.duckdb
    curl -s -X POST localhost:8000/api/auth/token -d username=ada -d password=...
    """
    from patscape.store import default_db
    from patscape.web.serve import serve as run_server

    try:
        run_server(db or default_db(), host, port, workers, log_level)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def route_new_arrivals(store) -> str | None:  # type: ignore[no-untyped-def]
    """For ``patscape ingest``: route what arrived; what it did, in a line (None: no monitoring)."""
    from patscape import monitor

    results, waiting = _run(lambda: monitor.route_after_ingest(store))
    if not results and not waiting:
        return None
    line = f"routed: {sum(r.added for r in results):,} new documents, {sum(r.tasks for r in results):,} tasks"
    if waiting:
        ids = ", ".join(map(str, waiting))
        line += f"; workspaces {ids} have classifier conditions: run `patscape route` (it classifies first)"
    return line


@main.command()
@db_option
@click.option(
    "--workspace", "workspaces", multiple=True, type=int, help="Only this workspace id (repeatable)."
)
@click.option("--no-classify", is_flag=True, help="Do not classify new arrivals for classifier conditions.")
@json_option
def route(db: str | None, workspaces: tuple[int, ...], no_classify: bool, as_json: bool) -> None:
    """Route new arrivals into the monitoring workspaces: publications that arrived since the last run and
    match a watch profile become open tasks of the evaluators its rules name (`patscape ingest` does it for
    profiles without a classifier condition; a second run adds nothing)."""
    from patscape import monitor

    with _monitor_store(db) as store:
        results = _run(
            lambda: monitor.route(store, monitor.SYSTEM, list(workspaces) or None, label=not no_classify)
        )
    console.print_rows([r.as_dict() for r in results], title="route", as_json=as_json)


@main.command()
@db_option
@click.option(
    "--shared",
    envvar="PATSCAPE_SHARED",
    type=click.Path(file_okay=False),
    help="Folder with labels/ and data/ [env PATSCAPE_SHARED; default ../shared].",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write the retrained classifier here.")
@json_option
def retrain(db: str | None, shared: str | None, out: str | None, as_json: bool) -> None:
    """Teach the generative-AI classifier from the ratings of workspaces that allow it (2-3: yes, 0: no) and
    report its precision, recall and F1 on a held-out set before and after.

    \b
    patscape retrain --out retrained.npz
    patscape classify --model retrained.npz --relabel
    """
    from pathlib import Path

    from patscape import monitor
    from patscape.enrich.genai.train import shared_dir
    from patscape.monitor.feedback import retrain as run_retrain

    with _monitor_store(db) as store:
        result = _run(
            lambda: run_retrain(store, monitor.SYSTEM, Path(shared) if shared else shared_dir(), out)
        )
    if as_json:
        console.print_json(result)
        return
    rows = [
        {"model": name, **{k: result[name].get(k) for k in ("precision", "recall", "f1", "f1_ci")}}
        for name in ("before", "after")
    ]
    console.print_rows(
        rows,
        title=f"retrain: {result['rating_labels']} rating labels "
        f"({result['yes']} yes, {result['no']} no); held out: {result['held_out']}",
        as_json=False,
    )
