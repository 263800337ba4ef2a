"""Google Patents: the CSV export of a search, and the common scraped "details" table.

The export (``gp-search-*.csv``): ``id,title,assignee,inventor/author,priority date,
filing/creation date,publication date,grant date,result link,representative figure link``, with
a ``search URL:`` line above the header in older downloads. Dates are ``M/D/YYYY`` in current
downloads and ISO in 2018 ones. ``assignee`` is the applicant as first filed (Google's "original
assignee") and is read as the applicant; names are comma-separated (see export_fields.split_names).
Google gives no country for parties, so it stays None. ``priority date`` (the earliest priority,
or the filing date when nothing is claimed) becomes a Priority with only a date.

The scraped table (``publication_number,title,abstract,cpc_codes``) is what scrapers of the
patent pages commonly save: ``cpc_codes`` is a Python-literal list of full CPC symbols, read
without eval. Google does not mark the main symbol: the first listed gets ``first``.
"""

from __future__ import annotations

from typing import ClassVar

from patscape.normalise import normalise_date, normalise_pub_key
from patscape.record import Priority, Publication, SourceRef, Text
from patscape.sources.export_fields import (
    add_classes,
    add_parties,
    literal_list,
    split_names,
)
from patscape.sources.tabular import Columns, Row, RowReader


class GooglePatentsReader(RowReader):
    name = "google-patents-csv"
    version = "1"
    description = "Google Patents search export (CSV, 2018 and current layouts)"
    example = "gp-search-20251001-102423.csv"
    precedence = 20
    columns: ClassVar[Columns] = Columns(
        {
            "id": ("id", "publication number"),
            "title": ("title",),
            "assignee": ("assignee", "original assignee", "current assignee"),
            "inventors": ("inventor/author", "inventor", "inventors"),
            "priority": ("priority date",),
            "filing": ("filing/creation date", "filing date"),
            "published": ("publication date",),
            "granted": ("grant date",),
        },
        required=("id", "title", "assignee", "inventors", "published"),
    )

    def key_of(self, row: Row) -> str | None:
        value = row.get("id")
        return normalise_pub_key(value) if value else None

    def parse_row(self, row: Row, ref: SourceRef) -> Publication:
        key = self.key_of(row)
        if key is None:
            raise ValueError("no publication number in the id column")
        pub = Publication.from_key(key, ref)
        title = row.get("title")
        if title:
            pub.texts.append(Text("title", title))
        add_parties(pub, "applicant", split_names(row.get("assignee")))
        add_parties(pub, "inventor", split_names(row.get("inventors")))
        pub.published = normalise_date(row.get("published"))  # M/D/YYYY now, ISO in the 2018 layout
        pub.granted = normalise_date(row.get("granted"))
        if pub.granted:
            pub.doc_type = "grant"
        pub.application.date = normalise_date(row.get("filing"))
        priority = normalise_date(row.get("priority"))
        if priority:
            pub.priorities.append(Priority(country=None, number=None, date=priority))
        return pub


class GooglePatentsScrapedReader(RowReader):
    name = "google-patents-scraped"
    version = "1"
    description = "Google Patents pages scraped to CSV (publication_number, title, abstract, cpc_codes)"
    example = "patent_details_20251001-102339.csv"
    precedence = 20
    columns: ClassVar[Columns] = Columns(
        {
            "number": ("publication_number", "publication number"),
            "title": ("title",),
            "abstract": ("abstract",),
            "cpc": ("cpc_codes", "cpc codes", "cpc"),
        },
        required=("number", "title", "abstract", "cpc"),
    )

    def key_of(self, row: Row) -> str | None:
        value = row.get("number")
        return normalise_pub_key(value) if value else None

    def parse_row(self, row: Row, ref: SourceRef) -> Publication:
        key = self.key_of(row)
        if key is None:
            raise ValueError("no publication number")
        pub = Publication.from_key(key, ref)
        for kind in ("title", "abstract"):
            value = row.get(kind)
            if value:
                pub.texts.append(Text(kind, value))  # type: ignore[arg-type]
        add_classes(pub, "CPC", literal_list(row.get("cpc")))
        return pub
