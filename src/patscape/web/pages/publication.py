"""One publication as a page shows it, shaped from ``Store.details`` (every table's rows of it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from patscape import monitor
from patscape.monitor.keys import resolve
from patscape.store import Store


@dataclass
class Publication:
    pub_key: str
    title: str | None
    facts: list[tuple[str, str]]  # (label, value) in the order a patent attorney reads them
    parties: dict[str, list[str]]  # role → names as written, with their country
    classes: dict[str, list[str]]  # scheme → codes, the first one first
    abstract: str | None
    claims: list[str]
    citations: list[dict[str, Any]] = field(default_factory=list)


def _texts(rows: list[dict[str, Any]], kind: str) -> list[str]:
    return [r["text"] for r in rows if r["kind"] == kind and r["text"]]


def _party(row: dict[str, Any]) -> str:
    name = row["name"] or " ".join(p for p in (row["given_name"], row["family_name"]) if p) or "?"
    return f"{name} ({row['country']})" if row["country"] else name


def publication(store: Store, key: str) -> Publication:
    """The publication ``key`` (any spelling); ``NotFound`` if the database does not hold it."""
    details = store.details(resolve(store, key))
    if details is None:
        raise monitor.NotFound(f"no publication {key}")
    pub = details["publication"]
    application = (pub["app_country"], pub["app_number"], pub["app_date"])
    facts = [
        ("Publication", f"{pub['pub_key']} ({pub['published'] or 'date unknown'})"),
        (
            "Application",
            " ".join(str(v) for v in application if v),
        ),
        ("Granted", str(pub["granted"] or "")),
        ("Family", str(pub["family_id"] or "")),
        ("Claims", str(pub["claim_count"] or "")),
        ("Cited by", str(pub["cited_by_count"] or "")),
    ]
    parties: dict[str, list[str]] = {}
    for row in details["parties"]:
        parties.setdefault(row["role"], []).append(_party(row))
    classes: dict[str, list[str]] = {}
    for row in sorted(details["classes"], key=lambda r: not r["is_first"]):
        codes = classes.setdefault(row["scheme"], [])
        if row["code"] not in codes:
            codes.append(row["code"])
    abstract = _texts(details["texts"], "abstract")
    return Publication(
        pub_key=pub["pub_key"],
        title=pub["title"],
        facts=[(label, value) for label, value in facts if value],
        parties=parties,
        classes=classes,
        abstract="\n\n".join(abstract) or None,
        claims=_texts(details["texts"], "claims"),
        citations=details["citations"],
    )
