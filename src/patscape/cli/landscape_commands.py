"""Commands of the analysis: enrich, owners, landscape, report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from patscape import console
from patscape.cli.app import db_option, invocation, json_option, main
from patscape.safe_output import terminal_markup
from patscape.store import default_db, is_server_url, open_store
from patscape.store.base import Store
from patscape.store.freshness import CLASSIFY, ENRICH, Step, coverage, require

GENAI_TAG_DIMENSIONS = ("model", "mode", "application")  # tags written by `patscape classify`


# The filters and bases that `landscape` and the reports share: one declaration, one help text.
year_basis_option = click.option(
    "--year",
    "year_basis",
    type=click.Choice(["auto", "publication", "priority"]),
    default="auto",
    show_default=True,
    help="Count a family in its earliest publication year (WIPO) or earliest priority year (OECD); auto: "
    "publication unless fewer families have one than a priority year.",
)
country_by_option = click.option(
    "--country-by",
    type=click.Choice(["auto", "inventor", "applicant", "office", "member"]),
    default="auto",
    show_default=True,
    help="Country of a family: inventors', applicants', first-filing office, or every member office; auto: "
    "the first of these placing half the families.",
)
genai_option = click.option(
    "--genai", is_flag=True, help="Only families with a member labelled generative AI."
)
query_option = click.option(
    "--query",
    help="Only families with a member found by this search-language query (see `patscape search --help`).",
)
year_from_option = click.option("--from", "year_from", type=int, help="First year (on the --year basis).")
year_to_option = click.option("--to", "year_to", type=int, help="Last year (on the --year basis).")


def _needs(*, genai: bool = False, tags: tuple[str, ...] = (), by: str | None = None) -> tuple[Step, ...]:
    """What a landscape request reads besides the ingested data: always the enrichment (families,
    countries, owners); the generative-AI labels for --genai, a model/mode/application tag or view."""
    labels = (
        genai or by in GENAI_TAG_DIMENSIONS or any(t.partition(":")[0] in GENAI_TAG_DIMENSIONS for t in tags)
    )
    return (ENRICH, CLASSIFY) if labels else (ENRICH,)


def _require(store: Store, db: str | None, purpose: str, steps: tuple[Step, ...]) -> None:
    require(store, steps, db=db or default_db(), purpose=purpose)


def _window(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    start, _, end = value.partition("-")
    try:
        return int(start), int(end)
    except ValueError:
        raise click.BadParameter(f"expected START-END years, e.g. 2013-2018, not {value!r}") from None


@main.command()
@db_option
@click.option(
    "--by",
    type=click.Choice(["country", "owner", "model", "mode", "application", "quality", "all"]),
    default="country",
    show_default=True,
    help="Which tables: countries (+ China vs world, growth), top owners, model/mode/application breakdowns, "
    "quality, or all (every section of the report, with the per-family quality table).",
)
@year_basis_option
@country_by_option
@click.option(
    "--fractional", is_flag=True, help="Fractional counting (a family's weight split over countries)."
)
@genai_option
@click.option(
    "--tag", "tags", multiple=True, help="Only families with this tag (model:GAN, cset:Machine_Learning)."
)
@click.option("--owner", help="Only families of this owner group (group id or name).")
@click.option(
    "--country",
    "countries",
    multiple=True,
    help="Only families with this country on the --country-by basis (repeat for several: any of them).",
)
@query_option
@year_from_option
@year_to_option
@click.option("--top", default=20, show_default=True, help="Owner groups listed.")
@click.option("--window", help="Growth window START-END [default: five years to the last complete year].")
@click.option("--limit", default=40, show_default=True, help="Rows printed per table.")
@click.option("--timings", is_flag=True, help="Also say how long each section took (seconds).")
@json_option
@click.option(
    "--out",
    type=click.Path(),
    help="Write exactly FILE: FILE.xlsx (a sheet per table and an 'about' sheet: command, filters, basis, "
    "versions, date), FILE.csv or FILE.parquet (one table), or a folder DIR/ (a CSV per table).",
)
@click.option(
    "--lake",
    metavar="PATH|URL",
    help="Compute it with Spark over this lake (patscape spark ...) instead of a database.",
)
@click.option("--master", metavar="URL", help="With --lake: Spark master [default: local[2]].")
def landscape(
    db: str | None,
    by: str,
    year_basis: str,
    country_by: str,
    fractional: bool,
    genai: bool,
    tags: tuple[str, ...],
    owner: str | None,
    countries: tuple[str, ...],
    query: str | None,
    year_from: int | None,
    year_to: int | None,
    top: int,
    window: str | None,
    limit: int,
    timings: bool,
    as_json: bool,
    out: str | None,
    lake: str | None,
    master: str | None,
) -> None:
    """Patent families per year by country, shares, growth, owners, taxonomy and quality, from the family fact
    table (`patscape enrich` writes it).

    Families are counted, not documents; years cut short by the publication lag are flagged incomplete.
    """
    from patscape.cli.landscape_view import present
    from patscape.cli.search_commands import check_query
    from patscape.landscape.command import Request, run
    from patscape.landscape.diagnosis import EmptySelection
    from patscape.landscape.filters import LandscapeFilter

    check_query(query)
    request = Request(
        by=by,
        year=year_basis,
        country_by=country_by,
        fractional=fractional,
        filter=LandscapeFilter(
            genai=genai,
            tags=tags,
            year_from=year_from,
            year_to=year_to,
            owner=owner,
            query=query,
            countries=tuple(c.strip().upper() for c in countries),
        ),
        top=top,
        window=_window(window),
        limit=limit,
    )
    if lake:
        from patscape.lake import open_lake
        from patscape.lake.landscape import landscape as on_lake

        target = lake
        try:
            frames, meta = on_lake(open_lake(lake, master, None), request)
        except EmptySelection as exc:
            raise click.ClickException(str(exc)) from None
    else:
        target = db or default_db()
        # on PostgreSQL the panels write temporary tables, which a read-only session refuses
        with open_store(target, read_only=not is_server_url(target), create=False) as store:
            _require(store, db, "patscape landscape", _needs(genai=genai, tags=tags, by=by))
            try:
                frames, meta = run(store, request)
            except EmptySelection as exc:
                raise click.ClickException(str(exc)) from None
    try:
        present(
            frames,
            meta,
            as_json=as_json,
            out=out,
            limit=limit,
            timings=timings,
            command=invocation(click.get_current_context()),
            db=target,
        )
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@main.command(name="enrich")
@db_option
@click.option(
    "--aliases",
    type=click.Path(exists=True, dir_okay=False),
    help="Owner alias file (TOML) [default: the packaged owner_aliases.toml].",
)
@click.option(
    "--threshold",
    default=None,
    type=float,
    help="Fuzzy-matching threshold for owner names (0-100) [default: 90].",
)
@click.option("--full", is_flag=True, help="Rebuild everything, not only what the new publications touch.")
@json_option
def enrich_command(
    db: str | None, aliases: str | None, threshold: float | None, full: bool, as_json: bool
) -> None:
    """Bring families, country attribution, owner groups and the family fact table up to date.

    Writes the tables families, family_members, family_countries, owner_groups, family_owners and the family
    fact table (family_facts and its child tables). After the first run only what the publications stored
    since touch is recomputed (the families they join, their countries and owners, the fact rows and the
    quality cohorts they shift); the tables are those a full rebuild (--full) writes.
    """
    from patscape.cli.search_commands import update_search_index
    from patscape.enrich.aliases import load_aliases
    from patscape.enrich.build import describe, enrich
    from patscape.enrich.owners import FUZZY_THRESHOLD

    with open_store(db) as store:
        with console.err.status("enrich") as status:
            summary = enrich(
                store,
                load_aliases(aliases),
                FUZZY_THRESHOLD if threshold is None else threshold,
                full=full,
                step=lambda name: status.update(f"enrich: {name}"),
            )
        indexed = update_search_index(store, quiet=as_json)
    if as_json:
        console.print_json(summary)
        return
    console.err.print(describe(summary))
    rows = [
        {
            "step": step,
            "counts": ", ".join(f"{k} {v}" for k, v in counts.items() if k != "seconds"),
            "seconds": counts["seconds"],
        }
        for step, counts in summary.items()
        if step != "changes"
    ]
    console.print_rows(rows, title=f"enrich: {db or default_db()}", as_json=False)
    console.err.print(f"search index: {indexed['names']:,} names added ({indexed['seconds']} s)")


@main.command()
@db_option
@click.option("--top", default=20, show_default=True, help="Owner groups listed (most families first).")
@click.option("--names", default=8, show_default=True, help="Raw names shown per group.")
@json_option
def owners(db: str | None, top: int, names: int, as_json: bool) -> None:
    """The owner groups with the most families, with the raw applicant names grouped under each
    (built by `patscape enrich`)."""
    from patscape.enrich.owners import top_owners

    with open_store(db, read_only=True) as store:
        _require(store, db, "patscape owners", (ENRICH,))
        rows = top_owners(store, top, names)
    if not as_json:
        rows = [{**r, "names": "; ".join(r["names"])} for r in rows]
    console.print_rows(rows, title="owner groups", as_json=as_json)


def report_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a report (``patscape report`` and ``patscape spark report``)."""
    options = [
        click.option(
            "--out",
            "out_dir",
            required=True,
            type=click.Path(file_okay=False),
            help="Folder for report.html, report.pdf and one CSV per table.",
        ),
        click.option(
            "--title", help="Report title [default: Patent landscape, or Generative AI: patent landscape]."
        ),
        genai_option,
        year_from_option,
        year_to_option,
        year_basis_option,
        country_by_option,
        query_option,
        click.option("--no-pdf", is_flag=True, help="Write the HTML and CSV files only."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def report_choice(chosen: dict[str, Any]) -> tuple[str, Any, bool]:
    """(folder, ``ReportOptions``, pdf) from the values of ``report_options``; the query is checked."""
    from patscape.cli.search_commands import check_query
    from patscape.report import ReportOptions

    check_query(chosen["query"])
    options = ReportOptions(
        title=chosen["title"],
        genai=chosen["genai"],
        year_from=chosen["year_from"],
        year_to=chosen["year_to"],
        year=chosen["year_basis"],
        country_by=chosen["country_by"],
        query=chosen["query"],
    )
    return chosen["out_dir"], options, not chosen["no_pdf"]


def print_report(result: Any, as_json: bool) -> None:
    """What a written report holds: its files, and what to know before reading it (on stderr)."""
    if as_json:
        console.print_json(result.as_dict())
        return
    console.err.print(terminal_markup(result.placement))
    for warning in result.warnings:
        console.err.print(f"[yellow]warning:[/yellow] {terminal_markup(warning)}")
    for why in dict.fromkeys(result.missing.values()):
        console.err.print(f"[yellow]not shown:[/yellow] {terminal_markup(why)}")
    pages = f", {result.pages} pages" if result.pdf else ""
    console.err.print(f"wrote {len(result.csv)} CSV files in {result.out_dir}{pages}, {result.seconds:.1f} s")
    print(result.html)
    if result.pdf:
        print(result.pdf)


@main.command()
@db_option
@report_options
@json_option
def report(db: str | None, as_json: bool, **chosen: Any) -> None:
    """Write the landscape report: report.html (self-contained, interactive, works offline), report.pdf and
    every table behind them as CSV."""
    from patscape.landscape import connect_store
    from patscape.landscape.diagnosis import EmptySelection
    from patscape.report.build import write_report_on

    out_dir, options, pdf = report_choice(chosen)
    with open_store(db, read_only=True) as store:
        # the labels are needed for --genai, and kept current wherever the report uses them; a store never
        # classified gets a report that says so in its generative-AI sections
        labelled = coverage(store, CLASSIFY).state != "missing"
        _require(store, db, "patscape report", _needs(genai=options.genai or labelled))
        try:
            result = write_report_on(connect_store(store), out_dir, options, pdf=pdf)
        except EmptySelection as exc:
            raise click.ClickException(str(exc)) from None
    print_report(result, as_json)
