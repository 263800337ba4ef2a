"""One entry point that (re)builds every enrichment table from what is stored.

Each step rewrites its tables in one transaction, so running it again gives the same tables.
"""

from __future__ import annotations

import time
from typing import Any

from patscape.enrich.aliases import Aliases
from patscape.enrich.attribution import build_countries
from patscape.enrich.families import build_families
from patscape.enrich.owners import FUZZY_THRESHOLD, build_owners
from patscape.store.base import Store


def enrich(
    store: Store, aliases: Aliases | None = None, threshold: float = FUZZY_THRESHOLD
) -> dict[str, Any]:
    """Families, then country attribution, then owner groups; returns counts and seconds per step."""
    summary: dict[str, Any] = {}
    for name, step in (
        ("families", lambda: build_families(store)),
        ("countries", lambda: build_countries(store)),
        ("owners", lambda: build_owners(store, aliases, threshold)),
    ):
        start = time.perf_counter()
        summary[name] = step()
        summary[name]["seconds"] = round(time.perf_counter() - start, 2)
    return summary
