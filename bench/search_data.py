"""The search benchmark's database: real records with text, enriched, then repeated under new numbers.

Base (built once and kept in the work folder): the Google Patents exports and scraped records (titles,
abstracts, CPC codes, owners), the 2018 Google Patents and PatentsView exports, the Lens export, the weekly
file's grants and the USPTO, CNIPA, JPO and WIPO office documents (claims, descriptions, Chinese and Japanese
texts) are ingested with ``patscape ingest``'s library call and enriched (families, owner groups). The
ingest is timed with and without the search index update that ``patscape ingest`` runs at its end.

Scaled: copy ``r`` (r = 1 … k-1) of every publication gets a new number, the original number followed by the
two digits of ``r`` (``CN-110543639-B`` -> ``CN-11054363903-B``), with its texts, parties, classes and
priorities, and a new family id (``<id>:r``); owner groups are the real ones (the names are the same). Copy 0
is the real data unchanged. The search index of the whole is then copied from the base's (each copy's postings
under its own document ids, sorted by term as ``build_index`` writes them), or with ``build=True`` built
from the texts (``patscape index``: ~25 minutes of tokenising in Python for a million on this machine);
the BM25 index of ``Store.search`` (DuckDB's fts extension) is built. Both are timed. The copies' postings
include the party names (``pa=``, ``in=``) and the codes under their document ids, as ``build_index`` writes.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

INPUTS = (
    "gp_ai_patents_cpc",
    "koehrsen_nn_patents",
    "lens_covid_jsonl",
    "patentsview_db_fixtures/ipgxml",
    "go_uspto_testdata",
    "cn_jp_st36_st96_examples",
    "uspto_patentpublicdata_samples/xml2014",
)
# table -> (column holding a publication key, column holding a family id, column holding the number)
KEYED = {
    "publications": ("pub_key", "family_id", "number"),
    "texts": ("pub_key", None, None),
    "parties": ("pub_key", None, None),
    "classes": ("pub_key", None, None),
    "priorities": ("pub_key", None, None),
    "family_members": ("pub_key", "family_id", None),
}
COPIED = ("owner_groups",)
MEMORY_LIMIT = "4GB"


def build_base(data: Path, path: Path, log=print) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Ingest and enrich the real records into ``path`` (skipped when it exists); returns the timings."""
    import json

    facts = path.with_suffix(".json")
    if path.exists() and facts.exists():
        return json.loads(facts.read_text())
    from patscape.enrich.build import enrich
    from patscape.search import update_index
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    tmp = path.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    out: dict[str, Any] = {}
    with open_store(str(tmp), wal=False) as store:
        start = time.perf_counter()
        ingest(store, [data / i for i in INPUTS], batch_size=5000, workers=2)
        out["ingest_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        indexed = update_index(store)
        out["ingest_index_s"] = round(time.perf_counter() - start, 1)
        out["ingest_index"] = indexed
        log(f"  ingested in {out['ingest_s']} s; the search index update after it: {out['ingest_index_s']} s")
        start = time.perf_counter()
        enrich(store)
        out["enrich_s"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        out["enrich_index"] = update_index(store)
        out["enrich_index_s"] = round(time.perf_counter() - start, 1)
        out["publications"] = int(store.scalar("SELECT count(*) FROM publications"))
        out["text_bytes"] = int(store.scalar("SELECT sum(strlen(text)) FROM texts"))
        log(f"  enriched in {out['enrich_s']} s: {out['publications']:,} publications")
    tmp.rename(path)
    facts.write_text(json.dumps(out))
    return out


def _new_key(column: str) -> str:
    # insert the copy's two digits after the number: CC-NUMBER-KIND -> CC-NUMBERrr-KIND
    return f"CASE WHEN r = 0 THEN {column} ELSE regexp_replace({column}, '^([^-]+-[^-]+)', '\\1' || sfx) END"


def _copy_index(store, base: Path, copies: int) -> None:  # type: ignore[no-untyped-def]
    """The search index of the copies without tokenising their texts again: copy ``r`` of a document is the
    base's document ``doc_id + r * D`` (``D`` the base's largest id), its text and code postings the base's
    under that id; names are the base's. Written sorted by term, as ``build_index`` writes."""
    from patscape.search.index import (
        FINGERPRINT_KEY,
        FORMAT,
        FORMAT_KEY,
        NEXT_DOC_KEY,
        NEXT_NAME_KEY,
        fingerprint,
    )
    from patscape.search.textsql import CPC, IPC, NAME

    con = store.con
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    span = int(con.execute("SELECT max(doc_id) FROM base.search_docs").fetchone()[0])
    codes = f"SELECT count(*) FROM base.search_postings WHERE field IN ({CPC}, {IPC})"
    made = con.execute("SELECT value FROM base.patscape_meta WHERE key = ?", [FORMAT_KEY]).fetchone()
    # a base indexed before codes (or party names) were postings
    if not con.execute(codes).fetchone()[0] or made is None or made[0] != FORMAT:
        raise SystemExit(f"{base}: an index of an older format; delete it (and base.json) to build it anew")
    with store.transaction():
        for table in ("search_docs", "search_names", "search_postings"):
            con.execute(f"DELETE FROM {table}")
        con.execute(
            "INSERT INTO search_docs SELECT doc_id + r * ?, "
            f"{_new_key('pub_key')}, content_hash, length FROM base.search_docs, copies",
            [span],
        )
        con.execute("INSERT INTO search_names SELECT * FROM base.search_names")
        con.execute(
            "INSERT INTO search_postings SELECT term, field, doc_id + r * ?, part, pos "
            f"FROM base.search_postings, copies WHERE field <> {NAME} OR r = 0 "
            "ORDER BY term, field, doc_id + r * ?, part, pos",
            [span, span],
        )
        meta = "SELECT value FROM base.patscape_meta WHERE key = ?"
        next_name = con.execute(meta, [NEXT_NAME_KEY]).fetchone()
        for key, value in (
            (NEXT_DOC_KEY, str(copies * span + 1)),
            (NEXT_NAME_KEY, next_name[0]),
            (FINGERPRINT_KEY, fingerprint(store)),
            (FORMAT_KEY, FORMAT),
        ):
            con.execute("DELETE FROM patscape_meta WHERE key = ?", [key])
            con.execute("INSERT INTO patscape_meta VALUES (?, ?)", [key, value])
    con.execute("DETACH base")


def scale(base: Path, target: Path, publications: int, build: bool = False, log=print) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Write ``target`` with enough copies of ``base`` for ``publications``, and its indexes (``build``: the
    search index built from the texts, else copied from the base's, whose texts the copies repeat)."""
    from patscape.search import build_index
    from patscape.store import open_store

    target.unlink(missing_ok=True)
    Path(f"{target}.wal").unlink(missing_ok=True)  # left by a build that was stopped
    with open_store(str(target)) as store:  # the schema, then the copies
        con = store.con  # type: ignore[attr-defined]
        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")  # the machine is shared: spill beyond it
        con.execute("SET enable_progress_bar = false")
        con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
        have = int(con.execute("SELECT count(*) FROM base.publications").fetchone()[0])
        copies = -(-publications // have)
        con.execute(
            "CREATE TEMP TABLE copies AS "
            f"SELECT r, lpad(CAST(r AS VARCHAR), 2, '0') AS sfx FROM range({copies}) t(r)"
        )
        start = time.perf_counter()
        for table, (key, family, number) in KEYED.items():
            columns = [r[0] for r in con.execute(f"DESCRIBE base.{table}").fetchall()]
            select = []
            for col in columns:
                if col == key:
                    select.append(f"{_new_key(col)} AS {col}")
                elif col == family:
                    select.append(f"CASE WHEN r = 0 OR {col} IS NULL THEN {col} ELSE {col} || ':' || r END")
                elif col == number:
                    select.append(f"CASE WHEN r = 0 THEN {col} ELSE {col} || sfx END")
                else:
                    select.append(col)
            names = ", ".join(columns)
            con.execute(f"INSERT INTO {table} ({names}) SELECT {', '.join(select)} FROM base.{table}, copies")
        for table in COPIED:
            con.execute(f"INSERT INTO {table} SELECT * FROM base.{table}")
        con.execute("DETACH base")
        copied_s = time.perf_counter() - start
        n = int(store.scalar("SELECT count(*) FROM publications"))
        log(f"  {copies} copies of {have:,} publications -> {n:,} ({copied_s:.0f} s)")
        start = time.perf_counter()
        if build:
            build_index(store)
            log(f"  search index built in {time.perf_counter() - start:.0f} s")
        else:
            _copy_index(store, base, copies)
            log(f"  search index copied from the base's in {time.perf_counter() - start:.0f} s")
        index_s = time.perf_counter() - start
        start = time.perf_counter()
        store.build_search_index()
        bm25_s = time.perf_counter() - start
        log(f"  BM25 index built in {bm25_s:.0f} s")
        store.checkpoint()  # type: ignore[attr-defined]
        postings = int(store.scalar("SELECT count(*) FROM search_postings"))
    return {
        "copies": copies,
        "base_publications": have,
        "publications": n,
        "postings": postings,
        "index_build_s": round(index_s, 1),
        "index_built": build,
        "bm25_build_s": round(bm25_s, 1),
        "db_mb": round(target.stat().st_size / 2**20),
    }
