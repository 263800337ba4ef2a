"""A real API server for the web tests: ``patscape serve`` in its own process, on 127.0.0.1, over a DuckDB
file or a PostgreSQL database prepared with real documents, users, a workspace and tasks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from patscape import monitor
from patscape.enrich.build import enrich
from patscape.monitor import SYSTEM
from patscape.store import open_store
from patscape.store.ingest import ingest
from patscape.store.local_postgres import free_port
from tests.monitor.conftest import PASSWORD

GRANT, APPLICATION, OTHER = "US-6530116-B2", "US-2021267109-A1", "US-6334226-B1"
ROLES = {
    "admin": "admin",
    "manager": "manager",
    "alice": "evaluator",
    "bob": "evaluator",
    "viewer": "viewer",
    "outsider": "evaluator",
}


@dataclass
class Api:
    url: str
    db: str
    tokens: dict[str, str]
    ws_id: int
    tag_id: int
    category_id: int
    profile_id: int
    comment_id: int
    alice_token_id: str
    expired_token: str
    extra: dict[str, object] = field(default_factory=dict)

    def client(self, who: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120, **kwargs)  # type: ignore[arg-type]


def prepare(db: str, data: Path) -> Api:
    """Real USPTO documents, the six users with tokens, a monitoring workspace with two documents."""
    with open_store(db) as store:
        monitor.install(store)
        ingest(store, [data / "go_uspto_testdata"], workers=0)
        enrich(store)
        families = store.scalar("SELECT count(*) FROM families")
        tokens = {}
        for name, role in ROLES.items():
            monitor.add_user(store, SYSTEM, name, role, password=PASSWORD if name == "admin" else None)
            tokens[name] = monitor.issue_token(store, SYSTEM, name, label="tests").token
        manager = monitor.get_user(store, SYSTEM, "manager").caller()
        ws = monitor.create_workspace(store, manager, "GenAI watch")
        for name in ("alice", "bob", "viewer"):
            monitor.add_member(store, manager, ws.ws_id, name)
        category = monitor.create_category(store, manager, ws.ws_id, "Parties", "red")
        tag = monitor.create_tag(store, manager, ws.ws_id, "competitor", category.category_id)
        profile = monitor.save_profile(
            store, manager, ws.ws_id, "vacuum", "vacuum OR seed", rules=[{"cpc": "A47L", "to": ["alice"]}]
        )
        for key in (GRANT, APPLICATION):
            monitor.add_document(store, manager, ws.ws_id, key)
        monitor.assign(store, manager, ws.ws_id, GRANT, "alice", due=dt.date(2030, 1, 31))
        monitor.assign(store, manager, ws.ws_id, APPLICATION, "bob")
        alice = monitor.get_user(store, SYSTEM, "alice").caller()
        comment_id = monitor.comment(store, alice, ws.ws_id, GRANT, "@bob have a look")
        alice_token = monitor.issue_token(store, SYSTEM, "alice", label="to revoke")
        expired = monitor.issue_token(store, SYSTEM, "alice", label="expired", days=1)
        past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
        store.execute(
            "UPDATE monitor_tokens SET expires_at = ? WHERE token_id = ?", (past, expired.info.token_id)
        )
    return Api(
        "",
        db,
        tokens,
        ws.ws_id,
        tag.tag_id,
        category.category_id,
        profile.profile_id,
        comment_id,
        alice_token.info.token_id,
        expired.token,
        {"alice_revocable": alice_token.token, "families": families},
    )


@contextmanager
def running(api: Api, workers: int | None = None) -> Iterator[Api]:
    """``patscape serve`` on a free port of 127.0.0.1 until the block ends."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "patscape.cli",
        "serve",
        "--db",
        api.db,
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    if workers:
        command += ["--workers", str(workers)]
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"patscape-serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    api.url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"patscape serve stopped: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{api.url}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"patscape serve did not start: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield api
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
        log.unlink(missing_ok=True)
        assert not errors, "the server logged an unexpected error"


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def api(
    request: pytest.FixtureRequest, data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """One server per test module and backend, over its own prepared database."""
    if request.param == "duckdb":
        db = str(tmp_path_factory.mktemp("api") / "api.duckdb")
    else:
        db = module_pg_database(request)
    with running(prepare(db, data)) as server:
        yield server


def module_pg_database(request: pytest.FixtureRequest) -> str:
    from patscape.store.local_postgres import create_database

    name = f"api_{request.module.__name__.rsplit('.', 1)[-1]}_{os.getpid()}"[:60]
    return create_database(request.getfixturevalue("pg_server"), name)
