"""The landscape report: key findings written from the data, charts (Altair, rendered offline by vl-convert),
``report.html`` (one self-contained interactive file), ``report.pdf`` (WeasyPrint) and every table as CSV.

    from patscape.report import write_report
    result = write_report(store, "out/", genai=True)
"""

from patscape.report.build import ReportResult, write_report
from patscape.report.options import ReportOptions

__all__ = ["ReportOptions", "ReportResult", "write_report"]
