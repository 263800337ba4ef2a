"""The command line: thin; each command calls one library function and prints its result."""

from __future__ import annotations

import importlib.abc
import json
import os
import sys

import click

from patscape import __version__, console
from patscape.store import default_db, open_store


def _db_option(f):  # type: ignore[no-untyped-def]
    return click.option(
        "--db",
        envvar="PATSCAPE_DB",
        default=None,
        metavar="PATH|URL",
        help="DuckDB file or postgresql:// URL [env PATSCAPE_DB; default: patscape.duckdb in the user data "
        "directory].",
    )(f)


_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="patscape")
def main() -> None:
    """patscape: open patent intelligence for generative AI.

    \b
    Typical session:
      patscape ingest ../shared/data/go_uspto_testdata   # read files, folders or zips into the database
      patscape stats                                     # what is stored
      patscape show US-6530116-B2                        # one publication with everything stored about it
      patscape search "vacuum cleaner"                   # full-text search over title, abstract, claims
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@_db_option
@click.option("--batch-size", default=1000, show_default=True, help="Records written per transaction.")
@click.option(
    "--workers",
    default=-1,
    show_default="one per core",
    type=int,
    help="Processes parsing XML beside the writing main process (0 = parse in the main process).",
)
@click.option(
    "--index",
    "build_index",
    is_flag=True,
    help="Rebuild the full-text index at the end (otherwise the next search rebuilds it).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@_json_option
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    batch_size: int,
    workers: int,
    build_index: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Read publications from files, folders and zip archives into the database.

    The format of each file is recognised from its content. Ingesting the same data again changes nothing;
    an interrupted ingest resumes where it stopped. Documents that cannot be read go to the quarantine
    (see `patscape quarantine`) and the rest of the file is stored.
    """
    for unused in ("pandas", "numpy"):
        _refuse_import(unused)
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
    console.print_ingest_summary(summary, as_json=as_json, db=db or default_db())


_OWN_PROCESS = False  # set by the console script; not when the commands run inside another program


class _Refused(importlib.abc.MetaPathFinder):
    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == self.name or fullname.startswith(self.name + "."):
            raise ImportError(f"{self.name} is not used by this command")


def _refuse_import(name: str) -> None:
    """Keep a module this process never uses from being loaded, for the rest of the process.

    DuckDB (binding parameters) and pyarrow (building arrays) import pandas and numpy only to ask whether a
    value is one of theirs, and take their absence gracefully. For ``patscape ingest`` that is 45 MB
    (pandas) and 11 MB (numpy) of the writing process's memory for nothing. Only for a command's own
    short-lived process: both libraries remember the answer.
    """
    if _OWN_PROCESS and name not in sys.modules:
        sys.meta_path.insert(0, _Refused(name))


@main.command()
@click.argument("pub_key")
@_db_option
@_json_option
def show(pub_key: str, db: str | None, as_json: bool) -> None:
    """Print one publication with everything stored about it (PUB_KEY in any spelling: US6530116B2)."""
    from patscape.record import normalise_pub_key

    with open_store(db) as store:
        key = _resolve_key(store, pub_key, normalise_pub_key)
        details = store.details(key) if key else None
    if details is None:
        raise click.ClickException(f"no publication {pub_key} in {db or default_db()}")
    console.print_details(details, as_json=as_json)


def _resolve_key(store, text: str, normalise) -> str | None:  # type: ignore[no-untyped-def]
    """An exact key, or the only stored key with that country and number when the kind is left off."""
    try:
        key = normalise(text)
    except ValueError:
        return None
    if store.scalar("SELECT count(*) FROM publications WHERE pub_key = ?", (key,)):
        return key
    rows = store.fetch(
        "SELECT pub_key FROM publications WHERE pub_key LIKE ? ORDER BY pub_key", (key + "-_%",)
    )
    return rows[0]["pub_key"] if len(rows) == 1 else None


@main.command()
@_db_option
@_json_option
def stats(db: str | None, as_json: bool) -> None:
    """Counts of what is stored: publications by country, kind and year; parties, classes, citations,
    quarantine by reason."""
    with open_store(db) as store:
        result = store.stats()
    console.print_stats(result, as_json=as_json)


@main.command()
@click.argument("query")
@_db_option
@click.option("--limit", default=20, show_default=True)
@_json_option
def search(query: str, db: str | None, limit: int, as_json: bool) -> None:
    """Full-text search over titles, abstracts and claims (BM25 on DuckDB, tsvector on PostgreSQL)."""
    with open_store(db) as store:
        rows = store.search(query, limit)
    console.print_rows(rows, title=f"search: {query}", as_json=as_json)


@main.command()
@_db_option
@click.option("--limit", default=100, show_default=True)
@_json_option
def quarantine(db: str | None, limit: int, as_json: bool) -> None:
    """Documents that could not be read: where they are (file, member, index, offset, line) and why."""
    with open_store(db) as store:
        rows = store.quarantine(limit)
    console.print_rows(rows, title="quarantine", as_json=as_json)


@main.command()
@_json_option
def formats(as_json: bool) -> None:
    """Every supported input format, with an example file name."""
    from patscape.sources.detect import readers

    rows = [{"format": r.name, "description": r.description, "example": r.example} for r in readers()]
    console.print_rows(rows, title="formats", as_json=as_json)


# -- generative AI (enrich/genai) ----------------------------------------------------------------------------


@main.command()
@_db_option
@click.option("--relabel", is_flag=True, help="Label every publication again, even those already current.")
@click.option(
    "--query", "query_file", type=click.Path(exists=True, dir_okay=False), help="Another query file."
)
@click.option(
    "--model", "model_file", type=click.Path(exists=True, dir_okay=False), help="Another classifier."
)
@_json_option
def classify(
    db: str | None, relabel: bool, query_file: str | None, model_file: str | None, as_json: bool
) -> None:
    """Label publications generative AI yes/no, with model, mode and application tags and their evidence.

    Only publications without a label of the current query and classifier version are labelled: a second run
    labels nothing, an edited query file or a new model relabels everything.
    """
    from patscape.enrich.genai.pipeline import default_pipeline
    from patscape.enrich.genai.store_labels import classify as run_classify

    with open_store(db) as store:
        result = run_classify(store, default_pipeline(query_file, model_file), relabel=relabel)
    if as_json:
        console.print_json(result)
    else:
        console.print_rows([result], title="classify", as_json=False)


@main.command(name="eval")
@click.option("--labels", "labels_file", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--cv", default=0, type=int, help="Cross-validate with this many folds (0: score the shipped model)."
)
@click.option(
    "--shared",
    envvar="PATSCAPE_SHARED",
    type=click.Path(file_okay=False),
    help="Folder with data/ for the weak labels of --cv [env PATSCAPE_SHARED; default ../shared].",
)
@_db_option
@_json_option
def eval_command(labels_file: str, cv: int, shared: str | None, db: str | None, as_json: bool) -> None:
    """Precision, recall and F1 (95 % bootstrap intervals) of generative AI yes/no, per model and per mode.

    Documents in the store are read from it; the others from the labels file's own title and abstract.
    Documents labelled `unsure` are left out of the yes/no figures.
    """
    from pathlib import Path

    from patscape.enrich.genai.evaluate import evaluate_file, report_rows
    from patscape.enrich.genai.train import shared_dir

    target = db or default_db()
    data = Path(shared) / "data" if shared else shared_dir() / "data"
    if target.startswith(("postgresql://", "postgres://")) or Path(target).exists():
        with open_store(db) as store:
            rep = evaluate_file(labels_file, cv=cv or None, store=store, data=data if data.is_dir() else None)
            if cv:  # the last measured figures, for the report's method appendix
                measured = {**rep["genai"], "cv": cv, "labels": labels_file}
                store.set_meta("genai_evaluation", json.dumps(measured))
    else:
        rep = evaluate_file(labels_file, cv=cv or None, data=data if data.is_dir() else None)
    if as_json:
        console.print_json(rep)
        return
    method = rep["method"]
    title = f"{cv}-fold cross-validation" if cv else f"shipped model ({method.get('method_version')})"
    console.print_rows(report_rows(rep), title=f"eval {labels_file}: {title}", as_json=False)
    if rep["misclassified"]:
        console.print_rows(rep["misclassified"], title="misclassified", as_json=False)


@main.command()
@click.argument("pub_key")
@_db_option
@_json_option
def explain(pub_key: str, db: str | None, as_json: bool) -> None:
    """Why a publication is (or is not) generative AI, and its tags: phrases and codes matched, where, and
    the classifier's weightiest features."""
    from patscape.enrich.genai.store_labels import explain as run_explain
    from patscape.enrich.genai.store_labels import explain_rows

    with open_store(db) as store:
        result = run_explain(store, pub_key)
    if result is None:
        raise click.ClickException(f"no publication {pub_key} in {db or default_db()}")
    if as_json:
        console.print_json(result)
        return
    stored = "" if result["stored"] else " (not classified yet: computed now)"
    console.print_rows(
        explain_rows(result), title=f"{result['pub_key']}  {result['title'] or ''}{stored}", as_json=False
    )


@main.command()
@click.option(
    "--shared",
    envvar="PATSCAPE_SHARED",
    type=click.Path(file_okay=False),
    help="Folder with labels/dev.jsonl and data/ [env PATSCAPE_SHARED; default ../shared].",
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Where to write the classifier [default: the shipped one]."
)
@_json_option
def train(shared: str | None, out: str | None, as_json: bool) -> None:
    """Train the generative-AI classifier on the labels file and the weak labels (deterministic)."""
    from pathlib import Path

    from patscape.enrich.genai.train import train_default

    result = train_default(Path(shared) if shared else None, out)
    if as_json:
        console.print_json(result)
    else:
        console.print_rows([result], title="train", as_json=False)


# -- landscape (issue 5) ---------------------------------------------------------------------------


def _window(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    start, _, end = value.partition("-")
    try:
        return int(start), int(end)
    except ValueError:
        raise click.BadParameter(f"expected START-END years, e.g. 2013-2018, not {value!r}") from None


@main.command()
@_db_option
@click.option(
    "--by",
    type=click.Choice(["country", "owner", "model", "mode", "application", "quality"]),
    default="country",
    show_default=True,
    help="Which tables: countries (+ China vs world, growth), top owners, model/mode/application breakdowns, "
    "or quality.",
)
@click.option(
    "--year",
    "year_basis",
    type=click.Choice(["publication", "priority"]),
    default="publication",
    show_default=True,
    help="Count a family in its earliest publication year (WIPO) or earliest priority year (OECD).",
)
@click.option(
    "--country-by",
    type=click.Choice(["inventor", "applicant", "office", "member"]),
    default="inventor",
    show_default=True,
    help="Country of a family: inventors', applicants', first-filing office, or every member office.",
)
@click.option(
    "--fractional", is_flag=True, help="Fractional counting (a family's weight split over countries)."
)
@click.option("--genai", is_flag=True, help="Only families with a member labelled generative AI.")
@click.option(
    "--tag", "tags", multiple=True, help="Only families with this tag (model:GAN, cset:Machine_Learning)."
)
@click.option("--owner", help="Only families of this owner group (group id or name).")
@click.option("--query", help="Only families whose title, abstract or claims contain every word.")
@click.option("--from", "year_from", type=int, help="First year (on the --year basis).")
@click.option("--to", "year_to", type=int, help="Last year (on the --year basis).")
@click.option("--top", default=20, show_default=True, help="Owner groups listed.")
@click.option("--window", help="Growth window START-END [default: five years to the last complete year].")
@click.option("--limit", default=40, show_default=True, help="Rows printed per table.")
@_json_option
@click.option("--out", type=click.Path(dir_okay=False), help="Write FILE.csv, FILE.xlsx or FILE.parquet.")
def landscape(
    db: str | None,
    by: str,
    year_basis: str,
    country_by: str,
    fractional: bool,
    genai: bool,
    tags: tuple[str, ...],
    owner: str | None,
    query: str | None,
    year_from: int | None,
    year_to: int | None,
    top: int,
    window: str | None,
    limit: int,
    as_json: bool,
    out: str | None,
) -> None:
    """Patent families per year by country, shares, growth, owners, taxonomy and quality.

    Families are counted, not documents; years cut short by the publication lag are flagged incomplete.
    """
    from patscape.landscape.command import Request, present, run
    from patscape.landscape.filters import LandscapeFilter

    request = Request(
        by=by,
        year=year_basis,
        country_by=country_by,
        fractional=fractional,
        filter=LandscapeFilter(
            genai=genai, tags=tags, year_from=year_from, year_to=year_to, owner=owner, query=query
        ),
        top=top,
        window=_window(window),
        limit=limit,
    )
    with open_store(db, read_only=not (db or default_db()).startswith("postgres")) as store:
        frames, meta = run(store, request)
    try:
        present(frames, meta, as_json=as_json, out=out, limit=limit)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@main.command(name="enrich")
@_db_option
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
@_json_option
def enrich_command(db: str | None, aliases: str | None, threshold: float | None, as_json: bool) -> None:
    """(Re)build families, country attribution and owner groups from what is stored.

    Writes the tables families, family_members, family_countries, owner_groups and family_owners; running it
    again rewrites them the same way.
    """
    from patscape.enrich.aliases import load_aliases
    from patscape.enrich.build import enrich
    from patscape.enrich.owners import FUZZY_THRESHOLD

    with open_store(db) as store:
        summary = enrich(store, load_aliases(aliases), FUZZY_THRESHOLD if threshold is None else threshold)
    if as_json:
        console.print_json(summary)
        return
    rows = [
        {
            "step": step,
            "counts": ", ".join(f"{k} {v}" for k, v in counts.items() if k != "seconds"),
            "seconds": counts["seconds"],
        }
        for step, counts in summary.items()
    ]
    console.print_rows(rows, title=f"enrich: {db or default_db()}", as_json=False)


@main.command()
@_db_option
@click.option("--top", default=20, show_default=True, help="Owner groups listed (most families first).")
@click.option("--names", default=8, show_default=True, help="Raw names shown per group.")
@_json_option
def owners(db: str | None, top: int, names: int, as_json: bool) -> None:
    """The owner groups with the most families, with the raw applicant names grouped under each
    (run `patscape enrich` first)."""
    from patscape.enrich.owners import top_owners

    with open_store(db) as store:
        rows = top_owners(store, top, names)
    if not as_json:
        rows = [{**r, "names": "; ".join(r["names"])} for r in rows]
    console.print_rows(rows, title="owner groups", as_json=as_json)


# -- report (issue 6) ------------------------------------------------------------------------------


@main.command()
@_db_option
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for report.html, report.pdf and one CSV per table.",
)
@click.option("--title", help="Report title [default: Patent landscape, or Generative AI: patent landscape].")
@click.option("--genai", is_flag=True, help="Only families with a member labelled generative AI.")
@click.option("--from", "year_from", type=int, help="First year counted (on the year basis).")
@click.option("--to", "year_to", type=int, help="Last year counted (on the year basis).")
@click.option(
    "--year",
    "year_basis",
    type=click.Choice(["auto", "publication", "priority"]),
    default="auto",
    show_default=True,
    help="Year basis (auto: publication year unless fewer families have one than a priority year).",
)
@click.option(
    "--country-by",
    type=click.Choice(["auto", "inventor", "applicant", "office", "member"]),
    default="auto",
    show_default=True,
    help="Country basis (auto: the first of inventor, applicant, office, member placing half the families).",
)
@click.option("--no-pdf", is_flag=True, help="Write the HTML and CSV files only.")
@_json_option
def report(
    db: str | None,
    out_dir: str,
    title: str | None,
    genai: bool,
    year_from: int | None,
    year_to: int | None,
    year_basis: str,
    country_by: str,
    no_pdf: bool,
    as_json: bool,
) -> None:
    """Write the landscape report: report.html (self-contained, interactive, works offline), report.pdf and
    every table behind them as CSV."""
    from pathlib import Path

    from patscape.report import write_report

    target = db or default_db()
    if not target.startswith(("postgresql://", "postgres://")) and not Path(target).exists():
        raise click.ClickException(f"no database at {target}: run `patscape ingest` and `patscape enrich`")
    result = write_report(
        target,
        out_dir,
        title=title,
        genai=genai,
        year_from=year_from,
        year_to=year_to,
        year=year_basis,
        country_by=country_by,
        pdf=not no_pdf,
    )
    if as_json:
        console.print_json(result.as_dict())
        return
    for why in dict.fromkeys(result.missing.values()):
        console.err.print(f"[yellow]not shown:[/yellow] {why}")
    pages = f", {result.pages} pages" if result.pdf else ""
    console.err.print(f"wrote {len(result.csv)} CSV files in {result.out_dir}{pages}, {result.seconds:.1f} s")
    print(result.html)
    if result.pdf:
        print(result.pdf)


def run() -> None:
    """The ``patscape`` console script: each command in a process of its own."""
    global _OWN_PROCESS
    _OWN_PROCESS = True
    main()


if __name__ == "__main__":
    run()
