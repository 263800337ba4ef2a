"""A workspace to try patscape with: the newest publications labelled generative AI (else the newest of
all) in a project workspace, each an open task of one user, who manages the workspace."""

from __future__ import annotations

from patscape.monitor.access import SYSTEM
from patscape.monitor.evaluation import add_document, assign
from patscape.monitor.workspaces import Workspace, add_member, create_workspace
from patscape.store import Store

NAME = "Demo: generative AI"


def _newest(store: Store, size: int) -> list[str]:
    genai = store.fetch(
        "SELECT p.pub_key FROM publications p WHERE p.title IS NOT NULL AND p.pub_key IN "
        "(SELECT g.pub_key FROM genai_labels g WHERE g.is_genai) "
        "ORDER BY p.published DESC, p.pub_key LIMIT ?",
        (size,),
    )
    if genai:
        return [r["pub_key"] for r in genai]
    rows = store.fetch(
        "SELECT pub_key FROM publications WHERE title IS NOT NULL ORDER BY published DESC, pub_key LIMIT ?",
        (size,),
    )
    return [r["pub_key"] for r in rows]


def demo_workspace(store: Store, user: str, size: int = 25) -> tuple[Workspace, int]:
    """The demo workspace for ``user`` and the number of tasks given to them."""
    workspace = create_workspace(
        store, SYSTEM, NAME, kind="project", description="Publications to rate while trying patscape out"
    )
    add_member(store, SYSTEM, workspace.ws_id, user)
    keys = _newest(store, size)
    for key in keys:
        add_document(store, SYSTEM, workspace.ws_id, key)
        assign(store, SYSTEM, workspace.ws_id, key, user)
    return workspace, len(keys)
