"""The REST API under load: p50/p95 latency and throughput of search, publication, tasks, rating and
landscape with 20 concurrent clients, on DuckDB (one server process) and PostgreSQL (two), over the real
records of the landscape benchmark's base database (Google Patents exports and scraped records, labelled
for generative AI, and the CSET table: ~320,000 publications, enriched).

Each database gets 20 evaluators with tokens, a monitoring workspace whose profile routes the matching
publications into their queues, and the full-text index. Then, per endpoint, every client sends its
requests one after another (all clients at once); before them, in the same run, the baselines:

- ``library``: the same work as one direct call of the library in this process (no HTTP, no token check,
  one client), p50 over the same inputs: what the API layer adds;
- ``me``: ``GET /api/me`` under the same 20 clients: the floor of one authenticated request.

    .venv/bin/python bench/api.py                 # both backends (a throwaway PostgreSQL is started)
    .venv/bin/python bench/api.py --backend duckdb --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

import landscape_data  # beside this script
from patscape import monitor, search
from patscape.monitor import SYSTEM
from patscape.store import open_store, schema
from patscape.store.local_postgres import create_database, free_port, local_postgres

CLIENTS = 20
TERMS = (  # queries of the search language: phrases and words in the title, abstract or claims
    '"neural network"',
    '"generative adversarial"',
    "image",
    '"speech recognition"',
    "vehicle",
    "transformer",
    '"diffusion model"',
    '"language model"',
    "robot",
    '"medical image"',
)
REQUESTS = {"me": 20, "search": 10, "publication": 20, "tasks": 10, "rating": 10, "landscape": 2}
PROFILE = "generative OR neural OR learning OR model"


def prepare(db: str) -> dict[str, Any]:
    """Evaluators with tokens, a routed monitoring workspace, the search index; each endpoint's inputs."""
    with open_store(db) as store:
        monitor.install(store)
        manager = monitor.add_user(store, SYSTEM, "manager", "manager").caller()
        ws = monitor.create_workspace(store, manager, "GenAI watch", watch_from=dt.datetime(1900, 1, 1))
        tokens = {}
        for i in range(CLIENTS):
            name = f"evaluator{i:02d}"
            monitor.add_user(store, SYSTEM, name, "evaluator")
            monitor.add_member(store, manager, ws.ws_id, name)
            tokens[name] = monitor.issue_token(store, SYSTEM, name).token
        monitor.save_profile(store, manager, ws.ws_id, "generative AI", PROFILE)
        search.build_index(store)
        [routed] = monitor.route(store, manager, label=False)
        queues = {
            name: [
                t.pub_key
                for t in monitor.tasks(
                    store, monitor.get_user(store, SYSTEM, name).caller(), ws.ws_id, limit=REQUESTS["rating"]
                )
            ]
            for name in tokens
        }
        rng = random.Random(0)
        keys = [
            r["pub_key"]
            for r in store.fetch("SELECT pub_key FROM publications WHERE title IS NOT NULL ORDER BY pub_key")
        ]
        sample = rng.sample(keys, CLIENTS * REQUESTS["publication"])
        count = int(store.scalar("SELECT count(*) FROM publications"))
    return {
        "ws_id": ws.ws_id,
        "tokens": tokens,
        "queues": queues,
        "keys": sample,
        "publications": count,
        "routed": routed.as_dict(),
    }


def _spelling(key: str, i: int) -> str:
    """Alternate the spellings users type: US-11532378-B2, US11532378B2."""
    return key if i % 2 else key.replace("-", "")


def requests_of(
    endpoint: str, plan: dict[str, Any], client: int
) -> list[tuple[str, str, dict | None, dict | None]]:
    """(method, path, query, body) of one client's requests to ``endpoint``."""
    rng = random.Random(client)
    n = REQUESTS[endpoint]
    ws = plan["ws_id"]
    name = list(plan["tokens"])[client]
    if endpoint == "me":
        return [("GET", "/api/me", None, None)] * n
    if endpoint == "search":
        return [("GET", "/api/search", {"q": rng.choice(TERMS), "limit": 20}, None) for _ in range(n)]
    if endpoint == "publication":
        keys = plan["keys"][client * n : (client + 1) * n]
        return [("GET", f"/api/publications/{_spelling(k, i)}", None, None) for i, k in enumerate(keys)]
    if endpoint == "tasks":
        return [("GET", f"/api/workspaces/{ws}/tasks", {"assignee": "me", "limit": 50}, None)] * n
    if endpoint == "rating":
        return [
            ("POST", f"/api/workspaces/{ws}/documents/{k}/rating", None, {"level": rng.randrange(3)})
            for k in plan["queues"][name]
        ]
    filters = [{"by": "country"}, {"by": "country", "genai": "true"}, {"by": "owner", "year_from": 2015}]
    return [("GET", "/api/landscape", rng.choice(filters), None) for _ in range(n)]


def library_call(
    store: Any,
    plan: dict[str, Any],
    endpoint: str,
    method: str,
    path: str,
    query: dict | None,
    body: dict | None,
    caller: monitor.Caller,
) -> None:
    """The library work behind one request, without HTTP."""
    if endpoint == "me":
        monitor.get_user(store, caller, caller.user_id)
    elif endpoint == "search":
        from patscape.monitor.search_fields import parse

        search.search(store, parse(store, caller, query["q"]), limit=20)  # type: ignore[index]
    elif endpoint == "publication":
        from patscape.monitor.keys import resolve

        store.details(resolve(store, path.rsplit("/", 1)[1]))
    elif endpoint == "tasks":
        monitor.tasks(store, caller, plan["ws_id"], "me", limit=50)
    elif endpoint == "rating":
        monitor.rate(store, caller, plan["ws_id"], path.split("/")[-2], body["level"])  # type: ignore[index]
    else:
        from patscape.landscape import LandscapeFilter
        from patscape.landscape.command import Request, run

        q = query or {}
        run(
            store,
            Request(
                by=q["by"],
                filter=LandscapeFilter(genai=q.get("genai") == "true", year_from=q.get("year_from")),
            ),
        )


def library_baseline(db: str, plan: dict[str, Any], endpoints: list[str]) -> dict[str, float]:
    """p50 (ms) of the library doing one client's requests, one at a time, in this process."""
    out = {}
    with open_store(db, create=False) as store:
        caller = monitor.authenticate(store, plan["tokens"]["evaluator00"])
        for endpoint in endpoints:
            times = []
            for method, path, query, body in requests_of(endpoint, plan, 0):
                start = time.perf_counter()
                library_call(store, plan, endpoint, method, path, query, body, caller)
                times.append((time.perf_counter() - start) * 1000)
            out[endpoint] = round(statistics.median(times), 1)
    return out


@contextmanager
def server(db: str, workers: int) -> Iterator[str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "patscape.cli",
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--log-level",
        "warning",
        *(["--workers", str(workers)] if workers > 1 else []),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(
                    process.stderr.read().decode()[-2000:] if process.stderr else "server stopped"
                )
            try:
                if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=60)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def load(url: str, plan: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """Every client sends its requests in turn, all clients at once; latency percentiles and throughput."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(CLIENTS + 1)

    def client(i: int, token: str) -> None:
        work = requests_of(endpoint, plan, i)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=600) as http:
            http.get("/api/me")  # connection open before the clock
            ready.wait()
            for method, path, query, body in work:
                start = time.perf_counter()
                response = http.request(method, path, params=query, json=body)
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(elapsed)
                    if response.status_code >= 300:
                        errors.append(f"{response.status_code} {path}: {response.text[:120]}")

    threads = [threading.Thread(target=client, args=(i, t)) for i, t in enumerate(plan["tokens"].values())]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"{endpoint}: {len(errors)} failed requests, e.g. {errors[:3]}")
    return {
        "requests": len(latencies),
        "p50_ms": round(_percentile(latencies, 0.5), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "per_s": round(len(latencies) / wall, 1),
    }


def warm(url: str, plan: dict[str, Any], endpoints: list[str]) -> None:
    token = plan["tokens"]["evaluator19"]
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=600) as http:
        for endpoint in (e for e in endpoints if e in ("search", "publication", "tasks", "landscape")):
            method, path, query, body = requests_of(endpoint, plan, 19)[0]
            http.request(method, path, params=query, json=body)


def run_backend(
    name: str, db: str, workers: int, log: Callable[[str], None], endpoints: list[str]
) -> dict[str, Any]:
    start = time.perf_counter()
    plan = prepare(db)
    log(
        f"  {name}: {plan['publications']:,} publications, {plan['routed']['tasks']:,} tasks routed "
        f"({time.perf_counter() - start:.0f} s)"
    )
    measured = {"library_p50_ms": library_baseline(db, plan, endpoints)}
    with server(db, workers) as url:
        warm(url, plan, endpoints)
        for endpoint in endpoints:
            measured[endpoint] = load(url, plan, endpoint)
            log(f"  {name} {endpoint}: {measured[endpoint]}")
    return {
        "backend": name,
        "workers": workers,
        "publications": plan["publications"],
        "endpoints": endpoints,
        **measured,
    }


def copy_to_postgres(base: Path, url: str) -> None:
    """The base database's tables into PostgreSQL, with patscape's schema and indexes."""
    import duckdb

    with open_store(url) as store:
        con = duckdb.connect(str(base), read_only=True)
        for table in schema.ALL_TABLES:
            # the schema wrote its own meta; the search index is built on PostgreSQL itself
            if table in (*schema.MONITOR_TABLES, *schema.SEARCH_TABLES) or table is schema.META:
                continue
            columns = ", ".join(table.column_names)
            cursor = con.execute(f"SELECT {columns} FROM {table.name}")
            with store.conn.cursor() as pg, pg.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                while batch := cursor.fetchmany(50_000):
                    for row in batch:
                        copy.write_row(row)
        con.close()
        store.execute("ANALYZE")


def _print(results: list[dict[str, Any]]) -> None:
    for r in results:
        print(
            f"\n{r['backend']} ({r['workers']} server process{'es' if r['workers'] > 1 else ''}), "
            f"{r['publications']:,} publications, {CLIENTS} clients"
        )
        print(f"{'endpoint':<12}{'requests':>9}{'p50 ms':>10}{'p95 ms':>10}{'req/s':>9}{'library p50':>13}")
        for endpoint in r["endpoints"]:
            m = r[endpoint]
            print(
                f"{endpoint:<12}{m['requests']:>9}{m['p50_ms']:>10}{m['p95_ms']:>10}{m['per_s']:>9}"
                f"{r['library_p50_ms'][endpoint]:>13}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_shared = os.environ.get(
        "PATSCAPE_SHARED", str(Path(__file__).resolve().parents[1].parent / "shared")
    )
    parser.add_argument("--shared", default=default_shared)
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "patscape-bench-api"))
    parser.add_argument(
        "--base",
        help="An existing patscape DuckDB database to serve instead of building the landscape base (e.g. the "
        "CSET table ingested and enriched, with one Google Patents file for text)",
    )
    parser.add_argument("--backend", choices=["duckdb", "postgresql", "both"], default="both")
    parser.add_argument("--pg-workers", type=int, default=2)
    parser.add_argument(
        "--endpoints",
        default=",".join(REQUESTS),
        help=f"Comma-separated, of {', '.join(REQUESTS)} (me, the floor, is always measured)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    endpoints = ["me", *(e for e in args.endpoints.split(",") if e in REQUESTS and e != "me")]
    log = (lambda m: print(m, file=sys.stderr)) if args.json else print
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    log(f"base database (real records) in {work}; load average {os.getloadavg()[0]:.1f}")
    if args.base:
        base = Path(args.base)
    else:
        base = landscape_data.build_base(Path(args.shared) / "data", work / "base.duckdb", log=log)
    results = []
    if args.backend in ("duckdb", "both"):
        db = work / "api.duckdb"
        shutil.copyfile(base, db)
        results.append(run_backend("duckdb", str(db), 1, log, endpoints))
    if args.backend in ("postgresql", "both"):
        pg_dir = Path(tempfile.mkdtemp(prefix="patscape-bench-pg-"))
        with local_postgres(pg_dir) as pg_server:
            url = create_database(pg_server, "bench_api")
            start = time.perf_counter()
            copy_to_postgres(base, url)
            log(f"  copied to PostgreSQL ({time.perf_counter() - start:.0f} s)")
            results.append(run_backend("postgresql", url, args.pg_workers, log, endpoints))
        shutil.rmtree(pg_dir, ignore_errors=True)
    log(f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.json:
        print(json.dumps(results))
    else:
        _print(results)


if __name__ == "__main__":
    main()
