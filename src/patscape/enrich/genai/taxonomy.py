"""The taxonomy of generative AI: models, modes and application fields, found by the query's tag terms.

Models and modes are given to generative-AI documents only; the application field to every document. The terms
live in ``genai-query.toml`` (``[tags.model.*]``, ``[tags.mode.*]``, ``[tags.application.*]``), so a user
edits
them with the query and every tag keeps its evidence (the words and codes that gave it, and where).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from patscape.enrich.genai.query import Hit, Query

MODELS = ("GAN", "VAE", "diffusion", "LLM", "autoregressive-other", "seq2seq", "flow", "other")
UNSPECIFIED = "unspecified"
MODES = ("image/video", "text", "speech/voice/music", "3D", "molecules/genes/proteins", "code", "other-data")
FALLBACK_MODE = "other-data"
APPLICATIONS = (
    "agriculture",
    "arts-humanities",
    "banking-finance",
    "business",
    "cartography",
    "computing-in-government",
    "document-management-publishing",
    "education",
    "energy-management",
    "entertainment",
    "industry-manufacturing",
    "law-social-behavioural-sciences",
    "life-medical-sciences",
    "military",
    "networks",
    "personal-devices-computing-hci",
    "physical-sciences-engineering",
    "security",
    "telecommunications",
    "transportation",
    "software-general",
    "other",
)
UNCLASSIFIED = "unclassified"  # no evidence for any field: never a fallback field

# How much a hit counts, by where it is.
FIELD_WEIGHT = {"title": 3.0, "abstract": 1.0, "claims": 0.5, "cpc": 1.0}
MODE_KEEP = 0.5  # a mode is kept when its score reaches this share of the best mode's
MODE_MIN = 2.0  # ... and at least this score (else the best mode alone)
MODEL_MIN = 1.0  # a model needs this score (one abstract hit)
APPLICATION_MIN = 2.0  # below this best score the field is unclassified


@dataclass
class Tag:
    dimension: str  # model / mode / application
    tag: str
    score: float
    evidence: list[Hit] = field(default_factory=list)
    features: list[tuple[str, float]] = field(default_factory=list)  # a learned tag's weightiest features


GENERATED_GROUP = (
    "generated-content"  # query group whose "generate ... X" phrases boost the modes inside them
)
GENERATED_BOOST = 3.0
GENERATIVE_AI_GROUP = "generative-ai"


def _scores(hits: list[Hit], dimension: str, boost: bool = False) -> dict[str, tuple[float, list[Hit]]]:
    prefix = dimension + ":"
    scores: dict[str, float] = defaultdict(float)
    evidence: dict[str, list[Hit]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    spans = [(h.field, h.start, h.start + len(h.text)) for h in hits if boost and h.name == GENERATED_GROUP]
    for h in hits:
        if not h.name.startswith(prefix):
            continue
        tag = h.name[len(prefix) :]
        key = (tag, h.field, h.text.lower())
        # the same word repeated counts a little, a new word counts fully
        weight = FIELD_WEIGHT.get(h.field, 1.0) * (0.25 if key in seen else 1.0)
        if spans and any(f == h.field and s <= h.start < e for f, s, e in spans):
            weight *= GENERATED_BOOST
        scores[tag] += weight
        seen.add(key)
        evidence[tag].append(h)
    return {t: (s, evidence[t]) for t, s in scores.items()}


def models(hits: list[Hit], mode_tags: list[Tag] | None = None) -> list[Tag]:
    found = [
        Tag("model", t, s, ev)
        for t, (s, ev) in _scores(hits, "model").items()
        if t in MODELS and s >= MODEL_MIN
    ]
    if not found:
        mode_tags = modes(hits) if mode_tags is None else mode_tags
        generative = [h for h in hits if h.name == GENERATIVE_AI_GROUP and "generative" in h.text.lower()]
        if generative and any(t.tag in ("text", "code") for t in mode_tags):
            return [Tag("model", "LLM", 0.5, generative[:3])]
        return [Tag("model", UNSPECIFIED, 0.0)]
    return sorted(found, key=lambda t: (-t.score, MODELS.index(t.tag)))


def modes(hits: list[Hit]) -> list[Tag]:
    scored = {t: v for t, v in _scores(hits, "mode", boost=True).items() if t in MODES}
    if not scored:
        return [Tag("mode", FALLBACK_MODE, 0.0)]
    best = max(s for s, _ in scored.values())
    floor = max(best * MODE_KEEP, min(best, MODE_MIN))
    found = [
        Tag("mode", t, s, ev)
        for t, (s, ev) in scored.items()
        if s >= floor and (t != FALLBACK_MODE or s >= best)
    ]
    return sorted(found, key=lambda t: (-t.score, MODES.index(t.tag)))


def application(hits: list[Hit]) -> Tag:
    scored = {t: v for t, v in _scores(hits, "application").items() if t in APPLICATIONS}
    if not scored:
        return Tag("application", UNCLASSIFIED, 0.0)
    tag, (score, ev) = max(scored.items(), key=lambda kv: (kv[1][0], -APPLICATIONS.index(kv[0])))
    if score < APPLICATION_MIN:
        return Tag("application", UNCLASSIFIED, score, ev)
    return Tag("application", tag, score, ev)


def tag_document(query: Query, hits: list[Hit], genai: bool, with_application: bool = True) -> list[Tag]:
    """All tags of one document from its hits (``query.hits(doc)``); ``with_application=False`` leaves the
    application field out (for a learned model to give)."""
    del query  # the tag terms are already in the hits; kept for a future per-query setting
    tags = [application(hits)] if with_application else []
    if genai:
        mode_tags = modes(hits)
        tags = models(hits, mode_tags) + mode_tags + tags
    return tags
