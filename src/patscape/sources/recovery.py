"""Reading damaged XML documents: strict parsing first, recovery where the bibliographic data are intact.

Office files hold damaged documents: a stray ``<`` in a text (``<heading><First Embodiment</heading>``),
a bad character reference, a document cut short at the end of a file, bytes that are not UTF-8, a wrong
encoding declaration. A document that fails strict parsing is parsed again in lxml's recovery mode, still
sanitised as :mod:`xmlsafe` does (no DTD, no network, no entity expansion). It is kept only when the first
damage lies after the end tag of its bibliographic part: the strict parser had then read the whole
bibliographic part, identity included, without a fault, so those fields are exactly as written. What the
recovery lost is described damage by damage (line in the file, element, text dropped) in the record's
``recovered`` note, which the store also puts in the quarantine. Otherwise the document is refused as before.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, replace

from lxml import etree

from patscape.sources.textcodec import decode_utf8
from patscape.sources.xmlsafe import local, parse_xml, recovering_parser, sanitise

MAX_DESCRIBED = 5  # damages described in a note; the others are counted
_SHOWN = 120  # characters of dropped text shown per damage
_WINDOW = 160  # characters before a damage looked at for the text it dropped (a line can be a document)
_DECLARATION_RE = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][\w.:-]*)["']"""
)
_UTF8 = frozenset({b"utf-8", b"utf8"})
_TAG_RE = re.compile(r"<[^<>]*>")
_POSITION_RE = re.compile(r",? line \d+, column \d+$")
_ENDS_WITH_TAG_RE = re.compile(rb">\s*$")


class DamagedDocument(ValueError):
    """A document whose damage touches its bibliographic data (or that recovery could not read at all)."""


@dataclass(frozen=True, slots=True)
class Damage:
    line: int  # in the file
    what: str
    element: str | None = None  # where the recovered tree has it (the last three levels)
    dropped: str | None = None  # text of that line the recovered document does not hold

    def describe(self) -> str:
        where = f" in <{self.element}>" if self.element else ""
        text = f"line {self.line}{where}: {self.what}"
        if self.dropped:
            shown = self.dropped if len(self.dropped) <= _SHOWN else self.dropped[:_SHOWN] + "…"
            text += f"; dropped {shown!r}"
        return text


@dataclass(slots=True)
class Parsed:
    root: etree._Element
    damage: tuple[Damage, ...] = ()

    def note(self) -> str | None:
        """What recovery lost, for the record and the quarantine; None when the document was read as it is."""
        if not self.damage:
            return None
        parts = [d.describe() for d in self.damage[:MAX_DESCRIBED]]
        if len(self.damage) > MAX_DESCRIBED:
            parts.append(f"{len(self.damage) - MAX_DESCRIBED} more")
        return "recovered: " + "; ".join(parts)


def parse_document(data: bytes, biblio: tuple[str, ...], first_line: int = 1) -> Parsed:
    """Parse one document strictly; on a syntax error, recover it when its bibliographic data are intact.

    ``biblio`` names (local names) the element(s) holding the document's bibliographic data; an empty tuple
    means no recovery. ``first_line`` is the file's line on which the document starts, so that every line
    said in a note or an error counts from the file. Raises :class:`DamagedDocument`,
    ``xmlsafe.UnsafeDocument`` or ``etree.XMLSyntaxError``.
    """
    data, damage = _declared_encoding(data, first_line)
    try:
        return Parsed(parse_xml(data), damage)
    except etree.XMLSyntaxError as exc:
        strict = syntax_error(exc, first_line)
        if not biblio:
            raise DamagedDocument(strict) from None
        declared = _DECLARATION_RE.match(data)
        utf8 = declared is None or declared.group(1).lower() in _UTF8
        return _recover(sanitise(data), biblio, first_line, strict, damage, utf8)


def syntax_error(exc: etree.XMLSyntaxError, first_line: int) -> str:
    """libxml2's message with the line counted from the file."""
    message = _POSITION_RE.sub("", str(exc.msg or exc))
    line, column = exc.position
    return f"XMLSyntaxError: {message}, line {first_line + line - 1}, column {column}"


def _declared_encoding(data: bytes, first_line: int) -> tuple[bytes, tuple[Damage, ...]]:
    """A document declaring another encoding whose bytes are UTF-8 (the declaration lies) is read as UTF-8.

    UTF-8 bytes read as latin-1 would garble every non-ASCII character without any error; valid UTF-8
    multi-byte sequences practically never occur in text of a single-byte encoding.
    """
    m = _DECLARATION_RE.match(data)
    if m is None or m.group(1).lower() in _UTF8 or b"\x00" in data[:512]:  # NULs: UTF-16 or UTF-32
        return data, ()
    declared = m.group(1).decode("ascii")
    if data.isascii() and _single_byte(declared):
        return data, ()  # the declaration changes nothing
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data, ()  # not UTF-8: the declaration may well be right
    fixed = data[: m.start(1)] + b"UTF-8" + data[m.end(1) :]
    return fixed, (
        Damage(first_line, f"encoding declared {declared!r}, but the bytes are UTF-8: read as UTF-8"),
    )


def _single_byte(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return not name.startswith(("utf", "utf_16", "utf_32"))


def _recover(
    data: bytes, biblio: tuple[str, ...], first_line: int, strict: str, damage: tuple[Damage, ...], utf8: bool
) -> Parsed:
    end = _biblio_end(data, biblio)
    if end is None:
        raise DamagedDocument(f"{strict}; not recovered: the bibliographic data are not complete")
    end_position = _position(data, end)
    if not _ENDS_WITH_TAG_RE.search(data):
        data = _without_cut_character(data)  # a document cut short may end inside a character
    text, odd = decode_utf8(data) if utf8 else ("", [])  # another declared encoding is libxml2's to read
    found = list(damage)
    if odd:
        if odd[0].offset < end:
            line = first_line + data.count(b"\n", 0, odd[0].offset)
            raise DamagedDocument(
                f"{strict}; not recovered: bytes that are not UTF-8 in the bibliographic data, line {line}"
            )
        data = text.encode("utf-8")
        lines = _line_numbers(data, [o.offset for o in odd])
        found += [Damage(first_line + n - 1, o.describe()) for n, o in zip(lines, odd, strict=True)]
    parser = recovering_parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        root = None
        strict = syntax_error(exc, first_line)
    if root is None:
        raise DamagedDocument(f"{strict}; not recovered: nothing could be read")
    errors = [
        e
        for e in parser.error_log
        if e.level >= etree.ErrorLevels.ERROR and e.domain != etree.ErrorDomains.NAMESPACE
    ]
    if errors and (errors[0].line, errors[0].column) < end_position:
        line = first_line + errors[0].line - 1
        raise DamagedDocument(
            f"{strict}; not recovered: the damage (line {line}) is in the bibliographic data"
        )
    source_lines = data.split(b"\n")
    cut = _cut_short(data, root)
    for error in _one_per_line(errors):
        described = _describe(error, root, source_lines, first_line)
        if cut and error.line == len(source_lines):
            described = replace(described, what="the document is cut short here: what followed is lost")
        found.append(described)
    if len(found) == len(damage):  # the strict parser's complaint, which recovery did not repeat
        found.append(Damage(first_line, strict.removeprefix("XMLSyntaxError: ")))
    return Parsed(root, tuple(found))


def _cut_short(data: bytes, root: etree._Element) -> bool:
    """True when the document does not end with its root's end tag."""
    name = re.escape(local(root.tag).encode())
    return re.search(rb"</(?:[\w.-]+:)?" + name + rb"\s*>\s*$", data) is None


def _without_cut_character(data: bytes) -> bytes:
    """The data without a UTF-8 sequence left incomplete at its end."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data
        if byte >= 0xC0:  # the lead byte: is its sequence complete?
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= needed else data[:-back]
    return data


def _biblio_end(data: bytes, names: tuple[str, ...]) -> int | None:
    """The offset just after the end tag of the bibliographic part (its first, if there are several)."""
    alternatives = "|".join(re.escape(n) for n in names)
    m = re.search(rf"</(?:[\w.-]+:)?(?:{alternatives})\s*>".encode(), data)
    return m.end() if m else None


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of a byte offset as libxml2 counts them: lines from 1, columns in characters from 1."""
    start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[start:offset].decode("utf-8", "replace")) + 1


def _line_numbers(data: bytes, offsets: list[int]) -> list[int]:
    lines, line, at = [], 1, 0
    for offset in offsets:
        line += data.count(b"\n", at, offset)
        at = offset
        lines.append(line)
    return lines


def _one_per_line(errors: list) -> list:
    """libxml2 reports a damage as several errors on its line (attribute, start tag): the first of each."""
    seen: set[int] = set()
    out = []
    for error in errors:
        if error.line not in seen:
            seen.add(error.line)
            out.append(error)
    return out


def _describe(error: etree._LogEntry, root: etree._Element, lines: list[bytes], first_line: int) -> Damage:
    element = _element_at(root, error.line)
    if element.sourceline == error.line and len(element) == 0 and not (element.text or "").strip():
        element = element.getparent() if element.getparent() is not None else element  # made from the damage
    raw = lines[error.line - 1].decode("utf-8", "replace") if error.line <= len(lines) else ""
    written = html.unescape(_TAG_RE.sub(" ", _around(raw, error.column - 1))).split()
    kept = set(" ".join(element.itertext()).split())
    dropped = " ".join(w for w in written if w not in kept) or None
    return Damage(first_line + error.line - 1, error.message.strip(), _path(element), dropped)


def _around(line: str, column: int) -> str:
    """The part of a (possibly very long) line around a damage, from the end of a tag to the end of one."""
    start = max(0, column - _WINDOW)
    if start:
        close = line.find(">", start, column)
        start = close + 1 if close >= 0 else start
    end = line.find(">", column)
    return line[start : end + 1 if end >= 0 else len(line)]


def _element_at(root: etree._Element, line: int) -> etree._Element:
    """The last element the recovered tree starts on or before ``line``."""
    found = root
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.sourceline is not None and el.sourceline > line:
            break
        found = el
    return found


def _path(el: etree._Element) -> str:
    names = [local(el.tag)]
    parent = el.getparent()
    while parent is not None and len(names) < 3:
        names.append(local(parent.tag))
        parent = parent.getparent()
    return "/".join(reversed(names))
