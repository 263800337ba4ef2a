"""The Spark path at scale: ingest, enrich and classify over the demo corpus's bulk formats x1, x4, x16.

The unit corpus is built from real documents of ``../shared/data`` under new numbers (never the real ones,
so that copies do not merge): the distinct real ``us-patent-grant`` documents of
``patentsview_db_fixtures`` in weekly-file form (renumbered as ``bench/ingest.py`` does), and rows of the
CSET table (``--cset-rows``, the first ones of the zip; number and family id prefixed with the copy's
number), each copy in its own weekly XML file and zip. Scale k holds k copies.

Every (master, scale) runs in a fresh process with a fresh lake and Spark's status API switched on; after
each stage the bench reads from the API what the stage's jobs did: seconds, shuffle bytes written, the
largest peak execution memory of a task, and the JVM's and executors' Python workers' peak memory; and the
driver's Python peak RSS (``ru_maxrss``), where anything collected to the driver would land.

    .venv/bin/python bench/spark.py                         # x1 x4 x16 on local[1] and local[2]
    .venv/bin/python bench/spark.py --scales 1 4 --masters 'local[2]' --cset-rows 20000 --json

Figures of a run (x1 beside x16, local[2]) and the capacity plan derived from them: docs/scale.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ingest import load_documents  # noqa: E402

CSET_ZIP = "cset_1790_ai_patents/patent_database.csv.zip"
GRANTS = "patentsview_db_fixtures"
STAGES = ("ingest", "enrich", "classify", "landscape")


def shared() -> Path:
    return Path(os.environ.get("PATSCAPE_SHARED", ROOT.parent / "shared"))


def build_corpus(folder: Path, copies: int, cset_rows: int) -> dict[str, Any]:
    """``copies`` renumbered copies of the unit corpus in ``folder``; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    docs, _ = load_documents(shared() / "data" / GRANTS)
    grants = [d for d in docs if d.grant]
    header, rows = _cset_rows(cset_rows)
    written = 0
    for c in range(copies):
        with open(folder / f"ipg-copy{c:02d}.xml", "wb") as out:
            for k, doc in enumerate(grants):
                out.write(doc.copy(c * len(grants) + k))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([f"9{c:02d}{v}" if i in (1, 2) else v for i, v in enumerate(row)])
        with zipfile.ZipFile(folder / f"cset-copy{c:02d}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("patent_database.csv", buffer.getvalue())
        written += os.path.getsize(folder / f"ipg-copy{c:02d}.xml") + os.path.getsize(
            folder / f"cset-copy{c:02d}.zip"
        )
    return {
        "copies": copies,
        "grants": len(grants) * copies,
        "cset_rows": len(rows) * copies,
        "bytes": written,
    }


def _cset_rows(limit: int) -> tuple[list[str], list[list[str]]]:
    with zipfile.ZipFile(shared() / "data" / CSET_ZIP) as archive, archive.open("patent_database.csv") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8"))
        header = next(reader)
        rows = [row for _, row in zip(range(limit), reader, strict=False)]
    return header, rows


# -- one run (in its own process) ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(port: int, path: str) -> Any:
    # a loaded machine can keep the status API busy for minutes; a run is not to be lost to it
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1{path}", timeout=600) as response:
        return json.load(response)


def _stage_figures(port: int, app: str, seen: set[int]) -> dict[str, Any]:
    stages = [
        s for s in _api(port, f"/applications/{app}/stages?status=complete") if s["stageId"] not in seen
    ]
    seen.update(s["stageId"] for s in stages)
    executors = _api(port, f"/applications/{app}/executors")
    peak = {}
    for e in executors:
        for k, v in (e.get("peakMemoryMetrics") or {}).items():
            peak[k] = max(peak.get(k, 0), v)
    return {
        "shuffle_write_bytes": sum(s.get("shuffleWriteBytes", 0) for s in stages),
        "shuffle_read_bytes": sum(s.get("shuffleReadBytes", 0) for s in stages),
        "input_bytes": sum(s.get("inputBytes", 0) for s in stages),
        "output_bytes": sum(s.get("outputBytes", 0) for s in stages),
        "task_peak_execution_memory": max((s.get("peakExecutionMemory", 0) for s in stages), default=0),
        "jvm_heap_peak": peak.get("JVMHeapMemory", 0),
        "python_workers_rss_peak": peak.get("ProcessTreePythonRSS", 0),
        "tasks": sum(s.get("numCompleteTasks", 0) for s in stages),
    }


def child(master: str, corpus: str, lake: str) -> dict[str, Any]:
    from patscape.lake import Lake, spark_session
    from patscape.lake.classify import classify
    from patscape.lake.enrich import enrich
    from patscape.lake.ingest import ingest
    from patscape.lake.landscape import landscape
    from patscape.landscape.command import Request

    port = _free_port()
    conf = {
        "spark.ui.enabled": "true",
        "spark.ui.port": str(port),
        "spark.executor.processTreeMetrics.enabled": "true",
        "spark.executor.metrics.pollingInterval": "200ms",
    }
    spark = spark_session(master, app="patscape-bench", conf=conf)
    spark.sparkContext.setLogLevel("ERROR")
    app = spark.sparkContext.applicationId
    target = Lake(spark, lake)
    seen: set[int] = set()
    out: dict[str, Any] = {"master": master}
    steps = {
        "ingest": lambda: ingest(target, [corpus]),
        "enrich": lambda: enrich(target),
        "classify": lambda: classify(target),
        "landscape": lambda: landscape(target, Request(by="country")),
    }
    for name in STAGES:
        start = time.perf_counter()
        summary = steps[name]()
        seconds = time.perf_counter() - start
        out[name] = {
            "seconds": round(seconds, 2),
            **_stage_figures(port, app, seen),
            "driver_python_rss_peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        }
        if name == "ingest":
            out[name]["publications"] = summary["total"]["stored"]
    out["lake_bytes"] = {
        t.name: sum(f.stat().st_size for f in (Path(lake) / t.name).rglob("*.parquet"))
        for t in _tables()
        if (Path(lake) / t.name).exists()
    }
    spark.stop()
    return out


def _tables() -> list[Any]:
    from patscape.lake.tables import INGEST_TABLES
    from patscape.store import schema

    labels = (schema.GENAI_LABELS, schema.GENAI_TAGS)
    return [*INGEST_TABLES, *schema.ENRICH_TABLES, *labels, *schema.FACT_TABLES]


# -- the whole bench ------------------------------------------------------------------------------------


def run(master: str, corpus: Path, workdir: Path) -> dict[str, Any]:
    lake = tempfile.mkdtemp(prefix="lake-", dir=workdir)
    result = subprocess.run(
        [sys.executable, __file__, "--child", master, str(corpus), lake],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        python = [line for line in result.stderr.splitlines() if not line.startswith("\tat ")]
        raise RuntimeError(f"{master} on {corpus} failed:\n" + "\n".join(python[-40:]))
    return json.loads(result.stdout.strip().splitlines()[-1])


def table(rows: list[dict[str, Any]]) -> str:
    head = f"{'master':<9} {'scale':>5} {'pubs':>9} " + " ".join(f"{s + ' s':>10}" for s in STAGES)
    head += f" {'shuffle MB':>10} {'task peak MB':>12} {'JVM MB':>7} {'workers MB':>10} {'driver py MB':>12}"
    lines = [head]
    mb = 1024 * 1024
    for r in rows:
        stages = [r[s] for s in STAGES]
        lines.append(
            f"{r['master']:<9} {'x' + str(r['scale']):>5} {r['ingest']['publications']:>9,} "
            + " ".join(f"{s['seconds']:>10.1f}" for s in stages)
            + f" {sum(s['shuffle_write_bytes'] for s in stages) / mb:>10.1f}"
            + f" {max(s['task_peak_execution_memory'] for s in stages) / mb:>12.1f}"
            + f" {max(s['jvm_heap_peak'] for s in stages) / mb:>7.0f}"
            + f" {max(s['python_workers_rss_peak'] for s in stages) / mb:>10.0f}"
            + f" {max(s['driver_python_rss_peak'] for s in stages) / mb:>12.0f}"
        )
    return "\n".join(lines)


def growth(rows: list[dict[str, Any]]) -> str:
    """Per master: each figure at every scale beside the smallest scale's (the baseline), as a ratio; bytes
    per publication per table; and the marginal core-seconds per publication of each stage between the two
    largest scales (what the capacity plan of docs/scale.md extrapolates)."""
    lines = []
    mb = 1024 * 1024
    for master in dict.fromkeys(r["master"] for r in rows):
        runs = sorted((r for r in rows if r["master"] == master), key=lambda r: r["scale"])
        base = runs[0]
        lines.append(f"{master}: growth beside x{base['scale']} (ratio in brackets)")
        for r in runs:
            pubs = r["ingest"]["publications"]
            parts = [f"x{r['scale']:<3} {pubs:>7,} pubs ({pubs / base['ingest']['publications']:.1f})"]
            for stage in STAGES:
                t, t0 = r[stage]["seconds"], base[stage]["seconds"]
                parts.append(f"{stage} {t:.0f} s ({t / t0:.1f})")
            for label, figure, unit in _FIGURES:
                value, value0 = figure(r), figure(base)
                parts.append(f"{label} {value / mb:.1f} {unit} ({value / value0:.2f})")
            lines.append("  " + "; ".join(parts))
        top = runs[-1]
        pubs = top["ingest"]["publications"]
        per_table = ", ".join(f"{t} {b / pubs:,.0f}" for t, b in top["lake_bytes"].items() if b)
        lines.append(f"  bytes per publication at x{top['scale']}: {per_table}")
        if len(runs) >= 2:
            a, b = runs[-2], runs[-1]
            added = b["ingest"]["publications"] - a["ingest"]["publications"]
            cores = _cores(master)
            marginal = ", ".join(
                f"{s} {(b[s]['seconds'] - a[s]['seconds']) * cores / added * 1000:.1f}" for s in STAGES
            )
            lines.append(f"  marginal core-ms per publication x{a['scale']}->x{b['scale']}: {marginal}")
    return "\n".join(lines)


_FIGURES = (  # (label, figure of a run in bytes, unit): the ones growth() puts beside the baseline's
    ("shuffle", lambda r: sum(r[s]["shuffle_write_bytes"] for s in STAGES), "MB"),
    ("task peak", lambda r: max(r[s]["task_peak_execution_memory"] for s in STAGES), "MB"),
    ("JVM heap", lambda r: max(r[s]["jvm_heap_peak"] for s in STAGES), "MB"),
    ("driver Python", lambda r: max(r[s]["driver_python_rss_peak"] for s in STAGES), "MB"),
)


def _cores(master: str) -> int:
    inside = master.removeprefix("local[").rstrip("]")
    return int(inside) if inside.isdigit() else os.cpu_count() or 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    parser.add_argument("--cset-rows", type=int, default=20_000, help="CSET rows per copy (287,532: all)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON only.")
    parser.add_argument("--log", type=Path, help="Also append each run's figures to this JSON-lines file.")
    parser.add_argument("--growth", type=Path, metavar="LOG", help="Summarise a --log file and stop.")
    parser.add_argument("--child", nargs=3, metavar=("MASTER", "CORPUS", "LAKE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    if args.growth:
        logged = [json.loads(line) for line in args.growth.read_text(encoding="utf-8").splitlines() if line]
        print(growth(logged))
        return 0
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="patscape-spark-bench-"))
    rows = []
    for scale in args.scales:
        corpus = workdir / f"corpus-x{scale}"
        built = build_corpus(corpus, scale, args.cset_rows)
        for master in args.masters:
            figures = run(master, corpus, workdir)
            rows.append({"scale": scale, "corpus": built, **figures, "load": os.getloadavg()[0]})
            if args.log:
                with open(args.log, "a", encoding="utf-8") as log:
                    log.write(json.dumps(rows[-1]) + "\n")
            if not args.json:
                print(f"done: {master} x{scale} (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    if args.json:
        print(json.dumps(rows))
    else:
        print(table(rows))
        print(growth(rows))
        print(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
