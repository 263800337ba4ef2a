"""The index is written by the writing commands only, and a search answers the same whether it is fresh,
behind the data (what it misses is scanned) or missing altogether."""

from __future__ import annotations

from pathlib import Path

import pytest

from patscape.record import Text
from patscape.search import build_index, index_state, matching_keys, search, update_index
from patscape.search.engine import SearchUnavailable
from patscape.store import open_store
from patscape.store.freshness import bump_generation
from patscape.store.ingest import ingest

QUERIES = [
    "ti=方法",
    "ab=本发明 OR ab=リチウムイオン",
    "cl=(method NEAR/3 comprising)",
    "desc=embodiment",
    'ta="image forming"',
    "pa=三星",
    "in=goto OR pa=mitsubishi",
    "txt=comput* AND pd>=2005",
    "ti=shoe* NOT cc=CN",
    "ipc=G06F* OR cpc=H04N*",  # codes alone: read from the classes table when the index is behind
]


def answers(store) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {q: matching_keys(store, q) for q in QUERIES}


def test_stale_and_missing_index_answer_as_a_fresh_one(db_url: str, data: Path) -> None:
    with open_store(db_url) as store:
        ingest(store, [data / "cn_jp_st36_st96_examples"])
        assert not index_state(store).built
        scanned = answers(store)  # no index yet: everything scanned
        assert "not yet in the search index were scanned" in search(store, "ti=方法").notes[0]
        build_index(store)
        assert index_state(store).fresh
        assert answers(store) == scanned
        assert search(store, "ti=方法").notes == []
        assert any(scanned.values()) and all(len(v) < 30 for v in scanned.values())

        ingest(store, [data / "go_uspto_testdata"])  # the index is behind now
        state = index_state(store)
        assert state.built and not state.fresh
        behind = answers(store)
        summary = update_index(store, rebuild_share=1.0)
        assert summary["rebuilt"] is False and summary["publications"] == 13
        assert index_state(store).fresh
        assert answers(store) == behind
        build_index(store)
        assert answers(store) == behind
        assert any(set(behind[q]) - set(scanned[q]) for q in QUERIES)  # the new documents were found


def test_a_changed_publication_is_found_by_its_new_words_only(db_url: str, data: Path) -> None:
    with open_store(db_url) as store:
        ingest(store, [data / "cn_jp_st36_st96_examples"])
        build_index(store)
        key = "CN-113781974-A"
        assert matching_keys(store, "ti=显示设备") == [key]
        pub = store.load(key)
        pub.texts = [Text("title", "一种改进的显示面板", "zh"), *[t for t in pub.texts if t.kind != "title"]]
        pub.version = "9999-01-01"
        with store.transaction():
            assert store.write_batch([pub], "changed", 100).replaced == 1
            bump_generation(store)  # as ingest does with a batch that changed the data
        # behind: the old words are no longer found, the new ones are (scanned)
        assert matching_keys(store, "ti=显示设备") == []
        assert matching_keys(store, "ti=显示面板") == [key]
        update_index(store, rebuild_share=1.0)
        assert index_state(store).fresh
        assert matching_keys(store, "ti=显示设备") == []
        assert matching_keys(store, "ti=显示面板") == [key]
        postings = store.scalar("SELECT count(*) FROM search_postings WHERE term = '设'")
        build_index(store)  # a rebuild drops the postings left behind
        assert store.scalar("SELECT count(*) FROM search_postings WHERE term = '设'") < postings


def test_a_search_never_writes(tmp_path: Path, data: Path) -> None:
    path = str(tmp_path / "s.duckdb")
    with open_store(path) as store:
        ingest(store, [data / "cn_jp_st36_st96_examples"])
        build_index(store)
        ingest(store, [data / "go_uspto_testdata"])
    with open_store(path, read_only=True) as store:  # a read-only connection cannot write: it still answers
        before = store.table_counts()
        hits = search(store, 'ta="image forming" OR ti=方法', limit=50)
        assert hits.total >= 3 and hits.notes
        assert store.table_counts() == before
        assert not index_state(store).fresh


def test_an_old_database_without_the_tables(tmp_path: Path, data: Path) -> None:
    import duckdb

    path = str(tmp_path / "old.duckdb")
    with open_store(path) as store:
        ingest(store, [data / "cn_jp_st36_st96_examples"])
        fresh = answers(store)
    with duckdb.connect(path) as con:
        for table in ("search_postings", "search_names", "search_docs"):
            con.execute(f"DROP TABLE {table}")
    with open_store(path, read_only=True) as store:
        assert not index_state(store).tables
        assert answers(store) == fresh


def test_an_index_of_an_older_format_is_read_as_missing_and_rebuilt(db_url: str, data: Path) -> None:
    with open_store(db_url) as store:
        ingest(store, [data / "cn_jp_st36_st96_examples"])
        build_index(store)
        fresh = answers(store)
        assert store.scalar("SELECT count(*) FROM search_postings WHERE field IN (12, 13)") > 0
        # as an index written before party names were postings: none of them, and no format mark
        store.execute("DELETE FROM search_postings WHERE field IN (12, 13)")
        store.execute("DELETE FROM patscape_meta WHERE key = 'search_index_format'")
        state = index_state(store)
        assert state.tables and not state.built and "older patscape" in state.message
        assert answers(store) == fresh  # names read from the parties table meanwhile
        assert update_index(store)["rebuilt"] is True
        assert index_state(store).fresh and answers(store) == fresh
        assert store.scalar("SELECT count(*) FROM search_postings WHERE field IN (12, 13)") > 0


def test_too_much_to_scan_says_which_command_to_run(tmp_path: Path, data: Path) -> None:
    from patscape.search import scan

    with open_store(str(tmp_path / "s.duckdb")) as store:
        ingest(store, [data / "cn_jp_st36_st96_examples"])
        limit = scan.MAX_SCANNED
        scan.MAX_SCANNED = 5
        try:
            with pytest.raises(SearchUnavailable, match="run `patscape index`"):
                search(store, "ti=方法")
            assert matching_keys(store, "cc=CN")  # no word to look up: no index needed
        finally:
            scan.MAX_SCANNED = limit
