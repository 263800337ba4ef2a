"""The normalised Publication record shared by every reader, and the normalisers of its fields.

Every reader yields :class:`Publication`, :class:`Rejected` or :class:`Attachment` objects; the store
knows nothing about source formats and the readers know nothing about the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from operator import attrgetter
from typing import Any, Literal

from patscape.countries import normalise_country

__all__ = [
    "Application",
    "Attachment",
    "Citation",
    "Classification",
    "Event",
    "Party",
    "Priority",
    "Publication",
    "Rejected",
    "Related",
    "SourceRef",
    "Text",
    "normalise_class",
    "normalise_country",
    "normalise_date",
    "normalise_pub_key",
    "split_pub_key",
]

Role = Literal["applicant", "inventor", "assignee", "agent", "examiner"]
TextKind = Literal["title", "abstract", "claims", "description"]


@dataclass(slots=True)
class SourceRef:
    """Where a record came from: enough to find the bytes again."""

    file: str
    reader: str
    reader_version: str
    member: str | None = None  # member of a zip archive
    index: int | None = None  # 0-based document index inside the file or member
    offset: int | None = None  # byte offset of the document inside the file or member
    line: int | None = None  # 1-based line number for row-oriented exports


@dataclass(slots=True)
class Application:
    country: str | None = None
    number: str | None = None
    date: str | None = None
    type: str | None = None  # utility, design, plant, reissue, provisional ...


@dataclass(slots=True)
class Priority:
    country: str | None
    number: str | None
    date: str | None
    kind: str | None = None  # national, regional, international


@dataclass(slots=True)
class Related:
    """A related document (continuation, division, provisional, reissue of ...)."""

    relation: str
    country: str | None
    number: str | None
    date: str | None = None
    kind: str | None = None
    role: str | None = None  # parent / child where the source says


@dataclass(slots=True)
class Text:
    kind: TextKind
    text: str
    lang: str | None = None


@dataclass(slots=True)
class Party:
    role: Role
    name: str  # as written: an organisation's name, or a person's "Given Family"
    sequence: int = 0
    country: str | None = None  # ISO 3166 alpha-2
    city: str | None = None
    state: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    lang: str | None = None  # where the source gives the language / script of the name
    kind: str | None = None  # e.g. applicant-inventor, us-applicant, legal-representative


@dataclass(slots=True)
class Classification:
    scheme: Literal["CPC", "IPC", "USPC", "LOCARNO", "FI", "FTERM"]
    code: str  # normalised, e.g. G06N3/0475
    sequence: int = 0
    first: bool = False  # main / first symbol
    inventive: bool | None = None  # I(nventive) vs A(dditional), where given


@dataclass(slots=True)
class Citation:
    sequence: int
    cited_key: str | None = None  # normalised pub key of a cited patent document
    country: str | None = None
    number: str | None = None
    kind: str | None = None
    date: str | None = None
    npl: str | None = None  # non-patent literature text
    cited_by: str | None = None  # examiner, applicant, third-party, other
    category: str | None = None  # X, Y, A, ... where given


@dataclass(slots=True)
class Event:
    """A legal-status or procedural event (INPADOC and the like)."""

    date: str | None
    code: str
    description: str | None = None


@dataclass(slots=True)
class Publication:
    pub_key: str
    country: str
    number: str
    kind: str | None
    source: SourceRef
    published: str | None = None
    granted: str | None = None
    doc_type: str | None = None  # grant, application, design, plant, reissue, ...
    application: Application = field(default_factory=Application)
    priorities: list[Priority] = field(default_factory=list)
    related: list[Related] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    claim_count: int | None = None
    figure_count: int | None = None
    sheet_count: int | None = None
    parties: list[Party] = field(default_factory=list)
    classes: list[Classification] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    family_id: str | None = None
    family_size: int | None = None  # as stated by the source (Lens, OPS)
    cited_by_count: int | None = None  # forward citations as stated by the source
    tags: list[str] = field(default_factory=list)  # source-given category flags, e.g. CSET's
    version: str | None = None  # the source's production date or version: later wins

    # -- convenient views -------------------------------------------------------------------
    def text(self, kind: TextKind, lang: str | None = None) -> str | None:
        for t in self.texts:
            if t.kind == kind and (lang is None or t.lang == lang):
                return t.text
        return None

    @property
    def title(self) -> str | None:
        return self.text("title")

    @property
    def abstract(self) -> str | None:
        return self.text("abstract")

    def parties_of(self, role: Role) -> list[Party]:
        return sorted((p for p in self.parties if p.role == role), key=lambda p: p.sequence)

    def to_dict(self) -> dict:
        return asdict(self)

    def content_hash(self) -> str:
        """Hash of the content, independent of where it was read from (``source`` is left out)."""
        # sha1 is the fastest hash here (SHA extensions); it detects change, it does not guard secrets
        digest = hashlib.sha1(usedforsecurity=False)
        small = []
        for name in self.__slots__:  # type: ignore[attr-defined]
            if name in ("source", "texts"):
                continue
            value = getattr(self, name)
            if isinstance(value, list):
                small.append([_values(v) if hasattr(v, "__slots__") else v for v in value])
            elif hasattr(value, "__slots__"):
                small.append(_values(value))
            else:
                small.append(value)
        digest.update(repr(small).encode())
        for text in self.texts:  # long: fed as they are rather than through repr
            data = text.text.encode()
            digest.update(
                b"\x00%s\x00%s\x00%d:" % (text.kind.encode(), (text.lang or "").encode(), len(data))
            )
            digest.update(data)
        return digest.hexdigest()[:32]


@dataclass(slots=True)
class Rejected:
    """A document that could not be read: kept in quarantine with its reason."""

    source: SourceRef
    reason: str
    snippet: str | None = None  # the first bytes of the document, to find and inspect it
    pub_key: str | None = None  # when the number could be read before the failure


@dataclass(slots=True)
class Attachment:
    """A document that belongs to a publication without being one (e.g. a sequence listing)."""

    pub_key: str
    kind: str  # sequence-listing, ...
    source: SourceRef
    detail: str | None = None


# -- publication numbers ---------------------------------------------------------------------

_KEY_RE = re.compile(
    r"""^\s*(?P<cc>[A-Z]{2})[\s\-/.]*            # country
        (?P<num>(?:RE|PP|RX|AI|HD|T|D|H|X)?[\d\s/.,\-]*\d)  # number with US series prefixes
        (?:[\s\-/.]*(?P<kind>[A-Z]\d?))?\s*$""",
    re.VERBOSE,
)
_US_PREFIX_RE = re.compile(r"^(RE|PP|RX|AI|HD|T|D|H|X)0*(\d+)$")
_US_PUBLICATION_KINDS = {"A1", "A2", "A9"}


def split_pub_key(key: str) -> tuple[str, str, str | None]:
    """`US-11532378-B2` -> ("US", "11532378", "B2")."""
    parts = key.split("-")
    return parts[0], parts[1], parts[2] if len(parts) > 2 else None


def normalise_number(country: str, number: str, kind: str | None = None) -> str:
    """The DOCDB-style number of a publication: no separators, no padding zeros.

    US pre-grant publications (``2023/0377099``, ``20230377099``) become year + six digits
    (``2023377099``), as DOCDB writes them.
    """
    num = re.sub(r"[\s/.,\-]", "", number.upper())
    if country == "US":
        prefixed = _US_PREFIX_RE.match(num)
        if prefixed:
            return prefixed.group(1) + prefixed.group(2)
        if (
            len(num) == 11
            and num[:2] in ("19", "20")
            and num[4] == "0"
            and (kind is None or kind in _US_PUBLICATION_KINDS)
        ):
            return num[:4] + num[5:]
    if country == "WO" and num.isdigit() and len(num) in (7, 8):
        # before 2004 WO numbers had a two-digit year (WO 03/008444); DOCDB writes WO2003008444
        year = int(num[:2])
        return f"{1900 + year if year >= 78 else 2000 + year}{int(num[2:]):06d}"
    stripped = num.lstrip("0")
    return stripped or num


def normalise_pub_key(text: str, *, country: str | None = None, kind: str | None = None) -> str:
    """Any spelling of a publication number -> ``CC-NUMBER-KIND`` (kind left off when unknown).

    >>> normalise_pub_key("US 2023/0377099 A1")
    'US-2023377099-A1'
    >>> normalise_pub_key("06530116", country="US", kind="B2")
    'US-6530116-B2'
    """
    raw = text.strip().upper()
    if country and not raw.startswith(country.upper()):
        raw = country.upper() + raw
    m = _KEY_RE.match(raw)
    if not m:
        raise ValueError(f"not a publication number: {text!r}")
    cc = m.group("cc")
    found_kind = m.group("kind")
    the_kind = kind or found_kind or None
    the_kind = the_kind.upper().strip() if the_kind else None
    number = normalise_number(cc, m.group("num"), the_kind)
    return f"{cc}-{number}-{the_kind}" if the_kind else f"{cc}-{number}"


# -- dates ------------------------------------------------------------------------------------

_YMD_RE = re.compile(r"((?:18|19|20)\d\d)[-/.]?(\d\d)[-/.]?(\d\d)")
_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y", "%m/%d/%Y", "%d/%m/%Y")


def normalise_date(value: str | None) -> str | None:
    """A date in any form met in patent data -> ISO ``YYYY-MM-DD`` (None when empty).

    Old citations give only year and month (``19420300``): the unknown day or month becomes 01.
    """
    if value is None:
        return None
    s = value.strip()
    if not s:
        return None
    s = s.split("T")[0].split(" ")[0]
    m = _YMD_RE.fullmatch(s)
    if m:
        year, month, day = m.groups()
        # old citations give only year and month: the unknown day or month becomes 01
        month = month if month != "00" else "01"
        day = day if day != "00" else "01"
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError as exc:
            raise ValueError(f"not a date: {value!r}") from exc
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date().isoformat()
        except ValueError:
            continue
    if re.fullmatch(r"(18|19|20)\d\d", s):
        return f"{s}-01-01"
    raise ValueError(f"not a date: {value!r}")


# -- classification codes ---------------------------------------------------------------------

_CLASS_SLASH_RE = re.compile(r"^([A-HY])\s*(\d\d)\s*([A-Z])\s*0*(\d{1,4})\s*/\s*(\d{1,6})")
_CLASS_COMPACT_RE = re.compile(r"^([A-HY]\d\d[A-Z])(\d{4})(\d{6})$")  # G06N0003047500
_SUBCLASS_RE = re.compile(r"^([A-HY]\d\d[A-Z])(.*)$")


def _subgroup(digits: str) -> str:
    trimmed = digits.rstrip("0")
    return trimmed.ljust(2, "0")


def normalise_class(code: str) -> str:
    """A CPC or IPC symbol in any spelling -> ``G06N3/0475``.

    Accepts ``G06N 3/0475``, ``G06N3/0475 (2013.01)``, ``G06N0003047500`` and the fixed-column form of
    the 1976-2004 USPTO formats (``A47L  514`` = A47L 5/14: subclass, three columns of main group,
    then the subgroup).
    """
    s = code.strip().upper()
    m = _CLASS_SLASH_RE.match(s)
    if m:
        sec, cls, sub, main, subgroup = m.groups()
        return f"{sec}{cls}{sub}{int(main)}/{subgroup}"
    m = _CLASS_COMPACT_RE.match(s.replace(" ", ""))
    if m:
        return f"{m.group(1)}{int(m.group(2))}/{_subgroup(m.group(3))}"
    m = _SUBCLASS_RE.match(s)
    if not m:
        raise ValueError(f"not a classification symbol: {code!r}")
    subclass, rest = m.groups()
    if not rest.strip():
        return subclass
    if len(rest) >= 4 and rest[:3].strip().isdigit() and rest[3:].strip().isdigit():
        main, subgroup = rest[:3].strip(), rest[3:].strip()
        return f"{subclass}{int(main)}/{subgroup.ljust(2, '0')}"
    compact = rest.strip()
    if compact.isdigit():  # main group alone
        return f"{subclass}{int(compact)}/00"
    raise ValueError(f"not a classification symbol: {code!r}")


def class_from_parts(section: str, cls: str, subclass: str, main_group: str, subgroup: str) -> str:
    """USPTO's split fields (section / class / subclass / main-group / subgroup) -> ``G06N3/0475``."""
    return normalise_class(f"{section}{cls}{subclass}{main_group.strip()}/{subgroup.strip()}")


@cache
def _getter(cls: type) -> attrgetter:
    return attrgetter(*cls.__slots__)  # type: ignore[attr-defined]


def _values(obj: Any) -> tuple:
    """The field values of a slotted record, in field order (``attrgetter`` does it in C)."""
    values = _getter(type(obj))(obj)
    return values if len(obj.__slots__) > 1 else (values,)
