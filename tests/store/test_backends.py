"""The store on both backends: schema, round trip of a record, Chinese names, search."""

from __future__ import annotations

from patscape.record import Classification, Party, Publication, SourceRef, Text
from patscape.store import open_store


def _pub(key: str = "CN-110543639-B", title: str = "一种生成对抗网络的训练方法") -> Publication:
    return Publication(
        pub_key=key,
        country="CN",
        number=key.split("-")[1],
        kind="B",
        source=SourceRef(file="x.xml", reader="test", reader_version="1"),
        published="2021-03-02",
        texts=[Text("title", title, "zh"), Text("abstract", "a generative adversarial network trains", "en")],
        parties=[Party("applicant", "腾讯科技（深圳）有限公司", 0, "CN", "深圳")],
        classes=[Classification("CPC", "G06N3/0475", 0, True, True)],
    )


def test_round_trip_keeps_chinese_names_exactly(db_url: str) -> None:
    pub = _pub()
    with open_store(db_url) as store, store.transaction():
        counts = store.write_batch([pub], "h", 100)
    assert counts.stored == 1
    with open_store(db_url) as store:
        loaded = store.load("CN-110543639-B")
    assert loaded is not None
    assert loaded.parties[0].name == "腾讯科技（深圳）有限公司"
    assert loaded.title == "一种生成对抗网络的训练方法"
    assert loaded.content_hash() == pub.content_hash()


def test_same_record_twice_changes_nothing_and_later_version_replaces(db_url: str) -> None:
    with open_store(db_url) as store:
        with store.transaction():
            store.write_batch([_pub()], "h", 100)
        with store.transaction():
            again = store.write_batch([_pub()], "h", 100)
        assert (again.stored, again.replaced, again.unchanged) == (0, 0, 1)
        newer = _pub(title="a corrected title")
        newer.version = "2022-01-01"
        with store.transaction():
            replaced = store.write_batch([newer], "h", 100)
        assert replaced.replaced == 1
        older = _pub(title="an older title")
        older.version = "2020-01-01"
        with store.transaction():
            kept = store.write_batch([older], "h", 100)
        assert kept.unchanged == 1
        assert store.scalar("SELECT count(*) FROM publications") == 1
        assert store.scalar("SELECT count(*) FROM texts WHERE kind = 'title'") == 1
        assert store.load("CN-110543639-B").title == "a corrected title"


def test_export_fields_merge_under_office_xml(db_url: str) -> None:
    office = _pub()
    export = _pub(title="Training method of generative confrontation network")
    export.texts = [Text("title", "Training method of generative confrontation network", "en")]
    export.family_id = "12345"
    export.parties = [Party("applicant", "TENCENT TECH SHENZHEN CO LTD", 0)]
    with open_store(db_url) as store:
        with store.transaction():
            store.write_batch([export], "e", 20)
        with store.transaction():
            store.write_batch([office], "o", 100)
        merged = store.load("CN-110543639-B")
    assert merged.family_id == "12345"  # only the export has it
    assert merged.parties[0].name == "腾讯科技（深圳）有限公司"  # the office XML wins
    assert {(t.kind, t.lang) for t in merged.texts} == {("title", "zh"), ("abstract", "en"), ("title", "en")}


def test_search_finds_by_title_abstract_or_claims(db_url: str) -> None:
    other = _pub("US-11532378-B2", "Vacuum cleaner with detachable blower")
    other.texts[1] = Text("abstract", "A blower exhaust is muffled", "en")
    with open_store(db_url) as store:
        with store.transaction():
            store.write_batch([_pub(), other], "h", 100)
        store.build_search_index()
        hits = store.search("generative adversarial")
        assert [h["pub_key"] for h in hits] == ["CN-110543639-B"]
        assert [h["pub_key"] for h in store.search("blower")] == ["US-11532378-B2"]
