"""What an analyst reads first about one publication (``patscape show``), its family (``patscape family``)
and its citations both ways (``patscape citations``), from the stored record and the enrichment.

Class titles come from the shared IPC title tables (``<shared>/data/ipc_titles_inpi_cls``, IPC 2022.01: the
subclass and main-group levels; CPC shares them); without that folder a code is shown without its title.
"""

from __future__ import annotations

import csv
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from patscape.store.base import Store

IPC_TITLES = Path("data/ipc_titles_inpi_cls/20220101")
TITLE_LENGTH = 90  # a class title cut to this many characters (the scheme's notes in brackets dropped)


def shared_folder() -> Path:
    return Path(os.environ.get("PATSCAPE_SHARED", "../shared"))


@cache
def class_titles(shared: Path | None = None) -> dict[str, str]:
    """IPC subclass (``G06N``) and main group (``G06N 3``) -> title; empty when the tables are missing."""
    folder = (shared or shared_folder()) / IPC_TITLES
    titles: dict[str, str] = {}
    for name in ("labels_group_id_4.tsv", "labels_group_id_6.tsv"):
        path = folder / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                title = row["title"].split(" (")[0].strip()
                titles[row["id"].strip()] = title[:TITLE_LENGTH]
    return titles


def class_title(code: str, titles: dict[str, str]) -> str | None:
    """The most specific title known for a CPC/IPC code (``G06N3/045`` -> the ``G06N 3`` title)."""
    subclass = code[:4]
    group = code[4:].split("/")[0].strip().lstrip("0")
    return titles.get(f"{subclass} {group}") or titles.get(subclass)


def office_link(pub: dict[str, Any]) -> str:
    """The publication on Espacenet (the EPO's worldwide service: every office's documents)."""
    number = f"{pub['country']}{pub['number']}{pub['kind'] or ''}"
    return f"https://worldwide.espacenet.com/patent/search?q=pn%3D{number}"


def _one_line(evidence: Any) -> str:
    """A label's evidence as one line: the matched terms, or the classifier's words."""
    try:
        found = json.loads(evidence) if isinstance(evidence, str) else evidence
    except ValueError:
        return str(evidence)
    if isinstance(found, dict):
        hits = found.get("hits") or found.get("terms") or found.get("matches") or []
        words = [h.get("term") or h.get("text") or str(h) if isinstance(h, dict) else str(h) for h in hits]
        return ", ".join(dict.fromkeys(words)) or "no matched terms"
    return str(found)


def _has(store: Store, *tables: str) -> bool:
    return all(store.has_table(t) for t in tables)


def summary(store: Store, pub_key: str) -> dict[str, Any] | None:
    """The analyst's view of one publication: number, title, dates, applicants (owner group, country),
    family members, CPC/IPC codes with titles, the generative-AI label with its evidence, a link."""
    pubs = store.fetch("SELECT * FROM publications WHERE pub_key = ?", (pub_key,))
    if not pubs:
        return None
    pub = pubs[0]
    priority = store.scalar("SELECT min(date) FROM priorities WHERE pub_key = ?", (pub_key,))
    out: dict[str, Any] = {
        "number": pub_key,
        "title": pub["title"],
        "published": pub["published"],
        "filed": pub["app_date"],
        "priority": priority,
        "granted": pub["granted"],
        "link": office_link(pub),
    }
    owners = "LEFT JOIN owner_groups g ON g.raw_name = p.name" if _has(store, "owner_groups") else ""
    group = "g.group_name" if owners else "NULL"
    out["applicants"] = store.fetch(
        f"SELECT DISTINCT p.seq, p.name, p.country, {group} AS owner_group FROM parties p {owners} "
        "WHERE p.pub_key = ? AND p.role IN ('applicant', 'assignee') ORDER BY p.seq",
        (pub_key,),
    )
    out["inventors"] = [
        r["name"]
        for r in store.fetch(
            "SELECT name FROM parties WHERE pub_key = ? AND role = 'inventor' ORDER BY seq", (pub_key,)
        )
    ]
    out["family"] = family(store, pub_key)
    titles = class_titles()
    out["classes"] = [
        {
            "scheme": r["scheme"],
            "code": r["code"],
            "title": class_title(r["code"], titles) if r["scheme"] in ("CPC", "IPC") else None,
        }
        for r in store.fetch(
            "SELECT DISTINCT scheme, code, seq FROM classes WHERE pub_key = ? ORDER BY scheme, seq",
            (pub_key,),
        )
    ]
    out["generative_ai"] = genai(store, pub_key)
    return out


def genai(store: Store, pub_key: str) -> dict[str, Any] | None:
    """The label (yes/no, score, evidence in one line) and the taxonomy tags; None before ``classify``."""
    if not _has(store, "genai_labels", "genai_tags"):
        return None
    labels = store.fetch(
        "SELECT is_genai, score, evidence, method FROM genai_labels WHERE pub_key = ? ORDER BY method",
        (pub_key,),
    )
    if not labels:
        return None
    label = labels[-1]
    tags = store.fetch(
        "SELECT dimension, tag FROM genai_tags WHERE pub_key = ? ORDER BY dimension, score DESC", (pub_key,)
    )
    by_dimension: dict[str, list[str]] = {}
    for t in tags:
        by_dimension.setdefault(t["dimension"], []).append(t["tag"])
    return {
        "label": "generative AI" if label["is_genai"] else "not generative AI",
        "score": label["score"],
        "evidence": _one_line(label["evidence"]),
        "method": label["method"],
        **{d: ", ".join(v) for d, v in by_dimension.items()},
    }


def family(store: Store, pub_key: str) -> dict[str, Any] | None:
    """The publication's family (``patscape enrich``): id, type, and every member; None before enrich."""
    if not _has(store, "family_members"):
        return None
    fid = store.scalar("SELECT family_id FROM family_members WHERE pub_key = ?", (pub_key,))
    if fid is None:
        return None
    members = store.fetch(
        "SELECT m.pub_key, m.country, m.kind, m.published, p.title FROM family_members m "
        "LEFT JOIN publications p ON p.pub_key = m.pub_key WHERE m.family_id = ? "
        "ORDER BY m.published NULLS LAST, m.pub_key",
        (fid,),
    )
    facts = (
        store.fetch("SELECT * FROM families WHERE family_id = ?", (fid,)) if _has(store, "families") else []
    )
    head = facts[0] if facts else {}
    return {
        "family_id": fid,
        "family_type": head.get("family_type"),
        "earliest_priority": head.get("earliest_priority"),
        "earliest_publication": head.get("earliest_publication"),
        "members": members,
    }


def citations(store: Store, pub_key: str) -> dict[str, list[dict[str, Any]]]:
    """``backward``: what the publication cites (with who cited it: examiner, applicant…, when the source
    says); ``forward``: the stored publications that cite it, with their applicants."""
    backward = store.fetch(
        "SELECT c.cited_key, c.npl, c.date, c.category, c.cited_by, p.title FROM citations c "
        "LEFT JOIN publications p ON p.pub_key = c.cited_key WHERE c.pub_key = ? ORDER BY c.seq",
        (pub_key,),
    )
    forward = store.fetch(
        "SELECT c.pub_key AS citing_key, p.published, c.cited_by, p.title, "
        "(SELECT string_agg(DISTINCT a.name, '; ') FROM parties a "
        " WHERE a.pub_key = c.pub_key AND a.role IN ('applicant', 'assignee')) AS citing_applicants "
        "FROM citations c LEFT JOIN publications p ON p.pub_key = c.pub_key "
        "WHERE c.cited_key = ? ORDER BY p.published, c.pub_key",
        (pub_key,),
    )
    return {"backward": backward, "forward": forward}
