"""Two checkouts' dashboard panels, interleaved change by change on the same store: the comparison that holds
on a machine whose speed drifts by a third within minutes (separate runs of ``dashboard.py`` a minute apart
differed by 3x in their floor this session).

Each checkout runs in a worker process of its venv (``ROOT/.venv/bin/python``; a link to another checkout's
venv will do: the worker reads ``ROOT/src`` first), which makes its
``Panels`` (both country bases of ``dashboard.py``, compiled and prepared before the first change) and then
computes the change it is sent; the driver sends each of ``dashboard.changes`` to both, in alternating order,
the floor (``dashboard.py``'s bare ``GROUP BY``) timed just before each.

    .venv/bin/python bench/dashboard_ab.py --store /tmp/facts-syn/synthetic-1000000.duckdb \\
        --old /work/main --new . [--rounds 3] [--json]

The store is ``dashboard.py --synthetic``'s (made by a run of it). Reported: p50, p95, max and the sum over
the changes for each checkout, their ratios, and each change's median.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
FLOOR_REQUEST = -1  # the request for the floor instead of a change


def worker(root: str, store: str, floor: str) -> None:
    """Answer the driver's requests on stdin, one JSON line each on stdout (``floor``: the floor's SQL,
    the driver's, so that both checkouts time the same statement)."""
    import duckdb
    import ibis

    sys.path[0] = str(Path(root) / "bench")  # the checkout's own benchmark (its changes)
    from dashboard import BASIS, YEAR, changes, landscape_filter
    from patscape.landscape import Panels

    con = duckdb.connect(store, read_only=True)
    backend = ibis.duckdb.from_connection(con)
    panels = {b: Panels(backend, year=YEAR, country_by=b) for b in (BASIS, "inventor")}
    for p in panels.values():
        p.compile()
        if hasattr(p, "prepare"):  # a checkout with working copies makes them before the first change
            p.prepare()
    made = changes("g0")
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        i = int(line)
        clock = time.perf_counter()
        if i == FLOOR_REQUEST:
            con.sql(floor).fetchall()
            print(json.dumps({"seconds": time.perf_counter() - clock}), flush=True)
            continue
        c = made[i]
        panels[c.basis].compute(landscape_filter(c))
        print(json.dumps({"change": c.label, "seconds": time.perf_counter() - clock}), flush=True)


def drive(store: str, roots: dict[str, str], rounds: int) -> dict[str, Any]:
    from dashboard import FLOOR_SQL, nearest_rank

    workers = {
        name: subprocess.Popen(
            [
                str(Path(root) / ".venv/bin/python"),
                __file__,
                "--worker",
                root,
                "--store",
                store,
                "--floor",
                FLOOR_SQL,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            # the checkout's own code, also when its venv is another checkout's (an editable install)
            env={**os.environ, "PYTHONPATH": str(Path(root) / "src")},
        )
        for name, root in roots.items()
    }

    def ask(name: str, i: int) -> dict[str, Any]:
        w = workers[name]
        assert w.stdin is not None and w.stdout is not None
        w.stdin.write(f"{i}\n")
        w.stdin.flush()
        return json.loads(w.stdout.readline())

    for w in workers.values():
        assert w.stdout is not None and json.loads(w.stdout.readline())["ready"]
    names = list(roots)
    totals: dict[str, list[float]] = {n: [] for n in names}
    floors: dict[str, list[float]] = {n: [] for n in names}
    by_change: dict[str, dict[str, list[float]]] = {}
    load = [os.getloadavg()[0]]
    for r in range(rounds):
        for i in range(20):
            for name in names if (r + i) % 2 == 0 else names[::-1]:
                floors[name].append(ask(name, FLOOR_REQUEST)["seconds"])
                answer = ask(name, i)
                totals[name].append(answer["seconds"])
                by_change.setdefault(answer["change"], {n: [] for n in names})[name].append(answer["seconds"])
    load.append(os.getloadavg()[0])
    for w in workers.values():
        assert w.stdin is not None
        w.stdin.close()
        w.wait()
    return {
        "load": load,
        "rounds": rounds,
        "checkouts": {
            n: {
                "p50_s": nearest_rank(totals[n], 0.5),
                "p95_s": nearest_rank(totals[n], 0.95),
                "max_s": max(totals[n]),
                "sum_s": sum(totals[n]),
                "floor_median_s": statistics.median(floors[n]),
            }
            for n in names
        },
        "by_change_median_s": {c: {n: statistics.median(v[n]) for n in names} for c, v in by_change.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", required=True, help="the synthetic store of dashboard.py --synthetic")
    parser.add_argument("--old", help="the checkout measured as the baseline")
    parser.add_argument("--new", help="the checkout measured against it")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.store, args.floor)
        return
    if not (args.old and args.new):
        parser.error("--old and --new are required")
    report = drive(args.store, {"old": args.old, "new": args.new}, args.rounds)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"load average {report['load'][0]:.1f} at the start, {report['load'][1]:.1f} at the end")
    old, new = report["checkouts"]["old"], report["checkouts"]["new"]
    for name, d in report["checkouts"].items():
        print(
            f"{name}: p50 {d['p50_s'] * 1000:.0f} ms, p95 {d['p95_s'] * 1000:.0f} ms, "
            f"max {d['max_s'] * 1000:.0f} ms, sum {d['sum_s']:.1f} s, "
            f"floor {d['floor_median_s'] * 1000:.1f} ms"
        )
    print(
        f"new / old: p50 {new['p50_s'] / old['p50_s']:.2f}, p95 {new['p95_s'] / old['p95_s']:.2f}, "
        f"sum {new['sum_s'] / old['sum_s']:.2f}"
    )
    for change, medians in report["by_change_median_s"].items():
        print(f"  {change:38s} old {medians['old'] * 1000:6.0f} ms  new {medians['new'] * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
