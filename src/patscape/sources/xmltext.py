"""Plain text out of patent XML elements: paragraphs, claims and language codes.

Office XML carries layout whitespace (indentation, hard line wraps). Between two Chinese or Japanese
characters a wrapped line must join with nothing, between Latin words with one space; ``<br/>`` and nested
claim-text blocks are real line breaks. Names and titles are *not* passed through here by the readers
when they must stay exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree

from patscape.normalise import normalise_space
from patscape.sources.xmlsafe import local

_BREAK = "\x1e"  # a hard line break, kept through whitespace folding
_CELLS = frozenset({"entry", "td", "th", "cell"})
_WS_RE = re.compile(r"[ \t\r\n\f\v]+")  # ASCII whitespace only: U+3000 is part of the text
_BREAKS_RE = re.compile(r"[ ]*\x1e[\x1e ]*")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_LANG_ALIASES = {"cn": "zh", "chi": "zh", "zho": "zh", "jp": "ja", "jpn": "ja", "eng": "en", "kr": "ko"}


def _wide(ch: str) -> bool:
    """Chinese, Japanese, Korean characters and full-width forms (no spaces between them)."""
    return ch >= "\u2e80"


def _fold(match: re.Match[str]) -> str:
    run = match.group(0)
    if "\n" in run or "\r" in run:
        s = match.string
        before = s[match.start() - 1] if match.start() else ""
        after = s[match.end()] if match.end() < len(s) else ""
        if before and after and (_wide(before) or before == _BREAK) and (_wide(after) or after == _BREAK):
            return ""
    return " "


def clean(text: str) -> str:
    """Fold layout whitespace (CJK-aware) and keep hard breaks as single newlines."""
    folded = _WS_RE.sub(_fold, text)
    folded = _BREAKS_RE.sub("\n", folded)
    return folded.strip()  # also the no-break and ideographic spaces that pad paragraph ends


def _collect(
    el: etree._Element, out: list[str], br: str, blocks: frozenset[str], skip: frozenset[str]
) -> None:
    if el.text:
        out.append(el.text)
    for child in el:
        name = local(child.tag)
        if name == "br":
            out.append(br)
        elif name not in skip:
            if name in blocks:
                out.append(_BREAK)
                _collect(child, out, br, blocks, skip)
                out.append(_BREAK)
            elif name in _CELLS:
                out.append(" ")
                _collect(child, out, br, blocks, skip)
                out.append(" ")
            else:
                _collect(child, out, br, blocks, skip)
        if child.tail:
            out.append(child.tail)


def flat_text(
    el: etree._Element,
    *,
    br: str = "\n",
    blocks: Iterable[str] = (),
    skip: Iterable[str] = (),
) -> str:
    """The text of an element and its descendants, cleaned.

    ``br`` is what ``<br/>`` stands for: a line break, or "" where the office wraps lines with it;
    ``blocks`` are elements that start a new line (nested claim texts); ``skip`` are left out.
    """
    out: list[str] = []
    _collect(el, out, _BREAK if br == "\n" else br, frozenset(blocks), frozenset(skip))
    return clean("".join(out))


def plain_text(el: etree._Element | None) -> str | None:
    """All text below an element, whitespace collapsed (files may be re-indented or pad values); None when
    there is none. For names, numbers and codes; texts go through :func:`flat_text`."""
    if el is None:
        return None
    return normalise_space(etree.tostring(el, method="text", encoding=str, with_tail=False))


def text_at(el: etree._Element | None, path: str) -> str | None:
    """The text of the element at ``path`` below ``el``, whitespace collapsed; None when absent or empty."""
    return None if el is None else normalise_space(el.findtext(path))


def join_paragraphs(texts: Iterable[str]) -> str:
    return "\n".join(t for t in texts if t)


def norm_lang(value: str | None) -> str | None:
    """``ZH``, ``CN`` (as CNIPA writes it), ``jpn``, ``en-US`` -> ``zh``, ``zh``, ``ja``, ``en``."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-")[0]
    if not code:
        return None
    return _LANG_ALIASES.get(code, code)


def own_lang(el: etree._Element) -> str | None:
    """The language an element states itself (``lang``, ``xml:lang`` or ST.96 ``languageCode``)."""
    for key, value in el.attrib.items():
        if key in ("lang", _XML_LANG) or local(key) == "languageCode":
            return norm_lang(value)
    return None


def lang_of(el: etree._Element) -> str | None:
    """The language of an element: its own, or inherited from the nearest ancestor that states one."""
    node: etree._Element | None = el
    while node is not None:
        found = own_lang(node)
        if found:
            return found
        node = node.getparent()
    return None


def attr(el: etree._Element, name: str) -> str | None:
    """An attribute by local name, with or without a namespace (``kind`` or ``jp:kind``)."""
    value = el.get(name)
    if value is not None:
        return value
    for key, val in el.attrib.items():
        if local(key) == name:
            return val
    return None
