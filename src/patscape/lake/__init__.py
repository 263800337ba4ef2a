"""The Spark path: a partitioned Parquet lake, and jobs that run the embedded readers, enrichment and
classifier on Spark executors (``patscape spark ...``)."""

from __future__ import annotations

from .layout import Lake
from .session import spark_session

__all__ = ["Lake", "spark_session"]
