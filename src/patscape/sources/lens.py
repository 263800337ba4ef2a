"""Lens.org exports: JSON lines (one record per line) and CSV (2015 and 2016-2017 layouts).

Family: these Lens exports state the simple and extended family *sizes* but no family id, so
``family_id`` stays None; ``family_size`` takes the simple family size (the size of the DOCDB simple
family, the family ``family_id`` means everywhere else in patscape); the extended (INPADOC) size has
no field in the record and is not kept.

Priorities come as ``US 201662334194 P 20160510`` (country, application number, application kind,
date): kind ``W`` (a PCT application) becomes Priority.kind "international", ``P`` (a US
provisional) "provisional", an EP/EA/AP/OA/GC application "regional", any other "national".
Names are kept as Lens writes them (upper-case DOCDB style, family name first for persons); Lens
gives no party country. Owners (the recorded assignees) are assignees. The Lens ID has no field in
the record; the SourceRef line finds the record again.

The 2015 CSV layout writes dates as ``DD/MM/YY``: the century is that of the "Publication Year"
column for the publication date, and the latest one not after the publication year for the
application date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO, ClassVar

from patscape.normalise import normalise_date, normalise_pub_key, to_int
from patscape.record import (
    Application,
    Citation,
    Priority,
    Publication,
    Rejected,
    SourceRef,
    Text,
)
from patscape.sources.base import Item, Origin, describe_error
from patscape.sources.export_fields import (
    add_classes,
    add_parties,
    split_list,
)
from patscape.sources.tabular import SNIPPET, Columns, Row, RowReader
from patscape.sources.textlines import TextLines

_REGIONAL = frozenset({"EP", "EA", "AP", "OA", "GC"})
_DOC_TYPES = {
    "patent application": "application",
    "granted patent": "grant",
    "design right": "design",
    "limited patent": "limited",
    "amended patent": "amended",
    "ammended patent": "amended",  # sic, 2015 layout
    "search report": "search-report",
    "abstract": "abstract",
    "supplementary protection certificate": "spc",
}
_FILING_RE = re.compile(r"^(?P<cc>[A-Z]{2})\s+(?P<num>.+?)\s+(?P<kind>[A-Z]\d?)(?:\s+(?P<date>\d{8}))?$")


def lens_filing(text: str) -> tuple[str, str, str, str | None]:
    """``US 201662334194 P 20160510`` -> (country, number, kind, ISO date or None)."""
    m = _FILING_RE.match(text.strip())
    if not m:
        raise ValueError(f"not a Lens filing key: {text!r}")
    number = m.group("num").replace(" ", "")
    return m.group("cc"), number, m.group("kind"), normalise_date(m.group("date"), day_first=True)


def lens_priority(text: str) -> Priority:
    country, number, kind, date = lens_filing(text)
    if kind == "W":
        scope = "international"
    elif kind == "P":
        scope = "provisional"
    elif country in _REGIONAL:
        scope = "regional"
    else:
        scope = "national"
    return Priority(country=country, number=number, date=date, kind=scope)


def lens_application(number: str | None, date: str | None) -> Application:
    app = Application(date=date)
    if number:
        app.country, app.number, kind, _ = lens_filing(number)
        if kind == "W":
            app.type = "international"
        elif kind == "P":
            app.type = "provisional"
    return app


def doc_type(value: str | None) -> str | None:
    return _DOC_TYPES.get(value.strip().lower()) if value else None


def _finish(pub: Publication, type_name: str | None) -> None:
    pub.doc_type = doc_type(type_name)
    if pub.doc_type == "grant":
        pub.granted = pub.published


def _add_npl(pub: Publication, texts: list[str]) -> None:
    for text in texts:
        pub.citations.append(Citation(sequence=len(pub.citations) + 1, npl=text))


# -- JSON lines ----------------------------------------------------------------------------------


def _strings(value: Any) -> list[str]:
    if not value:
        return []
    if not isinstance(value, list):
        raise ValueError(f"expected a list, found {type(value).__name__}")
    return [str(v).strip() for v in value if v is not None and str(v).strip()]


class LensJsonReader:
    name = "lens-jsonl"
    version = "1"
    description = "Lens.org JSON lines export (lensId, displayKey, families sizes, classes, NPL)"
    example = "Coronavirus-SARS-patents.jsonl"
    precedence = 40

    def sniff(self, head: bytes) -> bool:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return (
            text.startswith(b"{")
            and b'"lensId"' in text
            and (b'"displayKey"' in text or b'"publicationKey"' in text)
        )

    def read(self, stream: BinaryIO, origin: Origin) -> Iterator[Item]:
        lines = TextLines(stream)
        for line_no, line in enumerate(lines, 1):
            if not line.strip():
                continue
            ref = origin.ref(self, line=line_no)
            key = None
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError(f"a JSON {type(record).__name__}, not an object")
                key = self.key_of(record)
                pub = self.parse(record, key, ref)
                pub.recovered = lines.note(line_no, line_no)
                yield pub
            except Exception as exc:  # one bad line is quarantined, the file goes on
                yield Rejected(source=ref, reason=describe_error(exc), snippet=line[:SNIPPET], pub_key=key)

    @staticmethod
    def key_of(record: dict[str, Any]) -> str:
        display = record.get("displayKey")
        if display:
            return normalise_pub_key(display)  # "EP 2666481 B9 20190522" too
        key = record.get("publicationKey")  # WO_2017_196847_A1
        if not key:
            raise ValueError("record without displayKey or publicationKey")
        return normalise_pub_key(key)  # WO_2017_196847_A1

    def parse(self, r: dict[str, Any], key: str, ref: SourceRef) -> Publication:
        pub = Publication.from_key(key, ref)
        pub.published = normalise_date(r.get("publicationDate"), day_first=True)
        filed = normalise_date(r.get("filingDate"), day_first=True)
        pub.application = lens_application(r.get("filingNumber"), filed)
        pub.priorities = [lens_priority(p) for p in _strings(r.get("priorityFilingKeysActive"))]
        title = (r.get("title") or "").strip()
        if title:
            pub.texts.append(Text("title", title))
        add_parties(pub, "applicant", _strings(r.get("applicants")))
        add_parties(pub, "inventor", _strings(r.get("inventors")))
        owners = [str(o.get("name") or "").strip() for o in r.get("owners") or [] if isinstance(o, dict)]
        add_parties(pub, "assignee", [o for o in owners if o])
        add_classes(pub, "CPC", _strings(r.get("cpcClassifications")))
        add_classes(pub, "IPC", _strings(r.get("ipcrClassifications")))
        add_classes(pub, "USPC", _strings(r.get("usClassifications")), normalise=False)
        _add_npl(pub, _strings(r.get("nplCitations")))
        pub.cited_by_count = to_int(r.get("citedByPatentCount"), strict=True)
        pub.family_size = to_int(r.get("simpleFamilySize"), strict=True)
        _finish(pub, r.get("docType"))
        return pub


# -- CSV -----------------------------------------------------------------------------------------

_SHORT_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")


def lens_date(value: str | None, not_after: int | None) -> str | None:
    """A Lens CSV date: ISO, or ``DD/MM/YY`` placed in the latest century not after ``not_after``."""
    if not value:
        return None
    m = _SHORT_DATE_RE.match(value)
    if not m:
        return normalise_date(value, day_first=True)
    day, month, yy = (int(g) for g in m.groups())
    limit = not_after if not_after is not None else dt.date.today().year
    year = 2000 + yy if 2000 + yy <= limit else 1900 + yy
    return dt.date(year, month, day).isoformat()


class LensCsvReader(RowReader):
    name = "lens-csv"
    version = "1"
    description = "Lens.org CSV export (2015 layout with DD/MM/YY dates, 2016-2017 layout with Lens ID)"
    example = "drone_drones_fulltext_families_5884.csv"
    precedence = 30
    columns: ClassVar[Columns] = Columns(
        {
            "number": ("Publication Number", "Display Key"),
            "jurisdiction": ("Jurisdiction",),
            "kind": ("Kind",),
            "published": ("Publication Date",),
            "year": ("Publication Year",),
            "app_number": ("Application Number",),
            "app_date": ("Application Date", "Filing Date"),
            "priorities": ("Priority Numbers",),
            "title": ("Title",),
            "abstract": ("Abstract",),
            "applicants": ("Applicants",),
            "inventors": ("Inventors",),
            "owners": ("Owners",),
            "type": ("Type", "Document Type"),
            "cited_by": ("Cited Count", "Cited by Patent Count"),
            "simple_size": ("Simple Family Size",),
            "cpc": ("CPC Classifications",),
            "ipc": ("IPCR Classifications",),
            "us": ("US Classifications",),
            "npl": ("Non-Patent Citations", "NPL Citations"),
        },
        required=("number", "jurisdiction", "kind", "title", "simple_size"),
    )

    def key_of(self, row: Row) -> str | None:
        value = row.get("number")
        return normalise_pub_key(value) if value else None

    def parse_row(self, row: Row, ref: SourceRef) -> Publication:
        key = self.key_of(row)
        if key is None:
            raise ValueError("no publication number")
        pub = Publication.from_key(key, ref)
        year = to_int(row.get("year"), strict=True)
        pub.published = lens_date(row.get("published"), year)
        pub.application = lens_application(row.get("app_number"), lens_date(row.get("app_date"), year))
        pub.priorities = [lens_priority(p) for p in split_list(row.get("priorities"), ";;")]
        for kind in ("title", "abstract"):
            value = row.get(kind)
            if value:
                pub.texts.append(Text(kind, value))  # type: ignore[arg-type]
        add_parties(pub, "applicant", split_list(row.get("applicants"), ";;"))
        add_parties(pub, "inventor", split_list(row.get("inventors"), ";;"))
        add_parties(pub, "assignee", split_list(row.get("owners"), ";;"))
        add_classes(pub, "CPC", split_list(row.get("cpc"), ";;"))
        add_classes(pub, "IPC", split_list(row.get("ipc"), ";;"))
        add_classes(pub, "USPC", split_list(row.get("us"), ";;"), normalise=False)
        _add_npl(pub, split_list(row.get("npl"), ";;"))
        pub.cited_by_count = to_int(row.get("cited_by"), strict=True)
        pub.family_size = to_int(row.get("simple_size"), strict=True)
        _finish(pub, row.get("type"))
        return pub
