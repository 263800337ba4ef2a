"""Commands over the stored publications: ingest, show, stats, quarantine, formats."""

from __future__ import annotations

import os

import click

from patscape import console
from patscape.cli.app import db_option, json_option, main, refuse_import
from patscape.cli.monitor_commands import route_new_arrivals
from patscape.cli.search_commands import update_search_index
from patscape.store import default_db, open_store


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@db_option
@click.option("--batch-size", default=1000, show_default=True, help="Records written per transaction.")
@click.option(
    "--workers",
    default=-1,
    show_default="one per core",
    type=int,
    help="Processes parsing XML beside the writing main process (0 = parse in the main process).",
)
@click.option(
    "--index/--no-index",
    "build_index",
    default=False,
    show_default=True,
    help="Also rebuild the BM25 full-text index of Store.search at the end when it is older than the data "
    "(otherwise `patscape enrich` does).",
)
@click.option(
    "--no-search-index",
    is_flag=True,
    help="Leave the search index as it is (a search then scans what is new; `patscape index` catches up).",
)
@click.option(
    "--no-route",
    is_flag=True,
    help="Leave the new arrivals unrouted (otherwise the monitoring workspaces' profiles route them).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@json_option
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    batch_size: int,
    workers: int,
    build_index: bool,
    no_search_index: bool,
    no_route: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Read publications from files, folders and zip archives into the database.

    The format of each file is recognised from its content. Ingesting the same data again changes nothing;
    an interrupted ingest resumes where it stopped. Documents that cannot be read go to the quarantine
    (see `patscape quarantine`) and the rest of the file is stored.
    """
    for unused in ("pandas", "numpy"):
        refuse_import(unused)
    from patscape.store.ingest import ingest as run_ingest

    if workers < 0:
        # one per core: they run at a lower priority than this writing process (parallel._start_worker)
        workers = max(1, os.cpu_count() or 1)
    # no write-ahead log: progress is saved at checkpoints, and a resumed run reads again what was lost
    with open_store(db, wal=False) as store, console.ingest_progress(disable=quiet or as_json) as progress:
        summary = run_ingest(
            store,
            list(paths),
            batch_size=batch_size,
            workers=workers,
            progress=progress,
            build_index=build_index,
        )
        if not no_search_index:
            indexed = update_search_index(store, quiet or as_json)
        routed = None if no_route else route_new_arrivals(store)
    console.print_ingest_summary(summary, as_json=as_json, db=db or default_db())
    if not no_search_index and not as_json:
        console.err.print(_indexed(indexed))
    if routed and not as_json:
        console.err.print(routed)


def _indexed(summary: dict) -> str:
    what = "rebuilt" if summary.get("rebuilt") else "updated"
    return (
        f"search index {what}: {summary.get('publications', 0):,} publications, "
        f"{summary.get('names', 0):,} names ({summary.get('seconds', 0)} s)"
    )


@main.command()
@click.argument("pub_key")
@db_option
@json_option
def show(pub_key: str, db: str | None, as_json: bool) -> None:
    """Print one publication with everything stored about it (PUB_KEY in any spelling: US6530116B2)."""
    with open_store(db, read_only=True) as store:
        key = store.resolve_key(pub_key)
        details = store.details(key) if key else None
    if details is None:
        raise click.ClickException(f"no publication {pub_key} in {db or default_db()}")
    console.print_details(details, as_json=as_json)


@main.command()
@db_option
@json_option
def stats(db: str | None, as_json: bool) -> None:
    """Counts of what is stored: publications by country, kind and year; parties, classes, citations,
    quarantine by reason."""
    with open_store(db, read_only=True) as store:
        result = store.stats()
    console.print_stats(result, as_json=as_json)


@main.command()
@db_option
@click.option("--limit", default=100, show_default=True)
@json_option
def quarantine(db: str | None, limit: int, as_json: bool) -> None:
    """Documents that could not be read: where they are (file, member, index, offset, line) and why."""
    with open_store(db, read_only=True) as store:
        rows = store.quarantine(limit)
    console.print_rows(rows, title="quarantine", as_json=as_json)


@main.command()
@json_option
def formats(as_json: bool) -> None:
    """Every supported input format, with an example file name."""
    from patscape.sources.detect import readers

    rows = [{"format": r.name, "description": r.description, "example": r.example} for r in readers()]
    console.print_rows(rows, title="formats", as_json=as_json)
