"""The landscape: counts, shares, growth, owners, taxonomy and quality of patent families, as Ibis
expressions.

Written once, run on DuckDB (the embedded store), PostgreSQL and Spark with identical results::

    from patscape.landscape import Landscape, LandscapeFilter, connect_store, countries
    ctx = Landscape(connect_store(store), year="priority", country_by="member")
    countries.by_country_year(ctx).to_pandas()
"""

from patscape.landscape.backends import connect_store, connect_url, copy_duckdb_to_postgres, spark_from_duckdb
from patscape.landscape.completeness import Completeness
from patscape.landscape.context import COUNTRY_BASES, YEAR_BASES, Landscape, MissingTable
from patscape.landscape.filters import LandscapeFilter
from patscape.landscape.report import BY, SECTIONS, LandscapeTables, build, landscape

__all__ = [
    "BY",
    "COUNTRY_BASES",
    "SECTIONS",
    "YEAR_BASES",
    "Completeness",
    "Landscape",
    "LandscapeFilter",
    "LandscapeTables",
    "MissingTable",
    "build",
    "connect_store",
    "connect_url",
    "copy_duckdb_to_postgres",
    "landscape",
    "spark_from_duckdb",
]
