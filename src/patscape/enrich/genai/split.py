"""The frozen test split of the reference labels (``dev.jsonl`` + ``train.jsonl``).

Drawn once, before any modelling choice, and committed as ``splits/test-split.json`` (the seed, the rule and
the document ids; no label data). Every choice of features, terms, rules, thresholds or model is made by
cross-validation inside the development part (the documents not in the split); the split is scored once per
change of the shipped model, and each scoring is counted in ``splits/test-scorings.jsonl``.

The rule: documents are grouped so that near-duplicates (the same title, or the same first 150 characters of
the abstract: the same invention published twice) fall on one side; groups are stratified on the labels
file's population (``pool``; ``dev`` for ``dev.jsonl``, which states none) and the generative-AI label; in
each stratum the groups are shuffled with ``random.Random(seed)`` and taken until the stratum's quota
(``share * n``, largest remainders across strata) is reached.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from patscape.enrich.genai.document import Labelled, family_key, read_labels, read_scraped, scraped_files

SPLIT_FILE = Path(__file__).with_name("splits") / "test-split.json"
SEED = 20_018
TEST_SIZE = 450
LABEL_FILES = ("dev.jsonl", "train.jsonl")


def _norm(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _rows(labels_dir: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in LABEL_FILES:
        with open(labels_dir / name, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    row.setdefault("pool", name.removesuffix(".jsonl"))
                    rows.append(row)
    return rows


def duplicate_groups(rows: Sequence[dict[str, Any]]) -> list[list[int]]:
    """Ids grouped so that documents sharing a title or an abstract opening are together (union-find)."""
    parent = {r["id"]: r["id"] for r in rows}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for r in rows:
        keys = [("a:" + _norm(r.get("abstract") or "")[:150])]
        if _norm(r.get("title") or ""):
            keys.append("t:" + _norm(r["title"]))
        for k in keys:
            if k in ("a:",):
                continue
            if k in first:
                parent[root(r["id"])] = root(first[k])
            else:
                first[k] = r["id"]
    groups: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        groups[root(r["id"])].append(r["id"])
    return sorted(sorted(g) for g in groups.values())


def draw(labels_dir: Path, seed: int = SEED, size: int = TEST_SIZE) -> dict[str, Any]:
    """The split definition (seed, rule, sorted test ids) drawn from the labels in ``labels_dir``."""
    rows = _rows(labels_dir)
    by_id = {r["id"]: r for r in rows}
    if len(by_id) != len(rows):
        raise ValueError("document ids repeat across the labels files")
    strata: dict[tuple[str, str], list[list[int]]] = defaultdict(list)
    for group in duplicate_groups(rows):
        head = by_id[group[0]]
        strata[(str(head["pool"]), str(head["genai"]))].append(group)
    share = size / len(rows)
    sizes = {k: sum(len(g) for g in v) for k, v in strata.items()}
    quota = {k: int(share * n) for k, n in sizes.items()}
    rest = size - sum(quota.values())
    for k in sorted(sizes, key=lambda k: (-(share * sizes[k] - quota[k]), k))[:rest]:
        quota[k] += 1
    rng = random.Random(seed)
    test: list[int] = []
    for key in sorted(strata):
        groups = list(strata[key])
        rng.shuffle(groups)
        taken = 0
        for g in groups:
            if taken >= quota[key]:
                break
            test.extend(g)
            taken += len(g)
    return {
        "seed": seed,
        "size": len(test),
        "of": len(rows),
        "files": list(LABEL_FILES),
        "rule": "near-duplicate groups (title or first 150 abstract characters) stratified on pool x genai; "
        "random.Random(seed).shuffle per stratum (sorted keys), largest-remainder quotas",
        "test_ids": sorted(test),
    }


def test_ids(path: Path = SPLIT_FILE) -> frozenset[int]:
    """The ids of the frozen test split."""
    return frozenset(json.loads(path.read_text(encoding="utf-8"))["test_ids"])


def read_reference_labels(shared: Path) -> list[Labelled]:
    """Every document of ``labels/dev.jsonl`` and ``labels/train.jsonl`` (in that order), with its pool
    (``dev`` for dev.jsonl) and, where the scraped Google Patents set holds the document, its CPC codes (the
    labels files carry only title and abstract; a store carries the codes too)."""
    labels_dir = shared / "labels"
    for name in LABEL_FILES:
        if not (labels_dir / name).exists():
            raise FileNotFoundError(f"no labels file at {labels_dir / name} (set PATSCAPE_SHARED)")
    codes = _scraped_codes(str(shared / "data"))
    out: list[Labelled] = []
    for name in LABEL_FILES:
        for lab in read_labels(labels_dir / name):
            found = codes.get(family_key(lab.doc.pub_key), ())
            doc = replace(lab.doc, codes=found) if found and not lab.doc.codes else lab.doc
            extra = {"pool": name.removesuffix(".jsonl"), **lab.extra}
            out.append(replace(lab, doc=doc, extra=extra))
    return out


@lru_cache(maxsize=2)
def _scraped_codes(data: str) -> dict[str, tuple[str, ...]]:
    return {family_key(d.pub_key): d.codes for d in read_scraped(scraped_files(Path(data))) if d.codes}


def split_labels(
    labelled: Sequence[Labelled], path: Path = SPLIT_FILE
) -> tuple[list[Labelled], list[Labelled]]:
    """(development part, frozen test part) of the reference labels."""
    ids = test_ids(path)
    dev = [lab for lab in labelled if lab.extra.get("id") not in ids]
    test = [lab for lab in labelled if lab.extra.get("id") in ids]
    return dev, test
