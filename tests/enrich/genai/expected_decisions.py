"""The shipped pipeline's decisions on real documents, written once by the code before a change that must
not move any output (the speed-up of issue 18 was checked against ``expected-decisions.jsonl.gz``, written
by commit 1c788cf), and read by ``test_pipeline_identity.py``. Rewritten when the shipped query or models
change, with the change's moved decisions counted in its commit (query 1.2.0 and the application model with
its unlabelled corpus: of 3,509, no yes/no label, score or query reason moved; 24 model tags, all on
documents coded G06N3/094, and 182 application fields did; every application probability moved; then the
application model's code-class tokens: no yes/no label, score, reason, model or mode tag moved, 112
application fields did).

Each line: the document's key, its label, score, query reason and tags with their scores as written, and a
digest of everything else the decision holds (every hit with its offsets, the classifier's weightiest
features, each tag's evidence), so that any moved number or offset shows.

    PYTHONPATH=<the old code's src> python tests/enrich/genai/expected_decisions.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any

EXPECTED = Path(__file__).with_name("data") / "expected-decisions.jsonl.gz"
SCRAPED_FILE = "gp_ai_patents_cpc/scraped/patent_details_20251001-102339.csv"


def plain(value: Any) -> Any:
    """Dataclasses and named tuples as dictionaries of their fields, sequences as lists, all the way down."""
    if dataclasses.is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {name: plain(v) for name, v in zip(value._fields, value, strict=True)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def summary(decision: Any) -> dict[str, Any]:
    """One decision as a line of the expectations file."""
    whole = json.dumps(plain(decision), sort_keys=True, ensure_ascii=False)
    return {
        "pub_key": decision.pub_key,
        "genai": decision.is_genai,
        "score": decision.score,
        "candidate": decision.candidate,
        "reason": decision.reason,
        "tags": [[t.dimension, t.tag, t.score] for t in decision.tags],
        "digest": hashlib.sha256(whole.encode()).hexdigest()[:16],
    }


def written() -> list[Any]:
    """Documents written for the matcher's and the tokenizers' edge cases: letters whose lower case is longer
    (İ), final sigma, Chinese terms, underscores, a prefix alone, one-letter and empty fields."""
    from patscape.enrich.genai.document import Document

    return [
        Document(
            "XX-1-A",
            "İstanbul GENERATIVE ADVERSARIAL network",
            "A GAN-based İİİ straße image synthesis; 生成对抗网络 and 扩散模型 with diffusion model for "
            "text-to-image generation.",
        ),
        Document(
            "XX-2-A",
            "Large language model_based chatbot",
            "snake_case LLM large_language_model generates text; auto-encoder variational autoencoder VAE.",
        ),
        Document("XX-3-A", "", "generat", codes=("G06N3/0475", "G10L13/02", "G06T11/00")),
        Document("XX-4-A", "ΣΑΣ ΟΔΟΣ", "ΣΑΣ. Generative pre-trained transformer (GPT) produces code."),
        Document("XX-5-A", "a", "b"),
        Document("XX-6-A", "", ""),
        Document("XX-7-A", "Diffusion", "diffusion", codes=("G06N3/045",)),
        Document(
            "XX-8-A",
            "图像生成方法",
            "一种基于生成对抗网络的图像生成方法，包括大语言模型。",
            codes=("G06N3/0475",),
        ),
        Document(
            "XX-9-A",
            "Generating music with a neural network",
            "The neural vocoder synthesizes speech; text to speech and voice conversion generate audio.",
        ),
    ]


def documents(shared: Path) -> list[Any]:
    """The labelled documents (dev.jsonl, train.jsonl), one file of the scraped set and the written ones, in
    that order."""
    from patscape.enrich.genai.document import read_scraped
    from patscape.enrich.genai.split import read_reference_labels

    labelled = [lab.doc for lab in read_reference_labels(shared)]
    return labelled + read_scraped([shared / "data" / SCRAPED_FILE]) + written()


def main() -> None:
    from patscape.enrich.genai.pipeline import default_pipeline

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default=os.environ.get("PATSCAPE_SHARED", "../shared"))
    parser.add_argument("--out", default=str(EXPECTED))
    args = parser.parse_args()
    pipe = default_pipeline()
    lines = [summary(d) for d in pipe.decide(documents(Path(args.shared)))]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fh:
        fh.write(json.dumps({"method_version": pipe.method_version}).encode() + b"\n")
        for line in lines:
            fh.write(json.dumps(line, sort_keys=True, ensure_ascii=False).encode() + b"\n")
    print(f"{len(lines)} decisions of {pipe.method_version} -> {args.out}")


if __name__ == "__main__":
    main()
