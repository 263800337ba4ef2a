"""The same expressions give identical tables on DuckDB, PostgreSQL and Spark (local[2]).

Tables are compared as printed (floats rounded to 6 decimals, the only place anything is rounded for people):
counts and ratios of counts are exact IEEE divisions everywhere; sums of fractional weights are rounded in the
query itself (``WEIGHT_DIGITS``) so that the order of addition cannot show.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.landscape import Landscape, LandscapeFilter, build, countries
from patscape.landscape.sections import rounded
from tests.landscape.conftest import records, spark_copy

OPTIONS = [
    {"year": "priority", "country_by": "member"},
    {"year": "publication", "country_by": "applicant", "fractional": True},
]


def landscape(con, **options) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    tables = build(Landscape(con, **options), top=5, window=(2014, 2016))
    assert not tables.skipped
    return {name: records(df) for name, df in tables.execute().items()}


@pytest.fixture(scope="module")
def mini_spark(spark_session, mini_path: Path, tmp_path_factory):  # type: ignore[no-untyped-def]
    return spark_copy(spark_session.newSession(), mini_path, tmp_path_factory.mktemp("spark-mini"))


@pytest.mark.postgres
@pytest.mark.parametrize("options", OPTIONS, ids=["priority-member-full", "publication-applicant-fractional"])
def test_mini_duckdb_postgres(mini_con, mini_pg, options) -> None:  # type: ignore[no-untyped-def]
    duck = landscape(mini_con, **options)
    assert duck["countries"] and duck["quality"] and duck["model_mode"]
    assert landscape(mini_pg, **options) == duck


def test_mini_duckdb_spark(mini_con, mini_spark) -> None:  # type: ignore[no-untyped-def]
    # the fractional variant: weights, rounding and every section (Spark is slow to start: one run only;
    # full counting on Spark is checked on the CSET table below)
    duck = landscape(mini_con, **OPTIONS[1])
    assert landscape(mini_spark, **OPTIONS[1]) == duck


@pytest.mark.postgres
def test_mini_filtered(mini_con, mini_pg) -> None:  # type: ignore[no-untyped-def]
    flt = LandscapeFilter(genai=True, query="image", year_to=2019, tags=("application:security",))
    duck = landscape(mini_con, year="priority", filter=flt)
    assert duck["countries"] and duck["quality"]
    assert landscape(mini_pg, year="priority", filter=flt) == duck


def cset_countries(con) -> list[dict]:  # type: ignore[no-untyped-def]
    ctx = Landscape(con, year="priority", country_by="member")
    return records(rounded(countries.by_country_year(ctx).to_pandas()))


@pytest.mark.postgres
def test_cset_countries_on_three_backends(cset_con, cset_pg, spark_session, cset_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    duck = cset_countries(cset_con)
    assert len(duck) > 1000
    assert cset_countries(cset_pg) == duck
    tables = ["family_facts", "family_fact_countries"]
    spark = spark_copy(spark_session.newSession(), cset_path, tmp_path, tables)
    assert cset_countries(spark) == duck


def test_a_kept_table_is_compressed(tmp_path: Path) -> None:
    """``create_kept`` on DuckDB: the rows under the name, their columns stored compressed (a temporary
    table made by ``create_temp`` is not)."""
    import duckdb
    import ibis

    from patscape.landscape.backends import create_kept, create_temp

    path = tmp_path / "store.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE t AS SELECT i, 'member' AS basis FROM range(300000) r(i)")
    con = ibis.duckdb.from_connection(duckdb.connect(str(path), read_only=True))

    def stored(name: str) -> set[str]:
        rows = con.con.execute(
            f"SELECT DISTINCT compression FROM pragma_storage_info('temp.main.{name}') "
            "WHERE column_name = 'basis'"
        ).fetchall()
        return {c for (c,) in rows}

    create_temp(con, "plain_rows", "SELECT i, basis FROM t WHERE i % 2 = 0")
    assert stored("plain_rows") == {"Uncompressed"}
    create_kept(con, "kept_rows", "SELECT i, basis FROM t WHERE i % 2 = 0")
    assert con.con.execute("SELECT count(*), sum(i), min(basis) FROM kept_rows").fetchone() == (
        150000,
        sum(range(0, 300000, 2)),
        "member",
    )
    assert stored("kept_rows") and "Uncompressed" not in stored("kept_rows")
    con.con.close()
