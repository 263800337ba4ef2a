"""The lake on disk: one folder of Parquet files per table, the large ones partitioned by office and year.

```
lake/
  publications/office=US/year=2019/part-<run>-....parquet     texts/, parties/, classes/, priorities/,
  related/, citations/, events/, tags/  (the same partitions)
  attachments/  quarantine/  ingest_log/  (the manifest of inputs)
  families/  family_members/  family_countries/  owner_groups/  family_owners/  genai_labels/  genai_tags/
  _runs/<run>/  (a job's staged output until its commit; see commit.py)
```

Every table is plain Parquet with hive-style partition folders: DuckDB
(``read_parquet('lake/publications/**/*.parquet', hive_partitioning = true)``), Polars
(``pl.scan_parquet('lake/publications/**/*.parquet', hive_partitioning=True)``) and Spark read it as it is.
A publication without a publication date is in ``year=__HIVE_DEFAULT_PARTITION__`` (read as NULL).
"""

from __future__ import annotations

from typing import Any

from patscape.store.schema import Table

from .commit import FileSystem, Runs
from .tables import PARTITION_COLUMNS, PARTITIONED, spark_schema


class Lake:
    """A lake at ``root`` (a local path or any URL Hadoop reads, e.g. ``hdfs://``), seen from Spark."""

    def __init__(self, spark: Any, root: str) -> None:
        self.spark = spark
        self.fs = FileSystem(spark, root)
        self.root = self.fs.root
        self.runs = Runs(self.fs)

    def path(self, table: Table | str) -> str:
        return self.fs.path(table if isinstance(table, str) else table.name)

    def has(self, table: Table) -> bool:
        return bool(self.fs.files(self.path(table)))

    def read(self, table: Table) -> Any:
        """The table as a Spark DataFrame (empty, with its columns, when nothing was written yet)."""
        schema = spark_schema(table)
        if not self.has(table):
            return self.spark.createDataFrame([], schema)
        return self.spark.read.schema(schema).parquet(self.path(table))

    def read_files(self, table: Table, files: list[str]) -> Any:
        """Some files of a table (relative paths), with the partition columns of their folders."""
        return (
            self.spark.read.schema(spark_schema(table))
            .option("basePath", self.path(table))
            .parquet(*(self.fs.path(table.name, f) for f in files))
        )

    def views(self, tables: list[Table]) -> None:
        """Register tables as temporary views under their names (for the store's SQL)."""
        for table in tables:
            df = self.read(table)
            if table in PARTITIONED:
                df = df.drop(*PARTITION_COLUMNS)
            df.createOrReplaceTempView(table.name)
