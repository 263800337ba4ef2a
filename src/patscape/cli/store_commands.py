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


def _resolved(store, pub_key: str, db: str | None) -> str:  # type: ignore[no-untyped-def]
    key = store.resolve_key(pub_key)
    if key is None:
        raise click.ClickException(f"no publication {pub_key} in {db or default_db()}")
    return key


@main.command()
@click.argument("pub_key")
@db_option
@click.option(
    "--all", "everything", is_flag=True, help="Every stored field and table, internal ones included."
)
@json_option
def show(pub_key: str, db: str | None, everything: bool, as_json: bool) -> None:
    """One publication as an analyst reads it: number, title, dates, applicants with owner group and
    country, family members, classes with titles, the generative-AI label with its evidence, a link
    (PUB_KEY in any spelling: US6530116B2). --all: everything stored about it."""
    from patscape.cli.dossier_view import print_summary
    from patscape.dossier import summary

    with open_store(db, read_only=True) as store:
        key = _resolved(store, pub_key, db)
        found = store.details(key) if everything else summary(store, key)
    if everything:
        console.print_details(found, as_json=as_json)
    elif as_json:
        console.print_json(found)
    else:
        print_summary(found)


@main.command()
@click.argument("pub_key")
@db_option
@json_option
def family(pub_key: str, db: str | None, as_json: bool) -> None:
    """The patent family of a publication (built by `patscape enrich`): every member, earliest first."""
    from patscape.cli.dossier_view import print_family
    from patscape.dossier import family as family_of
    from patscape.store.freshness import ENRICH, require

    with open_store(db, read_only=True) as store:
        require(store, (ENRICH,), db=db or default_db(), purpose="patscape family")
        key = _resolved(store, pub_key, db)
        found = family_of(store, key)
    if found is None:
        raise click.ClickException(f"{key} is in no family: run `patscape enrich` after its ingest")
    if as_json:
        console.print_json(found)
        return
    print_family(key, found)


@main.command()
@click.argument("pub_key")
@db_option
@json_option
def citations(pub_key: str, db: str | None, as_json: bool) -> None:
    """What a publication cites (backward, with who cited: examiner, applicant) and the stored publications
    citing it (forward, with their applicants)."""
    from patscape.cli.dossier_view import print_citations
    from patscape.dossier import citations as citations_of

    with open_store(db, read_only=True) as store:
        key = _resolved(store, pub_key, db)
        found = citations_of(store, key)
    if as_json:
        console.print_json(found)
        return
    print_citations(key, found)


@main.command()
@db_option
@click.option(
    "--top",
    default=15,
    show_default=True,
    help="Rows shown per table but the years (0: all); --json has all.",
)
@json_option
def stats(db: str | None, top: int, as_json: bool) -> None:
    """Counts of what is stored: publications by country, kind, year and source format (with the years
    each format spans, and how many have no publication date); parties, classes, citations, quarantine."""
    with open_store(db, read_only=True) as store:
        result = store.stats()
    console.print_stats(result, as_json=as_json, top=top or None)


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


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@db_option
def titles(folder: str, db: str | None) -> None:
    """Load the titles of IPC/CPC subclasses and main groups (shown beside a publication's codes) from
    FOLDER's labels_group_id_4.tsv and labels_group_id_6.tsv.

    \b
    patscape titles ../shared/data/ipc_titles_inpi_cls/20220101
    """
    from patscape.enrich.class_titles import load_titles

    with open_store(db or default_db()) as store:
        try:
            count = load_titles(store, folder)
        except FileNotFoundError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{count:,} code titles loaded")
