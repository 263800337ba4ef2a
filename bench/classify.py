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

and, with ``--before REV`` (default: commit 1c788cf, the code before the speed-up of issue 18), **the same
pipeline as that commit's code runs it**, in a process of its own over the same documents (its ``src`` taken
from git): its speed, and whether every decision is the same (each decision's digest, every hit, score,
tag and piece of evidence; ``tests/enrich/genai/expected_decisions.py``).

Every rate is given twice: per second of wall clock, and per CPU second of the process (``process_time``),
which a shared machine's load moves much less. The whole pipeline's CPU seconds are broken down by stage
(``Pipeline.decide(seconds=...)``). Ratios between figures of one run are what to quote: the machine is
shared and its speed drifts; the load average is printed beside them.

Then the breakdown the note reports: how many documents are generative AI, by model, mode and application.

    .venv/bin/python bench/classify.py [--shared ../shared] [--before REV] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
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
BEFORE = "1c788cf"  # the pipeline's code before issue 18's speed-up
sys.path.insert(0, str(ROOT))  # the digests of tests/enrich/genai/expected_decisions.py
from tests.enrich.genai.expected_decisions import summary  # noqa: E402


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


def _load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _cpu_timed(fn, *args):  # type: ignore[no-untyped-def]
    """The result, wall seconds, CPU seconds of this process and the load average when it ended."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu, _load()


def digests(decisions: list[Any]) -> list[str]:
    return [summary(d)["digest"] for d in decisions]


def decide_here(shared: Path) -> dict[str, Any]:
    """The pipeline of the code this process imports, over the benchmark's documents (``--decide-only``)."""
    docs = read_scraped(scraped_files(shared / "data"))
    pipe = default_pipeline()
    for d in docs:  # as in run(), where the query stage runs first: the matcher's word table is warm
        pipe.query.hits(d)
    decisions, wall, cpu, load = _cpu_timed(pipe.decide, docs)
    return {
        "method_version": pipe.method_version,
        "seconds": wall,
        "cpu_seconds": cpu,
        "load": load,
        "digests": digests(decisions),
    }


def fresh_process(rev: str | None, shared: Path) -> dict[str, Any]:
    """``decide_here`` in a process of its own, by commit ``rev``'s ``src`` (from git), or by this code."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        if rev:
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
            )
            subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
            env["PYTHONPATH"] = str(Path(tmp) / "src")
        out = subprocess.run(
            [sys.executable, __file__, "--decide-only", "--shared", str(shared)],
            env=env,
            capture_output=True,
            check=True,
            text=True,
        )
    return json.loads(out.stdout)


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


def run(
    shared: Path, baseline_model: str | None = None, embedding_sample: int = 0, before: str | None = BEFORE
) -> dict[str, Any]:
    docs, read_s = _timed(read_scraped, scraped_files(shared / "data"))
    n = len(docs)
    load_start = _load()
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
    stages: dict[str, float] = {}
    decisions, pipeline_s, pipeline_cpu, pipeline_load = _cpu_timed(lambda: pipe.decide(docs, stages))
    today_decisions, today_s, today_cpu, today_load = _cpu_timed(today.decide, docs)

    development, _ = split_labels(read_reference_labels(shared))
    labelled = [lab for lab in development if lab.genai in ("yes", "no")]
    texts = [d.text for d in docs]
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    base = LogisticRegression(max_iter=1000, random_state=0)
    base.fit(vec.fit_transform([lab.doc.text for lab in labelled]), [lab.genai == "yes" for lab in labelled])

    def baseline() -> Any:
        return base.predict_proba(vec.transform(texts))

    _, base_s, base_cpu, base_load = _cpu_timed(baseline)
    old = fresh_process(before, shared) if before else None
    # this code in a process of its own too: the same conditions as the commit's (a fresh heap, warm matcher)
    fresh = fresh_process(None, shared) if before else None
    identity = None
    if old is not None:
        ours = digests(decisions)
        identity = {
            "rev": before,
            "same_method_version": old["method_version"] == pipe.method_version,
            "documents_compared": len(ours),
            "documents_differing": sum(a != b for a, b in zip(ours, old["digests"], strict=True)),
            "all_digest": hashlib.sha256("".join(ours).encode()).hexdigest()[:16],
            "before_all_digest": hashlib.sha256("".join(old["digests"]).encode()).hexdigest()[:16],
        }

    embedding = embedding_cost(cand, embedding_sample)
    genai = [d for d in decisions if d.is_genai]
    by_model: Counter[str] = Counter(t for d in genai for t in d.tag_list("model"))
    by_mode: Counter[str] = Counter(t for d in genai for t in d.tag_list("mode"))
    by_app_genai: Counter[str] = Counter(d.application or "" for d in genai)
    by_app_all: Counter[str] = Counter(d.application or "" for d in decisions)
    by_country: Counter[str] = Counter(d.pub_key.split("-")[0] for d in genai)
    rates = {
        "query_stage": round(n / query_s),
        "classifier_on_retrieved": round(len(cand) / clf_cand_s),
        "classifier_on_all": round(n / clf_all_s),
        "query_plus_classifier": round(n / (query_s + clf_cand_s)),
        "pipeline_with_taxonomy": round(n / pipeline_s),
        "today_model_pipeline": round(n / today_s),
        "baseline_tfidf_logreg": round(n / base_s),
    }
    cpu_rates = {
        "pipeline_with_taxonomy": round(n / pipeline_cpu),
        "today_model_pipeline": round(n / today_cpu),
        "baseline_tfidf_logreg": round(n / base_cpu),
    }
    loads = {
        "start": load_start,
        "pipeline_with_taxonomy": pipeline_load,
        "today_model_pipeline": today_load,
        "baseline_tfidf_logreg": base_load,
    }
    ratios = {
        "pipeline_vs_today": round(today_s / pipeline_s, 3),
        "pipeline_vs_tfidf_logreg": round(base_s / pipeline_s, 3),
        "pipeline_vs_today_cpu": round(today_cpu / pipeline_cpu, 3),
        "pipeline_vs_tfidf_logreg_cpu": round(base_cpu / pipeline_cpu, 3),
    }
    if old is not None and fresh is not None:
        for name, figures in (("pipeline_before_code", old), ("pipeline_fresh_process", fresh)):
            rates[name] = round(n / figures["seconds"])
            cpu_rates[name] = round(n / figures["cpu_seconds"])
            loads[name] = figures["load"]
        ratios["fresh_process_vs_before_code"] = round(old["seconds"] / fresh["seconds"], 3)
        ratios["fresh_process_vs_before_code_cpu"] = round(old["cpu_seconds"] / fresh["cpu_seconds"], 3)
    return {
        "documents": n,
        "cpu_count": os.cpu_count(),
        "read_seconds": round(read_s, 2),
        "throughput_docs_per_s": rates,
        "throughput_docs_per_cpu_s": cpu_rates,
        "load_average": loads,
        "pipeline_cpu_seconds_by_stage": {k: round(v, 2) for k, v in stages.items()},
        "identity_with_before_code": identity,
        "embedding_on_retrieved": embedding
        and {
            **embedding,
            "docs_per_s": round(1 / embedding["per_document_s"], 1),
            # the whole pipeline if every retrieved document were embedded too
            "pipeline_with_embedding_docs_per_s": round(
                n / (pipeline_s + embedding["per_document_s"] * len(cand)), 1
            ),
        },
        "ratios": ratios,
        "seconds": {
            "query_stage": round(query_s, 2),
            "classifier_on_retrieved": round(clf_cand_s, 2),
            "classifier_on_all": round(clf_all_s, 2),
            "pipeline_with_taxonomy": round(pipeline_s, 2),
            "pipeline_with_taxonomy_cpu": round(pipeline_cpu, 2),
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
    parser.add_argument(
        "--before", default=BEFORE, help=f"also run this commit's code, and compare [{BEFORE}; '': not]"
    )
    parser.add_argument("--decide-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.decide_only:  # the --before process
        print(json.dumps(decide_here(Path(args.shared))))
        return
    result = run(Path(args.shared), args.baseline_model, args.embedding_sample, args.before or None)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['documents']:,} documents ({result['cpu_count']} cores), {result['method_version']}")
    cpu_rates = result["throughput_docs_per_cpu_s"]
    for name, rate in result["throughput_docs_per_s"].items():
        per_cpu = f"{cpu_rates[name]:>8,} docs/CPU-s" if name in cpu_rates else ""
        print(f"  {name:28s} {rate:>8,} docs/s {per_cpu}")
    print("  load average: " + ", ".join(f"{k} {v}" for k, v in result["load_average"].items()))
    print(
        "  pipeline CPU s by stage: "
        + ", ".join(f"{k} {v}" for k, v in result["pipeline_cpu_seconds_by_stage"].items())
    )
    same = result["identity_with_before_code"]
    if same:
        print(
            f"  decisions vs {same['rev']}'s code: {same['documents_differing']} of "
            f"{same['documents_compared']:,} differ "
            f"(digest {same['all_digest']} / {same['before_all_digest']})"
        )
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
