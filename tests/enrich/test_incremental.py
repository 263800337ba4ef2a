"""Incremental enrichment gives the tables a full rebuild gives: real data ingested in batches, enriched after
each batch, compared table by table with one store that ingests everything and enriches once; on DuckDB and
PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from patscape.enrich import changes
from patscape.enrich.build import describe, enrich
from patscape.enrich.families import compute_members
from patscape.record import Citation, Publication
from patscape.sources.containers import iter_inputs
from patscape.sources.detect import detect_input, read_input
from patscape.store import open_store, schema
from patscape.store.base import Store
from patscape.store.ingest import ingest
from patscape.store.rows import prepare
from tests.store.dump import dump

# Lens's files overlap (the same publications: unchanged), EPO OPS answers biblio, abstract, claims and
# description of EP1000000 in separate documents (the stored row is replaced as they arrive), a family
# grows, and the office files add families of their own.
BATCHES = [
    [
        "lens_covid_jsonl/Coronavirus-MERS-patents.jsonl",
        "gp_ai_patents_cpc/scraped/patent_details_20251001-102339.csv",
        "epo_ops_patent_client/family",
    ],
    [
        "lens_covid_jsonl/Coronavirus-MERS-diagnosis-patents.jsonl",
        "lens_covid_jsonl/Coronavirus-SARS-diagnosis-patents.jsonl",
        "epo_ops_patent_client/published/fixtures",
    ],
    [
        "go_epo_bdds_docdb_testdata/epo_docdb",
        "patentsview_db_fixtures/xml/ipg120327.196.xml",
        "epo_ops_patent_client/published/test",
    ],
]
FLOAT_DIGITS = 9  # sums of floats may differ in their last bits with the order of addition


def _comparable(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[str, ...]]]:
    def cell(value: str) -> str:
        try:
            number = float(value)
        except ValueError:
            return value
        return value if "." not in value and "e" not in value else repr(round(number, FLOAT_DIGITS))

    return {
        name: sorted(tuple(cell(v) for v in row) for row in rows if not _counts_ingests(name, row))
        for name, rows in tables.items()
    }


def _counts_ingests(table: str, row: tuple[Any, ...]) -> bool:
    """Meta rows that count ingests (three batches raise the generation three times, one ingest once):
    the data's generation, what each step covers, and the enrichment's record of the generation it read."""
    if table != "patscape_meta":
        return False
    key = str(row[0])
    return key in {"ingest_generation", "enrichment"} or key.startswith("covers:")


def _database(url: str, name: str) -> str:
    if not url.startswith("postgres"):
        return str(Path(url) / f"{name}.duckdb")
    import psycopg

    server = url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(params=["duckdb", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "duckdb":
        return str(tmp_path)
    return request.getfixturevalue("pg_url")


def test_batches_enriched_one_after_another_equal_one_full_rebuild(data: Path, target: str) -> None:
    steps = []
    in_batches = _database(target, "batches")
    with open_store(in_batches) as store:
        for batch in BATCHES:
            ingest(store, [data / p for p in batch], build_index=False)
            steps.append(enrich(store))
        batches = _comparable(dump(store))
    with open_store(_database(target, "whole")) as store:
        ingest(store, [data / p for p in BATCHES[0] + BATCHES[1] + BATCHES[2]], build_index=False)
        whole = enrich(store)
        rebuilt = _comparable(dump(store))
    assert [s["changes"]["mode"] for s in steps] == ["full", "incremental", "incremental"]
    second, third = steps[1]["changes"], steps[2]["changes"]
    assert second["publications_replaced"] >= 1 and second["families_updated"] > second["families_new"], (
        second
    )
    assert third["publications_new"] > 300 and third["publications_replaced"] >= 1, third
    assert whole["families"]["families"] == steps[-1]["families"]["families"] > 2500
    assert rebuilt["family_facts"] and rebuilt["family_fact_countries"] and rebuilt["family_fact_owners"]
    for name, rows in rebuilt.items():
        assert batches[name] == rows, name
    with open_store(in_batches, create=False) as store:
        again = enrich(store)  # nothing new: nothing to do
    assert again["changes"]["facts_written"] == 0


def _records(path: Path) -> list[Publication]:
    out: list[Publication] = []
    for item in iter_inputs([path]):
        reader = detect_input(item)
        if reader is not None:  # the folders hold their SOURCE.txt
            out += [r for r in read_input(item, reader) if isinstance(r, Publication)]
    return out


def _families(records: list[Publication]) -> dict[str, str]:
    pubs, priorities = [], []
    for r in records:
        app = r.application
        pubs.append(
            {
                "pub_key": r.pub_key,
                "country": r.country,
                "kind": r.kind,
                "published": r.published,
                "family_id": r.family_id,
                "app_country": app.country,
                "app_number": app.number,
                "app_date": app.date,
            }
        )
        priorities += [
            {"pub_key": r.pub_key, "country": p.country, "number": p.number, "date": p.date}
            for p in r.priorities
            if p.country and p.number
        ]
    return {m.pub_key: m.extended_family_id for m in compute_members(pubs, priorities)}


def _write(store: Store, records: list[Publication]) -> None:
    with store.transaction():
        store.write_batch([prepare(r, 0) for r in records], "test", 0)


def test_a_publication_joining_two_families_merges_them(data: Path, tmp_path: Path) -> None:
    """A real publication whose filings join two families of the others (found by taking each member of a
    family out in turn) arrives after them: the two become one, and the tables are those of a full
    rebuild."""
    records = _records(data / "lens_covid_jsonl/Coronavirus-CPC-based-patents.jsonl")
    together = _families(records)
    members: dict[str, list[Publication]] = defaultdict(list)
    for r in records:
        members[together[r.pub_key]].append(r)
    bridge = next(
        (
            candidate
            for family in members.values()
            if len(family) >= 3
            for candidate in family
            if len(set(_families([r for r in family if r is not candidate]).values())) > 1
        ),
        None,
    )
    assert bridge is not None, "the file holds a publication that joins two families"
    with open_store(str(tmp_path / "merge.duckdb")) as store:
        _write(store, [r for r in records if r is not bridge])
        enrich(store)
        _write(store, [bridge])
        step = enrich(store)
        merged = _comparable(dump(store))
    assert step["changes"]["families_merged"] >= 1, describe(step)
    assert step["changes"]["publications_new"] == 1
    with open_store(str(tmp_path / "whole.duckdb")) as store:
        _write(store, records)
        enrich(store)
        whole = _comparable(dump(store))
    for name, rows in whole.items():
        assert merged[name] == rows, name


def test_labels_written_after_the_enrichment_rewrite_their_families_and_move_no_cohort(
    data: Path, target: str
) -> None:
    """``classify`` after ``enrich`` rewrites what the labels give the fact rows of the labelled publications'
    families, which keep their quality scores (labels are not what cohorts are scored on): the tables a full
    refresh writes."""
    import datetime as dt

    from patscape.enrich.facts import refresh, refresh_publications
    from patscape.store import schema

    with open_store(_database(target, "labels")) as store:
        ingest(store, [data / p for p in BATCHES[0]], build_index=False)
        enrich(store)
        keys = store.fetch_column("SELECT pub_key FROM publications ORDER BY pub_key")[::7]
        now = dt.datetime(2026, 12, 5)
        rows = [(k, "query+classifier", "test", i % 2 == 0, 0.5, "{}", now) for i, k in enumerate(keys)]
        store.insert_rows(schema.GENAI_LABELS, rows)
        labelled = set(
            store.fetch_column(
                "SELECT DISTINCT fm.family_id FROM family_members fm JOIN genai_labels g USING (pub_key) "
                "WHERE g.is_genai"
            )
        )
        refreshed = refresh_publications(store, keys)
        after = _comparable(dump(store))
        flagged = set(store.fetch_column("SELECT family_id FROM family_facts WHERE genai"))
        refresh(store)
        full = _comparable(dump(store))
    assert refreshed is not None and 0 < refreshed.families < len(after["family_facts"]) // 2
    assert refreshed.rescored == {"priority": 0, "publication": 0}
    assert flagged == labelled and labelled
    for name in ("family_facts", "family_fact_countries", "family_fact_owners", "family_fact_tags"):
        assert after[name] == full[name], name


def _copies(record: Publication, n: int, first: int) -> list[Publication]:
    """``n`` copies of a record under new numbers (the same application and priorities: its family)."""
    out = []
    for i in range(first, first + n):
        number = f"{record.number}9{i:03d}"
        key = f"{record.country}-{number}" + (f"-{record.kind}" if record.kind else "")
        out.append(replace(record, pub_key=key, number=number))
    return out


def _owners(record: Publication) -> set[str]:
    """The names ``OWNER_PARTIES_SQL`` counts: the assignees, else the applicants."""
    for role in ("assignee", "applicant"):
        names = {p.name for p in record.parties if p.role == role and p.name}
        if names:
            return names
    return set()


def _owner_counts(store: Store) -> dict[str, int]:
    from patscape.enrich.attribution import OWNER_PARTIES_SQL

    rows = store.fetch(f"SELECT name, count(*) AS n FROM ({OWNER_PARTIES_SQL}) op GROUP BY name")
    return {r["name"]: int(r["n"]) for r in rows}


def test_a_batch_of_known_owner_names_regroups_only_a_group_whose_name_changes(
    data: Path, target: str
) -> None:
    """Owner names are grouped again only where the grouping may differ: every name when names are new, the
    names of a group whose most frequent name (its display name and id) changes when none is; either way
    the tables are a full rebuild's."""
    records = [*_records(data / BATCHES[0][0]), *_records(data / BATCHES[1][1])]  # Lens: owner names
    with open_store(_database(target, "owners")) as store:
        _write(store, records)
        enrich(store)
        # a copy of a publication owned under its groups' names only (more records: the same names)
        named = set(store.fetch_column("SELECT raw_name FROM owner_groups WHERE raw_name = group_name"))
        _write(store, _copies(next(r for r in records if _owners(r) and _owners(r) <= named), 1, 0))
        kept = enrich(store)
        # a group of two or more raw names, and a publication owned under its second name and not its first
        counts = _owner_counts(store)
        groups: dict[str, list[str]] = defaultdict(list)
        for r in store.fetch("SELECT raw_name, group_id FROM owner_groups WHERE group_id LIKE 'n:%'"):
            groups[r["group_id"]].append(r["raw_name"])
        ranked = [sorted(g, key=lambda n: (-counts[n], len(n), n)) for g in groups.values() if len(g) > 1]
        first, second, carrier = min(
            (
                (g[0], g[1], r)
                for g in ranked
                for r in records
                if g[1] in _owners(r) and g[0] not in {p.name for p in r.parties}
            ),
            key=lambda x: counts[x[0]] - counts[x[1]],
        )
        _write(store, _copies(carrier, counts[first] - counts[second] + 1, 100))
        moved = enrich(store)
        renamed = store.fetch_column(
            "SELECT DISTINCT group_name FROM owner_groups WHERE raw_name = ?", [first]
        )
        incremental = _comparable(dump(store))
        enrich(store, full=True)
        full = _comparable(dump(store))
    assert kept["changes"]["mode"] == moved["changes"]["mode"] == "incremental"
    assert kept["owners"]["regrouped"] == 0  # every group as stored
    # only new publications, under known names: the rows of those names' groups alone are computed again
    assert 0 < kept["owners"]["names_counted"] < kept["owners"]["raw_names"]
    assert 0 < moved["owners"]["names_counted"] < moved["owners"]["raw_names"]
    assert 2 <= moved["owners"]["regrouped"] < moved["owners"]["raw_names"]  # that group's names only
    assert renamed == [second]
    for name, rows in full.items():
        if name != "patscape_meta":
            assert incremental[name] == rows, name


def _duckdb_indexes(store: Store) -> set[str]:
    names = {t.name for t in (*schema.ENRICH_TABLES, *schema.FACT_TABLES, schema.FAMILY_LINKS)}
    return {
        r["index_name"]
        for r in store.fetch("SELECT table_name, index_name FROM duckdb_indexes()")
        if r["table_name"] in names
    }


def test_a_duckdb_store_keeps_no_secondary_index_on_the_enrichment_tables(data: Path, tmp_path: Path) -> None:
    """DuckDB keeps no secondary index (its joins do not use them; a commit re-serialises each whole): a full
    enrichment creates none, and an incremental one drops those an earlier version created."""
    records = _records(data / "lens_covid_jsonl/Coronavirus-MERS-patents.jsonl")
    half = len(records) // 2
    with open_store(str(tmp_path / "store.duckdb")) as store:
        _write(store, records[:half])
        enrich(store)
        assert _duckdb_indexes(store) == set()
        earlier = [stmt for t in schema.ENRICH_TABLES for stmt in t.ddl(secondary_indexes=True)[1:]]
        for stmt in earlier:  # as `enrich` wrote them before
            store.execute(stmt)
        assert len(_duckdb_indexes(store)) == len(earlier) == 8
        _write(store, records[half:])
        step = enrich(store)
        assert step["changes"]["publications_new"] == len(records) - half
        assert _duckdb_indexes(store) == set()


def test_detect_tells_new_replaced_and_removed_publications(data: Path, db_url: str) -> None:
    """Change detection finds the new and replaced publications in one anti-join, and looks for removed ones
    when the counts say there are some."""
    with open_store(db_url) as store:
        ingest(store, [data / BATCHES[0][0]], build_index=False)
        enrich(store)
        assert not changes.detect(store)
        keys = store.fetch_column("SELECT pub_key FROM publications ORDER BY pub_key")
        ingest(store, [data / BATCHES[2][1]], build_index=False)  # other publications
        new = sorted(set(store.fetch_column("SELECT pub_key FROM publications")) - set(keys))
        found = changes.detect(store)
        assert new and (found.new, found.replaced, found.removed) == (new, [], [])
        store.execute("UPDATE publications SET content_hash = 'changed' WHERE pub_key = ?", [keys[0]])
        store.execute("DELETE FROM publications WHERE pub_key = ?", [keys[1]])
        found = changes.detect(store)
    assert (found.new, found.replaced, found.removed) == (new, [keys[0]], [keys[1]])


def _cites(record: Publication, *cited: Publication, npl: str | None = None) -> Publication:
    refs = [Citation(i + 1, country=c.country, number=c.number, kind=c.kind) for i, c in enumerate(cited)]
    if npl:
        refs.append(Citation(len(refs) + 1, npl=npl))
    return replace(record, citations=refs)


def test_citations_to_and_from_a_new_publication_rewrite_the_families_on_both_ends(
    data: Path, target: str
) -> None:
    """A new publication that cites a stored one, and that a stored one cited before it was stored, changes
    the citing and cited families' indicators as a full rebuild does (the refresh reads copies of only the
    rows they need: this checks that those copies miss none)."""
    records = [r for r in _records(data / "lens_covid_jsonl/Coronavirus-MERS-patents.jsonl") if r.classes]
    family = _families(records)
    alone: dict[str, Publication] = {}
    for r in records:  # one publication of each of four families
        alone.setdefault(family[r.pub_key], r)
    cited, citing_later, new, other = list(alone.values())[:4]
    first = [
        _cites(cited, other),
        _cites(citing_later, new, npl="A survey"),  # cites a number not stored yet
        other,
        *(r for r in records if family[r.pub_key] not in {family[x.pub_key] for x in alone.values()}),
    ]
    batch = _cites(new, cited, npl="Another survey")
    keys = {r.pub_key: r for r in (cited, citing_later, new)}
    with open_store(_database(target, "cites_batches")) as store:
        _write(store, first)
        enrich(store)
        _write(store, [batch])
        step = enrich(store)
        incremental = _comparable(dump(store))
        facts = {
            r["pub_key"]: r
            for r in store.fetch(
                "SELECT m.pub_key, f.backward, f.forward_all, f.npl, f.generality, f.originality "
                "FROM family_facts f JOIN family_members m ON m.family_id = f.family_id"
            )
            if r["pub_key"] in keys
        }
    assert step["changes"]["mode"] == "incremental" and step["changes"]["publications_new"] == 1
    assert facts[new.pub_key]["backward"] >= 1 and facts[new.pub_key]["forward_all"] >= 1
    assert facts[new.pub_key]["npl"] >= 1 and facts[cited.pub_key]["forward_all"] >= 1
    with open_store(_database(target, "cites_whole")) as store:
        _write(store, [*first, batch])
        enrich(store)
        whole = _comparable(dump(store))
    for name, rows in whole.items():
        assert incremental[name] == rows, name
