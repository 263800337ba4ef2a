"""Making a ``Landscape`` reads the catalog and the data's reference date; building every section's
expression afterwards (and compiling it to SQL) runs no query: the connection is taken away while they are
built, and any use of it fails the test."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from patscape.landscape import Landscape, LandscapeFilter
from patscape.landscape.sections import SECTIONS, build
from patscape.store.duckdb_store import connect


class _NoConnection:
    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the connection was used ({name}) while expressions were built")


FILTERS = [
    LandscapeFilter(),
    LandscapeFilter(year_from=2016, year_to=2019),
    LandscapeFilter(
        genai=True, countries=("CN",), owner="ibm", tags=("model:GAN",), query="image", year_from=2015
    ),
]


@pytest.mark.parametrize("flt", FILTERS, ids=["none", "years", "everything"])
def test_building_every_section_runs_no_query(mini_path: Path, flt: LandscapeFilter) -> None:
    raw = connect(str(mini_path), read_only=True)  # as the commands open it (see conftest.mini_con)
    con = ibis.duckdb.from_connection(raw)
    try:
        ctx = Landscape(con, year="priority", country_by="member", filter=flt)
        con.con = _NoConnection()
        try:
            tables = build(ctx, SECTIONS)
            sql = {name: ibis.to_sql(expr, dialect="duckdb") for name, expr in tables.expressions.items()}
        finally:
            con.con = raw
        assert not tables.skipped
        assert set(sql) == set(SECTIONS)
        frames = tables.execute()  # and they do run, on the connection given back
        assert set(frames) == set(SECTIONS)
        if flt.is_empty():
            assert len(frames["countries"]) > 0
    finally:
        raw.close()
