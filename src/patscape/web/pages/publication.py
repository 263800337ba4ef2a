"""One publication as a page shows it, shaped from ``Store.details`` (every table's rows of it)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from patscape import monitor
from patscape.enrich.class_titles import titles
from patscape.enrich.genai.store_labels import explain, explain_rows
from patscape.monitor.keys import resolve
from patscape.monitor.sql import fetch_in
from patscape.store import Store


@dataclass
class Publication:
    pub_key: str
    title: str | None
    facts: list[tuple[str, str]]  # (label, value) in the order a patent attorney reads them
    parties: dict[str, list[str]]  # role → names as written, with their country
    classes: dict[str, list[str]]  # scheme → codes, the first one first
    code_titles: dict[str, str]  # code → the title of its main group or subclass (patscape titles)
    abstract: str | None
    claims: list[tuple[str, bool]]  # (claim, dependent): dependent claims refer to an earlier one
    citations: list[dict[str, Any]] = field(default_factory=list)  # backward: what it cites
    cited_by: list[str] = field(default_factory=list)  # forward: publications in the store citing it
    family: list[dict[str, Any]] = field(default_factory=list)  # the other members of its family
    held: set[str] = field(default_factory=set)  # keys of the above that the store holds (linked)
    genai: list[dict[str, Any]] = field(default_factory=list)  # the classifier's evidence (explain_rows)


def _texts(rows: list[dict[str, Any]], kind: str) -> list[str]:
    return [r["text"] for r in rows if r["kind"] == kind and r["text"]]


_REFERS_TO_A_CLAIM = re.compile(r"\b(?:claims?|Anspruch|revendication)\s+\d+", re.IGNORECASE)


def _claims(texts: list[str]) -> list[tuple[str, bool]]:
    """One paragraph per claim (the readers keep claims apart with a blank line), each marked dependent
    when its preamble refers to an earlier claim, so that the independent claims stand out."""
    claims = [claim.strip() for text in texts for claim in re.split(r"\n\s*\n", text) if claim.strip()]
    return [(claim, bool(_REFERS_TO_A_CLAIM.search(claim[:200]))) for claim in claims]


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
    key = pub["pub_key"]
    cited_by = [
        r["pub_key"]
        for r in store.fetch(
            "SELECT DISTINCT pub_key FROM citations WHERE cited_key = ? ORDER BY pub_key", (key,)
        )
    ]
    family = (
        store.fetch(
            "SELECT pub_key, country, published, kind FROM family_members WHERE pub_key <> ? AND family_id = "
            "(SELECT family_id FROM family_members WHERE pub_key = ?) ORDER BY published, pub_key",
            (key, key),
        )
        if store.has_table("family_members")
        else []
    )
    cited = [c["cited_key"] for c in details["citations"] if c.get("cited_key")]
    wanted = [*cited, *(f["pub_key"] for f in family)]
    held = (
        {
            r["pub_key"]
            for r in fetch_in(store, "SELECT pub_key FROM publications p WHERE {keys}", "p.pub_key", wanted)
        }
        if wanted
        else set()
    )
    return Publication(
        pub_key=pub["pub_key"],
        title=pub["title"],
        facts=[(label, value) for label, value in facts if value],
        parties=parties,
        classes=classes,
        code_titles=titles(store, [c for scheme in ("CPC", "IPC") for c in classes.get(scheme, [])]),
        abstract="\n\n".join(abstract) or None,
        claims=_claims(_texts(details["texts"], "claims")),
        citations=details["citations"],
        cited_by=cited_by,
        family=family,
        held=held | set(cited_by),
        genai=_genai_evidence(store, key),
    )


def _genai_evidence(store: Store, key: str) -> list[dict[str, Any]]:
    """What ``patscape explain`` shows, once the publication is classified (never classified here)."""
    if not store.scalar("SELECT count(*) FROM genai_labels WHERE pub_key = ?", (key,)):
        return []
    explained = explain(store, key)
    return explain_rows(explained) if explained else []
