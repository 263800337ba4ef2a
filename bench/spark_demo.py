"""The whole demo corpus on both paths: the embedded store (DuckDB) and Spark over a lake, table by table.

Ingest, enrich, classify and the landscape run on each path over the same inputs (the Makefile's demo
corpus, in its order); then every table of the lake is compared with the store's, row for row (timestamps
left out, floats to nine places), and the landscape's tables likewise. The embedded path's seconds are the
baseline of the Spark path's, in the same run. The tests compare a slice of this corpus (``tests/lake``):
the whole of it takes longer than the suite's budget on two cores.

    .venv/bin/python bench/spark_demo.py                        # the demo corpus, local[2]
    .venv/bin/python bench/spark_demo.py --inputs cn_jp_st36_st96_examples lens_covid_jsonl --json

The two paths can also run as two processes at once over one ``--workdir`` (``--path embedded``, ``--path
spark``; each leaves its seconds and landscape tables in ``<path>.json`` there), then ``--path compare``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.lake.conftest import compared_columns, lake_table, store_table  # noqa: E402

DEMO_INPUTS = (  # the Makefile's DEMO_INPUTS
    "go_uspto_testdata",
    "patentsview_db_fixtures/ipgxml",
    "uspto_patentpublicdata_samples/greenbook",
    "uspto_patentpublicdata_samples/sgml",
    "uspto_patentpublicdata_samples/pap",
    "uspto_patentpublicdata_samples/xml2004",
    "uspto_patentpublicdata_samples/xml2006",
    "uspto_patentpublicdata_samples/xml2014",
    "uspto_patentpublicdata_samples/xmlApp2004",
    "go_epo_eps_testdata",
    "go_epo_bdds_docdb_testdata/epo_docdb",
    "epo_ops_patent_client",
    "cn_jp_st36_st96_examples",
    "gp_ai_patents_cpc",
    "lens_covid_jsonl",
    "cset_1790_ai_patents",
)
LANDSCAPE_BY = ("country", "owner")


def shared() -> Path:
    return Path(os.environ.get("PATSCAPE_SHARED", ROOT.parent / "shared"))


def _timed(seconds: dict[str, float], name: str, step: Any) -> Any:
    """Run one stage, keep its seconds and say so on stderr at once (a long run can be followed)."""
    start = time.perf_counter()
    out = step()
    seconds[name] = round(time.perf_counter() - start, 1)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{time.strftime('%H:%M:%S')} {name}: {seconds[name]} s (load {load})", file=sys.stderr, flush=True)
    return out


def embedded_path(
    paths: list[Path], db: Path, landscape_only: bool = False
) -> tuple[dict[str, float], dict[str, Any]]:
    from patscape.enrich.build import enrich
    from patscape.enrich.genai.store_labels import classify
    from patscape.landscape.command import Request, run
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    seconds: dict[str, float] = {}
    frames = {}
    print("embedded path", file=sys.stderr, flush=True)
    if not landscape_only:
        with open_store(str(db)) as store:
            _timed(seconds, "ingest", lambda: ingest(store, paths))
            _timed(seconds, "enrich", lambda: enrich(store))
            _timed(seconds, "classify", lambda: classify(store))
    with open_store(str(db), read_only=True) as store:
        for by in LANDSCAPE_BY:
            frames[by] = _timed(seconds, f"landscape {by}", lambda b=by: run(store, Request(by=b))[0])
    return seconds, frames


def spark_path(
    paths: list[Path], root: Path, master: str, driver_memory: str | None = None
) -> tuple[dict[str, float], dict[str, Any]]:
    from patscape.lake import Lake, spark_session
    from patscape.lake.classify import classify
    from patscape.lake.enrich import enrich
    from patscape.lake.ingest import ingest
    from patscape.lake.landscape import landscape
    from patscape.landscape.command import Request

    spark = spark_session(master, app="patscape-demo", driver_memory=driver_memory)
    spark.sparkContext.setLogLevel("ERROR")
    lake = Lake(spark, str(root))
    print(f"spark path ({master})", file=sys.stderr, flush=True)
    seconds: dict[str, float] = {}
    frames = {}
    _timed(seconds, "ingest", lambda: ingest(lake, paths))
    _timed(seconds, "enrich", lambda: enrich(lake))
    _timed(seconds, "classify", lambda: classify(lake))
    for by in LANDSCAPE_BY:
        frames[by] = _timed(seconds, f"landscape {by}", lambda b=by: landscape(lake, Request(by=b))[0])
    return seconds, frames


def _rounded(rows: list[tuple]) -> list[tuple]:
    return sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows), key=repr)


def compare(db: Path, root: Path) -> list[dict[str, Any]]:
    from patscape.lake.tables import INGEST_TABLES, MANIFEST
    from patscape.store import schema

    out = []
    tables = [
        *(t for t in INGEST_TABLES if t is not MANIFEST),
        *schema.ENRICH_TABLES,
        schema.GENAI_LABELS,
        schema.GENAI_TAGS,
        *schema.FACT_TABLES,
    ]
    for table in tables:
        columns = compared_columns(table)
        expected = _rounded(store_table(db, table.name, columns))
        got = _rounded(lake_table(root, table.name, columns))
        row = {"table": table.name, "embedded": len(expected), "spark": len(got), "equal": got == expected}
        out.append(row)
    return out


def landscape_rows(frames: dict[str, Any]) -> dict[str, Any]:
    """The landscape's tables (by section, by table) as lists of rows, as JSON keeps them."""
    from patscape.landscape.output import records

    rows = {
        by: {name: [list(r.values()) for r in records(frame)] for name, frame in tables.items()}
        for by, tables in frames.items()
    }
    return json.loads(json.dumps(rows, default=str))


def compare_landscape(expected: dict[str, Any], got: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for by, tables in expected.items():
        for name, rows in tables.items():
            want = _rounded([tuple(r) for r in rows])
            have = _rounded([tuple(r) for r in got[by][name]]) if name in got[by] else None
            out.append(
                {
                    "table": f"landscape {by}: {name}",
                    "embedded": len(want),
                    "spark": len(have or []),
                    "equal": have == want,
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", nargs="+", default=list(DEMO_INPUTS), help="Folders of ../shared/data.")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON only.")
    parser.add_argument(
        "--path",
        choices=["both", "embedded", "spark", "compare", "embedded-landscape"],
        default="both",
        help="Run one path only (into --workdir), or compare what both left there; embedded-landscape: "
        "only the landscape of the embedded database already in --workdir (its stages' seconds are not "
        "measured again).",
    )
    parser.add_argument("--driver-memory", default=None, help="The Spark driver's memory (local: all of it).")
    args = parser.parse_args(argv)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="patscape-spark-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    paths = [shared() / "data" / p for p in args.inputs]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        parser.error(f"missing inputs (set PATSCAPE_SHARED): {', '.join(missing)}")
    db, root = workdir / "demo.duckdb", workdir / "lake"
    runs = {
        "embedded": lambda: embedded_path(paths, db, landscape_only=args.path == "embedded-landscape"),
        "spark": lambda: spark_path(paths, root, args.master, args.driver_memory),
    }
    for name, run in runs.items():
        if args.path in (name, "both") or (name, args.path) == ("embedded", "embedded-landscape"):
            seconds, frames = run()
            kept = {"seconds": seconds, "landscape": landscape_rows(frames), "load": os.getloadavg()}
            (workdir / f"{name}.json").write_text(json.dumps(kept))
    if args.path in (*runs, "embedded-landscape"):
        return 0
    embedded, spark = (json.loads((workdir / f"{n}.json").read_text()) for n in runs)
    embedded_seconds, spark_seconds = embedded["seconds"], spark["seconds"]
    rows = compare(db, root) + compare_landscape(embedded["landscape"], spark["landscape"])
    result = {
        "inputs": args.inputs,
        "master": args.master,
        "seconds": {"embedded": embedded_seconds, "spark": spark_seconds},
        "tables": rows,
        "all_equal": all(r["equal"] for r in rows),
        "load": os.getloadavg()[0],
    }
    if args.json:
        print(json.dumps(result))
        return 0 if result["all_equal"] else 1
    for r in rows:
        verdict = "equal" if r["equal"] else "DIFFERENT"
        print(f"{r['table']:<40} {r['embedded']:>9,} {r['spark']:>9,}  {verdict}")
    print(f"{'stage':<20} {'embedded s':>10} {'spark s':>10} {'ratio':>6}")
    for stage, base in embedded_seconds.items():
        spark_s = spark_seconds[stage]
        print(f"{stage:<20} {base:>10.1f} {spark_s:>10.1f} {spark_s / base if base else 0:>6.1f}")
    print(json.dumps(result))
    return 0 if result["all_equal"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
