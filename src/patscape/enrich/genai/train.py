"""Training the default classifier that patscape ships (``model/genai-classifier.npz``).

The shipped file is built by ``patscape train`` from the shared folder (``$PATSCAPE_SHARED``, default
``../shared``): every yes/no document of ``labels/dev.jsonl`` (each counting ``DEV_WEIGHT`` times) plus
the weak
labels of ``weak_labels.py`` (never the non-commercial Miric set). It holds only numbers and the TF-IDF
vocabulary
(words and word pairs, no document), so it can ship with the package and ``classify`` works without the data.
Training is deterministic (fixed order, liblinear with ``random_state``): two runs give the same coefficients,
the same version string and so the same labels.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from patscape.enrich.genai.classifier import GenAIClassifier
from patscape.enrich.genai.document import read_labels
from patscape.enrich.genai.evaluate import DEV_WEIGHT, training_set
from patscape.enrich.genai.pipeline import DEFAULT_MODEL
from patscape.enrich.genai.query import load_query
from patscape.enrich.genai.weak_labels import weak_labels


def shared_dir() -> Path:
    return Path(os.environ.get("PATSCAPE_SHARED") or Path.cwd().parent / "shared")


def train_default(
    shared: Path | None = None, out: str | Path | None = None, random_state: int = 0
) -> dict[str, Any]:
    """Train on the labels file and the weak labels of ``shared`` and write the classifier to ``out``."""
    shared = Path(shared) if shared else shared_dir()
    labels_path = shared / "labels" / "dev.jsonl"
    if not labels_path.exists():
        raise FileNotFoundError(f"no labels file at {labels_path} (set PATSCAPE_SHARED)")
    query = load_query()
    labelled = read_labels(labels_path)
    weak = weak_labels(shared / "data", query, exclude=[lab.doc for lab in labelled])
    docs, y, sw = training_set(weak, labelled, DEV_WEIGHT)
    clf = GenAIClassifier(random_state=random_state).fit(docs, y, sample_weight=sw)
    target = Path(out) if out else DEFAULT_MODEL
    info = {
        "labels_file": "labels/dev.jsonl",
        "trained_on_labels": sorted(lab.doc.pub_key for lab in labelled if lab.genai in ("yes", "no")),
        "weak_labels": len(weak),
        "weak_positive": sum(w.label for w in weak),
        "dev_weight": DEV_WEIGHT,
        "query_version": query.method_version,
    }
    clf.save(target, **info)
    return {
        "model": str(target),
        "version": clf.version,
        "documents": len(docs),
        "positive": int(sum(y)),
        "weak_labels": len(weak),
        "bytes": target.stat().st_size,
    }
