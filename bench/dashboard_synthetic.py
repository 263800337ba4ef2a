"""Synthetic fact tables for the dashboard benchmark's panels (``bench/dashboard.py --synthetic``): a store
whose family fact table and child tables are generated here, in DuckDB, with no enrichment run.

What is generated, per family ``i`` (deterministic: every draw is a hash of ``i`` and a salt):

- priority years 2000-2023, more families in later years; publication one or two years later;
- member offices (1-3), inventor countries (1-2), one applicant country and the first-filing office, drawn
  from 12 offices with China's share growing with the year; fractional weights 1/n;
- 1-2 owner groups among 20,000, a few of them large (a power law);
- generative AI for about 1 family in 8, with a model, a mode and an application tag; a CSET-like source
  tag (``cset:Machine_Learning`` ...) on every family;
- quality figures and cohort scores drawn at random (the panels average them: their values do not matter
  for speed);
- one publication per family, its title and an abstract drawn from a small vocabulary, and the search index
  over them (``patscape.search.index.build_index``, as ``patscape index``), which the text query reads.

It measures the panels over a million families when the real-record stores (``dashboard_data.py``) cannot be
built in the time at hand; the figures say which data they came from.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

OFFICES = ("CN", "US", "JP", "KR", "EP", "DE", "WO", "GB", "FR", "IN", "TW", "CA")
MODELS = ("LLM", "GAN", "VAE", "diffusion", "transformer")
MODES = ("text", "image", "audio", "video", "molecule")
APPLICATIONS = ("telecommunications", "healthcare", "transport", "security", "education", "banking")
SOURCE = ("cset:Machine_Learning", "cset:Computer_Vision", "cset:Natural_Language_Processing")
WORDS = (
    "neural network",
    "image",
    "generation",
    "language model",
    "training data",
    "signal",
    "vehicle",
    "sensor",
    "encoder",
    "adversarial",
)
OWNERS = 20_000


def _pick(values: tuple[str, ...], draw: str) -> str:
    return f"[{', '.join(repr(v) for v in values)}][1 + ({draw}) % {len(values)}]"


def _h(salt: str) -> str:
    """A draw in [0, 2^31) from the family number ``i`` and a salt."""
    return f"CAST(hash(i, '{salt}') % 2147483648 AS BIGINT)"


def _u(salt: str) -> str:
    return f"({_h(salt)} / 2147483648.0)"


def _country(salt: str) -> str:
    """An office, China likelier in later years (``y``: the priority year)."""
    return (
        f"CASE WHEN {_u(salt + 'cn')} < 0.1 + (y - 2000) * 0.02 THEN 'CN' "
        f"ELSE {_pick(OFFICES[1:], _h(salt))} END"
    )


def add_sources(con: duckdb.DuckDBPyConnection) -> None:
    """``family_fact_sources`` (a row per family and source of its members: ``reader: folder``, as
    ``enrich.facts.source_rows`` makes it) from the generated publications and members, the years from the
    fact rows (the generator writes no ``families``); also for a store generated before the table existed."""
    from patscape.store.schema import FAMILY_FACT_SOURCES

    con.execute(f"DROP TABLE IF EXISTS {FAMILY_FACT_SOURCES.name}")
    for stmt in FAMILY_FACT_SOURCES.ddl():
        con.execute(stmt)
    folder = r"regexp_extract(p.source_file, '([^/\\]+)[/\\][^/\\]+$', 1)"
    con.execute(
        f"""INSERT INTO {FAMILY_FACT_SOURCES.name} BY NAME
        SELECT DISTINCT f.family_key, coalesce(p.reader, 'unknown') || ': ' || coalesce({folder}, '')
               AS source, f.priority_year, f.publication_year
        FROM family_members m JOIN publications p ON p.pub_key = m.pub_key
        JOIN family_facts f ON f.family_id = m.family_id
        ORDER BY source"""
    )


def build(target: Path, families: int, log=print) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from patscape.search.index import build_index
    from patscape.store import open_store

    target.unlink(missing_ok=True)
    with open_store(str(target)):
        pass  # the schema
    start = time.perf_counter()
    con = duckdb.connect(str(target))
    con.execute(
        f"""CREATE TEMP TABLE f AS
        SELECT i, hash('family', i) >> 1 AS family_key, 'SYN-' || i AS family_id,
               2000 + least(23, floor(24 * sqrt({_u("year")})))::INTEGER AS y,
               1 + {_h("members")} % 3 AS n_member, 1 + {_h("inventors")} % 2 AS n_inventor,
               1 + {_h("owners")} % 2 AS n_owner, {_u("genai")} < 0.125 AS genai
        FROM range({families}) t(i)"""
    )
    index6 = {b: f"{_u(b + 'index')} * 100" for b in ("priority", "publication")}
    scores = ", ".join(
        f"{index6[b]} AS {b}_index6, {_u(b + 'index4')} * 100 AS {b}_index4, "
        f"{_pick(('G06N', 'G06F', 'H04L'), _h('field'))} AS {b}_cohort_field, "
        f"{_u(b + 'brk')} < 0.01 AS {b}_breakthrough"
        for b in ("priority", "publication")
    )
    con.execute(
        f"""INSERT INTO family_facts BY NAME
        SELECT family_key, family_id, 'extended' AS family_type,
               make_date(y, 1 + {_h("m")} % 12, 1 + {_h("d")} % 28) AS earliest_priority, y AS priority_year,
               make_date(y + 1 + {_h("lag")} % 2, 1 + {_h("m")} % 12, 1 + {_h("d")} % 28)
                   AS earliest_publication,
               y + 1 + {_h("lag")} % 2 AS publication_year,
               make_date(y + 2 + {_h("lag")} % 2, 1 + {_h("m")} % 12, 1 + {_h("d")} % 28)
                   AS latest_publication,
               {_country("office")} AS first_filing_office, {_u("granted")} < 0.5 AS granted,
               n_member + {_h("extra")} % 2 AS member_count, n_member AS office_count,
               n_inventor AS inventor_countries, 1 AS applicant_countries, 1 AS office_countries,
               n_member AS member_countries, n_owner AS owner_count, genai,
               CASE WHEN genai THEN 0.5 + {_u("score")} / 2 ELSE {_u("score")} / 2 END AS genai_score,
               {_pick(("G06N", "G06F", "H04L"), _h("field"))} AS field, 1 + {_h("claims")} % 30 AS claims,
               1 + {_h("scope")} % 5 AS scope, {_h("backward")} % 40 AS backward, {_h("npl")} % 10 AS npl,
               {_h("fwd")} % 20 AS forward5, {_h("fwd")} % 35 AS forward_all,
               300 + {_h("lagd")} % 1500 AS grant_lag_days, {_u("orig")} AS originality,
               {_u("gen")} AS generality, {scores}
        FROM f ORDER BY y, family_key"""
    )
    quality = (
        "ff.granted, ff.forward5, ff.office_count AS family_size, ff.priority_index6, ff.publication_index6"
    )
    years = "ff.priority_year, ff.publication_year"
    per_k = "' || k || '"  # a salt that differs with the draw k
    # countries on each basis: n draws (duplicates merged), weight 1/(distinct countries)
    con.execute(
        f"""CREATE TEMP TABLE placed AS
        SELECT DISTINCT family_key, basis, country FROM (
            SELECT family_key, 'member' AS basis, {_country("member" + per_k)} AS country
            FROM f, range(3) r(k) WHERE k < n_member
            UNION ALL SELECT family_key, 'inventor', {_country("inventor" + per_k)}
            FROM f, range(2) r(k) WHERE k < n_inventor
            UNION ALL SELECT family_key, 'applicant', {_country("inventor0")} FROM f
            UNION ALL SELECT family_key, 'office', {_country("office")} FROM f)"""
    )
    con.execute(
        f"""INSERT INTO family_fact_countries BY NAME
        SELECT p.family_key, p.basis, p.country,
               1.0 / count(*) OVER (PARTITION BY p.family_key, p.basis) AS weight, {years}, {quality}
        FROM placed p JOIN family_facts ff USING (family_key) ORDER BY p.basis, p.country"""
    )
    # the counts of countries on each basis as placed (duplicate draws merged)
    con.execute(
        """UPDATE family_facts AS ff SET member_countries = c.member, inventor_countries = c.inventor
        FROM (SELECT family_key, count(*) FILTER (basis = 'member') AS member,
                     count(*) FILTER (basis = 'inventor') AS inventor FROM placed GROUP BY 1) c
        WHERE ff.family_key = c.family_key"""
    )
    owner = f"'g' || floor({OWNERS} * pow({_u('owner' + per_k)}, 3))::INTEGER"
    con.execute(
        f"""CREATE TEMP TABLE owned AS
        SELECT DISTINCT family_key, {owner} AS group_id FROM f, range(2) r(k) WHERE k < n_owner"""
    )
    con.execute(
        f"""INSERT INTO family_fact_owners BY NAME
        SELECT o.family_key, o.group_id, 1.0 / count(*) OVER (PARTITION BY o.family_key) AS weight,
               {years}, {quality}
        FROM owned o JOIN family_facts ff USING (family_key) ORDER BY o.group_id"""
    )
    con.execute(
        """UPDATE family_facts AS ff SET owner_count = c.n
        FROM (SELECT family_key, count(*) AS n FROM owned GROUP BY 1) c WHERE ff.family_key = c.family_key"""
    )
    con.execute(
        """INSERT INTO owner_facts
        SELECT group_id, 'Owner ' || group_id, """
        + _pick(OFFICES, "CAST(hash(group_id) % 2147483648 AS BIGINT)")
        + """, count(DISTINCT family_key) FROM owned GROUP BY group_id"""
    )
    tags = [
        ("genai", "'yes'", "genai"),
        ("model", _pick(MODELS, _h("model")), "genai"),
        ("mode", _pick(MODES, _h("mode")), "genai"),
        ("application", _pick(APPLICATIONS, _h("app")), "genai"),
    ]
    genai_tags = " UNION ALL ".join(
        f"SELECT i, family_key, y, '{d}' AS dimension, {v} AS tag, 'q1/c1/t0.5' AS method FROM f WHERE genai"
        for d, v, _ in tags
    )
    con.execute(
        f"""INSERT INTO family_fact_tags BY NAME
        SELECT t.family_key, t.dimension, t.tag, t.method, {years} FROM (
            {genai_tags}
            UNION ALL SELECT i, family_key, y, 'source', {_pick(SOURCE, _h("src"))}, 'source' FROM f) t
        JOIN family_facts ff USING (family_key) ORDER BY t.dimension, t.tag"""
    )
    pub_key = "'SY-' || i || '-A'"
    con.execute(
        f"""INSERT INTO publications BY NAME
        SELECT {pub_key} AS pub_key, 'SY' AS country, CAST(i AS VARCHAR) AS number, 'A' AS kind,
               'x' AS content_hash, family_id,
               {_pick(WORDS, _h("t1"))} || ' and ' || {_pick(WORDS, _h("t2"))} AS title
        FROM f"""
    )
    con.execute(f"INSERT INTO family_members BY NAME SELECT family_id, {pub_key} AS pub_key FROM f")
    con.execute(
        f"""INSERT INTO texts BY NAME
        SELECT p.pub_key, 1 AS seq, 'title' AS kind, p.title AS text FROM publications p
        UNION ALL
        SELECT {pub_key}, 2, 'abstract',
               'a method using ' || {_pick(WORDS, _h("a1"))} || ' with ' || {_pick(WORDS, _h("a2"))}
        FROM f"""
    )
    add_sources(con)
    counts = {
        t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # type: ignore[index]
        for t in (
            "family_facts",
            "family_fact_countries",
            "family_fact_owners",
            "family_fact_tags",
            "family_fact_sources",
        )
    }
    con.execute("CHECKPOINT")
    con.close()
    log(f"  synthetic fact tables: {counts} ({time.perf_counter() - start:.0f} s)")
    start = time.perf_counter()
    with open_store(str(target)) as store:  # the search index the text query reads, as `patscape index`
        built = build_index(store)
    log(f"  search index: {built['postings']:,} postings ({time.perf_counter() - start:.0f} s)")
    return {**counts, "postings": built["postings"]}
