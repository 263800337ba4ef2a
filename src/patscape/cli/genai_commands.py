"""Commands of the generative-AI identification: classify, eval, explain, train, label-queue."""

from __future__ import annotations

import json

import click

from patscape import console
from patscape.cli.app import db_option, json_option, main
from patscape.enrich.genai.stored_evaluation import StoredEvaluation, save_evaluation
from patscape.store import default_db, open_store
from patscape.store.target import ReadOnlyStorage


@main.command()
@db_option
@click.option("--relabel", is_flag=True, help="Label every publication again, even those already current.")
@click.option(
    "--query", "query_file", type=click.Path(exists=True, dir_okay=False), help="Another query file."
)
@click.option(
    "--model", "model_file", type=click.Path(exists=True, dir_okay=False), help="Another classifier."
)
@json_option
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
@db_option
@json_option
def eval_command(labels_file: str, cv: int, shared: str | None, db: str | None, as_json: bool) -> None:
    """Precision, recall and F1 (95 % bootstrap intervals) of generative AI yes/no, per model and per mode.

    Documents in the store are read from it; the others from the labels file's own title and abstract.
    Documents labelled `unsure` are left out of the yes/no figures.
    """
    from pathlib import Path

    from patscape.enrich.genai.evaluate import evaluate_file, report_rows
    from patscape.enrich.genai.train import shared_dir

    data = Path(shared) / "data" if shared else shared_dir() / "data"
    weak = data if data.is_dir() else None
    if db is None and not Path(default_db()).exists():  # no store named and none at the default place
        rep = evaluate_file(labels_file, cv=cv or None, data=weak)
    else:
        with open_store(db, read_only=True) as store:
            rep = evaluate_file(labels_file, cv=cv or None, store=store, data=weak)
        if cv:  # the last measured figures, for the report's method appendix
            _save_evaluation(db, StoredEvaluation.from_report(rep, folds=cv, labels_file=labels_file))
    if as_json:
        console.print_json(rep)
        return
    method = rep["method"]
    title = f"{cv}-fold cross-validation" if cv else f"shipped model ({method.get('method_version')})"
    console.print_rows(report_rows(rep), title=f"eval {labels_file}: {title}", as_json=False)
    if rep["misclassified"]:
        console.print_rows(rep["misclassified"], title="misclassified", as_json=False)


def _save_evaluation(db: str | None, evaluation: StoredEvaluation) -> None:
    """Kept in the store it was measured on; said, not fatal, when that store cannot be written."""
    try:
        with open_store(db, create=False) as store:
            save_evaluation(store, evaluation)
    except ReadOnlyStorage as exc:
        console.err.print(f"[yellow]the evaluation was not saved: {exc}[/yellow]")


@main.command()
@click.argument("pub_key")
@db_option
@json_option
def explain(pub_key: str, db: str | None, as_json: bool) -> None:
    """Why a publication is (or is not) generative AI, and its tags: phrases and codes matched, where, and
    the classifier's weightiest features."""
    from patscape.enrich.genai.store_labels import explain as run_explain
    from patscape.enrich.genai.store_labels import explain_rows

    with open_store(db, read_only=True) as store:
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
    help="Folder with labels/ and data/ [env PATSCAPE_SHARED; default ../shared].",
)
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Where to write the classifier [default: the shipped one]."
)
@click.option(
    "--score-test-split",
    is_flag=True,
    help="Then score the new pipeline once on the frozen test split (the scoring is logged) and keep its "
    "figures beside the model, for the report's method appendix.",
)
@json_option
def train(shared: str | None, out: str | None, score_test_split: bool, as_json: bool) -> None:
    """Train the generative-AI classifier and the application model (deterministic: byte-identical files).

    They learn from the development part of labels/dev.jsonl + labels/train.jsonl (never the frozen test
    split, never the non-commercial Miric documents) and from weak labels of the shared data.
    """
    from pathlib import Path

    from patscape.enrich.genai.evaluate import (
        FROZEN_FIGURES,
        save_frozen_split_figures,
        score_frozen_split,
    )
    from patscape.enrich.genai.pipeline import default_pipeline
    from patscape.enrich.genai.train import shared_dir, train_default

    folder = Path(shared) if shared else shared_dir()
    result = train_default(folder, out)
    if score_test_split:
        pipe = default_pipeline(model_path=result["model"], application_path=result["application_model"])
        figures = score_frozen_split(pipe, folder, note="patscape train --score-test-split")
        target = Path(out).with_name(Path(out).stem + "-frozen-split.json") if out else FROZEN_FIGURES
        save_frozen_split_figures(figures, target)
        result.update(
            test_split_f1=figures.f1.value,
            test_split_precision=figures.precision.value,
            test_split_scorings=figures.scoring,
        )
    if as_json:
        console.print_json(result)
    else:
        console.print_rows([result], title="train", as_json=False)


@main.command(name="label-queue")
@click.option("--n", "count", default=50, show_default=True, help="How many documents to queue.")
@db_option
@click.option(
    "--known",
    "known_files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False),
    help="Labels files (JSONL) of documents already labelled: never queued, and the queue keeps away from "
    "them. Repeatable.",
)
@click.option("--out", type=click.Path(dir_okay=False), help="Write the JSONL here instead of printing it.")
def label_queue(count: int, db: str | None, known_files: tuple[str, ...], out: str | None) -> None:
    """The unlabelled documents of the store whose labels would teach the models most (uncertainty, then
    diversity), as JSONL in the labels files' form, ready to be labelled."""
    from patscape.enrich.genai.active import label_queue as run_queue
    from patscape.enrich.genai.document import read_labels
    from patscape.enrich.genai.pipeline import default_pipeline

    known = [lab for path in known_files for lab in read_labels(path)]
    with open_store(db) as store:
        rows = run_queue(store, default_pipeline(), count, known)
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)
