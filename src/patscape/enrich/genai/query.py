"""The recall stage: the versioned, editable query of ``genai-query.toml`` run over documents.

The query file names groups of terms (each with a role: strong, broad or context), CPC patterns and the
taxonomy's tag terms; ``matcher.py`` finds them all in one pass over each field, and ``Query.decide`` says
from the hits whether the document is retrieved, and why.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from patscape.enrich.genai.document import Document
from patscape.enrich.genai.matcher import Hit, Matcher

__all__ = ["DEFAULT_QUERY", "ROLES", "Group", "Hit", "Query", "QueryResult", "load_query"]

DEFAULT_QUERY = Path(__file__).with_name("genai-query.toml")
ROLES = ("strong", "broad", "context")


# -- the query file ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    name: str
    role: str
    terms: tuple[str, ...] = ()
    near: tuple[tuple[str, ...], tuple[str, ...], int] | None = None


@dataclass
class QueryResult:
    candidate: bool
    reason: str | None  # strong / broad / None
    hits: list[Hit] = field(default_factory=list)

    def groups(self) -> set[str]:
        return {h.name for h in self.hits}


@dataclass
class Query:
    """A parsed query file: groups, CPC patterns and taxonomy tags, with its version."""

    name: str
    version: str  # as written in the file
    digest: str  # of the file's bytes: any edit changes the method version
    description: str
    groups: list[Group]
    cpc: dict[str, list[str]]
    tags: dict[str, dict[str, dict[str, list[str]]]]  # dimension -> tag -> {terms, cpc}
    path: str | None = None
    matcher: Matcher = field(init=False, repr=False)

    def __post_init__(self) -> None:
        terms: dict[str, list[str]] = {}
        near: dict[str, tuple[list[str], list[str], int]] = {}
        for g in self.groups:
            if g.near:
                near[g.name] = (list(g.near[0]), list(g.near[1]), g.near[2])
            else:
                terms[g.name] = list(g.terms)
        codes: dict[str, list[str]] = {f"cpc:{role}": list(p) for role, p in self.cpc.items()}
        for dim, tags in self.tags.items():
            for tag, spec in tags.items():
                terms[f"{dim}:{tag}"] = list(spec.get("terms", ()))
                codes[f"{dim}:{tag}"] = list(spec.get("cpc", ()))
        self.matcher = Matcher(terms, near, codes)
        self._role = {g.name: g.role for g in self.groups}
        self._role.update({f"cpc:{r}": ("strong" if r == "strong" else "broad") for r in self.cpc})

    @property
    def method_version(self) -> str:
        return f"{self.version}+{self.digest[:8]}"

    def role(self, name: str) -> str | None:
        return self._role.get(name)

    def hits(self, doc: Document, text_words: list[str] | None = None) -> list[Hit]:
        """Every hit of groups, codes and tags in the document (``text_words``: see ``Matcher.find``)."""
        return self.matcher.find(doc, text_words=text_words)

    def run(self, doc: Document) -> QueryResult:
        return self.decide(self.hits(doc))

    def decide(self, hits: list[Hit]) -> QueryResult:
        roles = {self._role.get(h.name) for h in hits}
        names = {h.name for h in hits}
        if "strong" in roles:
            reason: str | None = "strong"
        elif "broad" in roles and (
            "context" in roles
            or "cpc:broad" in names
            or any(h.field == "title" and self._role.get(h.name) == "broad" for h in hits)
        ):
            reason = "broad"
        else:
            reason = None
        kept = [h for h in hits if h.name in self._role]
        return QueryResult(reason is not None, reason, kept)

    def tag_names(self, dimension: str) -> list[str]:
        return list(self.tags.get(dimension, {}))


def _parse(data: dict[str, Any], digest: str, path: str | None) -> Query:
    head = data.get("query", {})
    groups: list[Group] = []
    for g in data.get("group", []):
        role = g.get("role", "broad")
        if role not in ROLES:
            raise ValueError(f"group {g.get('name')}: role must be one of {ROLES}")
        near = g.get("near")
        groups.append(
            Group(
                g["name"],
                role,
                tuple(g.get("terms", ())),
                (tuple(near["left"]), tuple(near["right"]), int(near.get("within", 5))) if near else None,
            )
        )
    tags = {
        dim: {
            tag: {"terms": list(spec.get("terms", [])), "cpc": list(spec.get("cpc", []))}
            for tag, spec in t.items()
        }
        for dim, t in data.get("tags", {}).items()
    }
    return Query(
        head.get("name", "genai"),
        str(head.get("version", "0")),
        digest,
        head.get("description", ""),
        groups,
        {role: list(p) for role, p in data.get("cpc", {}).items()},
        tags,
        path,
    )


def load_query(path: str | Path | None = None) -> Query:
    """The query file at ``path``, or the one shipped with patscape."""
    p = Path(path) if path else DEFAULT_QUERY
    return _load(str(p.resolve()), p.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int) -> Query:
    raw = Path(path).read_bytes()
    return _parse(tomllib.loads(raw.decode("utf-8")), hashlib.sha256(raw).hexdigest(), path)
