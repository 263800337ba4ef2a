"""Benchmark of the whole landscape over more than a million patent families: DuckDB (Ibis) next to plain
pandas.

Data (``landscape_data.py``): the real Google Patents exports and scraped records (with the patentsview and
Lens records, which carry citations) are ingested, labelled for generative AI and enriched with the real CSET
table, then repeated under new publication numbers and family ids until there are at least ``--families``
families (1 M by default). The base database is built again on every run (through the library, as a user
would build it: a cached copy would hide that it can no longer be built); ``--reuse-base`` keeps the one in
``--work`` for quick iterations. The scaled database is derived from the base each run.

Then, in one run, each engine in its own fresh process (so that each one's peak memory is its own):

- DuckDB: ``patscape.landscape.build`` with every section (countries, China vs world, growth, owners, models,
  modes, model × mode, applications, applications by year, quality per family, quality by country and by
  owner), on the earliest priority year, countries by member office, full counting; every table executed into
  an Arrow table (the conversion of the 1 M-row quality table to pandas is timed apart);
- pandas: the same tables written in plain pandas (``landscape_pandas.py``), on DataFrames loaded from the
  same database (loading timed apart).

Both results are compared table by table (floats to 6 decimals) and must be equal. Reported: wall time, CPU
time and peak RSS of each engine, and the speed-up.

    .venv/bin/python bench/landscape.py [--shared ../shared] [--work DIR] [--families N] [--threads N]
                                        [--reuse-base] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

EXTRA = ("patentsview_db_fixtures", "lens_covid_jsonl")  # real records with citations


def _usage() -> dict[str, float]:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu_s": ru.ru_utime + ru.ru_stime, "peak_rss_mb": ru.ru_maxrss / 1024}


# -- the two engines (each runs in a child process) -----------------------------------------------------


def run_duckdb(db: str, threads: int | None = None) -> dict[str, Any]:
    import duckdb
    import ibis

    from patscape.landscape import Landscape, build

    backend = ibis.duckdb  # Ibis loads a backend on first use: an import, untimed like pandas' own
    before = _usage()
    start = time.perf_counter()
    con = duckdb.connect(db, read_only=True)
    con.execute("SET preserve_insertion_order = false")  # every table is sorted explicitly
    if threads:
        con.execute(f"SET threads = {threads}")
    ctx = Landscape(backend.from_connection(con), year="priority", country_by="member")
    tables = build(ctx, cache=True)
    results = {name: expr.to_pyarrow() for name, expr in tables.expressions.items()}
    wall = time.perf_counter() - start
    after = _usage()
    convert = time.perf_counter()
    frames = {name: table.to_pandas() for name, table in results.items()}
    to_pandas = time.perf_counter() - convert
    return {
        "engine": "duckdb",
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "wall_s": wall,
        "cpu_s": after["cpu_s"] - before["cpu_s"],
        "peak_rss_mb": after["peak_rss_mb"],
        "baseline_rss_mb": before["peak_rss_mb"],
        "to_pandas_s": to_pandas,
        "skipped": tables.skipped,
        "frames": frames,
    }


def run_pandas(db: str) -> dict[str, Any]:
    import duckdb

    import landscape_pandas

    before = _usage()
    start = time.perf_counter()
    with duckdb.connect(db, read_only=True) as con:
        data = landscape_pandas.load(con)
    load = time.perf_counter() - start
    loaded = _usage()
    start = time.perf_counter()
    frames = landscape_pandas.landscape(data)
    wall = time.perf_counter() - start
    after = _usage()
    return {
        "engine": "pandas",
        "wall_s": wall,
        "cpu_s": after["cpu_s"] - loaded["cpu_s"],
        "load_s": load,
        "peak_rss_mb": after["peak_rss_mb"],
        "baseline_rss_mb": before["peak_rss_mb"],
        "after_load_rss_mb": loaded["peak_rss_mb"],
        "frames": frames,
    }


def child(engine: str, db: str, out: str, threads: int | None = None) -> None:
    result = run_duckdb(db, threads) if engine == "duckdb" else run_pandas(db)
    with open(out, "wb") as f:
        pickle.dump(result, f)


def in_child(engine: str, db: Path, threads: int | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.pkl"
        command = [sys.executable, __file__, "--child", engine, "--db", str(db), "--out", str(out)]
        subprocess.run(command + (["--threads", str(threads)] if threads else []), check=True)
        with open(out, "rb") as f:
            return pickle.load(f)


# -- comparison ----------------------------------------------------------------------------------------


def _column(values: Any) -> tuple[str, Any]:
    import numpy as np
    import pandas as pd

    s = pd.Series(values).reset_index(drop=True)
    if (
        pd.api.types.is_bool_dtype(s)
        or pd.api.types.is_numeric_dtype(s)
        or (
            s.dtype == object
            and all(isinstance(v, bool | int | float) or v is None or v is pd.NA for v in s.head(1000))
        )
    ):
        try:
            return "num", np.round(
                pd.to_numeric(s.astype("object").where(s.notna(), np.nan)).astype("float64"), 6
            )
        except (TypeError, ValueError):
            pass
    return "str", s.astype("object").where(s.notna(), None).astype(str)


def same(a: Any, b: Any) -> str | None:
    """None when the two frames are the same table (columns, order, values to 6 decimals), else why not."""
    import numpy as np

    if list(a.columns) != list(b.columns):
        return f"columns {list(a.columns)} != {list(b.columns)}"
    if len(a) != len(b):
        return f"{len(a)} rows != {len(b)} rows"
    for col in a.columns:
        (ka, va), (kb, vb) = _column(a[col]), _column(b[col])
        if ka != kb:
            return f"column {col}: {ka} != {kb}"
        equal = np.array_equal(va.to_numpy(), vb.to_numpy(), equal_nan=True) if ka == "num" else va.equals(vb)
        if not equal:
            diff = (va != vb) & ~(va.isna() & vb.isna()) if ka == "num" else va != vb
            i = int(np.flatnonzero(diff.to_numpy())[0])
            return f"column {col}, row {i}: {va.iloc[i]!r} != {vb.iloc[i]!r}"
    return None


# -- main ----------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_shared = os.environ.get("PATSCAPE_SHARED", str(HERE.parents[1] / "shared"))
    parser.add_argument("--shared", default=default_shared)
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "patscape-bench-landscape"))
    parser.add_argument("--families", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--reuse-base", action="store_true", help="Keep the base database of --work if there is one."
    )
    parser.add_argument(
        "--threads", type=int, help="DuckDB's threads (default: DuckDB's own, one per core); pandas uses one"
    )
    parser.add_argument("--child", choices=["duckdb", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.db, args.out, args.threads)
        return

    import landscape_data

    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    data = Path(args.shared) / "data"
    log(f"base database (real records) in {work}")
    base = landscape_data.build_base(data, work / "base.duckdb", extra=EXTRA, log=log, reuse=args.reuse_base)
    scaled = work / f"landscape-{args.families}.duckdb"
    log(f"scaling up to {args.families:,} families")
    sizes = landscape_data.scale(base, scaled, args.families, log=log)

    log("DuckDB (Ibis) ...")
    duck = in_child("duckdb", scaled, args.threads)
    log(f"  {duck['wall_s']:.2f} s")
    log("pandas ...")
    pand = in_child("pandas", scaled)
    log(f"  {pand['wall_s']:.2f} s (+ {pand['load_s']:.2f} s loading)")

    mismatches = {}
    for name, frame in duck["frames"].items():
        other = pand["frames"].get(name)
        why = "missing in pandas" if other is None else same(frame, other)
        if why:
            mismatches[name] = why
    rows = {name: len(df) for name, df in duck["frames"].items()}
    summary = {
        "families": int(sizes["families"]),
        "publications": int(sizes["publications"]),
        "tables": {k: int(v) for k, v in sizes.items()},
        "rows": rows,
        "machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "duckdb": {k: v for k, v in duck.items() if k != "frames"},
        "pandas": {k: v for k, v in pand.items() if k != "frames"},
        "speedup": pand["wall_s"] / duck["wall_s"],
        "speedup_with_pandas_loading": (pand["wall_s"] + pand["load_s"]) / duck["wall_s"],
        "identical": not mismatches,
        "mismatches": mismatches,
    }
    if args.json:
        print(json.dumps(summary, indent=2, default=str))
    else:
        _print(summary)
    if mismatches:
        sys.exit(1)


def _print(s: dict[str, Any]) -> None:
    d, p = s["duckdb"], s["pandas"]
    load = ", ".join(f"{x:.2f}" for x in s["machine"]["load_average"])
    print(f"\n{s['families']:,} families, {s['publications']:,} publications; load average {load}")
    print(f"{'engine':<8} {'wall s':>8} {'cpu s':>8} {'peak RSS MB':>12}")
    duck_row = f"{'duckdb':<8} {d['wall_s']:>8.2f} {d['cpu_s']:>8.2f} {d['peak_rss_mb']:>12.0f}"
    print(f"{duck_row}   (DuckDB threads: {d['threads']})")
    pandas_row = f"{'pandas':<8} {p['wall_s']:>8.2f} {p['cpu_s']:>8.2f} {p['peak_rss_mb']:>12.0f}"
    print(f"{pandas_row}   (+ {p['load_s']:.2f} s loading)")
    print(
        f"speed-up {s['speedup']:.1f}x ({s['speedup_with_pandas_loading']:.1f}x counting pandas' loading); "
        f"DuckDB results to pandas: {d['to_pandas_s']:.2f} s more"
    )
    print("tables identical" if s["identical"] else f"MISMATCHES: {s['mismatches']}")


if __name__ == "__main__":
    main()
