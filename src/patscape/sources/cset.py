"""CSET / 1790 Analytics AI patent database (``patent_database.csv``, 2020).

One row per publication: country, number, kind (``Publication_type``), DOCDB simple family id,
``Patent_Type``, ``Priority_Year`` and ~45 true/false AI category flags. No text, parties or dates.

- ``family_id``: the DOCDB simple family id as given.
- Every true category flag becomes a tag ``cset:<column name>`` (``cset:Machine_Learning``). The
  ``num_*`` counts and ``has_*`` summaries are derived from the flags and are not kept.
- ``Priority_Year`` becomes ``Priority(country=None, number=None, date="YYYY-01-01",
  kind="year-only")``: the earliest priority year can then be computed with the other sources'
  priorities (``min(date)``, then its year), and ``kind`` says that month and day are unknown.

The CSV was saved through a spreadsheet: some long numbers (DE, BR, IT) were written in scientific
notation (``1.02E+11``) and are lost; such a row is rejected, since its number cannot be recovered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from patscape.record import Priority, Publication, SourceRef
from patscape.sources.export_fields import new_publication, pub_key
from patscape.sources.tabular import Columns, Row, RowReader, normalise_header

_TYPES = {
    "granted patent": "grant",
    "granted utility patent": "grant",
    "patent application": "application",
    "utility patent application": "application",
    "amended patent": "amended",
    "utility patent amendment": "amended",
}
_TRUE = frozenset({"true", "True", "TRUE"})
_SCIENTIFIC_RE = re.compile(r"^\d+(\.\d+)?E\+\d+$", re.IGNORECASE)
_FIXED = frozenset(
    normalise_header(h)
    for h in (
        "Publication_country",
        "Publication_number",
        "Simple_family_ID",
        "Publication_type",
        "Patent_Type",
        "Priority_Year",
        "num_application_fields",
        "num_functional_applications",
        "num_ai_techniques",
        "has_application_field",
        "has_functional_application",
        "has_ai_technique",
    )
)


class CsetReader(RowReader):
    name = "cset-ai-patents"
    version = "1"
    description = "CSET / 1790 Analytics AI patent database (family ids, priority years, AI categories)"
    example = "patent_database.csv"
    precedence = 10
    columns: ClassVar[Columns] = Columns(
        {
            "country": ("Publication_country",),
            "number": ("Publication_number",),
            "family": ("Simple_family_ID",),
            "kind": ("Publication_type",),
            "type": ("Patent_Type",),
            "year": ("Priority_Year",),
        },
        required=("country", "number", "family", "kind"),
    )

    def __init__(self) -> None:
        # (header, flag columns) of the last file read, as one value so that threads cannot mix them
        self._flags: tuple[Sequence[str], tuple[tuple[int, str], ...]] = ((), ())

    def key_of(self, row: Row) -> str | None:
        country, number = row.get("country"), row.get("number")
        if not (country and number):
            raise ValueError("no publication country or number")
        if _SCIENTIFIC_RE.match(number):
            raise ValueError(
                f"publication number {number!r} was turned into scientific notation by a spreadsheet: "
                "its digits are lost"
            )
        # country and number together: "JP" + "WO2019123456" is a Japanese re-publication, not a WO
        return pub_key(f"{country}{number}", kind=row.get("kind"))

    def parse_row(self, row: Row, ref: SourceRef) -> Publication:
        pub = new_publication(self.key_of(row) or "", ref)
        pub.family_id = row.get("family")
        kind_of_patent = row.get("type")
        pub.doc_type = _TYPES.get(kind_of_patent.lower()) if kind_of_patent else None
        year = row.get("year")
        if year:
            if not re.fullmatch(r"(18|19|20)\d\d", year):
                raise ValueError(f"not a priority year: {year!r}")
            pub.priorities.append(Priority(country=None, number=None, date=f"{year}-01-01", kind="year-only"))
        values = row.values
        pub.tags = [f"cset:{name}" for i, name in self._flag_columns(row) if values[i] in _TRUE]
        return pub

    def _flag_columns(self, row: Row) -> tuple[tuple[int, str], ...]:
        """(index, header name) of the category flags: every column that is not a fixed one.

        Taken from each file's own header (computed once per file: rows share one header tuple).
        """
        header, flags = self._flags
        if header is not row.header:
            flags = tuple(
                (i, name.strip()) for i, name in enumerate(row.header) if normalise_header(name) not in _FIXED
            )
            self._flags = (row.header, flags)
        return flags
