"""Which publications a watch profile's query selects: the one place the monitor compiles a query.

INTERIM, until the search language (``patscape.search``) lands: a small subset of it, compiled here to
parameterised SQL. A query is terms joined by AND (or a space); a term is ``a OR b OR ...`` of values,
each a word, a "quoted phrase" or ``field=value`` with field ``txt`` (title, abstract, claims; the
default), ``ti``, ``ab``, ``cl``, ``pa`` (applicant or assignee, a part of the name), ``cpc``, ``ipc`` (a
code and what lies below it; ``*`` truncates), ``cc`` (office). Words match case-insensitively anywhere
in the text. Profiles written in this subset keep their meaning in the full language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from patscape.monitor.errors import Invalid
from patscape.monitor.sql import fetch_in
from patscape.store import Store

MAX_LENGTH = 2000
MAX_TERMS = 50
_TOKEN = re.compile(r'\s*(?:(?P<field>[A-Za-z]+)\s*=\s*)?(?:"(?P<phrase>[^"]*)"|(?P<word>[^\s"()=]+))')
_TEXT_FIELDS = {
    "txt": ("title", "abstract", "claims"),
    "ti": ("title",),
    "ab": ("abstract",),
    "cl": ("claims",),
}
_FIELDS = (*_TEXT_FIELDS, "pa", "cpc", "ipc", "cc")


@dataclass(frozen=True, slots=True)
class Term:
    field: str
    value: str


def parse(text: str) -> list[list[Term]]:
    """AND of ORs of terms; ``Invalid`` saying where, when the query is not of the subset."""
    if not text or not text.strip():
        raise Invalid("the query is empty")
    if len(text) > MAX_LENGTH or "\x00" in text:
        raise Invalid(f"a query has at most {MAX_LENGTH} characters and no NUL")
    clauses: list[list[Term]] = [[]]
    pos, joiner, count = 0, "and", 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise Invalid(f"cannot read the query at column {pos + 1}: {text[pos : pos + 20]!r}")
        pos = m.end()
        field, value = (m["field"] or "txt").lower(), m["phrase"] if m["phrase"] is not None else m["word"]
        if m["field"] is None and value.upper() in ("AND", "OR"):
            joiner = value.lower()
            continue
        if field not in _FIELDS:
            raise Invalid(
                f"unknown field {field!r} at column {m.start('field') + 1}: use one of {', '.join(_FIELDS)}"
            )
        if not value.strip("* "):
            raise Invalid(f"an empty value at column {m.start() + 1}")
        term = Term(field, value)
        if joiner == "or" and clauses[-1]:
            clauses[-1].append(term)
        else:
            clauses.append([term]) if clauses[-1] else clauses[-1].append(term)
        joiner, count = "and", count + 1
        if count > MAX_TERMS:
            raise Invalid(f"a query has at most {MAX_TERMS} terms")
    return [c for c in clauses if c]


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _condition(term: Term) -> tuple[str, list[object]]:
    if term.field in _TEXT_FIELDS:
        kinds = ", ".join(f"'{k}'" for k in _TEXT_FIELDS[term.field])
        return (
            f"EXISTS (SELECT 1 FROM texts t WHERE t.pub_key = p.pub_key AND t.kind IN ({kinds}) "
            "AND lower(t.text) LIKE ? ESCAPE '\\')",
            [f"%{_like(term.value)}%"],
        )
    if term.field == "pa":
        return (
            "EXISTS (SELECT 1 FROM parties a WHERE a.pub_key = p.pub_key AND a.role IN ('applicant', "
            "'assignee') "
            "AND lower(a.name) LIKE ? ESCAPE '\\')",
            [f"%{_like(term.value)}%"],
        )
    if term.field in ("cpc", "ipc"):
        code = term.value.replace(" ", "").upper()
        pattern = _like(code).upper() + ("" if code.endswith("*") else "%")
        return (
            "EXISTS (SELECT 1 FROM classes c WHERE c.pub_key = p.pub_key AND c.scheme = ? "
            "AND replace(c.code, ' ', '') LIKE ? ESCAPE '\\')",
            [term.field.upper(), pattern],
        )
    return "p.country = ?", [term.value.upper()]


def compile_query(text: str) -> tuple[str, list[object]]:
    """A WHERE condition over ``publications p`` and its parameters."""
    parts, params = [], []
    for clause in parse(text):
        conditions = [_condition(t) for t in clause]
        parts.append("(" + " OR ".join(c for c, _ in conditions) + ")")
        params += [v for _, ps in conditions for v in ps]
    return " AND ".join(parts), params


def matching(store: Store, query: str, keys: Sequence[str]) -> set[str]:
    """The publications among ``keys`` that ``query`` selects."""
    condition, params = compile_query(query)
    rows = fetch_in(
        store,
        f"SELECT p.pub_key FROM publications p WHERE {condition} AND {{keys}}",
        "p.pub_key",
        keys,
        params,
    )
    return {r["pub_key"] for r in rows}
