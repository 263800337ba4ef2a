"""The search tests' corpus: real US, CN, JP and EP documents (office XML), a Google Patents export and
scraped Google Patents records, ingested once per session into DuckDB and into PostgreSQL, enriched (owner
groups) and indexed; plus the same records read straight from the files for the tests' own reading
(oracle.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from patscape.record import Publication
from tests.search import oracle

CORPUS = (
    "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102842.csv",  # titles, owners, inventors, dates
    "gp_ai_patents_cpc/scraped/patent_details_20251001-102339.csv",  # titles, abstracts, CPC
    "cn_jp_st36_st96_examples",  # CNIPA, JPO, WIPO ST.36 / ST.96: Chinese and Japanese texts, claims
    "go_uspto_testdata",  # USPTO grants and applications with claims and descriptions
)
LABEL_METHOD = "test-labels"


def read_corpus(data: Path) -> dict[str, Publication]:
    """Every record of the corpus as the readers give it, duplicates merged as the ingest merges them (the
    higher precedence, then the later version, then the later arrival wins each field it has)."""
    from patscape.sources.containers import iter_inputs
    from patscape.sources.detect import detect_input, read_input
    from patscape.store.merge import merge

    records: dict[str, tuple[Publication, int]] = {}
    for item in iter_inputs([data / p for p in CORPUS]):
        reader = detect_input(item)
        if reader is None:
            continue
        for rec in read_input(item, reader):
            if not isinstance(rec, Publication):
                continue
            before = records.get(rec.pub_key)
            if before is None:
                records[rec.pub_key] = (rec, reader.precedence)
                continue
            old, old_precedence = before
            new_wins = (reader.precedence, rec.version or "") >= (old_precedence, old.version or "")
            merged = merge(rec, old) if new_wins else merge(old, rec)
            records[rec.pub_key] = (merged, max(reader.precedence, old_precedence))
    return {k: r for k, (r, _) in records.items()}


def labels(records: dict[str, Publication]) -> tuple[list[tuple], list[tuple]]:
    """Generative-AI labels and taxonomy tags by a rule of the tests (standing in for ``patscape classify``):
    generative AI when the title or abstract says generat* (but not "power generation"), GAN when it says
    adversarial, image/video when it says image*, text when it says text or language; the application field
    life-medical-sciences when it says medical or patient."""
    when = dt.datetime(2025, 1, 1)
    rows, tags = [], []
    for key, rec in sorted(records.items()):
        ta = [w for seq in oracle.texts(rec, "ta") for w in seq]
        genai = any(w.startswith("generat") for w in ta) and not oracle.phrase(
            rec, "ta", "power", "generation"
        )
        rows.append((key, LABEL_METHOD, "1", genai, 1.0 if genai else 0.0, None, when))
        if genai and "adversarial" in ta:
            tags.append((key, "model", "GAN", LABEL_METHOD, "1", 1.0, None))
        if genai and any(w.startswith("image") for w in ta):
            tags.append((key, "mode", "image/video", LABEL_METHOD, "1", 1.0, None))
        if genai and ("text" in ta or "language" in ta):
            tags.append((key, "mode", "text", LABEL_METHOD, "1", 1.0, None))
        if "medical" in ta or "patient" in ta:
            tags.append((key, "application", "life-medical-sciences", LABEL_METHOD, "1", 1.0, None))
    return rows, tags


def build(url: str, data: Path, records: dict[str, Publication]) -> str:
    from patscape.enrich.build import enrich
    from patscape.search import build_index
    from patscape.store import open_store, schema
    from patscape.store.ingest import ingest

    with open_store(url) as store:
        ingest(store, [data / p for p in CORPUS], batch_size=2000)
        enrich(store)
        rows, tags = labels(records)
        with store.transaction():
            store.insert_rows(schema.GENAI_LABELS, rows)
            store.insert_rows(schema.GENAI_TAGS, tags)
        build_index(store)
    return url


@pytest.fixture(scope="session")
def corpus(data: Path) -> dict[str, Publication]:
    return read_corpus(data)


@pytest.fixture(scope="session")
def duck_corpus(data: Path, corpus, tmp_path_factory: pytest.TempPathFactory) -> str:  # type: ignore[no-untyped-def]
    return build(str(tmp_path_factory.mktemp("search") / "corpus.duckdb"), data, corpus)


@pytest.fixture(scope="session")
def pg_corpus(pg_server: str, data: Path, corpus) -> str:  # type: ignore[no-untyped-def]
    import psycopg

    name = "search_corpus"
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return build(f"{pg_server}/{name}", data, corpus)


@pytest.fixture(scope="session")
def owner_groups(duck_corpus: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """The owner groups ``patscape enrich`` made (read as they are: an input of the search)."""
    from patscape.store import open_store

    with open_store(duck_corpus, read_only=True) as store:
        return store.fetch("SELECT raw_name, group_id, group_name FROM owner_groups")
