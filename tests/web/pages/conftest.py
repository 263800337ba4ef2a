"""The web pages in a real browser: ``patscape serve`` on a free port over a real DuckDB file (as the API
tests start it), and Debian's chromium driven by Playwright, one browser for the whole session.

Screenshots go to test-artifacts/web/ at the project's root (git-ignored)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from patscape import monitor
from patscape.enrich.class_titles import load_titles
from patscape.enrich.genai.store_labels import classify
from patscape.monitor import SYSTEM
from patscape.store import open_store
from tests.conftest import ROOT
from tests.monitor.conftest import PASSWORD
from tests.web.conftest import GRANT, Api, prepare, running

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "web"
SCREEN = {"width": 1366, "height": 768}
TITLES = "ipc_titles_inpi_cls/20220101"  # the IPC scheme's titles (patscape titles)
QUEUE_SIZE = 6  # alice's open tasks beside the grant: enough to rate five with the keyboard


@dataclass
class Site:
    api: Api
    queue: list[str]  # alice's open tasks in the order of her queue (by due date)
    project_id: int  # a project workspace alice and bob belong to (search adds documents to it)
    years: dict[int, int]  # publications per publication year, counted in SQL before the server starts
    facts: dict[str, object]  # other figures read in SQL before the server starts

    @property
    def url(self) -> str:
        return self.api.url

    def admin(self) -> httpx.Client:
        """The database as the API reads it (the served DuckDB file is locked by the server)."""
        return self.api.client("admin")


def _prepare_site(db: str, data: Path) -> Site:
    api = prepare(db, data)
    with open_store(db) as store:
        manager = monitor.get_user(store, SYSTEM, "manager").caller()
        for name in ("alice", "bob", "manager"):
            monitor.set_password(store, SYSTEM, name, PASSWORD)
        taken = {GRANT, *(d.pub_key for d in monitor.documents(store, SYSTEM, api.ws_id, limit=500))}
        keys = [
            r["pub_key"]
            for r in store.fetch("SELECT pub_key FROM publications WHERE title IS NOT NULL ORDER BY pub_key")
            if r["pub_key"] not in taken
        ][:QUEUE_SIZE]
        assert len(keys) == QUEUE_SIZE, "go_uspto_testdata has fewer publications than the queue needs"
        for day, key in enumerate(keys, start=1):
            monitor.add_document(store, manager, api.ws_id, key)
            monitor.assign(store, manager, api.ws_id, key, "alice", due=dt.date(2031, 1, day))
        project = monitor.create_workspace(store, manager, "Prior art", kind="project")
        for name in ("alice", "bob"):
            monitor.add_member(store, manager, project.ws_id, name)
        classify(store)  # the documents' generative-AI evidence, the dashboard's taxonomy panels
        load_titles(store, data / TITLES)
        facts = {
            "grant_genai": store.scalar(
                "SELECT bool_or(is_genai) FROM genai_labels WHERE pub_key = ? AND method = 'classifier'",
                (GRANT,),
            ),
            "grant_cites": store.scalar("SELECT count(*) FROM citations WHERE pub_key = ?", (GRANT,)),
            # the number of claims as the grant's XML states it (<number-of-claims>), not the page's split
            "grant_claims": store.scalar("SELECT claim_count FROM publications WHERE pub_key = ?", (GRANT,)),
            "families": store.scalar("SELECT count(*) FROM families"),
            "genai_publications": store.scalar("SELECT count(*) FROM genai_labels WHERE is_genai"),
            # the families each country basis places, and those with each year (the bases' rule reads them)
            "placed": {
                r["basis"]: int(r["n"])
                for r in store.fetch(
                    "SELECT basis, count(DISTINCT family_key) AS n FROM family_fact_countries GROUP BY 1"
                )
            },
            "fact_families": store.scalar("SELECT count(*) FROM family_facts"),
            "dated": store.fetch(
                "SELECT count(publication_year) AS publication, count(priority_year) AS priority "
                "FROM family_facts"
            )[0],
        }
        years = {
            int(r["y"]): int(r["n"])
            for r in store.fetch(
                "SELECT extract(year FROM published) AS y, count(*) AS n FROM publications "
                "WHERE published IS NOT NULL GROUP BY 1"
            )
        }
    demo_as_make_does(db)
    # the grant is due 2030-01-31: first in alice's queue
    return Site(api, [GRANT, *keys], project.ws_id, years, facts)


def make_variable(name: str) -> str:
    """A variable of the Makefile (``NAME ?= value``)."""
    found = re.search(rf"^{name} \?= (.+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    assert found, f"the Makefile no longer sets {name}"
    return found.group(1).strip()


def demo_as_make_does(db: str) -> None:
    """``make demo``'s last steps on the site's database: the demo user and their workspace, by the
    commands the Makefile runs."""
    cli = [sys.executable, "-m", "patscape.cli"]
    user, password = make_variable("DEMO_USER"), make_variable("DEMO_PASSWORD")
    add = [*cli, "user", "add", user, "--role", "manager", "--password-stdin", "--db", db]
    subprocess.run(add, input=f"{password}\n", text=True, check=True, capture_output=True)
    subprocess.run([*cli, "demo-workspace", user, "--db", db], check=True, capture_output=True)


@pytest.fixture(scope="session")
def site(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """One server for the pages' tests over its own DuckDB file with alice's queue of seven documents
    (tests that change a document choose one no other test reads)."""
    db = str(tmp_path_factory.mktemp("pages") / "pages.duckdb")
    prepared = _prepare_site(db, data)
    with running(prepared.api):
        yield prepared


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's one browser per session, as Debian's chromium (Playwright cannot download its
    own here)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run .ci/system-deps as root (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": ["--no-sandbox", "--disable-gpu"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": SCREEN}


def new_page(browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=SCREEN)  # type: ignore[arg-type]
    return context, context.new_page()


def screenshot(page: Page, name: str) -> Path:
    """Save what the page shows now as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, site: Site, who: str, password: str = PASSWORD) -> None:
    page.goto(f"{site.url}/signin")
    page.get_by_label("Username").fill(who)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
