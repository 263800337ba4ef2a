"""SQL built from parts whose values are always parameters.

``sql("p.published >= {}", day)`` gives ``p.published >= ?`` with ``day`` as its parameter; a part that is
itself :class:`Sql` is inserted with its own parameters, in order. Identifiers and keywords come only from the
templates, which are written in this code; a template holding a ``?`` is refused, so that no value can
travel outside the parameter list. The placeholder is ``?``, as :class:`patscape.store.base.Store` takes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sql:
    text: str
    params: tuple[Any, ...] = ()

    def __str__(self) -> str:
        return self.text


def sql(template: str, *args: Any) -> Sql:
    pieces = template.split("{}")
    if len(pieces) != len(args) + 1:
        raise ValueError(f"template has {len(pieces) - 1} slots for {len(args)} values: {template!r}")
    if "?" in template:
        raise ValueError("values go in as arguments, not as '?' in the template")
    text = [pieces[0]]
    params: list[Any] = []
    for arg, piece in zip(args, pieces[1:], strict=True):
        if isinstance(arg, Sql):
            text.append(arg.text)
            params.extend(arg.params)
        else:
            text.append("?")
            params.append(arg)
        text.append(piece)
    return Sql("".join(text), tuple(params))


def join(separator: str, parts: Iterable[Sql]) -> Sql:
    items = list(parts)
    return Sql(separator.join(p.text for p in items), tuple(v for p in items for v in p.params))


@dataclass(frozen=True)
class Dialect:
    """What differs between the SQL of DuckDB and of PostgreSQL here."""

    name: str

    def in_list(self, expr: Sql, values: Sequence[Any]) -> Sql:
        """``expr`` is one of ``values`` (one list parameter, whatever its length)."""
        if not values:
            return Sql("FALSE")
        if self.name == "postgresql":
            return sql("{} = ANY({})", expr, list(values))
        return sql("{} IN (SELECT unnest({}))", expr, list(values))

    def keys(self, values: Sequence[str], column: str = "pub_key") -> Sql:
        """A one-column relation of the given strings (``column``: a name from the code)."""
        if not column.isidentifier():
            raise ValueError(f"not a column name: {column!r}")
        if self.name == "postgresql":
            return sql(f"SELECT unnest(CAST({{}} AS TEXT[])) AS {column}", list(values))
        return sql(f"SELECT unnest(CAST({{}} AS VARCHAR[])) AS {column}", list(values))

    def full_match(self, expr: Sql, regex: str) -> Sql:
        """``expr`` matches the anchored ``regex`` (letters, digits, ``.``, ``?``, ``*``)."""
        if self.name == "postgresql":
            return sql("{} ~ {}", expr, regex)
        return sql("regexp_full_match({}, {})", expr, regex)


DIALECTS = {"duckdb": Dialect("duckdb"), "postgresql": Dialect("postgresql")}


def dialect(name: str | Dialect) -> Dialect:
    if isinstance(name, Dialect):
        return name
    try:
        return DIALECTS[name]
    except KeyError:
        raise ValueError(f"no SQL dialect {name!r}: one of {', '.join(DIALECTS)}") from None
