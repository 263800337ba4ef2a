"""Landscape fixtures: the hand-made mini store, the CSET store, and the same data on PostgreSQL and Spark."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ibis
import pytest

from patscape.landscape import Landscape, connect_url, copy_duckdb_to_postgres
from patscape.store.duckdb_store import connect
from tests.conftest import cset_copy
from tests.landscape.mini import build_mini


@pytest.fixture(scope="session")
def mini_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_mini(tmp_path_factory.mktemp("mini") / "mini.duckdb")


@pytest.fixture(scope="session")
def mini_con(mini_path: Path):  # type: ignore[no-untyped-def]
    # opened as the commands open it: DuckDB refuses a second connection to a file, in one process, with
    # another configuration (the CLI tests run in this process)
    backend = connect_url(str(mini_path))
    yield backend
    backend.con.close()


@pytest.fixture
def mini(mini_con) -> Callable[..., Landscape]:  # type: ignore[no-untyped-def]
    """``mini(year=..., country_by=..., ...)``: a Landscape over the mini store."""
    return lambda **options: Landscape(mini_con, **options)


@pytest.fixture(scope="session")
def cset_path(cset_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CSET table ingested and enriched (a copy of the session's template)."""
    return cset_copy(cset_template, tmp_path_factory.mktemp("cset"))


@pytest.fixture(scope="session")
def cset_con(cset_path: Path):  # type: ignore[no-untyped-def]
    backend = connect_url(str(cset_path))  # as the commands open it (see mini_con)
    yield backend
    backend.con.close()


def _pg_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


@pytest.fixture(scope="session")
def mini_pg_url(pg_server: str, mini_path: Path) -> str:
    """The mini store copied into a PostgreSQL database."""
    from patscape.landscape.backends import LANDSCAPE_TABLES

    url = _pg_database(pg_server, "landscape_mini")
    with connect(str(mini_path), read_only=True) as con:
        # with the tables that say the enrichment ran, for the commands' freshness check
        copy_duckdb_to_postgres(con, url, [*LANDSCAPE_TABLES, "families", "patscape_meta"])
    return url


@pytest.fixture(scope="session")
def mini_pg(mini_pg_url: str):  # type: ignore[no-untyped-def]
    backend = ibis.postgres.connect(**_kwargs(mini_pg_url))
    yield backend
    backend.disconnect()


@pytest.fixture(scope="session")
def cset_pg(pg_server: str, cset_path: Path):  # type: ignore[no-untyped-def]
    url = _pg_database(pg_server, "landscape_cset")
    with connect(str(cset_path), read_only=True) as con:
        copy_duckdb_to_postgres(con, url, ["family_facts", "family_fact_countries"])
    backend = ibis.postgres.connect(**_kwargs(url))
    yield backend
    backend.disconnect()


def _kwargs(url: str) -> dict:
    from patscape.landscape.backends import postgres_kwargs

    return postgres_kwargs(url)


def spark_copy(session, duckdb_path: Path, folder: Path, tables: list[str] | None = None):  # type: ignore[no-untyped-def]
    from patscape.landscape import spark_from_duckdb

    with connect(str(duckdb_path), read_only=True) as con:
        return spark_from_duckdb(con, session, tables, folder=folder)


def records(df) -> list[dict]:  # type: ignore[no-untyped-def]
    """A frame as plain records (NaN/NA -> None), for exact comparison across backends."""
    import pandas as pd

    out = []
    for row in df.to_dict("records"):
        out.append({k: (None if _missing(v, pd) else _plain(v)) for k, v in row.items()})
    return out


def _missing(value, pd) -> bool:  # type: ignore[no-untyped-def]
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value):  # type: ignore[no-untyped-def]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
