"""Users, argon2 passwords, tokens (hashed, revocable, expiring) and the append-only audit trail."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from patscape import monitor
from patscape.monitor import SYSTEM
from patscape.store import Store
from tests.monitor.conftest import PASSWORD, People


def test_password_is_argon2_and_checked(mstore: Store) -> None:
    monitor.add_user(mstore, SYSTEM, "ada", "admin", password=PASSWORD)
    stored = mstore.scalar("SELECT password_hash FROM monitor_users WHERE name = 'ada'")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert monitor.check_password(mstore, "ada", PASSWORD).name == "ada"  # type: ignore[union-attr]
    assert monitor.check_password(mstore, "ada", PASSWORD + "x") is None
    assert monitor.check_password(mstore, "nobody", PASSWORD) is None
    monitor.update_user(mstore, SYSTEM, "ada", active=False)
    assert monitor.check_password(mstore, "ada", PASSWORD) is None
    with pytest.raises(monitor.Invalid):
        monitor.add_user(mstore, SYSTEM, "bob", "evaluator", password="short")
    with pytest.raises(monitor.Invalid):
        monitor.add_user(mstore, SYSTEM, "bob", "superuser")
    with pytest.raises(monitor.Invalid):
        monitor.add_user(mstore, SYSTEM, "bob; DROP TABLE monitor_users", "viewer")
    with pytest.raises(monitor.Conflict):
        monitor.add_user(mstore, SYSTEM, "ada", "viewer")


def test_tokens_hashed_revocable_expiring(people: People, mstore: Store) -> None:
    issued = monitor.issue_token(mstore, people.alice, "alice", label="laptop")
    assert re.fullmatch(r"psk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", issued.token)
    secret = issued.token.split("_", 2)[2]
    stored = mstore.fetch("SELECT * FROM monitor_tokens WHERE token_id = ?", (issued.info.token_id,))[0]
    assert secret not in str(stored.values())
    assert monitor.authenticate(mstore, issued.token).name == "alice"
    for wrong in (issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B"), "psk_x_y", "", "Bearer x"):
        with pytest.raises(monitor.Unauthenticated):
            monitor.authenticate(mstore, wrong)
    # another user's token: not found for a non-admin; an admin may revoke it
    with pytest.raises(monitor.NotFound):
        monitor.revoke(mstore, people.bob, issued.info.token_id)
    assert [t.token_id for t in monitor.list_tokens(mstore, people.alice)] == [issued.info.token_id]
    with pytest.raises(monitor.Forbidden):
        monitor.list_tokens(mstore, people.alice, "*")
    monitor.revoke(mstore, people.admin, issued.info.token_id)
    with pytest.raises(monitor.Unauthenticated):
        monitor.authenticate(mstore, issued.token)
    # expiry: the clock is not mocked; the token's expiry is moved into the past, as time would
    second = monitor.issue_token(mstore, people.alice, "alice", days=1)
    assert monitor.authenticate(mstore, second.token).name == "alice"
    mstore.execute(
        "UPDATE monitor_tokens SET expires_at = created_at - INTERVAL 1 SECOND WHERE token_id = ?"
        if mstore.dialect == "duckdb"
        else "UPDATE monitor_tokens SET expires_at = created_at - INTERVAL '1 second' WHERE token_id = ?",
        (second.info.token_id,),
    )
    with pytest.raises(monitor.Unauthenticated):
        monitor.authenticate(mstore, second.token)
    # a deactivated user's tokens stop working
    third = monitor.issue_token(mstore, people.admin, "bob")
    monitor.update_user(mstore, people.admin, "bob", active=False)
    with pytest.raises(monitor.Unauthenticated):
        monitor.authenticate(mstore, third.token)


def test_roles_and_outsiders(people: People, mstore: Store) -> None:
    with pytest.raises(monitor.Forbidden):
        monitor.create_workspace(mstore, people.alice, "mine")
    with pytest.raises(monitor.Forbidden):
        monitor.add_user(mstore, people.manager, "eve", "admin")
    with pytest.raises(monitor.Forbidden):
        monitor.list_users(mstore, people.alice)
    assert [w.ws_id for w in monitor.list_workspaces(mstore, people.outsider)] == []
    for reader in (monitor.get_workspace, monitor.members, monitor.tags, monitor.profiles):
        with pytest.raises(monitor.NotFound):
            reader(mstore, people.outsider, people.ws_id)
        with pytest.raises(monitor.NotFound):  # and a workspace that does not exist reads the same
            reader(mstore, people.outsider, people.ws_id + 1000)
    with pytest.raises(monitor.Forbidden):
        monitor.add_member(mstore, people.alice, people.ws_id, "outsider")
    assert [w.name for w in monitor.list_workspaces(mstore, people.admin)] == ["GenAI watch"]


def test_the_audit_trail_is_append_only(people: People, mstore: Store) -> None:
    actions = [r["action"] for r in mstore.fetch("SELECT action FROM monitor_events ORDER BY event_id")]
    assert actions[:7] == ["user.created"] * 6 + ["workspace.created"]
    if mstore.dialect == "postgresql":
        for statement in (
            "UPDATE monitor_events SET action = 'x'",
            "DELETE FROM monitor_events",
            "TRUNCATE monitor_events",
            "DELETE FROM monitor_route_runs",
        ):
            with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
                mstore.execute(statement)
        assert mstore.scalar("SELECT count(*) FROM monitor_events") == len(actions)
    else:  # DuckDB has no triggers: no statement of patscape changes or deletes the logs
        source = "\n".join(p.read_text() for p in Path(monitor.__file__).parent.rglob("*.py"))
        for table in ("monitor_events", "monitor_route_runs"):
            assert not re.search(rf"(UPDATE|DELETE FROM|TRUNCATE)\s+{table}\b", source)
