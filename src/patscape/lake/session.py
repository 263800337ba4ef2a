"""The Spark session of the lake's jobs: ``local[2]`` by default, a cluster's master when given one.

Under ``spark-submit`` the master (and everything else) comes from spark-submit; ``--master`` overrides it.
The settings here are the ones the jobs rely on: UTC, Arrow batches small enough for full-text records,
zstd Parquet, and no console progress bars over ours.
"""

from __future__ import annotations

import os
import sys
from typing import Any

DEFAULT_MASTER = "local[2]"
ARROW_BATCH = 512  # records per Arrow batch into the executors' Python (a full-text grant is ~50 KB)


def spark_session(
    master: str | None = None,
    app: str = "patscape",
    driver_memory: str | None = None,
    conf: dict[str, str] | None = None,
) -> Any:
    """A Spark session for the lake's jobs (the running one when there is one, with the same settings)."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    submitted = SparkConf().contains("spark.master")  # set by spark-submit
    builder = SparkSession.builder.appName(app)
    if master or not submitted:
        builder = builder.master(master or DEFAULT_MASTER)
    _local_python(master or DEFAULT_MASTER, submitted)
    settings = {
        **_local_defaults(master or DEFAULT_MASTER, submitted),
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.execution.arrow.maxRecordsPerBatch": str(ARROW_BATCH),
        "spark.sql.parquet.compression.codec": "zstd",
        "spark.sql.files.maxRecordsPerFile": "1000000",
        **({"spark.driver.memory": driver_memory} if driver_memory else {}),
        **(conf or {}),
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    configure(session)
    return session


def _local_defaults(master: str, submitted: bool) -> dict[str, str]:
    """On one machine: a few shuffle partitions (Spark's 200 are for clusters) and no web UI."""
    if submitted or not master.startswith("local"):
        return {}
    cores = master.removeprefix("local[").rstrip("]")
    count = (os.cpu_count() or 2) if cores == "*" else (int(cores) if cores.isdigit() else 2)
    return {"spark.sql.shuffle.partitions": str(max(4, 2 * count)), "spark.ui.enabled": "false"}


def _local_python(master: str, submitted: bool) -> None:
    """Local executors run this interpreter (the one with patscape); a cluster's come from its own setup
    (``PYSPARK_PYTHON``, or the environment spark-submit ships)."""
    if not submitted and master.startswith("local") and not os.environ.get("PYSPARK_PYTHON"):
        os.environ["PYSPARK_PYTHON"] = sys.executable


def configure(session: Any) -> None:
    """The runtime settings the jobs need, on a session made elsewhere (tests, notebooks)."""
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH))
    session.conf.set("spark.sql.parquet.compression.codec", "zstd")
