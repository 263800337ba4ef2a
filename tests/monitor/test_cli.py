"""The monitoring commands: user add/list/token/tokens/revoke and route, as a user types them."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from patscape import monitor
from patscape.cli import main
from patscape.store import open_store
from tests.monitor.conftest import PASSWORD


def test_users_tokens_and_route(tmp_path: Path, data: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> str:
        result = runner.invoke(main, [*args, "--db", db], input=input)
        assert result.exit_code == 0, result.output
        return result.output

    added = json.loads(
        run("user", "add", "ada", "--role", "admin", "--password-stdin", "--json", input=PASSWORD + "\n")
    )
    assert added[0]["name"] == "ada" and added[0]["role"] == "admin"
    run("user", "add", "eve", "--role", "evaluator")
    refused = runner.invoke(main, ["user", "add", "eve", "--role", "viewer", "--db", db])
    assert refused.exit_code != 0 and "exists already" in refused.output
    listed = json.loads(run("user", "list", "--json"))
    assert [(u["name"], u["role"]) for u in listed] == [("ada", "admin"), ("eve", "evaluator")]
    issued = json.loads(run("user", "token", "eve", "--days", "7", "--json"))
    with open_store(db) as store:
        assert monitor.authenticate(store, issued["token"]).name == "eve"
        assert monitor.check_password(store, "ada", PASSWORD) is not None
        ws = monitor.create_workspace(store, monitor.SYSTEM, "watch")
        monitor.add_member(store, monitor.SYSTEM, ws.ws_id, "eve")
        monitor.save_profile(store, monitor.SYSTEM, ws.ws_id, "vacuum", "vacuum")
    tokens = json.loads(run("user", "tokens", "eve", "--json"))
    assert [t["token_id"] for t in tokens] == [issued["token_id"]] and tokens[0]["active"]
    assert "revoked" in run("user", "revoke", issued["token_id"])
    with open_store(db) as store:
        try:
            monitor.authenticate(store, issued["token"])
            raise AssertionError("a revoked token still works")
        except monitor.Unauthenticated:
            pass
    uspto = str(data / "go_uspto_testdata")
    ingested = runner.invoke(main, ["ingest", uspto, "-q", "--workers", "0", "--db", db])
    assert ingested.exit_code == 0, ingested.output
    with open_store(db) as store:  # expected: the word in a title, abstract or claims, found in Python
        texts = store.fetch("SELECT pub_key, kind, text FROM texts")
        routed_by_ingest = store.scalar("SELECT count(*) FROM monitor_tasks WHERE ws_id = ?", (ws.ws_id,))
    expected = {
        t["pub_key"]
        for t in texts
        if t["kind"] != "description" and "vacuum" in re.findall(r"[^\W_]+", (t["text"] or "").casefold())
    }
    assert "US-6530116-B2" in expected  # the vacuum cleaner
    # the ingest routed its arrivals: one task each for eve, the workspace's one evaluator
    assert f"routed: {len(expected)} new documents, {len(expected)} tasks" in ingested.output
    assert routed_by_ingest == len(expected)
    routed = json.loads(run("route", "--json"))
    assert [(r["matched"], r["added"]) for r in routed] == [(0, 0)]
