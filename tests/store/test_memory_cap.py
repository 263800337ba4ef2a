"""The ingest's memory cap on DuckDB never ends an ingest: the primary-key index, which DuckDB keeps in memory
and never spills, is added to the buffer pool rather than taken from it, and a batch that does not fit is
written again under a larger pool. The scenario: bench/landscape.py's base database, a store built with a
write-ahead log whose merges run in batches of 5,000 (there the CSET table was merged into the Google Patents
records; here, over the CSET table already stored, the Google Patents exports are merged)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patscape.store import open_store
from patscape.store.base import MemoryCapExceeded
from patscape.store.duckdb_store import DuckDBStore, MiB
from patscape.store.ingest import ingest

GP_EXPORTS = "gp_ai_patents_cpc/gp_search_exports"


def _copy(template: Path, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, folder / "cset.duckdb")
    return str(folder / "cset.duckdb")


def _index_bytes(store: DuckDBStore) -> int:
    return int(
        store.scalar(
            "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ART_INDEX'"
        )
    )


def test_the_limit_is_the_pool_beside_the_index(cset_template: Path, data: Path, tmp_path: Path) -> None:
    """Before every batch the limit is the buffer pool plus what the primary-key index holds in memory, which
    grows as the batch writes new keys into 287,440 stored ones."""
    seen: list[tuple[int, int]] = []  # (index bytes, memory limit) at the start of each batch
    with open_store(_copy(cset_template, tmp_path)) as store:
        assert isinstance(store, DuckDBStore)
        write_batch = store.write_batch

        def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
            limit = store.scalar("SELECT value FROM duckdb_settings() WHERE name = 'memory_limit'")
            seen.append((_index_bytes(store), _bytes(limit)))
            return write_batch(*args, **kwargs)

        store.write_batch = watched  # type: ignore[method-assign]
        ingest(store, [data / GP_EXPORTS], batch_size=5000)
    print("\nindex and limit before each batch (MiB):", [(i // MiB, m // MiB) for i, m in seen])
    assert len(seen) >= 5 and seen[-1][0] > seen[0][0] + 2 * MiB  # the index grew
    for index, limit in seen:
        assert 64 * MiB + index <= limit < 64 * MiB + index + 4 * MiB + MiB // 10


def _bytes(setting: str) -> int:
    number, unit = setting.split()
    return int(float(number) * {"KiB": 1024, "MiB": MiB, "GiB": 1024 * MiB}[unit])


def test_a_large_merge_batch_under_the_memory_cap(cset_template: Path, data: Path, tmp_path: Path) -> None:
    """Batches of 5,000 merged into 287,440 stored publications from a buffer pool of 8 MiB, without a
    write-ahead log as `patscape ingest` writes: the pool is raised until a batch fits, and the ingest ends
    with what an ingest with the log under a roomy pool stores."""
    counts = {}
    for pool in (8, 512):
        with open_store(_copy(cset_template, tmp_path / str(pool)), wal=pool == 512) as store:
            assert isinstance(store, DuckDBStore)
            store.bulk_memory = pool * MiB
            summary = ingest(store, [data / GP_EXPORTS], batch_size=5000)
            counts[pool] = (summary.total.as_dict(), store.scalar("SELECT count(*) FROM publications"))
            raised_to = store.bulk_memory
    small, roomy = counts[8], counts[512]
    assert small == roomy
    assert small[0]["replaced"] > 500 and small[0]["rejected"] == 0  # merges into stored records happened
    assert raised_to == 512 * MiB  # the roomy run was never raised


def test_the_same_ingest_under_a_fixed_cap_fails(
    cset_template: Path, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scenario above is a real test: under a fixed cap of 8 MiB (the old behaviour, with a smaller pool
    standing for a larger store) the first batch fails."""
    monkeypatch.setattr(DuckDBStore, "raise_memory_cap", lambda self: False)
    with open_store(_copy(cset_template, tmp_path)) as store:
        assert isinstance(store, DuckDBStore)
        store.bulk_memory = 8 * MiB
        with pytest.raises(MemoryCapExceeded, match=r"(pin|allocate) (block|data)"):
            ingest(store, [data / GP_EXPORTS], batch_size=5000)
        assert store.scalar("SELECT count(*) FROM publications") == 287_440  # nothing half-written
