"""The normalised Publication record shared by every reader.

Every reader yields :class:`Publication`, :class:`Rejected` or :class:`Attachment` objects; the store knows
nothing about source formats and the readers know nothing about the store. The normalisers of the record's
fields live in :mod:`patscape.normalise` and are re-exported here.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from functools import cache
from operator import attrgetter
from typing import Any, Literal

from patscape.countries import normalise_country
from patscape.normalise import (
    class_from_parts,
    normalise_class,
    normalise_date,
    normalise_pub_key,
    split_pub_key,
)

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
    "class_from_parts",
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
    # What was lost when a damaged document was read in recovery mode (None: read as it is); see
    # sources/recovery.py. The record is stored, marked, and the note goes to the quarantine as well.
    recovered: str | None = None

    @classmethod
    def from_key(cls, pub_key: str, source: SourceRef, **fields: Any) -> Publication:
        """A record whose country, number and kind are those of its key (``US-6530116-B2``)."""
        country, number, kind = split_pub_key(pub_key)
        return cls(pub_key=pub_key, country=country, number=number, kind=kind, source=source, **fields)

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
            if name in ("source", "texts", "recovered"):  # recovered: how it was read, not what it says
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


@cache
def _getter(cls: type) -> attrgetter:
    return attrgetter(*cls.__slots__)  # type: ignore[attr-defined]


def _values(obj: Any) -> tuple:
    """The field values of a slotted record, in field order (``attrgetter`` does it in C)."""
    values = _getter(type(obj))(obj)
    return values if len(obj.__slots__) > 1 else (values,)
