"""Which publications a watch profile's query selects: the patent search language (``patscape.search``),
through its public interface; the one place the monitor runs a profile's query."""

from __future__ import annotations

from collections.abc import Sequence

from patscape import search
from patscape.monitor.errors import Invalid
from patscape.store import Store

CHUNK = 10_000  # keys a query is restricted to at once (one list parameter)


def check(text: str) -> search.Query:
    """The parsed query, or ``Invalid`` saying where and what was expected."""
    if not text or not text.strip():
        raise Invalid("the query is empty")
    try:
        return search.parse(text)
    except ValueError as exc:  # SearchSyntaxError, and the limits of a query
        raise Invalid(f"the query: {exc}") from None


def matching(store: Store, query: str, keys: Sequence[str]) -> set[str]:
    """The publications among ``keys`` that ``query`` selects (the search index brought up to date first
    by the caller: ``routing.route`` does)."""
    parsed = check(query)
    keys = list(keys)
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found |= set(search.matching_keys(store, parsed, within=keys[start : start + CHUNK]))
    return found
