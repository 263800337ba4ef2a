"""Owner groups on Spark over the parties of one real input alone: the USPTO test documents, where no
owner's name is in the alias file. pandas 3 read the missing aliases as NaN, and a bucket of names without
any alias came back as a column of floats that pyspark's Arrow conversion refused (``patscape spark enrich``
of that input stopped with ``TypeError: Expected Array, got ChunkedArray``)."""

from __future__ import annotations

from pathlib import Path

from patscape.store import schema
from tests.lake.conftest import compared_columns, store_table

INPUT = "go_uspto_testdata"


def test_owner_groups_of_names_without_aliases(spark, data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from patscape.enrich.build import enrich
    from patscape.lake.owners import owner_groups
    from patscape.lake.session import configure
    from patscape.lake.tables import spark_schema
    from patscape.store import open_store
    from patscape.store.ingest import ingest

    db = tmp_path / "embedded.duckdb"
    with open_store(str(db)) as store:
        ingest(store, [data / INPUT])
        enrich(store)
    columns = compared_columns(schema.OWNER_GROUPS)
    expected = store_table(db, schema.OWNER_GROUPS.name, columns)
    assert expected and all(alias is None for alias in (r[columns.index("alias_id")] for r in expected))

    session = spark.newSession()  # its own views: the other tests' lake keeps its ``parties``
    configure(session)
    session.conf.set("spark.sql.shuffle.partitions", "2")
    parties = store_table(db, schema.PARTIES.name, schema.PARTIES.column_names)
    rows = session.createDataFrame(parties, spark_schema(schema.PARTIES, partitioned=False))
    rows.createOrReplaceTempView("parties")
    groups = owner_groups(session, str(tmp_path / "work")).select(*columns).collect()
    assert sorted((tuple(r) for r in groups), key=repr) == expected
