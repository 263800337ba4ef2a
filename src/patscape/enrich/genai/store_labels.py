"""Labels in the store: ``classify`` writes them (incrementally), ``explain`` reads them back with their
evidence.

Tables (``store/schema.py``):

- ``genai_labels``: one row per publication, method ``query+classifier``: the final yes/no and the
  classifier's
  probability; the evidence (JSON) says whether and why the query retrieved it (the phrases and codes matched,
  field and character offset) and which features weighed most in the classifier's score. ``method_version``
  names the query file version (with a digest of the file, so that any edit counts), the classifier version
  and the threshold.
- ``genai_tags``: the model and mode tags of generative-AI documents and the application field of every
  labelled document, same method and version, with the terms that gave each tag.

``classify`` labels the publications that have no label or one made by another version, so a second run labels
nothing and an edited query (or a new model) relabels everything.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from patscape.enrich.facts import refresh_publications
from patscape.enrich.genai.document import from_store
from patscape.enrich.genai.pipeline import Decision, Pipeline, default_pipeline
from patscape.enrich.genai.query import Hit
from patscape.store import schema
from patscape.store.base import Store
from patscape.store.freshness import CLASSIFY, generation, mark_covered

METHOD = "query+classifier"  # the method name of every row written here
BATCH = 2000
MAX_HITS = 40  # evidence kept per label (the first ones, in document order)
MAX_TAG_HITS = 8


def _hit_list(hits: list[Hit], limit: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, int]] = set()
    for h in sorted(
        hits, key=lambda h: (("title", "abstract", "claims", "cpc").index(h.field), h.start, h.name)
    ):
        key = (h.name, h.field, h.start)
        if key not in seen:
            seen.add(key)
            out.append(h.as_dict())
        if len(out) >= limit:
            break
    return out


def label_rows(
    pipeline: Pipeline, decision: Decision, now: dt.datetime
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ``genai_labels`` row and the ``genai_tags`` rows of one decision."""
    query = pipeline.query
    strong_or_broad = [h for h in decision.hits if query.role(h.name) in ("strong", "broad")]
    context = [h for h in decision.hits if query.role(h.name) == "context"]
    evidence = {
        "query": {
            "version": query.method_version,
            "retrieved": decision.candidate,
            "reason": decision.reason,
            "hits": _hit_list(strong_or_broad, MAX_HITS),
            "context_hits": _hit_list(context, 3),
        },
        "classifier": {
            "version": pipeline.classifier.version if pipeline.classifier is not None else None,
            "probability": decision.score,
            "threshold": pipeline.threshold,
            "features": [{"feature": f, "weight": w} for f, w in decision.features],
        },
    }
    labels = [
        (
            decision.pub_key,
            METHOD,
            pipeline.method_version,
            decision.is_genai,
            decision.score,
            json.dumps(evidence, ensure_ascii=False, sort_keys=True),
            now,
        )
    ]
    tags = [
        (
            decision.pub_key,
            t.dimension,
            t.tag,
            METHOD,
            pipeline.method_version,
            round(t.score, 4),
            json.dumps({"hits": _hit_list(t.evidence, MAX_TAG_HITS)}, ensure_ascii=False, sort_keys=True),
        )
        for t in decision.tags
    ]
    return labels, tags


def stale_keys(store: Store, method_version: str) -> list[str]:
    """Publications without a classifier label of this version."""
    rows = store.fetch(
        "SELECT p.pub_key FROM publications p LEFT JOIN genai_labels g "
        "ON g.pub_key = p.pub_key AND g.method = ? "
        "WHERE g.pub_key IS NULL OR g.method_version <> ? ORDER BY p.pub_key",
        (METHOD, method_version),
    )
    return [r["pub_key"] for r in rows]


def classify(
    store: Store,
    pipeline: Pipeline | None = None,
    *,
    relabel: bool = False,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Label every publication not yet labelled by this query/model version; returns counts."""
    pipeline = pipeline or default_pipeline()
    version = pipeline.method_version
    covered = generation(store)  # read first: data ingested meanwhile leave the labels stale
    keys = (
        [r["pub_key"] for r in store.fetch("SELECT pub_key FROM publications ORDER BY pub_key")]
        if relabel
        else stale_keys(store, version)
    )
    total = int(store.scalar("SELECT count(*) FROM publications") or 0)
    counts: Counter[str] = Counter()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    for start in range(0, len(keys), batch):
        chunk = keys[start : start + batch]
        docs = list(from_store(store, chunk))
        decisions = pipeline.decide(docs)
        label_rows_all: list[tuple[Any, ...]] = []
        tag_rows_all: list[tuple[Any, ...]] = []
        for d in decisions:
            labels, tags = label_rows(pipeline, d, now)
            label_rows_all += labels
            tag_rows_all += tags
            counts["retrieved"] += d.candidate
            counts["genai"] += d.is_genai
        with store.transaction():
            store._delete_where_in("genai_labels", "pub_key", chunk)
            store._delete_where_in("genai_tags", "pub_key", chunk)
            store.insert_rows(schema.GENAI_LABELS, label_rows_all)
            if tag_rows_all:
                store.insert_rows(schema.GENAI_TAGS, tag_rows_all)
        counts["labelled"] += len(chunk)
        if progress:
            progress(counts["labelled"], len(keys))
    refreshed = refresh_publications(store, keys)  # the labels are columns of the family fact table
    mark_covered(store, CLASSIFY, covered)
    return {
        "method_version": version,
        "publications": total,
        "labelled": counts["labelled"],
        "already_current": total - len(keys),
        "retrieved": counts["retrieved"],
        "genai": counts["genai"],
        "fact_rows_written": refreshed.families if refreshed else 0,
    }


def explain(store: Store, pub_key: str, pipeline: Pipeline | None = None) -> dict[str, Any] | None:
    """The stored labels and tags of one publication with their evidence; computed on the fly (and marked
    ``stored: false``) when the publication has not been classified yet. None when it is not in the store."""
    key = store.resolve_key(pub_key)
    if key is None:
        return None
    title = store.scalar("SELECT title FROM publications WHERE pub_key = ?", (key,))
    labels = store.fetch(
        "SELECT method, method_version, is_genai, score, evidence, labelled_at FROM genai_labels "
        "WHERE pub_key = ? ORDER BY method",
        (key,),
    )
    tags = store.fetch(
        "SELECT dimension, tag, method, method_version, score, evidence FROM genai_tags WHERE pub_key = ? "
        "ORDER BY CASE dimension WHEN 'model' THEN 0 WHEN 'mode' THEN 1 ELSE 2 END, score DESC, tag",
        (key,),
    )
    stored = bool(labels)
    if not stored:
        pipeline = pipeline or default_pipeline()
        doc = next(iter(from_store(store, [key])))
        decision = pipeline.decide([doc])[0]
        label_tuples, tag_tuples = label_rows(
            pipeline, decision, dt.datetime.now(dt.UTC).replace(tzinfo=None)
        )
        names = schema.GENAI_LABELS.column_names
        labels = [dict(zip(names, row, strict=True)) for row in label_tuples]
        tag_names = schema.GENAI_TAGS.column_names
        tags = [dict(zip(tag_names, row, strict=True)) for row in tag_tuples]
    for row in (*labels, *tags):
        row.pop("pub_key", None)
        row["evidence"] = json.loads(row["evidence"]) if row.get("evidence") else None
    return {"pub_key": key, "title": title, "stored": stored, "labels": labels, "tags": tags}


def explain_rows(explained: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per piece of evidence, for a table: what was decided, by what, and where it was found."""
    rows: list[dict[str, Any]] = []
    for label in explained["labels"]:
        ev = label["evidence"] or {}
        q = ev.get("query", {})
        c = ev.get("classifier", {})
        verdict = "yes" if label["is_genai"] else "no"
        rows.append(
            {
                "what": f"generative AI: {verdict}",
                "score": label["score"],
                "evidence": f"query {q.get('reason') or 'did not retrieve'}; threshold {c.get('threshold')}",
                "field": "",
                "at": "",
                "matched": "",  # the method version: in --json and the report appendix, not a reader's table
            }
        )
        for h in q.get("hits", []):
            rows.append(
                {
                    "what": "query",
                    "score": "",
                    "evidence": h["name"],
                    "field": h["field"],
                    "at": h["start"],
                    "matched": h["text"],
                }
            )
        for f in c.get("features", []):
            rows.append(
                {
                    "what": "classifier",
                    "score": f["weight"],
                    "evidence": f["feature"],
                    "field": "",
                    "at": "",
                    "matched": "",
                }
            )
    for tag in explained["tags"]:
        head = {"what": f"{tag['dimension']}: {tag['tag']}", "score": tag["score"]}
        hits = (tag["evidence"] or {}).get("hits") or []
        if not hits:
            rows.append({**head, "evidence": "(no term: default)", "field": "", "at": "", "matched": ""})
        for h in hits:
            rows.append(
                {**head, "evidence": h["term"], "field": h["field"], "at": h["start"], "matched": h["text"]}
            )
    return rows
