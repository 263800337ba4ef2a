"""The titles of classification codes, for people reading a publication: the IPC scheme's subclass and
main-group titles (CPC shares both levels with the IPC), loaded from its text as tab-separated
``id<TAB>title`` files (``labels_group_id_4.tsv``: "G06N"; ``labels_group_id_6.tsv``: "G06N 3")."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from patscape.store import Store
from patscape.store.schema import CLASS_TITLES

FILES = ("labels_group_id_4.tsv", "labels_group_id_6.tsv")


def _rows(folder: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in FILES:
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: a folder of IPC titles holds {' and '.join(FILES)}")
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                code = (row.get("id") or "").replace(" ", "").upper()
                title = (row.get("title") or "").strip()
                if 4 <= len(code) <= 8 and title:
                    found[code] = title
    return found


def load_titles(store: Store, folder: str | Path) -> int:
    """Replace the stored titles with those of ``folder`` (its name is kept as their version)."""
    folder = Path(folder)
    found = _rows(folder)
    with store.transaction():
        store.execute("DELETE FROM class_titles")
        store.insert_rows(CLASS_TITLES, [(code, title, folder.name) for code, title in sorted(found.items())])
    return len(found)


def titles(store: Store, codes: Iterable[str]) -> dict[str, str]:
    """Code -> the title of its main group, else of its subclass (codes without one left out)."""
    codes = list(codes)
    if not codes or not store.has_table("class_titles"):
        return {}
    wanted = {c: (c.split("/")[0], c[:4]) for c in codes}
    keys = sorted({k for pair in wanted.values() for k in pair})
    marks = ", ".join("?" for _ in keys)
    known = {
        r["code"]: r["title"]
        for r in store.fetch(f"SELECT code, title FROM class_titles WHERE code IN ({marks})", keys)
    }
    out = {}
    for code, (group, subclass) in wanted.items():
        title = known.get(group) or known.get(subclass)
        if title:
            out[code] = title
    return out
