"""Facets of a query's hits: how many publications each office, year, owner group, CPC subclass and
generative-AI label holds, each value with the condition of the search language that selects it, so that
narrowing a search by a facet is just a longer query (``(ti=vacuum) AND cc=US``).

    compiled = search.prepare(store, "ti=vacuum")[1]
    facets(store, compiled)["office"]   # [FacetValue("US", 12, "cc=US"), ...]
"""

from __future__ import annotations

from dataclasses import dataclass

from patscape.search.builtin_fields import OWNER_ROLES
from patscape.search.compiler import Compiled
from patscape.search.sqlparts import Sql, sql
from patscape.store import Store

FACETS = ("office", "year", "owner", "cpc", "genai")
TOP = 8  # values shown per facet, the most frequent first

# each facet: (value, n) per value over the hits' keys in ``hits``
_COUNTS = {
    "office": "SELECT p.country AS value, count(*) AS n FROM publications p "
    "WHERE p.pub_key IN (SELECT pub_key FROM hits) AND p.country IS NOT NULL GROUP BY p.country",
    "year": "SELECT CAST(extract(year FROM p.published) AS INTEGER) AS value, count(*) AS n "
    "FROM publications p WHERE p.pub_key IN (SELECT pub_key FROM hits) AND p.published IS NOT NULL "
    "GROUP BY 1",
    "owner": "SELECT g.group_name AS value, count(DISTINCT pa.pub_key) AS n FROM parties pa "
    "JOIN owner_groups g ON g.raw_name = pa.name "
    f"WHERE pa.role IN {OWNER_ROLES} AND pa.pub_key IN (SELECT pub_key FROM hits) "
    "AND g.group_name IS NOT NULL GROUP BY g.group_name",
    "cpc": "SELECT substr(c.code, 1, 4) AS value, count(DISTINCT c.pub_key) AS n FROM classes c "
    "WHERE c.scheme = 'CPC' AND c.pub_key IN (SELECT pub_key FROM hits) GROUP BY 1",
    "genai": "SELECT CASE WHEN bool_or(coalesce(g.is_genai, FALSE)) THEN 'yes' ELSE 'no' END AS value, "
    "1 AS n FROM genai_labels g WHERE g.pub_key IN (SELECT pub_key FROM hits) GROUP BY g.pub_key",
}


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    count: int
    term: str  # the condition of the search language that keeps these hits


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _term(facet: str, value: str) -> str:
    if facet == "office":
        return f"cc={value}"
    if facet == "year":
        return f"pd={value}"
    if facet == "owner":
        return f"pa={_quoted(value)}"
    if facet == "cpc":
        return f"cpc={value}"
    return f"genai={value}"


def facets(store: Store, compiled: Compiled, top: int = TOP) -> dict[str, list[FacetValue]]:
    """Facet name -> its most frequent values among the hits of ``compiled`` (publications counted)."""
    out: dict[str, list[FacetValue]] = {}
    hits = Sql(compiled.sql, compiled.params)
    for facet, counts in _COUNTS.items():
        if facet == "owner" and not store.has_table("owner_groups"):
            continue
        inner = f"SELECT value, sum(n) AS n FROM ({counts}) f GROUP BY value" if facet == "genai" else counts
        query = sql(
            f"WITH hits AS ({{}}) SELECT value, n FROM ({inner}) v ORDER BY n DESC, value LIMIT {int(top)}",
            hits,
        )
        rows = store.fetch(query.text, query.params)
        out[facet] = [FacetValue(str(r["value"]), int(r["n"]), _term(facet, str(r["value"]))) for r in rows]
    return out
