"""Evaluating documents in a workspace: rating, tags, comments, assignment, due dates, done/undone.

Each function checks the caller's rights, then writes events under the lock of the document's family in
the workspace (``_locked``); the state tables follow from the events.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from patscape.monitor import access
from patscape.monitor.access import Caller
from patscape.monitor.errors import Conflict, Invalid, NotFound
from patscape.monitor.event import Event
from patscape.monitor.events import family_key, record, writing
from patscape.monitor.keys import resolve
from patscape.monitor.users import find_user
from patscape.monitor.workspaces import COLOURS, create_tag, find_tag, workspace_members
from patscape.store import Store

LEVELS = {
    0: "not relevant",
    1: "state of the art / of interest, not relevant",
    2: "relevant to my technical field",
    3: "highly relevant (possible infringement, own R&D)",
}
MAX_TEXT = 10_000
MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})")
ASSIGNABLE_ROLES = ("admin", "manager", "evaluator")


def _text(text: str | None, what: str, required: bool = False) -> str | None:
    if text is not None:
        text = text.strip() or None
    if required and not text:
        raise Invalid(f"{what} is required")
    if text is not None and len(text) > MAX_TEXT:
        raise Invalid(f"{what} has at most {MAX_TEXT} characters")
    return text


def family_of(store: Store, pub_key: str) -> str | None:
    """The family a publication belongs to: the enriched family where ``patscape enrich`` ran, else the
    family id its source states."""
    rows = store.fetch(
        "SELECT coalesce((SELECT min(fm.family_id) FROM family_members fm WHERE fm.pub_key = p.pub_key), "
        "p.family_id) AS family_id FROM publications p WHERE p.pub_key = ?",
        (pub_key,),
    )
    return rows[0]["family_id"] if rows else None


def _document(store: Store, ws_id: int, pub_key: str) -> dict[str, Any]:
    rows = store.fetch("SELECT * FROM monitor_documents WHERE ws_id = ? AND pub_key = ?", (ws_id, pub_key))
    if not rows:
        raise NotFound(f"no document {pub_key} in workspace {ws_id}")
    return rows[0]


@dataclass(frozen=True, slots=True)
class _Locked:
    """A document of a workspace while its family's lock is held: read its state, log events on it."""

    store: Store
    caller: Caller
    ws_id: int
    pub_key: str

    @property
    def row(self) -> dict[str, Any]:
        return _document(self.store, self.ws_id, self.pub_key)

    def task(self, user_id: int) -> dict[str, Any] | None:
        rows = self.store.fetch(
            "SELECT * FROM monitor_tasks WHERE ws_id = ? AND pub_key = ? AND assignee = ?",
            (self.ws_id, self.pub_key, user_id),
        )
        return rows[0] if rows else None

    def log(
        self, action: str, subject: Any = None, old: Any = None, new: Any = None, pub_key: str = ""
    ) -> Event:
        return record(
            self.store,
            action,
            actor_id=self.caller.actor_id,
            ws_id=self.ws_id,
            pub_key=pub_key or self.pub_key,
            subject=subject,
            old=old,
            new=new,
        )


@contextmanager
def _locked(store: Store, caller: Caller, ws_id: int, pub_key: str) -> Iterator[_Locked]:
    family_id = _document(store, ws_id, pub_key)["family_id"]  # fixed when the document was added
    with writing(store, family_key(ws_id, family_id, pub_key)):
        yield _Locked(store, caller, ws_id, pub_key)


def _assignee(store: Store, ws_id: int, user: str | int) -> int:
    target = find_user(store, user)
    for member in workspace_members(store, ws_id):
        if member.user_id == target.user_id and member.role in ASSIGNABLE_ROLES:
            return target.user_id
    raise Invalid(f"{target.name} is not an evaluator of workspace {ws_id}")


def add_document(store: Store, caller: Caller, ws_id: int, key: str) -> str:
    """Put a publication into the workspace by hand (a project workspace's way in); returns its key."""
    access.check(store, caller, "doc.add", ws_id)
    pub_key = resolve(store, key)
    family_id = family_of(store, pub_key)
    with writing(store, family_key(ws_id, family_id, pub_key)):
        if store.scalar(
            "SELECT count(*) FROM monitor_documents WHERE ws_id = ? AND pub_key = ?", (ws_id, pub_key)
        ):
            raise Conflict(f"{pub_key} is in workspace {ws_id} already")
        new = {"source": "manual", "family_id": family_id}
        record(store, "document.added", actor_id=caller.actor_id, ws_id=ws_id, pub_key=pub_key, new=new)
    return pub_key


def rate(store: Store, caller: Caller, ws_id: int, key: str, level: int, comment: str | None = None) -> str:
    """Rate a document 0-3 (a comment is required for 3). The rater's open task on it is done, and members of
    its family in the workspace that have no rating of their own inherit this one."""
    access.check(store, caller, "doc.rate", ws_id)
    if level not in LEVELS or isinstance(level, bool):
        raise Invalid("a rating is 0, 1, 2 or 3")
    comment = _text(comment, "a comment on a rating of 3", required=level == 3)
    pub_key = resolve(store, key, ws_id)
    with _locked(store, caller, ws_id, pub_key) as doc:
        row = doc.row
        old = {
            "level": row["rating"],
            "comment": row["rating_comment"],
            "inherited_from": row["inherited_from"],
        }
        doc.log("document.rated", old=old, new={"level": level, "comment": comment})
        task = doc.task(caller.user_id)
        if task and task["state"] == "open":
            doc.log("task.done", caller.user_id, {"state": "open"}, {"state": "done"})
        if row["family_id"] is not None:
            siblings = store.fetch(
                "SELECT pub_key, rating, inherited_from FROM monitor_documents "
                "WHERE ws_id = ? AND family_id = ? AND pub_key <> ? "
                "AND (rating IS NULL OR inherited_from IS NOT NULL) ORDER BY pub_key",
                (ws_id, row["family_id"], pub_key),
            )
            for s in siblings:
                old = {"level": s["rating"], "inherited_from": s["inherited_from"]}
                new = {"level": level, "comment": comment, "inherited_from": pub_key}
                doc.log("document.rated", old=old, new=new, pub_key=s["pub_key"])
    return pub_key


def _has_tag(store: Store, ws_id: int, pub_key: str, tag_id: int) -> bool:
    return bool(
        store.scalar(
            "SELECT count(*) FROM monitor_document_tags WHERE ws_id = ? AND pub_key = ? AND tag_id = ?",
            (ws_id, pub_key, tag_id),
        )
    )


def tag(store: Store, caller: Caller, ws_id: int, key: str, tag: str | int, create: bool = False) -> int:
    """Put a tag (name or id) on a document; ``create`` makes a missing tag (with the right to create
    tags). Returns the tag's id."""
    access.check(store, caller, "doc.tag", ws_id)
    pub_key = resolve(store, key, ws_id)
    found = find_tag(store, ws_id, tag)
    if found is None:
        if not create or isinstance(tag, int):
            raise NotFound(f"no tag {tag} in workspace {ws_id}")
        found = create_tag(store, caller, ws_id, tag)
    with _locked(store, caller, ws_id, pub_key) as doc:
        if not _has_tag(store, ws_id, pub_key, found.tag_id):
            doc.log("document.tagged", found.tag_id, new={"tag": found.name})
    return found.tag_id


def untag(store: Store, caller: Caller, ws_id: int, key: str, tag_id: int) -> None:
    access.check(store, caller, "doc.tag", ws_id)
    pub_key = resolve(store, key, ws_id)
    with _locked(store, caller, ws_id, pub_key) as doc:
        if not _has_tag(store, ws_id, pub_key, tag_id):
            raise NotFound(f"{pub_key} has no tag {tag_id}")
        doc.log("document.untagged", tag_id)


def mentioned(store: Store, ws_id: int, text: str) -> list[int]:
    """The workspace members a text @-mentions (others cannot read it, so are not notified)."""
    names = {m.name.lower(): m.user_id for m in workspace_members(store, ws_id)}
    return sorted({names[n.lower()] for n in MENTION.findall(text) if n.lower() in names})


def _colour(colour: str | None, clearing: bool = False) -> None:
    if colour is not None and colour not in COLOURS and not (clearing and colour == ""):
        raise Invalid(f"a colour is one of {', '.join(COLOURS)}")


def comment(
    store: Store,
    caller: Caller,
    ws_id: int,
    key: str,
    text: str,
    pinned: bool = False,
    colour: str | None = None,
) -> int:
    """Comment on a document, @-mentioning members by name; returns the comment's id."""
    access.check(store, caller, "doc.comment", ws_id)
    body = _text(text, "a comment", required=True) or ""
    _colour(colour)
    pub_key = resolve(store, key, ws_id)
    with _locked(store, caller, ws_id, pub_key) as doc:
        mentions = mentioned(store, ws_id, body)
        event = doc.log(
            "comment.added", new={"text": body, "pinned": pinned, "colour": colour, "mentions": mentions}
        )
    return event.event_id


def _comment(store: Store, ws_id: int, comment_id: int) -> dict[str, Any]:
    rows = store.fetch(
        "SELECT * FROM monitor_comments WHERE ws_id = ? AND comment_id = ?", (ws_id, comment_id)
    )
    if not rows:
        raise NotFound(f"no comment {comment_id} in workspace {ws_id}")
    return rows[0]


def change_comment(
    store: Store,
    caller: Caller,
    ws_id: int,
    comment_id: int,
    *,
    pinned: bool | None = None,
    colour: str | None = None,
) -> None:
    """Pin or unpin a comment, or give it a colour category ("" clears it)."""
    access.check(store, caller, "doc.comment", ws_id)
    _colour(colour, clearing=True)
    with _locked(store, caller, ws_id, _comment(store, ws_id, comment_id)["pub_key"]) as doc:
        found = _comment(store, ws_id, comment_id)
        if pinned is not None and bool(found["pinned"]) != pinned:
            doc.log("comment.pinned", comment_id, {"pinned": bool(found["pinned"])}, {"pinned": pinned})
        if colour is not None and (found["colour"] or "") != colour:
            doc.log("comment.coloured", comment_id, {"colour": found["colour"]}, {"colour": colour or None})


def assign(
    store: Store, caller: Caller, ws_id: int, key: str, user: str | int, due: dt.date | None = None
) -> None:
    """Give a document to an evaluator as an open task (a manager's or admin's right)."""
    access.check(store, caller, "doc.assign", ws_id)
    pub_key = resolve(store, key, ws_id)
    assignee = _assignee(store, ws_id, user)
    with _locked(store, caller, ws_id, pub_key) as doc:
        task = doc.task(assignee)
        if task and task["state"] == "open" and task["due"] == due:
            return
        old = task and {"state": task["state"], "due": task["due"]}
        doc.log("task.assigned", assignee, old, {"due": due})


def _holder(store: Store, caller: Caller, ws_id: int, user: str | int | None) -> int:
    """The task holder an action is about: oneself, or anyone for those with the right to assign."""
    if user is None or find_user(store, user).user_id == caller.user_id:
        access.check(store, caller, "doc.forward", ws_id)
        return caller.user_id
    access.check(store, caller, "doc.assign", ws_id)
    return find_user(store, user).user_id


def _task(doc: _Locked, holder: int, state: str | None = None) -> dict[str, Any]:
    task = doc.task(holder)
    if task is None or (state is not None and task["state"] != state):
        raise NotFound(f"no {state or ''} task on {doc.pub_key} for user {holder}".replace("  ", " "))
    return task


def forward(
    store: Store,
    caller: Caller,
    ws_id: int,
    key: str,
    to: str | int,
    from_user: str | int | None = None,
    note: str | None = None,
) -> None:
    """Hand one's task (a manager: anyone's) on to another evaluator, keeping its due date."""
    holder = _holder(store, caller, ws_id, from_user)
    note = _text(note, "a note")
    pub_key = resolve(store, key, ws_id)
    target = _assignee(store, ws_id, to)
    if target == holder:
        raise Invalid("a task is forwarded to someone else")
    with _locked(store, caller, ws_id, pub_key) as doc:
        task = _task(doc, holder, "open")
        doc.log("task.unassigned", holder, new={"forwarded_to": target, "note": note})
        doc.log("task.assigned", target, new={"due": task["due"], "forwarded_from": holder, "note": note})


def set_done(
    store: Store, caller: Caller, ws_id: int, key: str, done: bool = True, user: str | int | None = None
) -> None:
    """Mark one's task (a manager: anyone's) done, or open again."""
    holder = _holder(store, caller, ws_id, user)
    pub_key = resolve(store, key, ws_id)
    with _locked(store, caller, ws_id, pub_key) as doc:
        task = _task(doc, holder)
        state = "done" if done else "open"
        if task["state"] != state:
            doc.log(
                "task.done" if done else "task.reopened", holder, {"state": task["state"]}, {"state": state}
            )


def set_due(store: Store, caller: Caller, ws_id: int, key: str, due: dt.date | None, user: str | int) -> None:
    """Set (or clear) the due date of a user's task (a manager's or admin's right)."""
    access.check(store, caller, "doc.assign", ws_id)
    holder = find_user(store, user).user_id
    pub_key = resolve(store, key, ws_id)
    with _locked(store, caller, ws_id, pub_key) as doc:
        task = _task(doc, holder)
        if task["due"] != due:
            doc.log("task.due", holder, {"due": task["due"]}, {"due": due})
