"""``patscape explain`` in short: one line per decision (the generative-AI label, each taxonomy tag), its
evidence grouped: each matched phrase once, with the fields it was found in and how often, and the
classifier's few weightiest features. ``store_labels.explain_rows`` keeps one row per match (``--all``)."""

from __future__ import annotations

from collections import Counter
from typing import Any

FEATURES = 3  # the classifier's weightiest features shown


def _phrases(hits: list[dict[str, Any]]) -> str:
    """``generative adversarial (title, abstract ×3)``: each matched text once, lower-cased."""
    where: dict[str, Counter[str]] = {}
    for h in hits:
        where.setdefault(str(h.get("text", "")).lower(), Counter())[str(h.get("field", ""))] += 1
    parts = []
    for text, fields in where.items():
        places = ", ".join(f"{f} ×{n}" if n > 1 else f for f, n in fields.items())
        parts.append(f"{text} ({places})")
    return "; ".join(parts)


def grouped(explained: dict[str, Any]) -> list[dict[str, Any]]:
    """``what``, ``decision``, ``score``, ``evidence``: one row per label and tag."""
    rows: list[dict[str, Any]] = []
    for label in explained["labels"]:
        ev = label["evidence"] or {}
        q, c = ev.get("query", {}), ev.get("classifier", {})
        found = _phrases(q.get("hits", []))
        query = f"query {q.get('reason') or 'did not retrieve'}" + (f": {found}" if found else "")
        features = sorted(c.get("features", []), key=lambda f: -abs(f["weight"]))[:FEATURES]
        weights = ", ".join(f"{f['feature']} {f['weight']:+.2f}" for f in features)
        classifier = f"classifier (threshold {c.get('threshold')})" + (f": {weights}" if weights else "")
        rows.append(
            {
                "what": "generative AI",
                "decision": "yes" if label["is_genai"] else "no",
                "score": label["score"],
                "evidence": f"{query}; {classifier}",
            }
        )
    for tag in explained["tags"]:
        hits = (tag["evidence"] or {}).get("hits") or []
        unclassified = tag["tag"] == "unclassified"
        evidence = _phrases(hits) or (
            "no evidence" if unclassified else "no matched term: the model's choice"
        )
        rows.append(
            {"what": tag["dimension"], "decision": tag["tag"], "score": tag["score"], "evidence": evidence}
        )
    return rows
