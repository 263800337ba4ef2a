"""The reader contract: every format reader turns bytes into records, knowing nothing of the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, ClassVar, Protocol

from lxml import etree

from patscape.record import Attachment, Publication, Rejected, SourceRef
from patscape.sources.recovery import DamagedDocument, parse_document
from patscape.sources.split import Chunk, Span, document_spans, split_xml_documents

Item = Publication | Rejected | Attachment


@dataclass(frozen=True, slots=True)
class Origin:
    """A file, or a member of an archive, that a reader is asked to read."""

    file: str
    member: str | None = None

    def ref(self, reader: Reader, **where: int | None) -> SourceRef:
        return SourceRef(
            file=self.file, member=self.member, reader=reader.name, reader_version=reader.version, **where
        )


class Reader(Protocol):
    name: str
    version: str
    description: str  # one line for `patscape formats`
    example: str  # an example file name
    precedence: int  # when two sources give the same publication, the higher one's fields win

    def sniff(self, head: bytes) -> bool:
        """True when the first bytes of a file (up to 64 KiB) are of this format."""
        ...

    def read(self, stream: BinaryIO, origin: Origin) -> Iterator[Item]: ...


class XmlReader:
    """Base for XML formats: splits concatenated documents and parses each safely.

    Subclasses implement :meth:`parse`. One bad document yields a :class:`Rejected` and reading goes on; a
    damaged one whose ``biblio`` element is intact is read in recovery mode and marked (sources/recovery.py).
    ``chunks`` and ``parse_chunk`` are separate so that the ingest can parse chunks in worker processes.
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    description: ClassVar[str] = ""
    example: ClassVar[str] = ""
    precedence: ClassVar[int] = 100  # office XML; exports use lower values
    root_tags: ClassVar[tuple[bytes, ...]] = ()
    # Local names of the element(s) holding a document's bibliographic data, identity included: a damaged
    # document is recovered when its damage lies after their end. Empty: no recovery.
    biblio: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: bytes) -> bool:
        return any(b"<" + tag in head for tag in self.root_tags)

    def parse(self, root: etree._Element, ref: SourceRef) -> Item | None:
        """One parsed document -> a record (None to skip a document that is not a publication)."""
        raise NotImplementedError

    def chunks(self, stream: BinaryIO) -> Iterator[Chunk]:
        return split_xml_documents(stream)

    def spans(self, stream: BinaryIO) -> Iterator[Span] | None:
        """Where each document lies, when documents are plain byte ranges of the file (else None)."""
        if type(self).chunks is not XmlReader.chunks:
            return None  # the format assembles its documents (DOCDB repeats the root's namespaces)
        return document_spans(stream)

    def parse_chunk(self, chunk: Chunk, origin: Origin) -> Item | None:
        ref = origin.ref(self, index=chunk.index, offset=chunk.offset, line=chunk.line)
        note = None
        try:
            parsed = parse_document(chunk.data, self.biblio, chunk.line or 1)
            note = parsed.note()
            item = self.parse(parsed.root, ref)
        except Exception as exc:
            reason = describe_error(exc) + (f" (after {note})" if note else "")
            return Rejected(source=ref, reason=reason, snippet=snippet(chunk.data))
        if note and isinstance(item, Publication):
            item.recovered = note
        return item

    def read(self, stream: BinaryIO, origin: Origin) -> Iterator[Item]:
        for chunk in self.chunks(stream):
            item = self.parse_chunk(chunk, origin)
            if item is not None:
                yield item


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, DamagedDocument):
        return str(exc)  # it says what libxml2 met, where in the file, and why it was not recovered
    name = type(exc).__name__
    return f"{name}: {exc}" if str(exc) else name


def snippet(data: bytes, size: int = 400) -> str:
    return data[:size].decode("utf-8", "replace")


Opener = Callable[[], BinaryIO]
