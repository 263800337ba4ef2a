"""Talent: the distinct inventors behind the families, per country and year; inventors per family; the
inventor teams that file most for an owner.

Method. An inventor is a name: folded (Unicode NFKC, lower case, accents and punctuation removed) and
its words sorted, so that "LIU, Bingchen", "Bingchen Liu" and "LIU BINGCHEN" are one person; a name given
in parts (given and family name) is read from its parts. Within a family every member names the same
people, so a person counts once per family whatever the number of members. A person's country is the one
the documents give for them (the most frequent, ties to the first alphabetically); documents that give none
(most exports) place them in the family's first-filing office, and ``placed_by_office`` says how many were.

Limits, stated in the report: two people of the same name and country are one (common Chinese and Korean
names: 王伟, Kim Min-jun, are undercounted), one person written in two scripts or with and without a middle
name is two (overcounted), and a person is counted in every year in which one of their families falls.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ibis.backends import BaseBackend

from patscape.enrich.names import has_cjk
from patscape.enrich.sectors import fold


def person_key(name: str | None, given: str | None = None, family: str | None = None) -> str:
    """The comparable form of a person's name: folded words, sorted ('' when there is no name)."""
    text = " ".join(p for p in (given, family) if p) if (given or family) else (name or "")
    words = fold(text).split()
    if has_cjk(text):  # written family name first, often with a space: 王涛 and 王 涛 are one name
        return "".join(words)
    return " ".join(sorted(words))


@dataclass(frozen=True, slots=True)
class InventorRow:
    family_id: str
    year: int | None
    office: str | None  # the family's first-filing office
    key: str
    country: str | None


def inventor_rows(con: BaseBackend, year: str = "priority_year") -> list[InventorRow]:
    """One row per (family, inventor) with the family's year and first-filing office."""
    parties = con.table("parties")
    parties = parties.filter(parties.role == "inventor")
    members = con.table("family_members").select("family_id", "pub_key")
    families = con.table("families").select("family_id", "first_filing_office", year)
    joined = parties.join(members, "pub_key").join(families, "family_id")
    joined = joined.select(
        "family_id", "name", "given_name", "family_name", "country", "first_filing_office", year=joined[year]
    )
    rows = [
        InventorRow(
            r["family_id"],
            r["year"],
            r["first_filing_office"],
            person_key(r["name"], r["given_name"], r["family_name"]),
            r["country"],
        )
        for r in joined.to_pyarrow().to_pylist()
    ]
    return [r for r in rows if r.key]


def _countries(rows: Iterable[InventorRow]) -> dict[tuple[str, str], str | None]:
    """Per (family, person): the person's country in that family (see the module docstring)."""
    given: dict[str, Counter[str]] = defaultdict(Counter)
    by_family: dict[tuple[str, str], InventorRow] = {}
    for r in rows:
        if r.country:
            given[r.key][r.country] += 1
        seen = by_family.get((r.family_id, r.key))
        if seen is None or (r.country and not seen.country):
            by_family[(r.family_id, r.key)] = r
    out: dict[tuple[str, str], str | None] = {}
    for (family, key), r in by_family.items():
        if r.country:
            out[(family, key)] = r.country
        elif given[key]:
            out[(family, key)] = min(given[key].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        else:
            out[(family, key)] = None
    return out


def inventors_by_country_year(rows: list[InventorRow]) -> list[dict[str, object]]:
    """Per year and country: ``inventors`` (distinct persons), ``families`` with one of them, ``per_family``
    (inventors per family, mean over those families) and ``placed_by_office`` (persons whose documents
    give no country, placed in the family's first-filing office)."""
    countries = _countries(rows)
    years = {r.family_id: r.year for r in rows}
    offices = {r.family_id: r.office for r in rows}
    people: dict[tuple[int, str], set[str]] = defaultdict(set)
    by_office: dict[tuple[int, str], set[str]] = defaultdict(set)
    families: dict[tuple[int, str], set[str]] = defaultdict(set)
    team_size: dict[str, int] = Counter(family for family, _ in countries)
    for (family, key), country in countries.items():
        year = years[family]
        place = country or offices[family]
        if year is None or place is None:
            continue
        people[(year, place)].add(key)
        families[(year, place)].add(family)
        if country is None:
            by_office[(year, place)].add(key)
    return [
        {
            "year": year,
            "country": country,
            "inventors": len(people[(year, country)]),
            "families": len(families[(year, country)]),
            "per_family": round(
                sum(team_size[f] for f in families[(year, country)]) / len(families[(year, country)]), 2
            ),
            "placed_by_office": len(by_office[(year, country)]),
        }
        for year, country in sorted(people)
    ]


def inventors_per_family(rows: Iterable[InventorRow]) -> dict[str, int]:
    """Distinct inventors of each family that names any."""
    keys: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        keys[r.family_id].add(r.key)
    return {family: len(k) for family, k in keys.items()}


def top_teams(con: BaseBackend, rows: list[InventorRow], top: int = 5) -> list[dict[str, object]]:
    """Per owner group, its ``top`` inventor teams (the same set of persons on a family) by families."""
    teams: dict[str, frozenset[str]] = defaultdict(frozenset)
    for r in rows:
        teams[r.family_id] = teams[r.family_id] | {r.key}
    owners = con.table("family_owners").select("family_id", "group_id", "group_name").to_pyarrow().to_pylist()
    counts: dict[tuple[str, str], Counter[frozenset[str]]] = defaultdict(Counter)
    for o in owners:
        team = teams.get(o["family_id"])
        if team:
            counts[(o["group_id"], o["group_name"])][team] += 1
    out: list[dict[str, object]] = []
    for (group_id, group_name), teams_of in sorted(counts.items(), key=lambda kv: (-kv[1].total(), kv[0])):
        ranked = sorted(teams_of.items(), key=lambda kv: (-kv[1], sorted(kv[0])))
        for team, families in ranked[:top]:
            out.append(
                {
                    "group_id": group_id,
                    "group_name": group_name,
                    "team": "; ".join(sorted(team)),
                    "size": len(team),
                    "families": families,
                }
            )
    return out
