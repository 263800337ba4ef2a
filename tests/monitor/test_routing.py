"""Routing on real documents: two ingested batches, the right evaluators' queues, families, idempotence.

Expected queues are computed here from the source files with plain Python (the words in the title or
abstract, the CPC codes of the CSV, the families of the CSET table), not with the code under test. The
profiles' queries are the search language's (a bare word: that word in the title, abstract or claims)."""

from __future__ import annotations

import ast
import csv
import io
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from patscape import monitor
from patscape.record import normalise_pub_key
from patscape.store import Store
from patscape.store.ingest import ingest
from tests.monitor.conftest import make_people

GOOGLE = "gp_ai_patents_cpc/scraped/patent_details_20251001-{}.csv"
BATCHES = ("102339", "102354")  # two real Google Patents files (2,000 and 1,963 rows, 28 in both)
RULES = [{"cpc": "G06N3/04", "to": ["alice"]}, {"cpc": "G06F40", "to": ["bob"]}]


def _google_rows(path: Path) -> dict[str, dict[str, object]]:
    out = {}
    for row in csv.DictReader(path.open(encoding="utf-8")):
        codes = [c.replace(" ", "") for c in ast.literal_eval(row["cpc_codes"] or "[]")]
        words = re.findall(r"[^\W_]+", f"{row['title']} {row['abstract']}".casefold())
        key = normalise_pub_key(row["publication_number"])
        out[key] = {"generative": "generative" in words, "cpc": codes}
    return out


def _expected_by_rules(codes: list[str]) -> set[str]:
    return {rule["to"][0] for rule in RULES if any(c.startswith(rule["cpc"]) for c in codes)}


def _queues(store: Store, ws_id: int) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in store.fetch(
        "SELECT t.pub_key, u.name FROM monitor_tasks t JOIN monitor_users u ON u.user_id = t.assignee "
        "WHERE t.ws_id = ?",
        (ws_id,),
    ):
        out[r["pub_key"]].add(r["name"])
    return out


def test_two_batches_of_real_documents(mstore: Store, data: Path) -> None:
    p = make_people(mstore)
    monitor.add_user(mstore, monitor.SYSTEM, "carol", "evaluator")
    monitor.add_member(mstore, p.manager, p.ws_id, "carol")
    monitor.save_profile(mstore, p.manager, p.ws_id, "generative", "generative", rules=RULES)
    pool = {"alice", "bob", "carol"}
    seen: set[str] = set()
    expected_docs: set[str] = set()
    for number, batch in enumerate(BATCHES, 1):
        path = data / GOOGLE.format(batch)
        rows = _google_rows(path)
        before = _queues(mstore, p.ws_id)
        ingest(mstore, [path], workers=0)
        [result] = monitor.route(mstore, p.manager)
        new_matching = {k for k, r in rows.items() if r["generative"] and k not in seen}
        expected_docs |= new_matching
        seen |= set(rows)
        docs = {
            r["pub_key"]
            for r in mstore.fetch("SELECT pub_key FROM monitor_documents WHERE ws_id = ?", (p.ws_id,))
        }
        assert docs == expected_docs, f"batch {number}"
        assert result.added == len(new_matching) and result.matched == len(new_matching)
        queues = _queues(mstore, p.ws_id)
        assert {k: v for k, v in queues.items() if k in before} == before  # earlier tasks untouched
        for key in new_matching:
            by_rules = _expected_by_rules(rows[key]["cpc"])  # type: ignore[arg-type]
            if by_rules:
                assert queues[key] == by_rules, key
            else:  # round robin: exactly one of the workspace's evaluators
                assert len(queues[key]) == 1 and queues[key] <= pool, key
        assert result.tasks == sum(len(queues[k]) for k in new_matching)
        assert any(_expected_by_rules(rows[k]["cpc"]) for k in new_matching)  # type: ignore[arg-type]
    load = defaultdict(int)
    for names in _queues(mstore, p.ws_id).values():
        for name in names:
            load[name] += 1
    assert set(load) == pool
    events = mstore.scalar("SELECT count(*) FROM monitor_events")
    [again] = monitor.route(mstore, p.manager)
    assert (again.matched, again.added, again.tasks) == (0, 0, 0)
    assert mstore.scalar("SELECT count(*) FROM monitor_events") == events
    assert mstore.scalar("SELECT count(*) FROM monitor_route_runs WHERE ws_id = ?", (p.ws_id,)) == 3


# -- families: the CSET table states the DOCDB simple family of each publication ----------------------------
CSET = "cset_1790_ai_patents/patent_database.csv.zip"
OFFICES = ("US", "CN", "JP", "KR", "WO", "EP")


@pytest.fixture(scope="module")
def cset_batches(data: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """Two CSV files in the CSET layout, of real rows: 60 families of two or three members whose first
    member comes in batch 1 and the rest in batch 2, and 20 single-member families in each batch."""
    with zipfile.ZipFile(data / CSET) as z, z.open("patent_database.csv") as f:
        reader = csv.reader(io.TextIOWrapper(f, encoding="utf-8"))
        header = next(reader)
        families: dict[str, list[list[str]]] = defaultdict(list)
        for row in reader:
            if row[0] in OFFICES:
                families[row[2]].append(row)
    multi = sorted(f for f, m in families.items() if len(m) in (2, 3) and len({r[1] for r in m}) == len(m))[
        :60
    ]
    single = sorted(f for f, m in families.items() if len(m) == 1)[:40]
    first, second = [], []
    for fam in multi:
        members = sorted(families[fam], key=lambda r: (r[0], r[1]))
        first.append(members[0])
        second += members[1:]
    first += [families[f][0] for f in single[:20]]
    second += [families[f][0] for f in single[20:]]
    folder = tmp_path_factory.mktemp("cset-batches")
    paths = []
    for name, rows in (("batch1.csv", first), ("batch2.csv", second)):
        with (folder / name).open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
        paths.append(folder / name)
    family_of = {normalise_pub_key(f"{r[0]}{r[1]}{r[3]}"): r[2] for r in first + second}
    return paths[0], paths[1], family_of


def test_families_inherit_and_are_not_routed_twice(
    mstore: Store, cset_batches: tuple[Path, Path, dict[str, str]]
) -> None:
    batch1, batch2, family_of = cset_batches
    p = make_people(mstore)
    query = " OR ".join(f"cc={cc}" for cc in OFFICES)
    monitor.save_profile(mstore, p.manager, p.ws_id, "all offices", query)
    ingest(mstore, [batch1], workers=0)
    monitor.route(mstore, p.manager)
    first = _queues(mstore, p.ws_id)
    assert len(first) == 80 and all(len(v) == 1 for v in first.values())
    # the evaluators rate the first member of 30 of the 60 families
    multi_first = sorted(k for k in first if sum(f == family_of[k] for f in family_of.values()) > 1)
    assert len(multi_first) == 60
    rated = {}
    for key in multi_first[:30]:
        [who] = first[key]
        caller = p.alice if who == "alice" else p.bob
        monitor.rate(mstore, caller, p.ws_id, key, 2 if len(rated) % 2 else 1)
        rated[family_of[key]] = (key, 2 if len(rated) % 2 else 1)
    ingest(mstore, [batch2], workers=0)
    [result] = monitor.route(mstore, p.manager)
    new_keys = {k for k in family_of if k not in first}
    docs = {
        r["pub_key"]: r for r in mstore.fetch("SELECT * FROM monitor_documents WHERE ws_id = ?", (p.ws_id,))
    }
    assert set(docs) == set(first) | new_keys
    second = _queues(mstore, p.ws_id)
    new_tasks = {k for k in second if k not in first}
    singles = {k for k in new_keys if sum(f == family_of[k] for f in family_of.values()) == 1}
    assert new_tasks == singles and len(singles) == 20  # family members are not routed again
    for key in new_keys - singles:
        fam = family_of[key]
        if fam in rated:
            source, level = rated[fam]
            assert (docs[key]["rating"], docs[key]["inherited_from"]) == (level, source), key
        else:
            assert docs[key]["rating"] is None, key
    assert result.inherited == sum(1 for k in new_keys - singles if family_of[k] in rated)
    # rating an unrated family now passes the rating to its member that arrived in batch 2
    key = multi_first[45]
    [who] = first[key]
    monitor.rate(mstore, p.alice if who == "alice" else p.bob, p.ws_id, key, 3, comment="our product")
    siblings = [k for k in new_keys if family_of[k] == family_of[key]]
    assert siblings
    for sibling in siblings:
        doc = monitor.document(mstore, p.viewer, p.ws_id, sibling)
        assert (doc.rating.level, doc.rating.inherited_from) == (3, key)  # type: ignore[union-attr]
    events = mstore.scalar("SELECT count(*) FROM monitor_events")
    [again] = monitor.route(mstore, p.manager)
    assert (again.added, again.tasks, again.inherited) == (0, 0, 0)
    assert mstore.scalar("SELECT count(*) FROM monitor_events") == events
