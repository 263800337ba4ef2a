"""CSET / 1790 Analytics AI patent database (``patent_database.csv``, 2020).

One row per publication: country, number, kind (``Publication_type``), DOCDB simple family id,
``Patent_Type``, ``Priority_Year`` and ~45 true/false AI category flags. No text, parties or dates.

- ``family_id``: the DOCDB simple family id as given.
- Every true category flag becomes a tag ``cset:<column name>`` (``cset:Machine_Learning``). The
  ``num_*`` counts and ``has_*`` summaries are derived from the flags and are not kept.
- ``Priority_Year`` becomes ``Priority(country=None, number=None, date="YYYY-01-01",
  kind="year-only")``: the earliest priority year can then be computed with the other sources'
  priorities (``min(date)``, then its year), and ``kind`` says that month and day are unknown.

The CSV was saved through a spreadsheet: 4,023 long numbers (DE, BR, IT) were written in scientific
notation (``1.02E+11``) and their digits are lost. Such a row still states a fact a family-level landscape
needs (a BR A2 publication exists in family 56843156, priority 2015), so it is kept under the explicit key
``BR-FAM56843156-A2`` ("the BR A2 publication of family 56843156") and tagged ``cset:number-lost``;
dropping it would remove 580 families from every share computed on this table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from patscape.normalise import normalise_pub_key
from patscape.record import Priority, Publication, SourceRef
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
            family = row.get("family")
            if not family:
                raise ValueError(f"publication number {number!r} is lost (scientific notation) and no family")
            return f"{country.strip().upper()}-FAM{family.strip()}" + (
                f"-{row.get('kind')}" if row.get("kind") else ""
            )
        # country and number together: "JP" + "WO2019123456" is a Japanese re-publication, not a WO
        return normalise_pub_key(f"{country}{number}", kind=row.get("kind"))

    def parse_row(self, row: Row, ref: SourceRef) -> Publication:
        pub = Publication.from_key(self.key_of(row) or "", ref)
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
        if _SCIENTIFIC_RE.match(row.get("number") or ""):
            pub.tags.append("cset:number-lost")
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
