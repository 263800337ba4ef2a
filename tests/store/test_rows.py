"""Records as table rows: what a parsing worker sends to the writing process."""

from __future__ import annotations

from pathlib import Path

from patscape.record import Publication
from patscape.sources.containers import iter_inputs
from patscape.sources.detect import detect_input, read_input
from patscape.store.rows import prepare


def test_prepared_rows_give_every_real_record_back(data: Path) -> None:
    item = next(iter_inputs([data / "patentsview_db_fixtures/ipgxml/ipg130416.small.xml"]))
    reader = detect_input(item)
    assert reader is not None
    pubs = [p for p in read_input(item, reader) if isinstance(p, Publication)]
    assert len(pubs) == 25
    for pub in pubs:
        prepared = prepare(pub, reader.precedence)
        assert prepared.content_hash == pub.content_hash()
        assert prepared.text_size == sum(len(t.text) for t in pub.texts)
        back = prepared.publication()
        assert back.content_hash() == pub.content_hash()
        assert (back.citations, back.parties, back.priorities) == (pub.citations, pub.parties, pub.priorities)
