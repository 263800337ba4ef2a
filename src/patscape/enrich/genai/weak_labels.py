"""Weak labels: documents labelled by rule, not by hand, to give the classifier more than 300 examples.

The rules (on ``dev.jsonl`` the positive rules hit no `no` document, checked by
``tests/enrich/genai/test_weak_labels.py``):

- **positive** ``family``: the title or abstract names a generative model family (a hit of the query groups
  ``gan``, ``vae``, ``diffusion``, ``llm``, ``flow`` or ``speech-synthesis``), or the title holds any strong
  phrase (``generative model``, ``text generation``, ``synthetic data`` ...). Source: the 31,540 AI patents of
  ``gp_ai_patents_cpc/scraped`` (MIT; Google Patents data).
- **negative** ``ai-not-candidate``: an AI patent of the same set, or a neural-network patent of
  ``koehrsen_nn_patents`` (PatentsView 2018, MIT), that the query does not retrieve at all: AI, but nothing
  generative. Every ``negative_stride``-th of them by publication key is kept (deterministic thinning).
- **negative** ``non-ai``: the baseball patents of ``koehrsen_nn_patents`` (clearly not AI).

The CC BY-NC ``miric_ai_patents_4k`` set is never used for training (the default model ships with patscape);
``evaluate.non_ai_false_positives`` uses it as an evaluation set only.

Documents that are in the labels file (same country and number, or the same title) are left out, so a
cross-validation never scores a document the model was trained on through its weak label.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from patscape.enrich.genai.document import Document, family_key, read_patentsview, read_scraped, scraped_files
from patscape.enrich.genai.query import Query

FAMILY_GROUPS = frozenset({"gan", "vae", "diffusion", "llm", "flow", "speech-synthesis"})


@dataclass(frozen=True, slots=True)
class Weak:
    doc: Document
    label: int  # 1 generative AI, 0 not
    rule: str
    source: str


def positive_rule(query: Query, doc: Document) -> str | None:
    hits = query.matcher.find(doc, ("title", "abstract"))
    for h in hits:
        if h.name in FAMILY_GROUPS:
            return "family"
        if h.field == "title" and query.role(h.name) == "strong":
            return "strong-title"
    return None


def _keep(key: str, stride: int) -> bool:
    return stride <= 1 or zlib.crc32(key.encode()) % stride == 0


def _title_key(title: str) -> str:
    return " ".join(title.lower().split())


def weak_labels(
    data: Path,
    query: Query,
    exclude: Iterable[Document] = (),
    negative_stride: int = 6,
    baseball_stride: int = 3,
) -> list[Weak]:
    """The weak-label set from the real data folder ``data`` (``../shared/data``), in a fixed order."""
    excluded_keys = {family_key(d.pub_key) for d in exclude}
    excluded_titles = {_title_key(d.title) for d in exclude if d.title}

    def allowed(doc: Document) -> bool:
        return family_key(doc.pub_key) not in excluded_keys and _title_key(doc.title) not in excluded_titles

    out: list[Weak] = []
    for doc in read_scraped(scraped_files(data)):
        if not allowed(doc):
            continue
        rule = positive_rule(query, doc)
        if rule:
            out.append(Weak(doc, 1, rule, "gp_ai_patents_cpc"))
        elif not query.run(Document(doc.pub_key, doc.title, doc.abstract)).candidate and _keep(
            doc.pub_key, negative_stride
        ):
            out.append(Weak(doc, 0, "ai-not-candidate", "gp_ai_patents_cpc"))
    api = data / "koehrsen_nn_patents" / "patentsview_api_2018"
    for doc in read_patentsview(api / "neural_network_patent_query.csv"):
        if allowed(doc) and not query.run(doc).candidate and _keep(doc.pub_key, negative_stride):
            out.append(Weak(doc, 0, "ai-not-candidate", "koehrsen_nn_patents"))
    for doc in read_patentsview(api / "baseball_patent_query.csv"):
        if allowed(doc) and _keep(doc.pub_key, baseball_stride):
            out.append(Weak(doc, 0, "non-ai", "koehrsen_nn_patents"))
    return out
