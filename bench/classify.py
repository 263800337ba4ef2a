"""Benchmark of the generative-AI labelling over the 31,540 real AI patents of ``gp_ai_patents_cpc/scraped``.

In one run, on the same documents (title, abstract, CPC codes; read once from the CSVs, not timed):

- **the whole shipped pipeline** (query, calibrated classifier, rule models and modes, learned application
  field: ``Pipeline.decide``), the issue's figure, next to
- **today's model** as it was before issue 18 (``--baseline-model``, default: the classifier file on git's
  ``main``, format 1, with the rule taxonomy only), through the same ``Pipeline.decide``, and
- **a plain baseline**: scikit-learn ``TfidfVectorizer`` + ``LogisticRegression`` trained on the development
  labels, transforming and scoring every document;

and the stages of the shipped pipeline alone:

- the query stage alone (every group, code and taxonomy term over title and abstract, plus the decision);
- the classifier (the shipped model) over the documents the query retrieves, as ``classify`` runs it (with
  the query's results handed over, and the weightiest features of each document), and over all documents
  (``predict_proba``, which runs the query for its features);
- query + classifier, the figure of the target (documents per second over all 31,540);

Ratios between figures of one run are what to quote: the machine is shared and its speed drifts.

Then the breakdown the note reports: how many documents are generative AI, by model, mode and application.

    .venv/bin/python bench/classify.py [--shared ../shared] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from patscape.enrich.genai.classifier import GenAIClassifier
from patscape.enrich.genai.document import read_scraped, scraped_files
from patscape.enrich.genai.pipeline import DEFAULT_MODEL, Pipeline, default_pipeline
from patscape.enrich.genai.split import read_reference_labels, split_labels

ROOT = Path(__file__).resolve().parents[1]


def baseline_model_file(spec: str | None) -> Path:
    """Today's model before issue 18: a file, or by default the shipped classifier on git's ``main``."""
    if spec:
        return Path(spec)
    rel = DEFAULT_MODEL.relative_to(ROOT)
    blob = subprocess.run(["git", "-C", str(ROOT), "show", f"main:{rel}"], capture_output=True, check=True)
    target = Path(tempfile.mkdtemp()) / "baseline-classifier.npz"
    target.write_bytes(blob.stdout)
    return target


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def embedding_cost(cand: list[Any], sample: int) -> dict[str, Any] | None:
    """Seconds per retrieved document of the all-MiniLM-L6-v2 sentence embedding (``bench/minilm_numpy.py``,
    numpy), measured on every k-th retrieved document (``sample`` of them); None without the model package."""
    from importlib.util import find_spec

    if sample <= 0 or not cand or find_spec("all_minilm_l6_v2") is None:
        return None
    from minilm_numpy import minilm

    encoder = minilm()
    step = max(1, len(cand) // sample)
    picked = [d.text for d in cand[::step][:sample]]
    _, seconds = _timed(encoder.encode, picked)
    return {"sample": len(picked), "seconds": round(seconds, 2), "per_document_s": seconds / len(picked)}


def run(shared: Path, baseline_model: str | None = None, embedding_sample: int = 0) -> dict[str, Any]:
    docs, read_s = _timed(read_scraped, scraped_files(shared / "data"))
    n = len(docs)
    pipe = default_pipeline()
    today = Pipeline(pipe.query, GenAIClassifier.load(baseline_model_file(baseline_model)))
    query = pipe.query
    clf = pipe.classifier
    assert clf is not None

    def query_stage() -> list[Any]:
        return [query.decide(query.hits(d)) for d in docs]

    results, query_s = _timed(query_stage)
    cand = [d for d, r in zip(docs, results, strict=True) if r.candidate]
    cand_results = [r for r in results if r.candidate]
    # as classify runs it: the query's results are handed over, not computed again
    _, clf_cand_s = _timed(lambda: clf.predict_with_evidence(cand, results=cand_results))
    _, clf_all_s = _timed(clf.predict_proba, docs)
    decisions, pipeline_s = _timed(pipe.decide, docs)
    today_decisions, today_s = _timed(today.decide, docs)

    development, _ = split_labels(read_reference_labels(shared))
    labelled = [lab for lab in development if lab.genai in ("yes", "no")]
    texts = [d.text for d in docs]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    base = LogisticRegression(max_iter=1000, random_state=0)
    base.fit(vec.fit_transform([lab.doc.text for lab in labelled]), [lab.genai == "yes" for lab in labelled])

    def baseline() -> Any:
        return base.predict_proba(vec.transform(texts))

    _, base_s = _timed(baseline)

    embedding = embedding_cost(cand, embedding_sample)
    genai = [d for d in decisions if d.is_genai]
    by_model: Counter[str] = Counter(t for d in genai for t in d.tag_list("model"))
    by_mode: Counter[str] = Counter(t for d in genai for t in d.tag_list("mode"))
    by_app_genai: Counter[str] = Counter(d.application or "" for d in genai)
    by_app_all: Counter[str] = Counter(d.application or "" for d in decisions)
    by_country: Counter[str] = Counter(d.pub_key.split("-")[0] for d in genai)
    return {
        "documents": n,
        "cpu_count": os.cpu_count(),
        "read_seconds": round(read_s, 2),
        "throughput_docs_per_s": {
            "query_stage": round(n / query_s),
            "classifier_on_retrieved": round(len(cand) / clf_cand_s),
            "classifier_on_all": round(n / clf_all_s),
            "query_plus_classifier": round(n / (query_s + clf_cand_s)),
            "pipeline_with_taxonomy": round(n / pipeline_s),
            "today_model_pipeline": round(n / today_s),
            "baseline_tfidf_logreg": round(n / base_s),
        },
        "embedding_on_retrieved": embedding
        and {
            **embedding,
            "docs_per_s": round(1 / embedding["per_document_s"], 1),
            # the whole pipeline if every retrieved document were embedded too
            "pipeline_with_embedding_docs_per_s": round(
                n / (pipeline_s + embedding["per_document_s"] * len(cand)), 1
            ),
        },
        "ratios": {
            "pipeline_vs_today": round(today_s / pipeline_s, 3),
            "pipeline_vs_tfidf_logreg": round(base_s / pipeline_s, 3),
        },
        "seconds": {
            "query_stage": round(query_s, 2),
            "classifier_on_retrieved": round(clf_cand_s, 2),
            "classifier_on_all": round(clf_all_s, 2),
            "pipeline_with_taxonomy": round(pipeline_s, 2),
            "today_model_pipeline": round(today_s, 2),
            "baseline_tfidf_logreg": round(base_s, 2),
        },
        "method_version": pipe.method_version,
        "retrieved": len(cand),
        "genai": len(genai),
        "genai_today_model": sum(d.is_genai for d in today_decisions),
        "genai_share": round(len(genai) / n, 4),
        "by_model": dict(by_model.most_common()),
        "by_mode": dict(by_mode.most_common()),
        "by_application_genai": dict(by_app_genai.most_common()),
        "by_application_all": dict(by_app_all.most_common()),
        "genai_by_country": dict(by_country.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", default=os.environ.get("PATSCAPE_SHARED", "../shared"))
    parser.add_argument("--baseline-model", help="today's classifier file [default: the one on git's main]")
    parser.add_argument(
        "--embedding-sample",
        type=int,
        default=0,
        help="also time the all-MiniLM-L6-v2 embedding on this many retrieved documents [0: not]",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(Path(args.shared), args.baseline_model, args.embedding_sample)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['documents']:,} documents ({result['cpu_count']} cores), {result['method_version']}")
    for name, rate in result["throughput_docs_per_s"].items():
        print(f"  {name:28s} {rate:>8,} docs/s")
    emb = result["embedding_on_retrieved"]
    if emb:
        print(
            f"  embedding (MiniLM, numpy)    {emb['docs_per_s']:>8,} docs/s on {emb['sample']} retrieved; "
            f"pipeline with it {emb['pipeline_with_embedding_docs_per_s']:,} docs/s"
        )
    print("  ratios: " + ", ".join(f"{k} {v:.2f}x" for k, v in result["ratios"].items()))
    print(
        f"retrieved {result['retrieved']:,}; generative AI {result['genai']:,} ({result['genai_share']:.1%})"
    )
    for key in ("by_model", "by_mode", "by_application_genai", "genai_by_country"):
        print(f"{key}: " + ", ".join(f"{k} {v:,}" for k, v in result[key].items()))


if __name__ == "__main__":
    main()
