"""Publication keys as users type them (``US11532378B2``, ``US 11532378``) resolved to stored keys.

``Store.resolve_key`` does the same over all publications; this one also resolves within a workspace's
documents, and says why when it cannot.
"""

from __future__ import annotations

from patscape.monitor.errors import NotFound
from patscape.record import normalise_pub_key
from patscape.store import Store


def resolve(store: Store, text: str, ws_id: int | None = None) -> str:
    """The stored key ``text`` spells (within the workspace's documents when ``ws_id`` is given): exact, or
    the only one with that country and number when the kind is left off. ``NotFound`` otherwise."""
    try:
        key = normalise_pub_key(text)  # numbers with letters too (TWI843770B)
    except (ValueError, IndexError):
        raise NotFound(f"not a publication number: {text[:40]!r}") from None
    table, extra, params = (
        ("publications", "", ()) if ws_id is None else ("monitor_documents", " AND ws_id = ?", (ws_id,))
    )
    if store.scalar(f"SELECT count(*) FROM {table} WHERE pub_key = ?{extra}", (key, *params)):
        return key
    rows = store.fetch(
        f"SELECT pub_key FROM {table} WHERE pub_key LIKE ?{extra} ORDER BY pub_key LIMIT 2",
        (key + "-_%", *params),  # a normalised key has no LIKE wildcard
    )
    if len(rows) == 1:
        return rows[0]["pub_key"]
    where = "" if ws_id is None else f" in workspace {ws_id}"
    raise NotFound(f"no publication {text[:40]}{where}" + (" (several kinds: give the kind)" if rows else ""))
