"""Benchmark of the search language over more than a million publications, next to a plain ILIKE scan of the
same tables and today's BM25 search (``Store.search``), in the same run.

Data (``search_data.py``): real records with text (Google Patents, PatentsView, Lens, office XML),
ingested and enriched, repeated under new numbers until there are ``--publications`` (1 M by default); kept
in ``--work`` and reused. The build reports what the index costs: the index update after the real ingest
(beside the ingest itself, a full build over the base) and the million's index, copied from the base's
(``--build-index``: built from the texts), beside the BM25 index build.

Each of the 20 query shapes runs ``--runs`` times (after one untimed warm-up), the engines in turn within each
round, so that the machine's drift spreads over all of them:

- ``language``: ``SELECT count(*)`` of the compiled query (every hit found and counted);
- ``top 20``: ``patscape.search.search`` with relevance ranking, the 20 best and their snippets;
- ``ILIKE``: the same query compiled with the text and name fields replaced by ``ILIKE '%...%'`` over
  ``texts`` and ``parties`` (phrases as one pattern, proximity as both words, truncation as the stem), the
  code fields by ``code ILIKE 'G06N3/04%'`` over ``classes``, the other fields unchanged: what one writes
  without an index (its hit count shows what substrings add);
- ``BM25``: ``Store.search`` over the query's words, top 20 (bag of words only: no fields, phrases or codes;
  n/a for shapes without words).

p50 and p95 per shape; the target: every shape's language p95 below its ILIKE p95.

    .venv/bin/python bench/search.py [--shared ../shared] [--work DIR] [--publications N] [--runs N] [--json]
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SHAPES: list[tuple[str, str]] = [
    ("single term", "network"),
    ("rare term", "hepcidin"),
    ("title term", "ti=diffusion"),
    ("two terms", "neural network"),
    ("phrase", '"neural network"'),
    ("long phrase", 'ab="large language model"'),
    ("Chinese characters", "ta=方法"),
    ("truncation *", "comput*"),
    ("truncation ? and #", "ti=(colo?r OR model#)"),
    ("proximity", "ab=(neural NEAR/3 network)"),
    ("ordered proximity", "ab=(training 3W data)"),
    ("field + date", "ti=learning AND pd>=2021"),
    ("priority year + text", "prd=2019 AND ab=transformer*"),
    ("CPC prefix", "cpc=G06N3/04*"),
    ("CPC + text", "cpc=G06N AND ab=image"),
    ("owner group", "pa=nvidia"),
    ("applicant + title", "pa=ibm AND ti=neural"),
    ("OR of five", "ti=(image OR video OR audio OR speech OR text)"),
    ("NOT", "ab=model NOT ab=language"),
    (
        "deep boolean",
        "((ti=(car OR vehicle) OR ab=autonomous) AND NOT (cl=wheel OR pa=toyota)) AND pd>=2015 "
        "AND (cpc=G06N* OR cpc=B60W* OR ta=(driving NEAR/2 assist*))",
    ),
]


# -- the ILIKE baseline: the same field table with the text and name fields scanned by ILIKE ----------


def ilike_fields():  # type: ignore[no-untyped-def]
    from patscape.search import DEFAULT_FIELDS, FieldTable
    from patscape.search.fields import Field
    from patscape.search.sqlparts import join, sql
    from patscape.search.syntax import AnyOf, Near, Pattern, Phrase
    from patscape.search.textsql import TEXT_FIELDS

    def patterns(span):  # type: ignore[no-untyped-def]
        """(all of) lists of ILIKE patterns, one list per alternative."""
        if isinstance(span, Phrase):
            words = [t.prefix if isinstance(t, Pattern) else t for t in span.tokens]
            return [["%" + " ".join(words) + "%"]]
        if isinstance(span, AnyOf):
            return [alt for item in span.items for alt in patterns(item)]
        assert isinstance(span, Near)
        return [a + b for a in patterns(span.left) for b in patterns(span.right)]

    def condition(column: str, span):  # type: ignore[no-untyped-def]
        alternatives = [
            sql("({})", join(" AND ", (sql(f"{column} ILIKE {{}}", p) for p in alt)))
            for alt in patterns(span)
        ]
        return sql("({})", join(" OR ", alternatives))

    def scanning(source: str, column: str):  # type: ignore[no-untyped-def]
        """``source``: the rows of ``texts`` or ``parties`` the field reads, ``column`` what ILIKE reads."""

        def compile_scan(leaf, ctx):  # type: ignore[no-untyped-def]
            return ctx.key_in(sql(f"SELECT pub_key FROM {source} AND {{}}", condition(column, leaf.span)))

        return compile_scan

    table = FieldTable(iter(DEFAULT_FIELDS))
    for field in DEFAULT_FIELDS:
        if field.kind == "text":
            kinds = ", ".join(f"'{k}'" for k, code in TEXT_FIELDS.items() if code in field.postings)
            scan = scanning(f"texts WHERE kind IN ({kinds})", "text")
            table.register(Field(field.name, "text", scan, field.aliases), replace=True)

    def code_scan(scheme: str):  # type: ignore[no-untyped-def]
        """A code field read from the ``classes`` table (``code ILIKE 'G06N3/04%'``), not the postings."""

        def compile_code(cond, ctx):  # type: ignore[no-untyped-def]
            code = cond.value
            pattern = code.exact or f"{code.prefix}%"
            return ctx.key_in(
                sql(f"SELECT pub_key FROM classes WHERE scheme = '{scheme}' AND code ILIKE {{}}", pattern)
            )

        return compile_code

    for field in DEFAULT_FIELDS:
        if field.kind == "code":
            scan = code_scan(field.name.upper())
            table.register(Field(field.name, "code", scan, field.aliases), replace=True)
    owners = scanning("parties WHERE role IN ('applicant', 'assignee')", "name")
    table.register(Field("pa", "name", owners, ("applicant",)), replace=True)
    table.register(
        Field("in", "name", scanning("parties WHERE role = 'inventor'", "name"), ("inventor",)), replace=True
    )
    return table


def bm25_words(query: str) -> str | None:
    from patscape.search import parse
    from patscape.search.engine import positive_tokens
    from patscape.search.syntax import Pattern

    words = [t.prefix if isinstance(t, Pattern) else t for t in positive_tokens(parse(query))]
    return " ".join(words) or None


# -- timing -----------------------------------------------------------------------------------------


def _time(fn) -> tuple[float, Any]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


ENGINES = ("language", "top 20", "ILIKE", "BM25")


def run(db: Path, runs: int, log=print, after_round=None, engines=ENGINES) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The shapes' rows; ``after_round(rows, rounds)`` gets the rows of the rounds timed so far after each;
    ``engines``: the columns measured (the language and ILIKE always)."""
    from patscape.search import parse
    from patscape.search.compiler import compile_query
    from patscape.search.engine import prepare, search
    from patscape.store import open_store

    ilike = ilike_fields()
    with open_store(str(db), read_only=True) as store:
        store.con.execute("SET enable_progress_bar = false")  # type: ignore[attr-defined]
        store._load_fts()  # type: ignore[attr-defined]  # the extension is loaded before the clock
        chosen = set(engines) | {"language", "ILIKE"}
        engines = {}
        for name, query in SHAPES:
            _, ours = prepare(store, query)
            theirs = compile_query(parse(query, ilike), "duckdb")
            words = bm25_words(query)
            engines[name] = {
                "language": lambda c=ours: store.scalar(f"SELECT count(*) FROM ({c.sql}) h", c.params),
                # no time limit: a slow shape is measured, not cut off at the commands' 30 s
                "top 20": lambda q=query: len(search(store, q, limit=20, timeout=None).hits),
                "ILIKE": lambda c=theirs: store.scalar(f"SELECT count(*) FROM ({c.sql}) h", c.params),
                "BM25": (lambda w=words: len(store.search(w, 20))) if words else None,
            }
            engines[name] = {k: (v if k in chosen else None) for k, v in engines[name].items()}
        times: dict[str, dict[str, list[float]]] = {n: {e: [] for e in engines[n]} for n, _ in SHAPES}
        counts: dict[str, dict[str, Any]] = {n: {} for n, _ in SHAPES}
        for round_ in range(runs + 1):
            for name, _ in SHAPES:
                for engine, fn in engines[name].items():
                    if fn is None:
                        continue
                    seconds, out = _time(fn)
                    if round_ == 0:
                        counts[name][engine] = out  # the warm-up's result; untimed
                    else:
                        times[name][engine].append(seconds)
            log(f"  round {round_}/{runs} done")
            if after_round is not None and round_ > 0:
                after_round(_rows(times, counts), round_)
    return _rows(times, counts)


Times = dict[str, dict[str, list[float]]]


def _rows(times: Times, counts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for name, query in SHAPES:
        row: dict[str, Any] = {"shape": name, "query": query, "hits": counts[name]["language"]}
        row["ilike_hits"] = counts[name]["ILIKE"]
        for engine, values in times[name].items():
            key = engine.lower().replace(" ", "_")
            row[f"{key}_p50_ms"] = round(_p(values, 0.5) * 1000, 1) if values else None
            row[f"{key}_p95_ms"] = round(_p(values, 0.95) * 1000, 1) if values else None
        row["ilike_over_language_p95"] = round(row["ilike_p95_ms"] / row["language_p95_ms"], 1)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_shared = os.environ.get("PATSCAPE_SHARED", str(HERE.parent.parent / "shared"))
    parser.add_argument("--shared", default=default_shared)
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "patscape-bench-search"))
    parser.add_argument("--publications", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--build-index", action="store_true", help="build the million's search index from the texts (slow)"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help="the columns measured, of: " + ", ".join(ENGINES)
    )
    parser.add_argument("--out", help="also write the JSON result here after every round (figures so far)")
    args = parser.parse_args()

    from search_data import build_base, scale

    log = (lambda *a: print(*a, file=sys.stderr)) if args.json else print
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    data = Path(args.shared) / "data"
    if not data.is_dir():
        sys.exit(f"shared data not found at {data} (set PATSCAPE_SHARED or --shared)")
    log("base database (real records):")
    base = build_base(data, work / "base.duckdb", log)
    scaled = work / f"search-{args.publications}.duckdb"
    facts_path = scaled.with_suffix(".json")
    if scaled.exists() and facts_path.exists():
        facts = json.loads(facts_path.read_text())
    else:
        log(f"scaled database ({args.publications:,} publications):")
        facts = scale(work / "base.duckdb", scaled, args.publications, args.build_index, log)
        facts_path.write_text(json.dumps(facts))
    log(f"queries: {len(SHAPES)} shapes x {args.runs} runs")
    loads: list[float] = []

    def result_of(rows: list[dict[str, Any]], rounds: int) -> dict[str, Any]:
        loads.append(round(os.getloadavg()[0], 1))
        out = {"base": base, "scaled": facts, "shapes": rows, "rounds": rounds}
        out["loadavg"] = [round(x, 1) for x in os.getloadavg()]
        out["load_1min_after_rounds"] = list(loads)
        out["all_faster_than_ilike_p95"] = all(r["language_p95_ms"] < r["ilike_p95_ms"] for r in rows)
        if args.out:
            Path(args.out).write_text(json.dumps(out))
        return out

    chosen = [e.strip() for e in args.engines.split(",")]
    if unknown := set(chosen) - set(ENGINES):
        sys.exit(f"--engines: unknown {', '.join(sorted(unknown))} (of {', '.join(ENGINES)})")
    rows = run(scaled, args.runs, log, after_round=result_of, engines=chosen)
    result = result_of(rows, args.runs)
    if args.json:
        print(json.dumps(result))
        return
    _print(result)


def _pair(row: dict[str, Any], key: str) -> str:
    if row[f"{key}_p50_ms"] is None:
        return "n/a"
    return f"{row[f'{key}_p50_ms']:.0f} / {row[f'{key}_p95_ms']:.0f}"


def _print(result: dict[str, Any]) -> None:
    base, facts = result["base"], result["scaled"]
    print(
        f"\ningest of the real records: {base['ingest_s']} s; the search index update after it: "
        f"{base['ingest_index_s']} s ({base['ingest_index_s'] / base['ingest_s']:.0%} of the ingest)"
    )
    print(
        f"{facts['publications']:,} publications "
        f"({facts['copies']} copies of {facts['base_publications']:,}), "
        f"{facts['postings']:,} postings; index {'built' if facts.get('index_built') else 'copied'} in "
        f"{facts['index_build_s']} s, BM25 index build "
        f"{facts['bm25_build_s']} s; database {facts['db_mb']} MB"
    )
    head = f"{'shape':<20} {'hits':>8} {'language':>17} {'top 20':>17} {'ILIKE':>17} {'BM25':>17} {'x':>6}"
    print("\np50 / p95 in ms\n" + head)
    for r in result["shapes"]:
        print(
            f"{r['shape']:<20} {r['hits']:>8,} {_pair(r, 'language'):>17} {_pair(r, 'top_20'):>17} "
            f"{_pair(r, 'ilike'):>17} {_pair(r, 'bm25'):>17} {r['ilike_over_language_p95']:>6}"
        )
    verdict = "every shape" if result["all_faster_than_ilike_p95"] else "NOT every shape"
    print(
        f"\n{verdict} faster than the ILIKE scan at p95 (x = ILIKE p95 / language p95); "
        f"load {result['loadavg']}"
    )


if __name__ == "__main__":
    main()
