"""PatentsView API results saved as CSV (``patent_abstract,patent_date,patent_number,patent_title``).

The API's ``patents`` endpoint returns US grants: ``patent_number`` is the bare number (``5535303``,
``RE37488``, ``D654321``, ``H001234``, ``PP12345``) and ``patent_date`` the grant date. The kind is
not given; it is set where the USPTO's kind codes leave no doubt: before 2001-01-02 a utility patent
is ``A``, a reissue ``E``, a design ``S``, a SIR ``H`` and a plant patent ``P``; from then on a design
is ``S1``, a reissue ``E1`` and a SIR ``H1``, while a utility patent (B1 or B2) and a plant patent
(P2 or P3) stay without kind.

Cells that contained quotes were quoted a second time by the script that saved the results
(``"" A ""Barometer"" Neuron ..""``): that second level is undone.
"""

from __future__ import annotations

import re
from typing import ClassVar

from patscape.normalise import normalise_date, normalise_pub_key, to_int
from patscape.record import Publication, SourceRef, Text
from patscape.sources.tabular import Columns, Row, RowReader

_SERIES_RE = re.compile(r"^(RE|PP|RX|AI|D|H|T|X)?0*(\d+)$")
_DOC_TYPES = {"RE": "reissue", "PP": "plant", "D": "design", "H": "sir", "T": "defensive-publication"}
_KINDS_BEFORE_2001 = {None: "A", "RE": "E", "D": "S", "H": "H", "PP": "P"}
_KINDS_SINCE_2001 = {"RE": "E1", "D": "S1", "H": "H1"}
_ST16_START = "2001-01-02"  # first Tuesday on which the USPTO published WIPO ST.16 kind codes


def unquote_twice(value: str | None) -> str | None:
    """``"A ""quoted"" word"`` -> ``A "quoted" word`` when a cell was CSV-quoted a second time."""
    if value and len(value) >= 2 and value[0] == value[-1] == '"':
        inner = value[1:-1]
        if '"' not in inner.replace('""', ""):
            value = inner.replace('""', '"').strip()
    return value or None


def us_grant_kind(series: str | None, granted: str | None) -> str | None:
    """The kind code of a US grant from its series prefix and grant date, where it is certain."""
    if not granted:
        return None
    if granted < _ST16_START:
        return _KINDS_BEFORE_2001.get(series)
    return _KINDS_SINCE_2001.get(series)


class PatentsViewApiReader(RowReader):
    name = "patentsview-api-csv"
    version = "1"
    description = "PatentsView API patents saved as CSV (patent_number, patent_date, patent_title, ...)"
    example = "neural_network_patent_query.csv"
    precedence = 30
    columns: ClassVar[Columns] = Columns(
        {
            "number": ("patent_number", "patent_id"),
            "date": ("patent_date",),
            "title": ("patent_title",),
            "abstract": ("patent_abstract",),
            "kind": ("patent_kind",),
            "claims": ("patent_num_claims",),
        },
        required=("number", "date", "title"),
    )

    @staticmethod
    def series_of(row: Row) -> tuple[str | None, str]:
        """(series prefix or None, digits) of the patent number."""
        number = row.get("number")
        if not number:
            raise ValueError("no patent number")
        m = _SERIES_RE.match(number.upper())
        if not m:
            raise ValueError(f"not a US patent number: {number!r}")
        return m.group(1), m.group(2)

    def key_of(self, row: Row) -> str | None:
        series, digits = self.series_of(row)
        kind = row.get("kind") or us_grant_kind(series, normalise_date(row.get("date")))
        return normalise_pub_key(f"US{series or ''}{digits}", kind=kind)

    def parse_row(self, row: Row, ref: SourceRef) -> Publication:
        pub = Publication.from_key(self.key_of(row) or "", ref)
        pub.granted = pub.published = normalise_date(row.get("date"))
        pub.doc_type = _DOC_TYPES.get(self.series_of(row)[0] or "", "grant")
        for kind, field in (("title", "title"), ("abstract", "abstract")):
            value = unquote_twice(row.get(field))
            if value:
                pub.texts.append(Text(kind, value))  # type: ignore[arg-type]
        pub.claim_count = to_int(row.get("claims"), strict=True)
        return pub
