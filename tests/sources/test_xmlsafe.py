"""Safe XML parsing and splitting of concatenated documents."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from patscape.sources.split import document_spans, split_xml_documents
from patscape.sources.xmlsafe import UnsafeDocument, parse_xml


def test_named_entities_of_old_uspto_files_are_resolved(data: Path) -> None:
    raw = (data / "go_uspto_testdata/application/v1-5-A1_2.xml").read_bytes()
    assert b"&lsqb;" in raw and b"NDATA TIF" in raw
    root = parse_xml(raw)
    text = "".join(root.itertext())
    assert "&lsqb;" not in text and "[" in text


def test_greek_and_unknown_entities() -> None:
    root = parse_xml(b"<a>&lgr;=&Dgr; &mdash; &nosuchentity; &amp;</a>")
    assert root.text == "λ=Δ — &nosuchentity; &"


def test_ndata_declarations_are_harmless() -> None:
    doc = (
        b'<?xml version="1.0"?>\n<!DOCTYPE p SYSTEM "p.dtd" [\n'
        b'<!ENTITY f1 SYSTEM "f1.TIF" NDATA TIF>\n]>\n<p>x</p>'
    )
    assert parse_xml(doc).text == "x"


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',
        b'<!DOCTYPE p [<!ENTITY s SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_parsed_entity_declarations_are_refused(doctype: bytes) -> None:
    with pytest.raises(UnsafeDocument, match="parsed entities"):
        parse_xml(b'<?xml version="1.0"?>' + doctype + b"<p>&b;</p>")


def test_split_concatenated_documents_with_offsets() -> None:
    docs = [
        b'<?xml version="1.0"?>\n<a>1</a>\n',
        b'<?xml version="1.0"?>\n<b>2</b>\n',
        b'<?xml version="1.0"?><c/>',
    ]
    stream = io.BytesIO(b"".join(docs))
    chunks = list(split_xml_documents(stream, block=7))  # tiny blocks: boundaries fall inside declarations
    assert [c.data for c in chunks] == docs
    assert [c.offset for c in chunks] == [0, len(docs[0]), len(docs[0]) + len(docs[1])]
    assert [c.index for c in chunks] == [0, 1, 2]


def test_weekly_file_splits_into_its_documents(data: Path) -> None:
    path = data / "patentsview_db_fixtures/ipgxml/ipg130416.small.xml"
    with open(path, "rb") as f:
        chunks = list(split_xml_documents(f))
    assert len(chunks) == 27  # 25 grants and 2 sequence listings
    assert sum(len(c.data) for c in chunks) == path.stat().st_size


@pytest.mark.parametrize(
    ("content", "documents"),
    [
        (b"", []),
        (b" \n\t", []),  # nothing but blanks: no document
        (b"<r/>", [(0, b"<r/>")]),  # no declaration: the whole file
        (b"junk before<?xml a?><r/>", [(0, b"junk before"), (11, b"<?xml a?><r/>")]),  # junk is quarantined
        (b"\xef\xbb\xbf<?xml a?><r/>\n<?xml b?><s/>\n", [(3, b"<?xml a?><r/>\n"), (17, b"<?xml b?><s/>\n")]),
        (b" \n <?xml a?><r/><?xml b?>", [(3, b"<?xml a?><r/>"), (16, b"<?xml b?>")]),
    ],
)
@pytest.mark.parametrize("block", [3, 7, 64])
def test_documents_and_spans_of_crafted_streams(content: bytes, documents: list, block: int) -> None:
    expected = [
        (i, offset, doc, content.count(b"\n", 0, offset) + 1) for i, (offset, doc) in enumerate(documents)
    ]
    chunks = [(c.index, c.offset, c.data, c.line) for c in split_xml_documents(io.BytesIO(content), block)]
    spans = [(i, o, content[o : o + n], line) for i, o, n, line in document_spans(io.BytesIO(content), block)]
    assert chunks == expected
    assert spans == expected


def test_document_spans_of_real_weekly_files(data: Path) -> None:
    """Every document starts at a declaration, in file order, and they cover the file from the first one; the
    line each starts on is the file's."""
    files = sorted((data / "patentsview_db_fixtures").rglob("*.xml"))
    assert len(files) > 20
    for path in files:
        content = path.read_bytes()
        starts = [m.start() for m in re.finditer(re.escape(b"<?xml "), content)]
        expected = [
            (i, start, end - start, content.count(b"\n", 0, start) + 1)
            for i, (start, end) in enumerate(zip(starts, [*starts[1:], len(content)], strict=True))
        ]
        for block in (4096, 8 * 1024 * 1024):
            assert list(document_spans(io.BytesIO(content), block)) == expected, path
