"""One entry point that (re)builds every enrichment table from what is stored.

Each step rewrites its tables in one transaction, so running it again gives the same tables. The store
records the ingest generation the enrichment covers (``store.freshness``), and the full-text index is
rebuilt here when it is older than the data.
"""

from __future__ import annotations

import time
from typing import Any

from patscape.enrich.aliases import Aliases
from patscape.enrich.attribution import build_countries
from patscape.enrich.families import build_families
from patscape.enrich.owners import FUZZY_THRESHOLD, build_owners
from patscape.store.base import Store
from patscape.store.freshness import ENRICH, generation, mark_covered


def enrich(
    store: Store, aliases: Aliases | None = None, threshold: float = FUZZY_THRESHOLD
) -> dict[str, Any]:
    """Families, then country attribution, then owner groups (then the full-text index, when it is older
    than the data); returns counts and seconds per step."""
    covered = generation(store)  # read first: data ingested meanwhile leave the enrichment stale
    summary: dict[str, Any] = {}
    for name, step in (
        ("families", lambda: build_families(store)),
        ("countries", lambda: build_countries(store)),
        ("owners", lambda: build_owners(store, aliases, threshold)),
    ):
        start = time.perf_counter()
        summary[name] = step()
        summary[name]["seconds"] = round(time.perf_counter() - start, 2)
    mark_covered(store, ENRICH, covered)
    if store.search_coverage().state != "fresh":
        start = time.perf_counter()
        store.build_search_index()
        summary["search_index"] = {"seconds": round(time.perf_counter() - start, 2)}
    return summary
