"""``patscape coverage``: what each source in the store covers and where the composition of the corpus
changes."""

from __future__ import annotations

import click

from patscape import console
from patscape.cli.app import db_option, json_option, main
from patscape.store import open_store


def _fraction_option(name: str, default: float, text: str):  # type: ignore[no-untyped-def]
    return click.option(name, type=click.FloatRange(0.0, 1.0), default=default, show_default=True, help=text)


@main.command()
@db_option
@click.option(
    "--publication-year",
    is_flag=True,
    help="Year of a family: earliest publication [default: earliest priority].",
)
@_fraction_option("--threshold", 0.05, "Share of a year's families a source must hold to be listed in it.")
@_fraction_option(
    "--tolerance",
    0.3,
    "How far (total variation distance) a year's source mix may move from that of its window's first year "
    "before the composition counts as changed.",
)
@json_option
def coverage(
    db: str | None, publication_year: bool, threshold: float, tolerance: float, as_json: bool
) -> None:
    """Each source's offices, years and selection; per year the sources its families come from, and where
    that composition changes (a trend across such a year is a change of sources). Run `patscape enrich`
    first."""
    from patscape.landscape.backends import connect_store
    from patscape.landscape.coverage import coverage_report

    year_basis = "publication" if publication_year else "priority"
    with open_store(db, read_only=True) as store:
        report = coverage_report(connect_store(store), f"{year_basis}_year", threshold, tolerance)
    if as_json:
        console.print_json(report)
        return
    console.print_rows(report["sources"], title="sources", as_json=False)
    console.print_rows(report["years"], title=f"families per {year_basis} year by source", as_json=False)
    console.print_rows(report["windows"], title="windows of stable composition", as_json=False)
