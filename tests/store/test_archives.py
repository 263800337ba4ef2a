"""Bad archive members are quarantined with their reason; the ingest goes on with the next member and input.

The archive is built here from real grants of ../shared/data; its bad members are real grants damaged by
the test the way archives break: corrupt compressed data, a wrong CRC, encryption, a size header smaller
than the data (the zip-bomb lie), and a zip nested 40 levels deep.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from patscape.store import open_store
from patscape.store.ingest import ingest

GRANTS = "patentsview_db_fixtures/xml/ipg120327.two.xml"
LATER = "go_epo_eps_testdata/application/v1-5-1-A1.xml"  # EP-3882239-A1
MEMBERS = (
    "a-good.xml",
    "b-corrupt.xml",
    "c-bad-crc.xml",
    "d-encrypted.xml",
    "e-liar.xml",
    "f-deep.zip",
    "g-good.xml",
)
REASONS = {
    "b-corrupt.xml": "corrupt compressed data: Error -3 while decompressing data",
    "c-bad-crc.xml": "damaged archive member (its data do not match its header): Bad CRC-32 for file",
    "d-encrypted.xml": "encrypted member refused (no password)",
    # zipfile stops at the size the header says, so the lie shows as a wrong CRC
    "e-liar.xml": "damaged archive member (its data do not match its header): Bad CRC-32 for file",
    "f-deep.zip!level-38.zip": "zip archive nested deeper than 2 levels refused",
}


def _grants(data: Path) -> tuple[bytes, bytes]:
    raw = (data / GRANTS).read_bytes()
    second = raw.index(b"<?xml", 10)
    return raw[:second], raw[second:]


def _nested(content: bytes, levels: int) -> bytes:
    """``content`` in a zip in a zip ... ``levels`` deep."""
    data, name = content, "grant.xml"
    for level in range(levels):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name, data)
        data, name = buffer.getvalue(), f"level-{level}.zip"
    return data


def _entries(raw: bytes, name: str) -> tuple[int, int]:
    """Offsets of a member's local header and central directory entry."""
    info = zipfile.ZipFile(io.BytesIO(raw)).getinfo(name)
    central = raw.index(b"PK\x01\x02")
    while raw[central + 46 : central + 46 + len(name)] != name.encode():
        central = raw.index(b"PK\x01\x02", central + 46)
    return info.header_offset, central


def _damaged_archive(data: Path, path: Path) -> None:
    first, second = _grants(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in MEMBERS:
            if name == "f-deep.zip":
                zf.writestr(name, _nested(first, 40))
            else:
                zf.writestr(name, second if name == "g-good.xml" else first)
    raw = bytearray(buffer.getvalue())
    local, _ = _entries(bytes(raw), "b-corrupt.xml")
    start = local + 30 + len("b-corrupt.xml")
    raw[start + 2 : start + 40] = bytes(b ^ 0xFF for b in raw[start + 2 : start + 40])  # deflate data
    local, central = _entries(bytes(raw), "c-bad-crc.xml")
    for at in (local + 14, central + 16):  # the CRC in both headers
        raw[at] ^= 0xFF
    local, central = _entries(bytes(raw), "d-encrypted.xml")
    raw[local + 6] |= 1  # the encryption flag
    raw[central + 8] |= 1
    _, central = _entries(bytes(raw), "e-liar.xml")
    raw[central + 24 : central + 28] = struct.pack("<I", 100)  # uncompressed size: 100 bytes
    path.write_bytes(bytes(raw))


@pytest.fixture
def inputs(data: Path, tmp_path: Path) -> list[Path]:
    archive = tmp_path / "weekly.zip"
    _damaged_archive(data, archive)
    return [archive, data / LATER]


def test_bad_members_are_quarantined_and_the_rest_is_read(db_url: str, inputs: list[Path]) -> None:
    with open_store(db_url) as store:
        summary = ingest(store, inputs)
        keys = [r["pub_key"] for r in store.fetch("SELECT pub_key FROM publications ORDER BY pub_key")]
        quarantine = {
            r["source_member"]: r["reason"]
            for r in store.fetch("SELECT source_member, reason FROM quarantine ORDER BY source_member")
        }
        refused = store.fetch(
            "SELECT member, status FROM ingest_log WHERE status = 'refused' ORDER BY member"
        )
    assert keys == ["EP-3882239-A1", "US-D656308-S1", "US-D656309-S1"]  # a-good, g-good and the later input
    assert set(quarantine) == set(REASONS)
    for member, reason in REASONS.items():
        assert quarantine[member].startswith(reason), (member, quarantine[member])
    assert [r["member"] for r in refused] == sorted(REASONS)
    assert len(summary.refused) == len(REASONS) and summary.total.stored == 3
    assert summary.inputs == {"ingested": 3, "refused": 5}


def test_a_rerun_reads_nothing_again_and_does_not_crash(db_url: str, inputs: list[Path]) -> None:
    with open_store(db_url) as store:
        ingest(store, inputs)
        before = store.table_counts()
        again = ingest(store, inputs)
        after = store.table_counts()
    assert before == after
    assert again.inputs == {"already-ingested": 3, "refused": 5}
    assert again.total.stored == 0
