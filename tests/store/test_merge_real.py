"""Records of one publication from several real documents merge into one row."""

from __future__ import annotations

from pathlib import Path

from patscape.store import open_store
from patscape.store.ingest import ingest


def test_ops_biblio_abstract_claims_and_description_merge(db_url: str, data: Path) -> None:
    # EPO OPS answers one question per response: biblio, abstract, claims, description of EP1000000
    with open_store(db_url) as store:
        ingest(store, [data / "epo_ops_patent_client/published"])
        rows = store.fetch("SELECT pub_key, title FROM publications WHERE pub_key = 'EP-1000000-A1'")
        texts = store.fetch(
            "SELECT kind, lang FROM texts WHERE pub_key = 'EP-1000000-A1' ORDER BY kind, lang"
        )
    assert rows == [
        {
            "pub_key": "EP-1000000-A1",
            "title": "Apparatus for manufacturing green bricks for the brick manufacturing industry",
        }
    ]
    assert [(t["kind"], t["lang"]) for t in texts] == [
        ("abstract", "en"),
        ("claims", "en"),
        ("description", "en"),
        ("title", "de"),
        ("title", "en"),
        ("title", "fr"),
    ]
