"""``patscape spark report``: the report ``patscape report`` writes, computed by Spark from the lake.

The report reads more than the landscape's fact tables (the families and their members, citations, parties,
owner groups, labels, the manifest and the quarantine for its method appendix): every table of the lake is
registered under its store name, then ``report.build`` runs on Ibis's PySpark backend, unchanged.
"""

from __future__ import annotations

from pathlib import Path

from patscape.report.build import ReportResult, write_report_on
from patscape.report.options import ReportOptions
from patscape.store import schema

from .landscape import connect
from .layout import Lake
from .tables import INGEST_TABLES, names

# Everything the lake holds, and the store's meta table (absent from a lake: registered empty, as in a
# store where no evaluation was recorded).
LAKE_TABLES = (
    *INGEST_TABLES,
    *schema.ENRICH_TABLES,
    schema.GENAI_LABELS,
    schema.GENAI_TAGS,
    *schema.FACT_TABLES,
    schema.META,
)


def report(lake: Lake, out_dir: str | Path, options: ReportOptions, *, pdf: bool = True) -> ReportResult:
    """Write report.html (and report.pdf unless ``pdf`` is False) and the CSV of every table into
    ``out_dir``. Raises ``EmptySelection`` when the options select no family."""
    command = ("patscape", "spark", "report", "--lake", lake.root)
    return write_report_on(connect(lake, names(LAKE_TABLES)), out_dir, options, pdf=pdf, command=command)
