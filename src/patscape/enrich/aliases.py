"""The editable alias file of owner groups (``owner_aliases.toml``): loading and matching."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from patscape.enrich.names import normalise_name
from patscape.enrich.sectors import SECTORS

DEFAULT_ALIASES = Path(__file__).with_name("owner_aliases.toml")


@dataclass(slots=True)
class AliasGroup:
    id: str
    name: str
    country: str | None = None
    names: list[str] = field(default_factory=list)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    sector: str | None = None  # the group's applicant sector when stated (enrich/sectors.py otherwise)


@dataclass(slots=True)
class Aliases:
    groups: list[AliasGroup]
    by_name: dict[str, AliasGroup]  # normalised alias name -> group

    def match(self, normalised: str) -> AliasGroup | None:
        """The group of a normalised name: an exact alias name first, then the first matching pattern."""
        group = self.by_name.get(normalised)
        if group is not None:
            return group
        for group in self.groups:
            if any(p.search(normalised) for p in group.patterns):
                return group
        return None

    def get(self, group_id: str) -> AliasGroup | None:
        return next((g for g in self.groups if g.id == group_id), None)


def load_aliases(path: str | Path | None = None) -> Aliases:
    """Read the alias file (the packaged one by default); an error names the offending group."""
    source = Path(path) if path else DEFAULT_ALIASES
    with open(source, "rb") as f:
        data = tomllib.load(f)
    groups: list[AliasGroup] = []
    by_name: dict[str, AliasGroup] = {}
    seen: set[str] = set()
    for entry in data.get("group", []):
        gid = entry.get("id")
        if not gid or gid in seen:
            raise ValueError(f"{source}: every [[group]] needs a unique id (got {gid!r})")
        seen.add(gid)
        try:
            patterns = [re.compile(p) for p in entry.get("patterns", [])]
        except re.error as exc:
            raise ValueError(f"{source}: group {gid}: bad pattern: {exc}") from exc
        sector = entry.get("sector")
        if sector is not None and sector not in SECTORS:
            raise ValueError(
                f"{source}: group {gid}: unknown sector {sector!r} (one of {', '.join(SECTORS)})"
            )
        group = AliasGroup(
            gid,
            entry.get("name") or gid,
            entry.get("country"),
            list(entry.get("names", [])),
            patterns,
            sector,
        )
        groups.append(group)
        for name in group.names:
            by_name.setdefault(normalise_name(name), group)
    return Aliases(groups, by_name)
