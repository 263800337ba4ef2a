"""Commands of the search language: search, index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from patscape import console
from patscape.cli.app import db_option, json_option, main
from patscape.safe_output import terminal_text
from patscape.store import default_db, is_server_url, open_store

QUERY_HELP = """\b
QUERY is written in the Espacenet (CQL) language, with the aliases of Lens and Orbit:
  neural network                      both words in title, abstract or claims (txt)
  ti="neural network"                 a phrase in the title; ti=生成对抗网络 (characters in a row)
  ta=(car or truck) AND NOT cl=wheel  groups take their field; AND, OR, NOT apply left to right
  ti=(neural prox/distance<3 network) within two words (NEAR/2, 2D); /ordered, 2W: in that order
  comput* colo?r wheel#               truncation: any characters, zero or one, exactly one
  pa=tencent  in="li ming"            applicant or owner group; inventor
  pn=US11532378B2  ap=US16123456  pr=CN201910123456  fam=54321
  cpc=G06N3/04*  ipc=G06N  cc=CN      codes and what lies below; publication office
  pd>=2021  pd<2023-07-01  pd within "2020 2022"  prd=2019  ad=2020-05
  genai=yes  model=GAN  mode=image  app=security      (after patscape classify)
  title:gan AND applicant:ibm AND cpc:G06N            Lucene-style field names
"""


class QueryError(click.ClickException):
    exit_code = 2


@main.command(epilog=QUERY_HELP)
@click.argument("query")
@db_option
@click.option("--families", is_flag=True, help="One hit per family (its best member), counted by family.")
@click.option("--count", "count_only", is_flag=True, help="Print the number of hits only.")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "date"]),
    default="relevance",
    show_default=True,
    help="Relevance (BM25 over the words searched) or publication date, newest first.",
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Hits shown.")
@click.option("--explain", is_flag=True, help="Print the parsed tree and the SQL it became; run nothing.")
@json_option
def search(
    query: str,
    db: str | None,
    families: bool,
    count_only: bool,
    sort: str,
    limit: int,
    explain: bool,
    as_json: bool,
) -> None:
    """Search the stored publications with a patent search language (see below), with snippets."""
    from patscape import search as lang

    target = db or default_db()
    try:
        parsed = lang.parse(query)
        # on PostgreSQL a search writes temporary tables, which a read-only session refuses
        with open_store(target, read_only=not is_server_url(target), create=False) as store:
            if explain:
                _, compiled = lang.prepare(store, parsed, families=families)
                _print_explain(parsed, compiled, as_json)
                return
            if count_only:
                n = lang.count(store, parsed, families=families)
                if as_json:
                    console.print_json({"query": query, "count": n, "unit": _unit(families)})
                else:
                    print(n)
                return
            result = lang.search(store, parsed, families=families, sort=sort, limit=limit)  # type: ignore[arg-type]
    except lang.SearchSyntaxError as exc:
        if as_json:
            console.print_json({"query": query, "error": exc.as_dict()})
        raise QueryError(_pointed(query, exc)) from None
    except (lang.SearchUnavailable, lang.SearchTimeout) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        console.print_json(result.as_dict())
        return
    _print_result(result)


def check_query(query: str | None) -> None:
    """For the commands that take ``--query``: a syntax error stops them before any work, pointed at."""
    if query is None:
        return
    from patscape.search import SearchSyntaxError, parse

    try:
        parse(query)
    except SearchSyntaxError as exc:
        raise QueryError(_pointed(query, exc)) from None


def _unit(families: bool) -> str:
    return "families" if families else "publications"


def _pointed(query: str, exc: Any) -> str:
    """The message, the line of the query it is about and a caret under the column."""
    line = query.splitlines()[exc.line - 1] if query.strip() else ""
    return f"{exc}\n  {line}\n  {' ' * (exc.column - 1)}^"


def _print_explain(parsed: Any, compiled: Any, as_json: bool) -> None:
    if as_json:
        console.print_json(
            {
                "query": parsed.text,
                "tree": parsed.describe().splitlines(),
                "sql": compiled.sql,
                "params": list(compiled.params),
                "dialect": compiled.dialect,
                "notes": list(compiled.notes),
            }
        )
        return
    console.out.print("[b]tree[/b]")
    console.out.print(terminal_text(parsed.describe()), markup=False, highlight=False)
    console.out.print(f"\n[b]SQL[/b] ({compiled.dialect}; ? are parameters)")
    console.out.print(compiled.sql, markup=False, highlight=False, soft_wrap=True)
    console.out.print("\n[b]parameters[/b]")
    for i, value in enumerate(compiled.params, start=1):
        console.out.print(terminal_text(f"  {i}: {value!r}"), markup=False, highlight=False)
    for note in compiled.notes:
        console.err.print(f"[yellow]note:[/yellow] {note}")


def _print_result(result: Any) -> None:
    from rich.table import Table
    from rich.text import Text

    unit = "families" if result.families else "publications"
    title = Text(f"{result.total:,} {unit} found by {terminal_text(result.query.text)}")
    table = Table(title=title, title_justify="left", show_lines=True)
    for col in ("publication", "score", "published", "title / applicants / snippet"):
        table.add_column(col, overflow="fold")
    for hit in result.hits:
        # stored text is shown as text: control characters escaped (safe_output), no markup read
        body = Text(terminal_text(hit.title or ""), style="bold")
        if hit.applicants:
            body.append("\n" + terminal_text("; ".join(hit.applicants)), style="cyan")
        if hit.snippet and hit.snippet.kind != "title":  # the title is shown already
            body.append_text(_highlighted(hit.snippet.text, hit.snippet.highlights))
        key = hit.pub_key + (f"\n({hit.members} in family)" if result.families and hit.members > 1 else "")
        table.add_row(
            Text(terminal_text(key)), f"{hit.score:.3f}" if hit.score else "", hit.published or "", body
        )
    console.out.print(table)
    for note in result.notes:
        console.err.print(f"[yellow]note:[/yellow] {note}")


def _highlighted(text: str, highlights: list[tuple[int, int]]) -> Any:
    """The snippet on a line of its own, the matched words in bold; control characters from the data are
    escaped piece by piece, so the highlights' offsets stay right."""
    from rich.text import Text

    shown = Text("\n")
    at = 0
    for start, end in highlights:
        shown.append(terminal_text(text[at:start]))
        shown.append(terminal_text(text[start:end]), style="bold yellow")
        at = end
    shown.append(terminal_text(text[at:]))
    return shown


@main.command()
@db_option
@click.option(
    "--rebuild", is_flag=True, help="Rebuild the whole index (sorted) rather than add what changed."
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@json_option
def index(db: str | None, rebuild: bool, quiet: bool, as_json: bool) -> None:
    """Build or update the search index (words and their positions in titles, abstracts, claims,
    descriptions and names). `patscape ingest` and `patscape enrich` keep it up to date; a search never
    writes it."""
    from patscape.search import build_index, update_index

    with open_store(db) as store, index_progress(disable=quiet or as_json) as progress:
        summary = (build_index if rebuild else update_index)(store, progress)
    if as_json:
        console.print_json(summary)
        return
    console.print_rows([summary], title=f"search index: {db or default_db()}", as_json=False)


def update_search_index(store: Any, quiet: bool) -> dict[str, Any]:
    """For the writing commands: bring the search index up to date, with a progress bar."""
    from patscape.search import update_index

    with index_progress(disable=quiet) as progress:
        return update_index(store, progress)


@contextmanager
def index_progress(disable: bool = False) -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar per indexing step, in texts."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("search index: {task.description}", style="cyan"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console.err,
        disable=disable,
    )
    tasks: dict[str, Any] = {}

    def update(step: str, done: int, total: int) -> None:
        if step not in tasks:
            tasks[step] = progress.add_task(step, total=total)
        progress.update(tasks[step], completed=done)

    with progress:
        yield update
