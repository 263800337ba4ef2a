"""The landscape: counts, shares, growth, owners, taxonomy and quality of patent families, as Ibis
expressions over the family fact table (``patscape enrich`` keeps it up to date).

Written once, run on DuckDB (the embedded store), PostgreSQL and Spark with identical results::

    from patscape.landscape import Landscape, LandscapeFilter, connect_store, countries
    ctx = Landscape(connect_store(store), year="priority", country_by="member")
    countries.by_country_year(ctx).to_pandas()

For a dashboard, ``Panels`` answers every panel for one filter after another, compiling each panel once::

    panels = Panels(connect_store(store), year="priority", country_by="member")
    tables = panels.compute(LandscapeFilter(genai=True, year_from=2015))  # panel name -> pyarrow.Table
"""

from patscape.landscape.backends import connect_store, connect_url, copy_duckdb_to_postgres, spark_from_duckdb
from patscape.landscape.completeness import Completeness
from patscape.landscape.context import COUNTRY_BASES, YEAR_BASES, Landscape
from patscape.landscape.filters import LandscapeFilter
from patscape.landscape.panels import PANELS, Panels
from patscape.landscape.sections import BY, SECTIONS, LandscapeTables, build, landscape
from patscape.landscape.tables import MissingTable

__all__ = [
    "BY",
    "COUNTRY_BASES",
    "PANELS",
    "SECTIONS",
    "YEAR_BASES",
    "Completeness",
    "Landscape",
    "LandscapeFilter",
    "LandscapeTables",
    "MissingTable",
    "Panels",
    "build",
    "connect_store",
    "connect_url",
    "copy_duckdb_to_postgres",
    "landscape",
    "spark_from_duckdb",
]
