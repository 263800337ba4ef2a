"""The pages' addresses, built in one place (templates have them as globals)."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def doc_url(ws_id: int, key: str, view: str, **more: str) -> str:
    """A document of a workspace, opened from one of its queue's views."""
    return f"/w/{ws_id}/doc/{quote(key, safe='')}?{urlencode({'view': view, **more})}"


def queue_url(ws_id: int, view: str, **more: str) -> str:
    return f"/w/{ws_id}/queue?{urlencode({'view': view, **more})}"
