"""Benchmark of the generative-AI labelling over the 31,540 real AI patents of ``gp_ai_patents_cpc/scraped``.

In one run, on the same documents (title, abstract, CPC codes; read once from the CSVs, not timed):

- the query stage alone (every group, code and taxonomy term over title and abstract, plus the decision);
- the classifier (the shipped model) over the documents the query retrieves, as ``classify`` runs it (with
  the query's results handed over, and the weightiest features of each document), and over all documents
  (``predict_proba``, which runs the query for its features);
- query + classifier, the figure of the target (documents per second over all 31,540);
- the whole pipeline with the taxonomy tags (``Pipeline.decide``);
- a baseline: a plain scikit-learn ``TfidfVectorizer`` + ``LogisticRegression`` (trained on dev.jsonl),
  transforming and scoring every document.

Then the breakdown the note reports: how many documents are generative AI, by model, mode and application.

    .venv/bin/python bench/classify.py [--shared ../shared] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from patscape.enrich.genai.document import read_labels, read_scraped, scraped_files
from patscape.enrich.genai.pipeline import default_pipeline


def _timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def run(shared: Path) -> dict[str, Any]:
    docs, read_s = _timed(read_scraped, scraped_files(shared / "data"))
    n = len(docs)
    pipe = default_pipeline()
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

    labelled = [lab for lab in read_labels(shared / "labels" / "dev.jsonl") if lab.genai in ("yes", "no")]
    texts = [d.text for d in docs]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    base = LogisticRegression(max_iter=1000, random_state=0)
    base.fit(vec.fit_transform([lab.doc.text for lab in labelled]), [lab.genai == "yes" for lab in labelled])

    def baseline() -> Any:
        return base.predict_proba(vec.transform(texts))

    _, base_s = _timed(baseline)

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
            "baseline_tfidf_logreg": round(n / base_s),
        },
        "seconds": {
            "query_stage": round(query_s, 2),
            "classifier_on_retrieved": round(clf_cand_s, 2),
            "classifier_on_all": round(clf_all_s, 2),
            "pipeline_with_taxonomy": round(pipeline_s, 2),
            "baseline_tfidf_logreg": round(base_s, 2),
        },
        "method_version": pipe.method_version,
        "retrieved": len(cand),
        "genai": len(genai),
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
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(Path(args.shared))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['documents']:,} documents ({result['cpu_count']} cores), {result['method_version']}")
    for name, rate in result["throughput_docs_per_s"].items():
        print(f"  {name:28s} {rate:>8,} docs/s")
    print(
        f"retrieved {result['retrieved']:,}; generative AI {result['genai']:,} ({result['genai_share']:.1%})"
    )
    for key in ("by_model", "by_mode", "by_application_genai", "genai_by_country"):
        print(f"{key}: " + ", ".join(f"{k} {v:,}" for k, v in result[key].items()))


if __name__ == "__main__":
    main()
