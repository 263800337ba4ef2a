"""Beyond counts: applicant sectors, commercial signals and talent (``patscape sectors``, ``signals``,
``talent``)."""

from __future__ import annotations

import json

import click

from patscape import console
from patscape.cli.app import db_option, json_option, main
from patscape.enrich.sectors import SectorMatch
from patscape.store import open_store

_BASES = click.Choice(["applicant", "inventor", "office", "member"])


@main.command()
@db_option
@click.argument("names", nargs=-1)
@click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False),
    help="Score the rules on a JSON-lines file of {name, sector} (optionally {split}) instead.",
)
@click.option("--split", help="Only the labelled names of this split (e.g. heldout).")
@click.option(
    "--country-by", type=_BASES, default="applicant", show_default=True, help="Country of a family."
)
@json_option
def sectors(
    db: str | None,
    names: tuple[str, ...],
    labels: str | None,
    split: str | None,
    country_by: str,
    as_json: bool,
) -> None:
    """Applicant sectors. With NAMES: the sector of each name and the rule that decided it. With --labels:
    precision and recall on hand-labelled names. Otherwise: families by sector and co-applications
    (an academic applicant and a company) per year and country, from the store."""
    from patscape.enrich.sectors import load_sector_rules, score

    rules = load_sector_rules()
    if names:
        rows = [{"name": n, **_match(rules.classify(n))} for n in names]
        console.print_rows(rows, title="sectors", as_json=as_json)
        return
    if labels:
        with open(labels, encoding="utf-8") as f:
            data = [json.loads(line) for line in f if line.strip()]
        data = [d for d in data if split is None or d.get("split") == split]
        result = score(rules, [(d["name"], d["sector"]) for d in data])
        row = {"names": result.names, "answered": result.answered, "correct": result.correct}
        row |= {"precision": round(result.precision, 4), "recall": round(result.recall, 4)}
        console.print_rows([row], title="sector rules on labelled names", as_json=as_json)
        return
    from patscape.landscape.backends import connect_store
    from patscape.landscape.sectors import by_sector, co_applications

    with open_store(db, read_only=True) as store:
        con = connect_store(store)
        table = by_sector(con, country_by, rules=rules).to_pyarrow().to_pylist()
        co = co_applications(con, country_by, rules=rules).to_pyarrow().to_pylist()
    if as_json:
        console.print_json({"sectors": table, "co_applications": co})
        return
    console.print_rows(table, title="families by applicant sector", as_json=False)
    console.print_rows(co, title="co-applications (academic and company)", as_json=False)


def _match(match: SectorMatch) -> dict[str, object]:
    return {"sector": match.sector, "evidence": match.evidence}


@main.command()
@db_option
@click.option("--by", type=click.Choice(["country", "owner"]), default="country", show_default=True)
@click.option(
    "--country-by", type=_BASES, default="applicant", show_default=True, help="Country of a family."
)
@click.option("--top", default=30, show_default=True, help="Owner groups listed (with --by owner).")
@json_option
def signals(db: str | None, by: str, country_by: str, top: int, as_json: bool) -> None:
    """Commercial signals next to the family counts: in two or more IP5 offices, triadic (EP, JP, US),
    granted, cited by a family from another country."""
    from patscape.landscape.backends import connect_store
    from patscape.landscape.commercial import by_country, by_owner

    with open_store(db, read_only=True) as store:
        con = connect_store(store)
        table = by_country(con, country_by) if by == "country" else by_owner(con, country_by, limit=top)
        rows = table.to_pyarrow().to_pylist()
    console.print_rows(rows, title=f"commercial signals by {by}", as_json=as_json)


@main.command()
@db_option
@click.option(
    "--teams", default=0, show_default=True, help="Also list each owner's N largest inventor teams."
)
@json_option
def talent(db: str | None, teams: int, as_json: bool) -> None:
    """Distinct inventors per priority year and country (names folded, a person counted once per family;
    countries as the documents give them, else the family's first-filing office)."""
    from patscape.landscape.backends import connect_store
    from patscape.landscape.talent import inventor_rows, inventors_by_country_year, top_teams

    with open_store(db, read_only=True) as store:
        con = connect_store(store)
        rows = inventor_rows(con)
        table = inventors_by_country_year(rows)
        team_rows = top_teams(con, rows, teams) if teams else []
    if as_json:
        console.print_json({"inventors": table, "teams": team_rows})
        return
    console.print_rows(table, title="distinct inventors", as_json=False)
    if team_rows:
        console.print_rows(team_rows, title="inventor teams per owner", as_json=False)
