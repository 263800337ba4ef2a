"""Hostile input is refused, quarantined with its reason, and the valid documents around it are stored."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from patscape.sources.containers import ZipLimits
from patscape.store import open_store
from patscape.store.ingest import ingest

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<us-patent-grant lang="EN" dtd-version="v4.2 2006-08-23" date-publ="20120327"><us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>09999999</doc-number><kind>B2</kind>
<date>20120327</date></document-id></publication-reference>
<invention-title id="t">&lol9;</invention-title></us-bibliographic-data-grant></us-patent-grant>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<us-patent-grant lang="EN" dtd-version="v4.2 2006-08-23" date-publ="20120327"><us-bibliographic-data-grant>
<publication-reference><document-id><country>US</country><doc-number>09999998</doc-number><kind>B2</kind>
<date>20120327</date></document-id></publication-reference>
<invention-title id="t">&secret;</invention-title></us-bibliographic-data-grant></us-patent-grant>
"""

REMOTE_DTD = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<us-patent-grant lang="EN" dtd-version="v4.2 2006-08-23" date-publ="20120327"></us-patent-grant>
"""


def _two_real_grants(data: Path) -> tuple[bytes, bytes]:
    raw = (data / "patentsview_db_fixtures/xml/ipg120327.two.xml").read_bytes()
    second = raw.index(b"<?xml", 10)
    return raw[:second], raw[second:]


def _keys(db_url: str) -> list[str]:
    with open_store(db_url) as store:
        return [r["pub_key"] for r in store.fetch("SELECT pub_key FROM publications ORDER BY pub_key")]


def _reasons(db_url: str) -> list[str]:
    with open_store(db_url) as store:
        return [r["reason"] for r in store.fetch("SELECT reason FROM quarantine ORDER BY source_index")]


@pytest.mark.parametrize(
    ("hostile", "reason"),
    [
        (BILLION_LAUGHS, "parsed entities"),
        (EXTERNAL_ENTITY, "parsed entities"),
        (REMOTE_DTD, "parsed entities"),
    ],
    ids=["billion-laughs", "external-entity", "remote-dtd"],
)
def test_entity_attacks_are_refused_and_neighbours_stored(
    hostile: bytes, reason: str, db_url: str, data: Path, tmp_path: Path
) -> None:
    first, second = _two_real_grants(data)
    weekly = tmp_path / "ipg-hostile.xml"
    weekly.write_bytes(first + hostile + second)
    with open_store(db_url) as store:
        summary = ingest(store, [weekly])
        rows = store.fetch("SELECT source_index, source_offset, snippet FROM quarantine")
    assert summary.total.stored == 2 and summary.total.rejected == 1
    assert _keys(db_url) == ["US-D656308-S1", "US-D656309-S1"]
    assert reason in _reasons(db_url)[0]
    assert rows[0]["source_index"] == 1 and rows[0]["source_offset"] == len(first)
    assert "lollollol" not in str(rows) and "root:" not in str(rows)


def test_oversized_field_is_refused(db_url: str, data: Path, tmp_path: Path) -> None:
    first, second = _two_real_grants(data)
    start = second.index(b"<invention-title")
    end = second.index(b"</invention-title>")
    huge_title = second[:start] + b'<invention-title id="x">' + b"A" * 1_000_000 + second[end:]
    weekly = tmp_path / "ipg-oversized.xml"
    weekly.write_bytes(first + huge_title)
    with open_store(db_url) as store:
        summary = ingest(store, [weekly])
    assert summary.total.stored == 1 and summary.total.rejected == 1
    assert _reasons(db_url) == ["oversized field: title has 1,000,000 characters (limit 4,000)"]


def test_zip_bomb_member_is_refused_and_other_members_stored(db_url: str, data: Path, tmp_path: Path) -> None:
    first, second = _two_real_grants(data)
    archive = tmp_path / "weekly.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a-first.xml", first)
        zf.writestr("b-bomb.xml", b"<?xml version='1.0'?><a>" + b" " * 50_000_000 + b"</a>")
        zf.writestr("c-second.xml", second)
    with open_store(db_url) as store:
        summary = ingest(store, [archive])
    assert summary.total.stored == 2
    assert len(summary.refused) == 1 and "zip bomb refused" in summary.refused[0]
    assert _keys(db_url) == ["US-D656308-S1", "US-D656309-S1"]
    assert _reasons(db_url)[0].startswith("zip bomb refused: member expands")


def test_archive_over_total_limit_is_refused(db_url: str, data: Path, tmp_path: Path) -> None:
    first, _ = _two_real_grants(data)
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(3):
            zf.writestr(f"doc{i}.xml", first)
    with open_store(db_url) as store:
        summary = ingest(store, [archive], limits=ZipLimits(max_total_bytes=2 * len(first)))
    assert summary.total.stored == 0 and len(summary.refused) == 1
    assert "expands to" in summary.refused[0]


def test_lying_zip_header_is_caught_while_reading(tmp_path: Path) -> None:
    """A member whose real content is larger than its header says is stopped at the declared size."""
    from patscape.sources.containers import iter_inputs

    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("doc.xml", b"<a>" + b"x" * 1000 + b"</a>")
    raw = bytearray(archive.read_bytes())
    # shrink the uncompressed size in the central directory to 10 bytes
    cd = raw.rindex(b"PK\x01\x02")
    raw[cd + 24 : cd + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(raw))
    (item,) = list(iter_inputs([archive]))
    with pytest.raises(Exception, match=r"(expands beyond|Bad CRC|size)"):
        item.open().read()
