"""Refusing oversized fields: a record whose field exceeds its limit is quarantined, not stored.

The limits are far above anything real (the longest real descriptions run to a few MB) and protect the
store and every later stage from hostile or corrupt input.
"""

from __future__ import annotations

from patscape.record import Publication, Rejected

TEXT_LIMITS = {
    "title": 4_000,
    "abstract": 100_000,
    "claims": 20_000_000,
    "description": 100_000_000,
}
NAME_LIMIT = 2_000
CODE_LIMIT = 64
NPL_LIMIT = 20_000
LIST_LIMIT = 100_000  # parties, classes, citations ... of one publication


def oversized(pub: Publication) -> str | None:
    """The reason a record is refused for its size, or None."""
    for text in pub.texts:
        limit = TEXT_LIMITS.get(text.kind, 1_000_000)
        if len(text.text) > limit:
            return f"oversized field: {text.kind} has {len(text.text):,} characters (limit {limit:,})"
    for name in ("parties", "classes", "citations", "priorities", "related", "events", "tags", "texts"):
        items = getattr(pub, name)
        if len(items) > LIST_LIMIT:
            return f"oversized field: {len(items):,} {name} (limit {LIST_LIMIT:,})"
    for party in pub.parties:
        if len(party.name or "") > NAME_LIMIT:
            size = len(party.name)
            return f"oversized field: {party.role} name has {size:,} characters (limit {NAME_LIMIT:,})"
    for cls in pub.classes:
        if len(cls.code) > CODE_LIMIT:
            return f"oversized field: classification code of {len(cls.code):,} characters"
    for cit in pub.citations:
        if cit.npl and len(cit.npl) > NPL_LIMIT:
            return f"oversized field: citation of {len(cit.npl):,} characters (limit {NPL_LIMIT:,})"
    return None


def check_limits(pub: Publication) -> Publication | Rejected:
    reason = oversized(pub)
    if reason is None:
        return pub
    return Rejected(source=pub.source, reason=reason, pub_key=pub.pub_key)
