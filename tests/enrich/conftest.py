"""Enrichment fixtures: real data ingested once per session into DuckDB files, then enriched."""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.enrich.build import enrich
from patscape.store import open_store
from patscape.store.ingest import ingest
from tests.conftest import cset_copy

GP_EXPORTS = "gp_ai_patents_cpc/gp_search_exports"


def _ingested(path: Path, inputs: list[Path]) -> Path:
    with open_store(str(path)) as store:
        ingest(store, inputs, batch_size=5000, build_index=False)
        enrich(store)
    return path


@pytest.fixture(scope="session")
def cset_db(cset_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CSET AI patent table (287,532 rows), ingested and enriched (a copy of the session's template)."""
    return cset_copy(cset_template, tmp_path_factory.mktemp("cset"))


@pytest.fixture(scope="session")
def gp_db(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three Google Patents search exports (26,534 rows), ingested and enriched once."""
    return _ingested(tmp_path_factory.mktemp("gp") / "gp.duckdb", [data / GP_EXPORTS])
