"""The tables the landscape reads, on one backend: the family fact table and its child tables.

The catalog, and the columns of the tables the landscape's expressions read (``OPENED``), are read once,
when the tables are opened: asking for one of those afterwards runs no query
(``tests/landscape/test_no_query_while_building.py``); a missing table raises ``MissingTable`` with the
command that writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis.expr.types as ir
from ibis.backends import BaseBackend

FACTS = "family_facts"
COUNTRIES = "family_fact_countries"
OWNERS = "family_fact_owners"
TAGS = "family_fact_tags"
OWNER_NAMES = "owner_facts"
SOURCES = "family_fact_sources"  # absent from a store enriched before it existed (coverage.py reads it)
# each family's model × mode pairs: only the dashboard's working copies have them (``copies._tag_pairs``),
# with ``weight`` and ``FIRST``
TAG_PAIRS = "family_fact_tag_pairs"
# on each family's first row: of its pairs, of its tags of a dimension in a copy merged over the methods
FIRST = "family_first"
FACT_TABLES = (FACTS, COUNTRIES, OWNERS, TAGS, OWNER_NAMES)
OPENED = (*FACT_TABLES, SOURCES)

_ENRICH = "run `patscape enrich` first (it builds the families and the family fact table)"
_HINTS = {
    **dict.fromkeys(FACT_TABLES, _ENRICH),
    "publications": "ingest publications first (`patscape ingest`)",
    "ingest_log": "ingest publications first (`patscape ingest`)",
    "genai_labels": "label generative AI first (`patscape classify`)",
}


class MissingTable(LookupError):
    """A table the landscape needs is not in the database (an enrichment step has not been run)."""


@dataclass(eq=False)
class Tables:
    """The backend's tables by name, from a catalog read once."""

    con: BaseBackend
    names: frozenset[str] = field(default_factory=frozenset)
    _opened: dict[str, ir.Table] = field(default_factory=dict, repr=False)
    _found: dict[str, ir.Table] = field(default_factory=dict, repr=False)
    # the tags' rows are each family's tags once, by any method, ``FIRST`` on a family's first of each
    # dimension (a working copy merged over the methods, ``copies.MERGED_TAGS``): the taxonomy's tables
    # need no DISTINCT on them, nor to count the tagged families
    merged_tags: bool = False

    @classmethod
    def of(cls, con: BaseBackend) -> Tables:
        tables = cls(con, frozenset(con.list_tables()))
        for name in OPENED:
            if tables.has(name):
                tables(name)
        return tables

    def has(self, name: str) -> bool:
        return name in self.names

    def __call__(self, name: str) -> ir.Table:
        if name not in self._opened:
            if not self.has(name):
                hint = _HINTS.get(name)
                raise MissingTable(f"the database has no table {name!r}" + (f": {hint}" if hint else ""))
            self._opened[name] = self.con.table(name)
        return self._opened[name]

    def found_by(self, query: str) -> ir.Table:
        """``family_id`` of the families the search-language ``query`` finds; compiled on the first call
        (it reads the search index's state), so ``Landscape`` asks for its filter's query when it is made."""
        if query not in self._found:
            from patscape.search.expressions import matching

            self._found[query] = matching(self.con, query, families=True)
        return self._found[query]
