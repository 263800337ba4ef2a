"""``show``, ``family`` and ``citations`` for people: what an analyst reads first, printed with rich."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from patscape.console import out
from patscape.safe_output import terminal_markup


def _t(value: Any) -> str:
    return "" if value is None else terminal_markup(str(value))


def _rows(title: str, rows: list[dict[str, Any]], columns: list[str]) -> None:
    table = Table(title=terminal_markup(title), title_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for row in rows:
        table.add_row(*(_t(row.get(c)) for c in columns))
    out.print(table)


def print_summary(s: dict[str, Any]) -> None:
    out.print(f"[b]{_t(s['number'])}[/b]  {_t(s['title'])}")
    facts = Table(show_header=False, box=None)
    facts.add_column(style="dim")
    facts.add_column(overflow="fold")
    for key in ("published", "filed", "priority", "granted"):
        if s.get(key) is not None:
            facts.add_row(key, _t(s[key]))
    g = s.get("generative_ai")
    if g:
        tags = "; ".join(f"{d} {g[d]}" for d in ("model", "mode", "application") if g.get(d))
        facts.add_row(
            "generative AI", _t(f"{g['label']} (score {g['score']:.2f}; evidence: {g['evidence']})")
        )
        if tags:
            facts.add_row("taxonomy", _t(tags))
    else:
        facts.add_row("generative AI", "not labelled yet (`patscape classify`)")
    if s.get("inventors"):
        facts.add_row("inventors", _t("; ".join(s["inventors"])))
    facts.add_row("link", _t(s["link"]))
    out.print(facts)
    if s["applicants"]:
        _rows("applicants", s["applicants"], ["name", "country", "owner_group"])
    fam = s.get("family")
    if fam:
        _rows(
            f"family {fam['family_id']} ({len(fam['members'])} members)",
            fam["members"],
            ["pub_key", "country", "kind", "published"],
        )
    else:
        out.print("[dim]family: not built yet (`patscape enrich`)[/dim]")
    if s["classes"]:
        _rows("classes", s["classes"], ["scheme", "code", "title"])
    out.print("[dim]every stored field: --all[/dim]")


def print_family(key: str, fam: dict[str, Any]) -> None:
    out.print(
        f"[b]family {_t(fam['family_id'])}[/b] of {_t(key)} ({_t(fam['family_type'])}; earliest priority "
        f"{_t(fam['earliest_priority'])}, earliest publication {_t(fam['earliest_publication'])})"
    )
    _rows(
        f"{len(fam['members'])} members", fam["members"], ["pub_key", "country", "kind", "published", "title"]
    )


def print_citations(key: str, found: dict[str, list[dict[str, Any]]]) -> None:
    back, fwd = found["backward"], found["forward"]
    _rows(f"{_t(key)} cites {len(back)}", back, ["cited_key", "npl", "date", "cited_by", "title"])
    _rows(
        f"cited by {len(fwd)} stored publications",
        fwd,
        ["citing_key", "published", "citing_applicants", "cited_by", "title"],
    )
