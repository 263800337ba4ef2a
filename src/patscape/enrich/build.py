"""One entry point that brings every enrichment table up to date with what is stored: families, country
attribution, owner groups and the family fact table.

The first run (or ``full=True``) builds them all. A later run redoes only what the publications stored since
touch (``changes.py``): their extended families, the countries and owners of those families, the owner
groups whose names or counts moved, the fact rows of those families and of the families whose citations
they change, and the quality scores of the cohorts those families are in. The tables are then the ones a
full rebuild writes (tests/enrich/test_incremental.py). The run is one transaction.
The store records the ingest generation the enrichment covers (``store.freshness``), and the BM25
full-text index of ``Store.search`` is rebuilt here when it is older than the data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from patscape.cycles import without_cycle_collection
from patscape.enrich import changes, facts
from patscape.enrich.aliases import Aliases
from patscape.enrich.attribution import build_countries
from patscape.enrich.families import links_of, rebuild_families
from patscape.enrich.owners import FUZZY_THRESHOLD, build_owners
from patscape.enrich.rewrite import drop_secondary_indexes
from patscape.store import schema
from patscape.store.base import Store
from patscape.store.freshness import ENRICH, generation, mark_covered

STATE_META = "enrichment"  # patscape_meta: the ingest state the enrichment covers (JSON)
INGEST_GENERATION_META = "ingest_generation"  # written by the ingest, when it counts its runs


def enrich(
    store: Store,
    aliases: Aliases | None = None,
    threshold: float = FUZZY_THRESHOLD,
    *,
    full: bool = False,
    step: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Bring the enrichment up to date (incrementally when an earlier run exists, unless ``full``); returns
    per step its counts and seconds, and under ``changes`` what the run found and did.

    Python's cycle collector is paused meanwhile (``patscape.cycles``): the steps read rows into many small
    objects that form no cycle (the family step's publications and members), and the collector's walks of
    everything alive cost more than the step's own Python in an incremental run."""
    with without_cycle_collection():
        return _enrich(store, aliases, threshold, full, step)


def _enrich(
    store: Store,
    aliases: Aliases | None,
    threshold: float,
    full: bool,
    step: Callable[[str], None] | None,
) -> dict[str, Any]:
    covered = generation(store)  # read first: data ingested meanwhile leave the enrichment stale
    found = changes.detect(store) if not full and changes.enriched_before(store) else None
    incremental = found is not None and not found.removed
    summary: dict[str, Any] = {}
    clock = time.perf_counter()

    def done(name: str, counts: dict[str, Any]) -> None:
        nonlocal clock
        now = time.perf_counter()
        summary[name] = {**counts, "seconds": round(now - clock, 2)}
        clock = now

    def starting(name: str) -> None:
        if step:
            step(name)

    if found is not None and incremental and not found:
        mark_covered(store, ENRICH, covered)
        return _nothing_to_do(store)
    with store.transaction():
        drop_secondary_indexes(store, schema.ENRICH_TABLES)
        if found is not None and incremental:
            scope = _incremental(store, found, aliases, threshold, done, starting)
        else:
            scope = None
            _full(store, aliases, threshold, done, starting)
        changes.record(store, scope, found)
        if scope is not None:
            scope.close(store)
        state = {
            "publications": int(store.scalar("SELECT count(*) FROM enriched_publications") or 0),
            INGEST_GENERATION_META: store.meta(INGEST_GENERATION_META),
        }
        store.set_meta(STATE_META, json.dumps(state))
        mark_covered(store, ENRICH, covered)
    if store.search_coverage().state != "fresh":
        start = time.perf_counter()
        store.build_search_index()
        summary["search_index"] = {"seconds": round(time.perf_counter() - start, 2)}
    fam = summary["families"]
    summary["changes"] = {
        "mode": "incremental" if incremental else "full",
        "publications_new": len(found.new) if found is not None and incremental else fam["publications"],
        "publications_replaced": len(found.replaced) if found is not None and incremental else 0,
        "families_updated": fam.get("updated", fam["families"]),
        "families_new": fam.get("new", fam["families"]),
        "families_merged": fam.get("merged", 0),
        "facts_written": summary["facts"]["families"],
    }
    return summary


def describe(summary: dict[str, Any]) -> str:
    """``12,408 publications new, 9,877 families updated, 3 merged`` (and the fact rows written)."""
    c = summary["changes"]
    parts = [f"{c['publications_new']:,} publications new"]
    if c["publications_replaced"]:
        parts.append(f"{c['publications_replaced']:,} replaced")
    parts.append(f"{c['families_updated']:,} families updated ({c['families_new']:,} new)")
    parts.append(f"{c['families_merged']:,} merged")
    parts.append(f"{c['facts_written']:,} fact rows written")
    return ("full rebuild: " if c["mode"] == "full" else "") + ", ".join(parts)


def _full(
    store: Store,
    aliases: Aliases | None,
    threshold: float,
    done: Callable[[str, dict[str, Any]], None],
    starting: Callable[[str], None],
) -> None:
    starting("families")
    fam = rebuild_families(store)
    done("families", _family_counts(store, fam.publications))
    starting("countries")
    done("countries", build_countries(store))
    starting("owners")
    done("owners", build_owners(store, aliases, threshold))
    starting("facts")
    done("facts", facts.refresh(store).as_dict())


def _incremental(
    store: Store,
    found: changes.Changes,
    aliases: Aliases | None,
    threshold: float,
    done: Callable[[str, dict[str, Any]], None],
    starting: Callable[[str], None],
) -> changes.Scope:
    starting("families")
    scope = changes.open_scope(store, found, links_of)
    fam = rebuild_families(store, scope)
    done(
        "families",
        {
            **_family_counts(store, fam.publications),
            "updated": fam.families,
            "new": fam.created,
            "merged": fam.merged,
        },
    )
    starting("countries")
    done("countries", build_countries(store, scope.families, scope.members))
    starting("owners")
    # with only new publications, only their owners' names have more records
    new = scope.changed if not found.replaced else None
    owners = build_owners(store, aliases, threshold, families=scope.families, new=new, members=scope.members)
    done("owners", owners)
    starting("facts")
    scope.add_families(store, changes.citation_neighbours(store, scope))
    done("facts", facts.refresh(store, scope.family_ids(store)).as_dict())
    return scope


def _nothing_to_do(store: Store) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "families": {**_family_counts(store, 0), "updated": 0, "new": 0, "merged": 0, "seconds": 0.0},
        "countries": {"seconds": 0.0},
        "owners": {"seconds": 0.0},
        "facts": {**facts.Refreshed().as_dict(), "seconds": 0.0},
    }
    summary["changes"] = {
        "mode": "incremental",
        "publications_new": 0,
        "publications_replaced": 0,
        "families_updated": 0,
        "families_new": 0,
        "families_merged": 0,
        "facts_written": 0,
    }
    return summary


def _family_counts(store: Store, publications: int) -> dict[str, int]:
    return {
        "publications": publications,
        "families": int(store.scalar("SELECT count(*) FROM families") or 0),
        "docdb": int(store.scalar("SELECT count(*) FROM families WHERE family_type = 'docdb'") or 0),
        "computed": int(store.scalar("SELECT count(*) FROM families WHERE family_type <> 'docdb'") or 0),
    }
