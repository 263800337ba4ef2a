"""The benchmark's database: the real CSET and Google Patents records, enriched, then repeated under new
numbers.

Base (built on every run, or kept in the work folder with ``reuse``): the Google Patents exports and scraped
records are ingested and labelled for generative AI (the shipped query + classifier), then the CSET table is
ingested (no text: not labelled), then the enrichment builds families, country attribution and owner groups.

Scaled: copy ``r`` (r = 1 … k-1) of every record gets a new number, the original number followed by the two
digits of ``r`` (``CN-110543639-B`` -> ``CN-11054363903-B``), and a new family id (``<id>:r``); citations in a
copy cite the copies of the same documents, so forward citations stay inside a copy. Years, classes, owners
and labels stay those of the real record. Copy 0 is the real data unchanged.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

GP = "gp_ai_patents_cpc"
CSET = "cset_1790_ai_patents/patent_database.csv.zip"

# table -> columns holding a publication key, a family id, a publication number
_KEYED = {
    "publications": ("pub_key", "family_id", "number"),
    "family_members": ("pub_key", "family_id", None),
    "families": (None, "family_id", None),
    "family_countries": (None, "family_id", None),
    "family_owners": (None, "family_id", None),
    "classes": ("pub_key", None, None),
    "citations": ("pub_key", None, "number"),
    "genai_labels": ("pub_key", None, None),
    "genai_tags": ("pub_key", None, None),
}
_COPIED = ("owner_groups",)
SIZED = (
    "families",
    "publications",
    "family_members",
    "family_countries",
    "family_owners",
    "classes",
    "citations",
)


def build_base(  # type: ignore[no-untyped-def]
    data: Path, path: Path, extra: tuple[str, ...] = (), log=print, reuse: bool = False
) -> Path:
    """Ingest, label and enrich the real records into ``path`` (``reuse``: skipped when it exists);
    ``extra``: more folders of ``data`` ingested and labelled with the Google Patents records."""
    if reuse and path.exists():
        log(f"  reusing {path} (--reuse-base)")
        return path
    from patscape.enrich.build import enrich
    from patscape.enrich.genai.store_labels import classify
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    tmp = path.with_suffix(".building")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):  # of an interrupted build
        leftover.unlink(missing_ok=True)
    with open_store(str(tmp)) as store:
        start = time.perf_counter()
        ingest(store, [data / GP, *(data / e for e in extra)], batch_size=5000, build_index=False)
        what = "Google Patents" + (" and " + ", ".join(extra) if extra else "")
        log(f"  {what} ingested ({time.perf_counter() - start:.0f} s)")
        start = time.perf_counter()
        classify(store)
        log(f"  labelled for generative AI ({time.perf_counter() - start:.0f} s)")
        start = time.perf_counter()
        ingest(store, [data / CSET], batch_size=5000, build_index=False)
        log(f"  CSET ingested ({time.perf_counter() - start:.0f} s)")
        start = time.perf_counter()
        enrich(store)
        log(f"  enriched ({time.perf_counter() - start:.0f} s)")
    tmp.replace(path)
    return path


def _new_key(column: str) -> str:
    # insert the copy's two digits after the number: CC-NUMBER-KIND -> CC-NUMBERrr-KIND
    return f"CASE WHEN r = 0 THEN {column} ELSE regexp_replace({column}, '^([^-]+-[^-]+)', '\\1' || sfx) END"


def scale(base: Path, target: Path, families: int, log=print) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Write ``target`` with enough copies of ``base`` for at least ``families`` families."""
    target.unlink(missing_ok=True)
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    have = int(con.execute("SELECT count(*) FROM base.families").fetchone()[0])
    copies = -(-families // have)
    con.execute(
        "CREATE TEMP TABLE copies AS "
        f"SELECT r, lpad(CAST(r AS VARCHAR), 2, '0') AS sfx FROM range({copies}) t(r)"
    )
    for table, (key, family, number) in _KEYED.items():
        columns = [r[0] for r in con.execute(f"DESCRIBE base.{table}").fetchall()]
        select = []
        for col in columns:
            if col == key or (table == "citations" and col == "cited_key"):
                select.append(f"{_new_key(col)} AS {col}")
            elif col == family or (
                table == "family_members" and col in ("simple_family_id", "extended_family_id")
            ):
                select.append(f"CASE WHEN r = 0 THEN {col} ELSE {col} || ':' || r END AS {col}")
            elif col == number:
                select.append(f"CASE WHEN r = 0 OR {col} IS NULL THEN {col} ELSE {col} || sfx END AS {col}")
            else:
                select.append(col)
        con.execute(f"CREATE TABLE {table} AS SELECT {', '.join(select)} FROM base.{table}, copies")
    for table in _COPIED:
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM base.{table}")
    counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in (*_KEYED, *_COPIED)}
    con.execute("DETACH base")
    con.close()
    log(f"  {copies} copies of {have:,} families -> {counts['families']:,} families")
    return {"copies": copies, "base_families": have, **counts}
