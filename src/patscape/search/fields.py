"""The field table: what a field name means, the values it takes and how it becomes SQL.

A field is a name, its aliases, a value kind and a compile function. The parser knows only the table, so
another package adds a field without touching the parser::

    from patscape.search import Field, register_field

    register_field(Field(
        "rating", kind="number", aliases=("rt",), description="the evaluators' rating, 0-3",
        compile=lambda cond, ctx: ctx.key_in(
            ctx.sql("SELECT pub_key FROM ratings WHERE {}", ctx.compare("rating", cond))
        ),
    ))

The compile function gets the parsed leaf (:class:`~patscape.search.syntax.Condition` for every kind but
text and name, :class:`~patscape.search.syntax.TextMatch` for those) and the compile context
(:class:`~patscape.search.compiler.Context`), and returns a condition on the publication ``p``: SQL whose
values are all parameters (``ctx.sql`` binds every value it is given; identifiers come only from the code).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from patscape.search import values

# text: words in the texts of the publication (index); name: words in the names of its parties;
# code: classification codes; date, number: ranges; enum: one of ``choices``; key: an identifier.
ValueKind = Literal["text", "name", "code", "date", "number", "enum", "key"]
VALUE_KINDS: tuple[str, ...] = ("text", "name", "code", "date", "number", "enum", "key")

RELATIONS: dict[str, tuple[str, ...]] = {
    "text": ("=", "all", "any"),
    "name": ("=", "all", "any"),
    "code": ("=", "all", "any"),
    "date": ("=", "<", "<=", ">", ">=", "within"),
    "number": ("=", "<", "<=", ">", ">=", "within"),
    "enum": ("=", "any"),
    "key": ("=", "any"),
}
WORD_RELATIONS = ("all", "any", "within")


def _keep(text: str) -> str:
    return text.strip()


PARSERS: dict[str, Callable[[str], Any]] = {
    "code": values.parse_code,
    "date": values.parse_date,
    "number": values.parse_number,
    "key": _keep,
}
PAIR_PARSERS: dict[str, Callable[[str], Any]] = {
    "date": values.parse_date_pair,
    "number": values.parse_number_pair,
}


@dataclass(frozen=True)
class Field:
    name: str
    kind: ValueKind
    # (leaf: syntax.Leaf, ctx: compiler.Context) -> compiler.Sql; not imported, even for type checking:
    # the syntax and the compiler read the field table, so the table must not need them back
    compile: Callable[[Any, Any], Any]
    aliases: tuple[str, ...] = ()
    description: str = ""
    choices: tuple[str, ...] = ()  # enum: the accepted values (compared case-insensitively)
    parse: Callable[[str], Any] | None = None  # a value parser of its own (raise ValueError("expected"))
    example: str = ""
    postings: tuple[int, ...] = ()  # text: the index fields searched (textsql.TITLE, ...)

    def __post_init__(self) -> None:
        if self.kind not in VALUE_KINDS:
            raise ValueError(f"field {self.name}: kind must be one of {VALUE_KINDS}")
        if self.kind == "enum" and not self.choices:
            raise ValueError(f"field {self.name}: an enum field needs its choices")

    @property
    def relations(self) -> tuple[str, ...]:
        return RELATIONS[self.kind]

    def parse_value(self, text: str, relation: str) -> Any:
        """The value of one condition, or ValueError saying what was expected."""
        if relation == "within":
            return PAIR_PARSERS[self.kind](text)
        if self.parse is not None:
            return self.parse(text)
        if self.kind == "enum":
            wanted = text.strip().lower()
            for choice in self.choices:
                if choice.lower() == wanted:
                    return choice
            raise ValueError("one of " + ", ".join(self.choices))
        if not text.strip():
            raise ValueError("a value")
        return PARSERS[self.kind](text)


class FieldTable:
    """Fields by name and alias (case-insensitive)."""

    def __init__(self, fields: Iterable[Field] = ()) -> None:
        self._fields: dict[str, Field] = {}
        self._names: dict[str, Field] = {}
        for f in fields:
            self.register(f)

    def register(self, field: Field, replace: bool = False) -> Field:
        names = [field.name.lower(), *(a.lower() for a in field.aliases)]
        for name in names:
            taken = self._names.get(name)
            if taken is not None and taken.name != field.name:
                raise ValueError(f"field name {name!r} is already taken by field {taken.name!r}")
            if taken is not None and not replace:
                raise ValueError(f"field {field.name!r} is already registered")
        old = self._fields.get(field.name)
        if old is not None:
            for name in [old.name.lower(), *(a.lower() for a in old.aliases)]:
                self._names.pop(name, None)
        self._fields[field.name] = field
        for name in names:
            self._names[name] = field
        return field

    def get(self, name: str) -> Field | None:
        return self._names.get(name.lower())

    def __getitem__(self, name: str) -> Field:
        found = self.get(name)
        if found is None:
            raise KeyError(name)
        return found

    def __iter__(self) -> Iterator[Field]:
        return iter(self._fields.values())

    def names(self) -> list[str]:
        return list(self._fields)

    def extended(self, *fields: Field) -> FieldTable:
        """A copy with more fields (the default table is left as it is)."""
        table = FieldTable(self)
        for f in fields:
            table.register(f)
        return table


DEFAULT_FIELDS = FieldTable()


def register_field(field: Field, replace: bool = False) -> Field:
    """Add a field to the default table (the one ``parse`` uses unless given another)."""
    return DEFAULT_FIELDS.register(field, replace)
