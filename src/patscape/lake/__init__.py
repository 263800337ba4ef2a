"""The Spark path: a partitioned Parquet lake, and jobs that run the embedded readers, enrichment and
classifier on Spark executors (``patscape spark ...``)."""

from __future__ import annotations

from .layout import Lake
from .session import spark_session


def open_lake(root: str, master: str | None = None, driver_memory: str | None = None) -> Lake:
    """The lake at ``root`` on a Spark session (``spark_session``) that logs errors only."""
    session = spark_session(master, app="patscape", driver_memory=driver_memory)
    session.sparkContext.setLogLevel("ERROR")
    return Lake(session, root)


__all__ = ["Lake", "open_lake", "spark_session"]
