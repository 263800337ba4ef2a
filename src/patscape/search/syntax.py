"""The syntax tree of a search, and the one error the parser raises.

A query is a tree of boolean nodes (:class:`And`, :class:`Or`, :class:`Not`) over leaves, each leaf asking one
field one thing: :class:`TextMatch` (words, phrases and proximity in a text or name field) or
:class:`Condition` (a code, date, number, choice or key compared with a value). Field groups are
distributed over their members when parsed, so ``ti=(car or truck)`` is ``Or(ti=car, ti=truck)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from patscape.search.fields import Field


class SearchSyntaxError(ValueError):
    """A query that cannot be read: where (line, column, 1-based) and what was expected there."""

    def __init__(self, message: str, text: str, offset: int, expected: tuple[str, ...] = ()) -> None:
        self.message = message
        self.offset = offset
        self.line, self.column = line_column(text, offset)
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}"
        wanted = f" (expected {_alternatives(self.expected)})" if self.expected else ""
        return f"{self.message} at {where}{wanted}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "line": self.line,
            "column": self.column,
            "expected": list(self.expected),
        }


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``; the end of the text is reported at its last character
    (``ti=(neural AND``: the missing ')' is reported at column 14), as query parsers usually do."""
    if text and offset >= len(text):
        offset = len(text) - 1
        while offset > 0 and text[offset] in " \t\r\n":
            offset -= 1
    offset = max(offset, 0)
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _alternatives(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


# -- words and spans (what a text field is asked) -----------------------------------------------


@dataclass(frozen=True)
class Pattern:
    """A truncated word: ``*`` any number of characters, ``?`` zero or one, ``#`` exactly one."""

    text: str  # normalised, with its wildcards: "neur*", "colo?r"

    @property
    def prefix(self) -> str:
        cut = min((i for i, c in enumerate(self.text) if c in "*?#"), default=len(self.text))
        return self.text[:cut]

    @property
    def regex(self) -> str:
        """An anchored regular expression: the literal parts are letters and digits only."""
        parts = {"*": ".*", "?": ".?", "#": "."}
        return "^" + "".join(parts.get(c, c) for c in self.text) + "$"

    @property
    def prefix_only(self) -> bool:
        """``neur*``: a range of the sorted words is enough, no regular expression."""
        return self.text.endswith("*") and not any(c in "*?#" for c in self.text[:-1])

    def __str__(self) -> str:
        return self.text


Token = Union[str, Pattern]  # noqa: UP007 (a runtime alias)


@dataclass(frozen=True)
class Phrase:
    """Words that follow one another (one word is a phrase of one)."""

    tokens: tuple[Token, ...]
    raw: str
    quoted: bool = False

    def __str__(self) -> str:
        text = " ".join(str(t) for t in self.tokens)
        return f'"{text}"' if self.quoted or len(self.tokens) > 1 else text


@dataclass(frozen=True)
class Near:
    """Two spans within ``distance`` words: the gap from the end of one to the start of the other is
    1 for neighbours; ``ordered`` wants the left one first."""

    left: Span
    right: Span
    distance: int
    ordered: bool

    def __str__(self) -> str:
        op = f"{self.distance}W" if self.ordered else f"{self.distance}D"
        return f"({self.left} {op} {self.right})"


@dataclass(frozen=True)
class AnyOf:
    """Alternatives inside a proximity: ``(car OR truck) NEAR/3 engine``."""

    items: tuple[Span, ...]

    def __str__(self) -> str:
        return "(" + " OR ".join(str(i) for i in self.items) + ")"


Span = Union[Phrase, Near, AnyOf]  # noqa: UP007


def span_tokens(span: Span) -> Iterator[Token]:
    if isinstance(span, Phrase):
        yield from span.tokens
    elif isinstance(span, Near):
        yield from span_tokens(span.left)
        yield from span_tokens(span.right)
    else:
        for item in span.items:
            yield from span_tokens(item)


# -- the tree -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextMatch:
    field: Field
    span: Span
    at: int = 0

    def describe(self) -> str:
        return f"{self.field.name} = {self.span}"


@dataclass(frozen=True)
class Condition:
    """A non-text field compared with a value; ``value`` is what the field's kind parsed (a date range,
    a code, a number, a choice, a key)."""

    field: Field
    relation: str  # =, <, <=, >, >=, within
    value: Any
    raw: str
    at: int = 0

    def describe(self) -> str:
        value = self.value
        first, last = getattr(value, "first", None), getattr(value, "last", None)
        if first is not None and self.relation in (">=", "<"):
            shown = f"{value.text} (from {first})" if first != last else str(first)
        elif last is not None and self.relation in (">", "<="):
            shown = f"{value.text} (to {last})" if first != last else str(last)
        else:
            shown = getattr(value, "describe", lambda: str(value))()
        return f"{self.field.name} {self.relation} {shown}"


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    item: Node


Node = Union[TextMatch, Condition, And, Or, Not]  # noqa: UP007
Leaf = Union[TextMatch, Condition]  # noqa: UP007


@dataclass(frozen=True)
class Query:
    text: str
    root: Node
    leaves: tuple[Leaf, ...] = field(default=(), compare=False)

    def describe(self) -> str:
        """The tree, indented, one node a line (for ``patscape search --explain``)."""
        return "\n".join(_describe(self.root, 0))

    @property
    def text_leaves(self) -> tuple[TextMatch, ...]:
        return tuple(leaf for leaf in self.leaves if isinstance(leaf, TextMatch))


def _describe(node: Node, depth: int) -> Iterator[str]:
    pad = "  " * depth
    if isinstance(node, And | Or):
        yield pad + ("AND" if isinstance(node, And) else "OR")
        for item in node.items:
            yield from _describe(item, depth + 1)
    elif isinstance(node, Not):
        yield pad + "NOT"
        yield from _describe(node.item, depth + 1)
    else:
        yield pad + node.describe()


def leaves(node: Node) -> Iterator[Leaf]:
    if isinstance(node, And | Or):
        for item in node.items:
            yield from leaves(item)
    elif isinstance(node, Not):
        yield from leaves(node.item)
    else:
        yield node


def positive_leaves(node: Node, negated: bool = False) -> Iterator[Leaf]:
    """The leaves a hit is found by (not under a NOT): what relevance and snippets look at."""
    if isinstance(node, And | Or):
        for item in node.items:
            yield from positive_leaves(item, negated)
    elif isinstance(node, Not):
        yield from positive_leaves(node.item, not negated)
    elif not negated:
        yield node
