"""The dashboard benchmark's stores: the real records repeated under new numbers, not enriched, and a batch
of 1 % more publications.

Base: ``landscape_data.build_base`` (the Google Patents, PatentsView and Lens records labelled for
generative AI, and the CSET table). Scaled: copy ``r`` of every publication and of its rows in the tables the
enrichment reads gets new numbers: the original number followed by the two digits of ``r``
(``CN-110543639-B`` -> ``CN-11054363903-B``), and so do its application, priority and continuity numbers
(so that copies form families of their own) and its stated family id (``<id>:r``); citations in a copy cite
the copies of the same documents. Years, classes, owners, texts, tags and labels stay those of the real
record. Copy 0 is the real data unchanged.

Batch: a sample of the base's publications, 1 % of the scaled store, under the copy number 99; every other
one keeps the application, priorities and family id of an existing copy, so that it joins a family of the
store (a new member, new citations), the others form new families; one in 5 of those joining a family also
claims a priority of another family, which merges the two.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

BATCH_COPY = 99
MERGE_EVERY = 5  # one new member of an existing family in this many bridges two families
# table -> (column of the publication key, column of the stated family id, columns of numbers to renumber)
KEYED = {
    "publications": ("pub_key", "family_id", ("app_number",)),  # its own number goes with its key
    "priorities": ("pub_key", None, ("number",)),
    "related": ("pub_key", None, ("number",)),
    "citations": ("pub_key", None, ("number",)),
    "parties": ("pub_key", None, ()),
    "classes": ("pub_key", None, ()),
    "texts": ("pub_key", None, ()),
    "tags": ("pub_key", None, ()),
    "genai_labels": ("pub_key", None, ()),
    "genai_tags": ("pub_key", None, ()),
}


def _new_key(column: str, sfx: str) -> str:
    # insert the copy's two digits after the number: CC-NUMBER-KIND -> CC-NUMBERrr-KIND
    return f"regexp_replace({column}, '^([^-]+-[^-]+)', '\\1' || {sfx})"


def _suffix(r: str) -> str:
    return f"CASE WHEN {r} = 0 THEN '' ELSE lpad(CAST({r} AS VARCHAR), 2, '0') END"


def _select(con: duckdb.DuckDBPyConnection, table: str, pub_sfx: str, link_r: str, t: str = "") -> str:
    """The columns of ``table`` (read as ``<t>column``) for one copy: keys under ``pub_sfx``, links (family,
    numbers) under the copy ``link_r``; copy 0 unchanged."""
    key, family, numbers = KEYED[table]
    link_sfx = _suffix(link_r)
    columns = [r[0] for r in con.execute(f"DESCRIBE base.{table}").fetchall()]
    out = []
    for col in columns:
        ref = f"{t}{col}"
        if col == key or (table == "citations" and col == "cited_key"):
            sfx = pub_sfx if col == key else link_sfx
            out.append(f"CASE WHEN {sfx} = '' THEN {ref} ELSE {_new_key(ref, sfx)} END AS {col}")
        elif table == "publications" and col == "number":
            out.append(f"CASE WHEN {pub_sfx} = '' THEN {ref} ELSE {ref} || {pub_sfx} END AS {col}")
        elif col == family:
            renamed = f"{ref} || ':' || {link_r}"
            out.append(f"CASE WHEN {link_r} = 0 OR {ref} IS NULL THEN {ref} ELSE {renamed} END AS {col}")
        elif col in numbers:
            out.append(
                f"CASE WHEN {link_r} = 0 OR {ref} IS NULL THEN {ref} ELSE {ref} || {link_sfx} END AS {col}"
            )
        else:
            out.append(f"{ref} AS {col}")
    return ", ".join(out)


def scale(base: Path, target: Path, families: int, log=print) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Write ``target`` (the store's schema, not enriched) with enough copies of ``base`` for at least
    ``families`` families."""
    from patscape.store import open_store

    target.unlink(missing_ok=True)
    with open_store(str(target)):
        pass  # the schema
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    have = int(con.execute("SELECT count(*) FROM base.families").fetchone()[0])
    copies = -(-families // have)
    con.execute(f"CREATE TEMP TABLE copies AS SELECT r, {_suffix('r')} AS sfx FROM range({copies}) t(r)")
    start = time.perf_counter()
    for table in KEYED:
        select = _select(con, table, "sfx", "r")
        con.execute(f"INSERT INTO {table} BY NAME SELECT {select} FROM base.{table}, copies")
    for table in ("ingest_log", "quarantine"):
        con.execute(f"INSERT INTO {table} SELECT * FROM base.{table}")
    counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in KEYED}
    con.execute("DETACH base")
    con.close()
    log(f"  {copies} copies of {have:,} families' publications ({time.perf_counter() - start:.0f} s)")
    return {"copies": copies, "base_families": have, **counts}


def labelled_subset(base: Path, target: Path, log=print) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Write ``target`` (the store's schema, not enriched) with the publications of ``base`` that carry a
    generative-AI label (Google Patents, PatentsView, Lens: the CSET table is ingested after the labelling),
    so that a later ``classify`` labels only what a batch adds."""
    from patscape.store import open_store

    target.unlink(missing_ok=True)
    with open_store(str(target)):
        pass  # the schema
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    start = time.perf_counter()
    for table, (key, _, _) in KEYED.items():
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM base.{table} "
            f"WHERE {key} IN (SELECT pub_key FROM base.genai_labels)"
        )
    counts = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in KEYED}
    con.execute("DETACH base")
    con.close()
    log(f"  {counts['publications']:,} labelled publications of {base} ({time.perf_counter() - start:.0f} s)")
    return counts


def add_batch(  # type: ignore[no-untyped-def]
    base: Path, target: Path, share: float = 0.01, seed: int = 16, labels: bool = True, log=print
) -> dict[str, int]:
    """Insert into ``target`` (a scaled store) ``share`` of its publications more: a sample of the base's,
    under copy number 99; every other one linked to an existing copy (a new member of its family).
    ``labels=False`` leaves their generative-AI labels and tags out (for ``classify`` to write)."""
    con = duckdb.connect(str(target))
    con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
    stored = int(con.execute("SELECT count(*) FROM publications").fetchone()[0])
    copies = round(stored / int(con.execute("SELECT count(*) FROM base.publications").fetchone()[0]))
    wanted = int(stored * share)
    con.execute(
        "CREATE TEMP TABLE sample AS SELECT pub_key, row_number() OVER (ORDER BY pub_key) AS i FROM ("
        f"SELECT pub_key FROM base.publications USING SAMPLE reservoir({wanted} ROWS) REPEATABLE ({seed}))"
    )
    # every other publication links to copy (i mod copies): a new member of an existing family
    link = f"CASE WHEN i % 2 = 0 THEN i % {copies} ELSE {BATCH_COPY} END"
    con.execute(
        f"CREATE TEMP TABLE plan AS SELECT pub_key, i, '{BATCH_COPY}' AS pub_sfx, {link} AS link_r "
        "FROM sample"
    )
    for table in KEYED:
        if not labels and table in ("genai_labels", "genai_tags"):
            continue
        select = _select(con, table, "plan.pub_sfx", "plan.link_r", "t.")
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT {select} FROM base.{table} t JOIN plan USING (pub_key)"
        )
    # one in MERGE_EVERY of the new members of existing families also claims a priority of another family
    # (of the same copy): a continuation that merges the two
    new_key = _new_key("a.pub_key", f"'{BATCH_COPY}'")
    claimed = (
        "SELECT country, number, date, row_number() OVER (ORDER BY pub_key, seq) AS k, count(*) OVER () AS n "
        "FROM base.priorities WHERE country IS NOT NULL AND number IS NOT NULL"
    )
    number = f"CASE WHEN a.link_r = 0 THEN c.number ELSE c.number || {_suffix('a.link_r')} END"
    bridges = con.execute(
        "INSERT INTO priorities (pub_key, seq, country, number, date) "
        f"SELECT {new_key}, 1000, c.country, {number}, c.date FROM plan a JOIN ({claimed}) c "
        f"ON c.k = (a.i * 7919) % c.n + 1 WHERE a.i % {2 * MERGE_EVERY} = 0"
    ).fetchone()[0]
    added = int(con.execute("SELECT count(*) FROM publications").fetchone()[0]) - stored
    con.execute("DETACH base")
    con.close()
    log(
        f"  {added:,} publications added ({added / stored:.1%}), every other one to an existing family, "
        f"{bridges} claiming the priority of another family too"
    )
    return {"added": added, "stored_before": stored, "bridging": int(bridges)}
