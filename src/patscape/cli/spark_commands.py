"""``patscape spark ...``: the same stages on Spark, over a partitioned Parquet lake, not one database."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click

from patscape import console
from patscape.cli.app import json_option, main
from patscape.cli.landscape_commands import print_report, report_choice, report_options
from patscape.lake import open_lake

DEFAULT_LAKE = "patscape-lake"


def lake_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option(
        "--lake",
        envvar="PATSCAPE_LAKE",
        default=DEFAULT_LAKE,
        show_default=True,
        metavar="PATH|URL",
        help="The lake's folder (local, shared or hdfs://) [env PATSCAPE_LAKE].",
    )(f)
    f = click.option(
        "--master",
        default=None,
        metavar="URL",
        help="Spark master: local[N], spark://host:7077, yarn ... [default: spark-submit's, else local[2]].",
    )(f)
    return click.option(
        "--driver-memory",
        default=None,
        metavar="SIZE",
        help="The driver's memory (e.g. 2g) when Spark starts here.",
    )(f)


@main.group()
def spark() -> None:
    """Ingest, enrich and classify on Spark, over a Parquet lake partitioned by office and year.

    \b
    For data beyond one machine: the readers, enrichment and classifier run on Spark's executors and give
    the tables the embedded database would hold. Run it locally (local[2]), on a cluster (--master
    spark://host:7077), or under spark-submit (which then chooses the master).
      patscape spark ingest ../shared/data/cset_1790_ai_patents --lake lake/
      patscape spark enrich --lake lake/
      patscape spark classify --lake lake/
      patscape landscape --lake lake/ --by country
      patscape spark report --lake lake/ --out report/
    """


@spark.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@lake_options
@json_option
def ingest_command(
    paths: tuple[str, ...], lake: str, master: str | None, driver_memory: str | None, as_json: bool
) -> None:
    """Read files, folders and zip archives into the lake (formats recognised by content).

    Each input is read on an executor; an input already in the lake's manifest is skipped, so a second run
    changes nothing, and a run killed at any moment can simply be run again.
    """
    from patscape.lake.ingest import ingest

    target = open_lake(lake, master, driver_memory)
    summary = ingest(target, [os.path.abspath(p) for p in paths])
    console.print_ingest_summary(_Summary(summary), as_json=as_json, db=target.root)


class _Summary:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def as_dict(self) -> dict[str, Any]:
        return self.data


@spark.command("enrich")
@lake_options
@click.option("--aliases", type=click.Path(exists=True, dir_okay=False), help="An owner alias file (TOML).")
@json_option
def enrich_command(
    lake: str, master: str | None, driver_memory: str | None, aliases: str | None, as_json: bool
) -> None:
    """Families, country attribution and owner groups, rebuilt over the whole lake."""
    from patscape.enrich.aliases import load_aliases
    from patscape.lake.enrich import enrich

    summary = enrich(open_lake(lake, master, driver_memory), load_aliases(aliases) if aliases else None)
    rows = [{"table": k, **v} for k, v in summary.items() if isinstance(v, dict)]
    console.print_rows(rows, title="enrichment", as_json=as_json)


@spark.command("classify")
@lake_options
@click.option("--relabel", is_flag=True, help="Label every publication again, not only new or stale ones.")
@json_option
def classify_command(
    lake: str, master: str | None, driver_memory: str | None, relabel: bool, as_json: bool
) -> None:
    """Generative-AI labels and taxonomy tags with the shipped query and classifier (model broadcast)."""
    from patscape.lake.classify import classify

    summary = classify(open_lake(lake, master, driver_memory), relabel=relabel)
    console.print_rows([summary], title="classification", as_json=as_json)


@spark.command("report")
@lake_options
@report_options
@json_option
def report_command(
    lake: str, master: str | None, driver_memory: str | None, as_json: bool, **chosen: Any
) -> None:
    """Write the landscape report of the lake: what `patscape report` writes (report.html, report.pdf,
    a CSV per table), computed by Spark (run `patscape spark enrich` and `classify` first)."""
    from patscape.lake.report import report
    from patscape.landscape.diagnosis import EmptySelection

    out_dir, options, pdf = report_choice(chosen)
    try:
        result = report(open_lake(lake, master, driver_memory), out_dir, options, pdf=pdf)
    except EmptySelection as exc:
        raise click.ClickException(str(exc)) from None
    print_report(result, as_json)
