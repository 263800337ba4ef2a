"""``patscape serve``: the API under uvicorn, one process on a DuckDB file, several on PostgreSQL."""

from __future__ import annotations

import os

from patscape import monitor
from patscape.store import open_store


def is_server_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def serve(
    db: str, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None, log_level: str = "info"
) -> None:
    """Create the schema and the monitor's sequences once, then start the workers.

    A DuckDB file is opened for writing by one process only, so it is served by one; PostgreSQL takes
    several worker processes (default: one per core)."""
    import uvicorn

    server = is_server_url(db)
    if not server and workers not in (None, 1):
        raise ValueError("a DuckDB file is served by one process; serve PostgreSQL for several workers")
    with open_store(db) as store:
        monitor.install(store)
    count = workers or ((os.cpu_count() or 1) if server else 1)
    os.environ["PATSCAPE_DB"] = db
    uvicorn.run(
        "patscape.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=count if count > 1 else None,
        log_level=log_level,
        server_header=False,
    )
