"""Benchmark of the interactive landscape: every dashboard panel after each filter change, over a million
families of real records, next to Polars and to a bare GROUP BY; and the incremental enrichment after a
batch of 1 % more publications, next to a full rebuild.

Data (``dashboard_data.py``): the real records of ``landscape_data.build_base`` repeated under new numbers
until there are ``--families`` families (1 M by default), kept in ``--work`` and reused: ``scaled.duckdb``
(not enriched) and ``enriched.duckdb`` (its full enrichment, timed when it is made).

In one run, each part in a fresh process:

1. Enrichment (unless ``--skip-enrich``): 1 % more publications (``add_batch``: some join existing
   families, some merge two) added to two copies of the enriched store; on one ``enrich`` runs
   incrementally, on the other in full (the baseline); both resulting stores are compared table by table
   (floats to 9 decimals) and must be equal. With ``--labelled-only`` (the base's labelled publications,
   whose batch comes without labels) or ``--classify`` (the whole store, the batch without labels)
   ``classify`` is timed too: after the incremental enrichment, and as a relabelling of everything before
   the full one; the enriched store is first labelled by the current pipeline (once, untimed, kept as
   ``classified-*.duckdb``), so that the incremental ``classify`` labels only the batch.
2. patscape: ``Panels`` (priority years; countries by member office unless a filter change says otherwise)
   compiled once (timed apart), then the 20 filter changes of ``FILTERS``, ``--rounds`` times; per change
   the seconds until all eight panels are computed, and per panel; the floor, one bare ``GROUP BY year,
   country`` over the fact table's countries on DuckDB, timed in the same process; the whole landscape
   (every section of the report, then with the per-family quality table too).
3. Polars: the fact tables exported once as Parquet (timed apart), loaded (timed apart), and the same panels
   after the same filter changes (``dashboard_polars.py``); every table must equal patscape's.

Targets: p95 per change (all panels) <= 150 ms; every panel within 3x of the floor; not slower than Polars;
the whole landscape under 1 s; the incremental enrichment under 10 % of the full rebuild, with the same
tables. ``--check`` makes a missed target exit with status 2.

    .venv/bin/python bench/dashboard.py [--shared ../shared] [--work DIR] [--base BASE.duckdb]
                                        [--families N] [--rounds N] [--skip-enrich] [--json] [--check]
                                        [--labelled-only] [--classify] [--enrich-only] [--synthetic]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

YEAR = "priority"
BASIS = "member"
# the floor: one bare group-by over the fact table's countries
FLOOR_SQL = (
    f"SELECT CAST({YEAR}_year AS BIGINT) AS year, country, count(*) AS families "
    f"FROM family_fact_countries WHERE basis = '{BASIS}' GROUP BY 1, 2"
)


@dataclass(frozen=True)
class Change:
    """One filter change of the dashboard: the filter and the country basis."""

    label: str
    basis: str = BASIS
    year_from: int | None = None
    year_to: int | None = None
    genai: bool = False
    countries: tuple[str, ...] = ()
    owner: str | None = None
    tags: tuple[str, ...] = ()
    query: str | None = None


def changes(owner: str) -> list[Change]:
    """20 filter changes an analyst makes in a row (``owner``: the group with most families)."""
    return [
        Change("all families"),
        Change("years 2014-2020", year_from=2014, year_to=2020),
        Change("+ generative AI", year_from=2014, year_to=2020, genai=True),
        Change("generative AI, all years", genai=True),
        Change("generative AI in CN", genai=True, countries=("CN",)),
        Change("generative AI in US", genai=True, countries=("US",)),
        Change("CN or US", countries=("CN", "US")),
        Change("countries by inventor", basis="inventor"),
        Change("by inventor, 2010-2020", basis="inventor", year_from=2010, year_to=2020),
        Change("owner", owner=owner),
        Change("owner, generative AI", owner=owner, genai=True),
        Change("tag model:LLM", tags=("model:LLM",)),
        Change("tag application:telecommunications", tags=("application:telecommunications",)),
        Change("tag cset:Machine_Learning", tags=("cset:Machine_Learning",)),
        Change(
            "cset:Machine_Learning, 2016-2020", tags=("cset:Machine_Learning",), year_from=2016, year_to=2020
        ),
        Change("query 'neural network'", query="neural network"),
        Change("query + generative AI", query="neural network", genai=True),
        Change("query 'image' in CN", query="image", countries=("CN",)),
        Change("generative AI in CN, 2018-2022", genai=True, countries=("CN",), year_from=2018, year_to=2022),
        Change("all families again"),
    ]


def landscape_filter(c: Change) -> Any:
    from patscape.landscape import LandscapeFilter

    return LandscapeFilter(
        genai=c.genai,
        tags=c.tags,
        year_from=c.year_from,
        year_to=c.year_to,
        owner=c.owner,
        query=c.query,
        countries=c.countries,
    )


def nearest_rank(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


# -- the parts (each in a child process) ---------------------------------------------------------------------


def run_enrich(db: str, full: bool, labels: bool = False) -> dict[str, Any]:
    """``enrich`` (incremental unless ``full``), and with ``labels`` ``classify`` too: after the enrichment
    when incremental (it labels what is new and rewrites those families' fact rows); before it when full
    (every publication relabelled, then the facts built once)."""
    import pandas  # noqa: F401  (DuckDB imports it on a first query: an import, untimed in both runs)

    from patscape.enrich.build import describe, enrich
    from patscape.enrich.genai.pipeline import default_pipeline
    from patscape.enrich.genai.store_labels import classify
    from patscape.store import open_store

    pipeline = default_pipeline() if labels else None  # loading the model: untimed, as in a server
    start = time.perf_counter()
    classified: dict[str, Any] = {}
    with open_store(db) as store:
        if labels and full:
            clock = time.perf_counter()
            classified = classify(store, pipeline, relabel=True)
            classified["seconds"] = time.perf_counter() - clock
        summary = enrich(store, full=full)
        if labels and not full:
            clock = time.perf_counter()
            classified = classify(store, pipeline)
            classified["seconds"] = time.perf_counter() - clock
    if classified:
        summary["classify"] = classified
    return {"seconds": time.perf_counter() - start, "summary": summary, "said": describe(summary)}


def run_patscape(db: str, owner: str, rounds: int) -> dict[str, Any]:
    import duckdb
    import ibis
    import pandas  # noqa: F401  (DuckDB imports it on its first query: an import, untimed)

    from patscape.landscape import Panels
    from patscape.landscape.backends import run_sql
    from patscape.landscape.command import Request, run_on

    backend = ibis.duckdb  # Ibis loads a backend on first use: an import, untimed (as Polars' own)
    con = duckdb.connect(db, read_only=True)
    ibis_con = backend.from_connection(con)
    start = time.perf_counter()
    panels = {b: Panels(ibis_con, year=YEAR, country_by=b) for b in (BASIS, "inventor")}
    for p in panels.values():
        p.compile()
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    for p in panels.values():
        p.prepare()  # the working copies (the first filter beyond the years makes them otherwise)
    prepare_s = time.perf_counter() - start
    floor_schema = ibis.schema({"year": "int64", "country": "string", "families": "int64"})
    floor: list[float] = []
    per_change: list[dict[str, Any]] = []
    results: dict[str, dict[str, Any]] = {}
    for rnd in range(rounds):
        for c in changes(owner):
            clock = time.perf_counter()
            run_sql(ibis_con, FLOOR_SQL, floor_schema)
            floor.append(time.perf_counter() - clock)
            p = panels[c.basis]
            clock = time.perf_counter()
            tables = p.compute(landscape_filter(c))
            seconds = time.perf_counter() - clock
            per_change.append({"round": rnd, "change": c.label, "seconds": seconds, "steps": dict(p.seconds)})
            if rnd == 0:
                results[c.label] = {name: t.to_pandas() for name, t in tables.items()}
    # the whole landscape as `patscape landscape` computes it (landscape.command: the catalog, reference date
    # and bases read, the growth window, then every section from its compiled SQL), three times each: the
    # report's sections (report/data.py: every section but the per-family quality table), the headline; then
    # every section (`--by all`), the per-family quality table (a row a family) too
    from patscape.report.data import SECTIONS as REPORT_SECTIONS

    whole: dict[str, Any] = {}
    for name, request in (
        ("report", Request(by="all", year=YEAR, country_by=BASIS, sections=REPORT_SECTIONS)),
        ("all", Request(by="all", year=YEAR, country_by=BASIS)),
    ):
        runs, floors = [], []
        for _ in range(3):
            clock = time.perf_counter()
            run_sql(ibis_con, FLOOR_SQL, floor_schema)  # the machine's speed at that moment
            floors.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            frames, meta = run_on(ibis_con, request)
            runs.append(time.perf_counter() - clock)
        whole[name] = {
            "runs": runs,
            "floor": floors,
            "sections": len(frames),
            "rows": sum(len(f) for f in frames.values()),
            "last run steps": meta["seconds"],
        }
    return {
        "compile_s": compile_s,
        "prepare_s": prepare_s,
        "floor": floor,
        "changes": per_change,
        "whole": whole,
        "results": results,
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
    }


def run_polars(folder: str, owner: str, rounds: int) -> dict[str, Any]:
    import polars as pl

    import dashboard_polars as dp

    start = time.perf_counter()
    data = dp.load(Path(folder), YEAR)
    load_s = time.perf_counter() - start
    per_change: list[dict[str, Any]] = []
    results: dict[str, dict[str, Any]] = {}
    for rnd in range(rounds):
        for c in changes(owner):
            f = dp.Filter(c.year_from, c.year_to, c.genai, c.countries, c.owner, c.tags, c.query)
            clock = time.perf_counter()
            tables = dp.panels(data, f, year=YEAR, basis=c.basis)
            seconds = time.perf_counter() - clock
            per_change.append({"round": rnd, "change": c.label, "seconds": seconds})
            if rnd == 0:
                results[c.label] = {name: t.to_pandas() for name, t in tables.items()}
    return {"load_s": load_s, "changes": per_change, "results": results, "threads": pl.thread_pool_size()}


def run_classify(db: str) -> dict[str, Any]:
    """``classify`` of what the current pipeline has not labelled yet (nothing on a second call)."""
    from patscape.enrich.genai.store_labels import classify
    from patscape.store import open_store

    start = time.perf_counter()
    with open_store(db) as store:
        counts = classify(store)
    return {"seconds": time.perf_counter() - start, "summary": counts}


def child(part: str, args: list[str], out: str) -> None:
    if part == "enrich":
        result = run_enrich(args[0], args[1] == "full", args[2] == "labels")
    elif part == "classify":
        result = run_classify(args[0])
    elif part == "patscape":
        result = run_patscape(args[0], args[1], int(args[2]))
    else:
        result = run_polars(args[0], args[1], int(args[2]))
    with open(out, "wb") as f:
        pickle.dump(result, f)


def in_child(part: str, *args: str) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as tmp:
        out = tmp.name
    try:
        cmd = [sys.executable, __file__, "--child", part, out, *args]
        # the benchmark's folder first, then whatever the caller put on the path (a checkout's src)
        path = os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)
        subprocess.run(cmd, check=True, env={**os.environ, "PYTHONPATH": path})
        with open(out, "rb") as f:
            return pickle.load(f)
    finally:
        Path(out).unlink(missing_ok=True)


# -- comparing -----------------------------------------------------------------------------------------------


def same_tables(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Names of the tables that differ (values to 6 decimals, integers and floats alike, NaN = None)."""
    import pandas as pd

    def rows(df: pd.DataFrame) -> list[tuple[Any, ...]]:
        out = []
        for row in df.itertuples(index=False):
            cells = []
            for v in row:
                if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
                    cells.append(None)
                elif isinstance(v, bool):
                    cells.append(v)
                elif isinstance(v, int | float) or hasattr(v, "item"):
                    cells.append(round(float(v), 6))
                else:
                    cells.append(v)
            out.append(tuple(cells))
        return out

    return [
        name for name in a if list(a[name].columns) != list(b[name].columns) or rows(a[name]) != rows(b[name])
    ]


def compare_stores(a: Path, b: Path) -> dict[str, int]:
    """Rows in one store's enrichment table and not in the other's (both ways), per table; floats to 9
    decimals."""
    import duckdb

    from patscape.store import schema

    names = [
        t
        for t in (
            *schema.ENRICH_TABLES,
            *schema.FACT_TABLES,
            schema.ENRICHED_PUBLICATIONS,
            schema.FAMILY_LINKS,
            schema.GENAI_LABELS,
            schema.GENAI_TAGS,
            schema.FAMILY_FACT_SOURCES,
            schema.FAMILY_FACT_COUNTS,
        )
    ]
    con = duckdb.connect()
    con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
    out = {}
    for t in names:
        # made by a full build of the facts: a store enriched before they existed has none until then
        held = [
            con.execute(
                f"SELECT count(*) FROM duckdb_tables() WHERE database_name = '{x}' "
                f"AND table_name = '{t.name}'"
            ).fetchone()[0]
            for x in ("a", "b")
        ]
        if not any(held):
            continue
        if not all(held):  # in one store only
            out[t.name] = -1
            continue
        cols = ", ".join(
            f"round({c}, 9)" if "DOUBLE" in ty else c
            for c, ty in t.columns
            if c != "labelled_at"  # when it was labelled: the two runs' clocks
        )
        n = 0
        for x, y in (("a", "b"), ("b", "a")):
            n += con.execute(
                f"SELECT count(*) FROM (SELECT {cols} FROM {x}.{t.name} "
                f"EXCEPT ALL SELECT {cols} FROM {y}.{t.name})"
            ).fetchone()[0]
        out[t.name] = int(n)
    return out


# -- the run -------------------------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> tuple[Path, Path, dict[str, Any]]:
    import dashboard_data
    import landscape_data

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    made: dict[str, Any] = {}
    if args.synthetic:
        import dashboard_synthetic

        synthetic = work / f"synthetic-{args.families}.duckdb"
        if not synthetic.exists():
            print(f"generating {args.families:,} synthetic families: {synthetic}", file=sys.stderr)
            dashboard_synthetic.build(synthetic, args.families, log=lambda m: print(m, file=sys.stderr))
        else:
            import duckdb

            with duckdb.connect(str(synthetic)) as con:
                if not con.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'family_fact_sources'"
                ).fetchone()[0]:  # type: ignore[index]
                    print(f"adding family_fact_sources to {synthetic}", file=sys.stderr)
                    dashboard_synthetic.add_sources(con)
        made = {"data": "synthetic (dashboard_synthetic.py)", "enriched": str(synthetic)}
        return synthetic, synthetic, made
    base = Path(args.base) if args.base else work / "base.duckdb"
    if args.labelled_only:
        labelled = work / "labelled-base.duckdb"
        if not labelled.exists():
            print(f"the labelled publications of {base}, enriched: {labelled} (once)", file=sys.stderr)
            tmp = labelled.with_suffix(".building")
            dashboard_data.labelled_subset(base, tmp, log=lambda m: print(m, file=sys.stderr))
            made["labelled_base_enrichment"] = in_child("enrich", str(tmp), "full", "-")
            tmp.rename(labelled)
        base = labelled
    if not base.exists():
        print(f"building the base database {base} (once)", file=sys.stderr)
        data = Path(args.shared) / "data"
        landscape_data.build_base(
            data,
            base,
            ("patentsview_db_fixtures", "lens_covid_jsonl"),
            log=lambda m: print(m, file=sys.stderr),
        )
    tag = f"{'labelled-' if args.labelled_only else ''}{args.families}"
    scaled = work / f"scaled-{tag}.duckdb"
    if not scaled.exists():
        print(f"scaling to {args.families:,} families: {scaled}", file=sys.stderr)
        dashboard_data.scale(base, scaled, args.families, log=lambda m: print(m, file=sys.stderr))
    enriched = work / f"enriched-{tag}.duckdb"
    if not enriched.exists():
        print("enriching it in full (once)", file=sys.stderr)
        tmp = enriched.with_suffix(".building")
        shutil.copyfile(scaled, tmp)
        made["first_enrichment"] = in_child("enrich", str(tmp), "full", "-")
        tmp.rename(enriched)
    if args.labelled_only or args.classify:
        # every publication labelled by the current pipeline before the batch (untimed): else the timed
        # incremental `classify` would also label what an older pipeline labelled, or what was never labelled
        classified = work / f"classified-{tag}.duckdb"
        if not classified.exists():
            tmp = classified.with_suffix(".building")
            shutil.copyfile(enriched, tmp)
            tmp.rename(classified)
        labelled = in_child("classify", str(classified))
        if labelled["summary"]["labelled"]:
            made["first_classification"] = labelled
        enriched = classified
    return base, scaled, {**made, "enriched": str(enriched)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--shared", default=os.environ.get("PATSCAPE_SHARED", str(HERE.parent.parent / "shared"))
    )
    parser.add_argument("--work", default="/tmp/patscape-bench-dashboard")
    parser.add_argument("--base", help="an existing base database (landscape_data.build_base)")
    parser.add_argument("--families", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3, help="times the 20 changes are made")
    parser.add_argument(
        "--skip-enrich", action="store_true", help="leave out the incremental enrichment part"
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="panels only, over fact tables generated by dashboard_synthetic.py (no enrichment part)",
    )
    parser.add_argument(
        "--labelled-only",
        action="store_true",
        help="the base's labelled publications only (no CSET); the enrichment part times `classify` too",
    )
    parser.add_argument(
        "--classify",
        action="store_true",
        help="the enrichment part times `classify` too, on the whole store (its batch without labels)",
    )
    parser.add_argument(
        "--enrich-only", action="store_true", help="the incremental enrichment part only (no panels)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit with status 2 when a target is missed")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        part, out, *rest = args.child
        child(part, rest, out)
        return

    base, _, made = prepare(args)
    enriched = Path(made["enriched"])
    work = Path(args.work)
    report: dict[str, Any] = {"families": args.families, "load_average": os.getloadavg(), **made}

    if not args.skip_enrich and not args.synthetic:
        import dashboard_data

        inc, full = work / "incremental.duckdb", work / "full.duckdb"
        # with `classify` timed too, the batch comes without its labels
        labels = args.labelled_only or args.classify
        say = lambda m: print(m, file=sys.stderr)
        shutil.copyfile(enriched, inc)
        batch = dashboard_data.add_batch(base, inc, labels=not labels, log=say)
        shutil.copyfile(enriched, full)  # the same store: its search index too (the ingest's, not timed)
        dashboard_data.add_batch(base, full, labels=not labels, log=say)
        what = "labels" if labels else "-"
        # the copies' pages written to disk first (untimed): else the first fsync of each run, its commit's
        # checkpoint, waits for the write-back of the 300 MB copied just before
        os.sync()
        incremental = in_child("enrich", str(inc), "incremental", what)
        os.sync()
        rebuilt = in_child("enrich", str(full), "full", what)
        differ = compare_stores(inc, full)
        report["enrichment"] = {
            "classified": labels,
            "batch": batch,
            "incremental_s": incremental["seconds"],
            "incremental_said": incremental["said"],
            "incremental_steps": {
                k: v.get("seconds") for k, v in incremental["summary"].items() if k != "changes"
            },
            "full_s": rebuilt["seconds"],
            "full_said": rebuilt["said"],
            "full_steps": {k: v.get("seconds") for k, v in rebuilt["summary"].items() if k != "changes"},
            "ratio": incremental["seconds"] / rebuilt["seconds"],
            # the same runs without their `classify` (the enrichment's steps alone)
            "incremental_enrich_s": _enrich_s(incremental),
            "full_enrich_s": _enrich_s(rebuilt),
            "rows_differing": differ,
        }
        inc.unlink()
        full.unlink()
        report["load_after_enrichment"] = os.getloadavg()
    if args.enrich_only:
        print_enrichment(report, args.json)
        if args.check and not met(report):
            sys.exit(2)
        return

    import duckdb

    with duckdb.connect(str(enriched), read_only=True) as con:
        owner = con.execute(
            "SELECT group_id FROM owner_facts ORDER BY families DESC, group_id LIMIT 1"
        ).fetchone()[0]
        folder = work / "parquet"
        shutil.rmtree(folder, ignore_errors=True)
        import dashboard_polars

        clock = time.perf_counter()
        dashboard_polars.export(con, folder)
        export_s = time.perf_counter() - clock
    ours = in_child("patscape", str(enriched), owner, str(args.rounds))
    peer = in_child("polars", str(folder), owner, str(args.rounds))
    report["dashboard"] = summarise(ours, peer, export_s, owner)
    print_report(report, args.json)
    if args.check and not met(report):
        sys.exit(2)


def summarise(ours: dict[str, Any], peer: dict[str, Any], export_s: float, owner: str) -> dict[str, Any]:
    totals = [c["seconds"] for c in ours["changes"]]
    polars_totals = [c["seconds"] for c in peer["changes"]]
    floor = sorted(ours["floor"])[len(ours["floor"]) // 2]
    # the steps before the panels: compiling (nothing once compiled), the selection and the views of the
    # selected rows (landscape_selected_*); after them, the reasons of the empty panels. The tables several
    # panels derive from (panels.KEPT: landscape_*_summary, landscape_country_counts) are statements of
    # their own, each held to the floor like a panel
    panel_names = [
        n
        for n in ours["changes"][0]["steps"]
        if n not in ("compile", "selection", "empty", "total") and not n.startswith("landscape_selected_")
    ]
    per_panel = {}
    for name in panel_names:
        times = [c["steps"][name] for c in ours["changes"] if name in c["steps"]]
        per_panel[name] = {
            "median_s": sorted(times)[len(times) // 2],
            "ratio_to_floor": sorted(times)[len(times) // 2] / floor,
            "max_ratio_to_floor": max(times) / floor,
        }
    shared = [
        sum(v for k, v in c["steps"].items() if k == "selection" or k.startswith("landscape_"))
        for c in ours["changes"]
    ]
    differ = {label: same_tables(ours["results"][label], peer["results"][label]) for label in ours["results"]}
    by_change = {}
    for c, p in zip(ours["changes"], peer["changes"], strict=True):
        by_change.setdefault(c["change"], {"patscape": [], "polars": []})
        by_change[c["change"]]["patscape"].append(c["seconds"])
        by_change[c["change"]]["polars"].append(p["seconds"])
    return {
        "owner": owner,
        "duckdb_threads": ours["threads"],
        "polars_threads": peer["threads"],
        "compile_s": ours["compile_s"],
        "prepare_s": ours["prepare_s"],
        "changes": len(totals),
        "p50_s": nearest_rank(totals, 0.5),
        "p95_s": nearest_rank(totals, 0.95),
        "max_s": max(totals),
        "polars_p50_s": nearest_rank(polars_totals, 0.5),
        "polars_p95_s": nearest_rank(polars_totals, 0.95),
        "polars_max_s": max(polars_totals),
        "polars_export_s": export_s,
        "polars_load_s": peer["load_s"],
        "floor_median_s": floor,
        "per_panel": per_panel,
        "selection_and_counts_median_s": sorted(shared)[len(shared) // 2],
        "whole_landscape": ours["whole"],
        "by_change_median": {
            k: {e: sorted(v)[len(v) // 2] for e, v in d.items()} for k, d in by_change.items()
        },
        "tables_differing_from_polars": {k: v for k, v in differ.items() if v},
    }


def met(report: dict[str, Any]) -> bool:
    ok = True
    if "dashboard" in report:
        d = report["dashboard"]
        ok = d["p95_s"] <= 0.150 and all(p["ratio_to_floor"] <= 3 for p in d["per_panel"].values())
        ok = ok and d["p95_s"] <= d["polars_p95_s"] and max(d["whole_landscape"]["report"]["runs"]) < 1.0
        ok = ok and not d["tables_differing_from_polars"]
    if "enrichment" in report:
        e = report["enrichment"]
        ok = ok and e["ratio"] < 0.10 and not any(e["rows_differing"].values())
    return ok


def _enrich_s(run: dict[str, Any]) -> float:
    return float(run["seconds"] - run["summary"].get("classify", {}).get("seconds", 0.0))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def print_enrichment(report: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, default=str))
        return
    print(f"load average at the start: {', '.join(f'{x:.1f}' for x in report['load_average'])}")
    if "enrichment" in report:
        print(f"load average at the end of the enrichment part: {report['load_after_enrichment']}")
    print(f"data: {report.get('data', 'real records under new numbers (dashboard_data.py)')}")
    for made in ("labelled_base_enrichment", "first_enrichment", "first_classification"):
        if made in report:
            first = report[made]
            said = first.get("said", first["summary"])
            print(f"{made.replace('_', ' ')}: {first['seconds']:.1f} s ({said})")
    if "enrichment" in report:
        e = report["enrichment"]
        added, before = e["batch"]["added"], e["batch"]["stored_before"]
        what = "enrich + classify" if e["classified"] else "enrich"
        print(f"\n{what} after adding {added:,} publications ({added / before:.1%}) to {before:,}:")
        print(f"  incremental {e['incremental_s']:.1f} s  {e['incremental_steps']}")
        print(f"    {e['incremental_said']}")
        print(f"  full rebuild {e['full_s']:.1f} s  {e['full_steps']}")
        print(f"    {e['full_said']}")
        differing = {k: v for k, v in e["rows_differing"].items() if v}
        print(
            f"  incremental / full = {e['ratio']:.1%} (target < 10 %); "
            f"tables compared: {len(e['rows_differing'])}, rows differing: {differing or 'none'}"
        )
        if e["classified"]:
            inc, full = e["incremental_enrich_s"], e["full_enrich_s"]
            print(
                f"  without `classify` (the same runs' enrich alone): incremental {inc:.1f} s, "
                f"full {full:.1f} s = {inc / full:.1%}"
            )


def print_report(report: dict[str, Any], as_json: bool) -> None:
    print_enrichment(report, as_json)
    if as_json:
        return
    d = report["dashboard"]
    print(
        f"\ndashboard: {d['changes']} filter changes (20 x rounds), owner {d['owner']}; "
        f"DuckDB threads {d['duckdb_threads']}, Polars threads {d['polars_threads']}"
    )
    print(
        f"  patscape panels compiled once: {d['compile_s']:.2f} s; working copies made once "
        f"(both bases): {d['prepare_s']:.2f} s (before the first change)"
    )
    print(
        f"  per change, all panels: p50 {_ms(d['p50_s'])}, p95 {_ms(d['p95_s'])}, max {_ms(d['max_s'])} "
        "(target p95 <= 150 ms)"
    )
    print(
        f"  Polars, same changes:   p50 {_ms(d['polars_p50_s'])}, p95 {_ms(d['polars_p95_s'])}, "
        f"max {_ms(d['polars_max_s'])} "
        f"(export {d['polars_export_s']:.1f} s, load {d['polars_load_s']:.1f} s, apart)"
    )
    print(
        f"  floor (bare GROUP BY year, country on DuckDB): {d['floor_median_s'] * 1000:.1f} ms; "
        f"per change, selection + shared counts {d['selection_and_counts_median_s'] * 1000:.1f} ms"
    )
    for name, p in d["per_panel"].items():
        print(
            f"    {name:26s} {p['median_s'] * 1000:7.1f} ms  {p['ratio_to_floor']:.2f} x floor "
            f"(slowest change {p['max_ratio_to_floor']:.2f} x)"
        )
    for name, what in (
        ("report", "the report's sections (headline; report/data.py SECTIONS)"),
        ("all", "every section, with the per-family quality table (patscape landscape --by all)"),
    ):
        w = d["whole_landscape"][name]
        runs = ", ".join(f"{r:.3f} s" for r in w["runs"])
        floors = ", ".join(f"{f * 1000:.1f}" for f in w["floor"])
        print(f"  whole landscape, {what}: {w['sections']} sections, {w['rows']:,} rows: {runs}")
        print(f"    the floor just before each run (ms): {floors}")
        print(f"    last run's steps (s): {w['last run steps']}")
    print("  per change (median ms, patscape / Polars):")
    for label, t in d["by_change_median"].items():
        print(f"    {label:38s} {t['patscape'] * 1000:7.1f} / {t['polars'] * 1000:7.1f}")
    if d["tables_differing_from_polars"]:
        print(f"  TABLES DIFFERING FROM POLARS: {d['tables_differing_from_polars']}")
    else:
        print("  every table equals Polars'")


if __name__ == "__main__":
    main()
