"""Hostile and random queries: the parser raises nothing but its own syntax error, a search changes
nothing in the database, and every search is bounded (limits on length, depth and terms; a time limit that
interrupts)."""

from __future__ import annotations

import contextlib
import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patscape.search import LIMITS, SearchSyntaxError, SearchTimeout, matching_keys, parse
from patscape.search.engine import search
from patscape.search.expressions import literal
from patscape.store import open_store, schema

HOSTILE = [
    "'",
    '"',
    ";",
    "--",
    "/*",
    "*/",
    "\\",
    "\x00",
    "%",
    "_",
    "$1",
    "?",
    "' OR 1=1 --",
    "'; DROP TABLE publications; --",
    "); DELETE FROM texts; --",
    "UNION SELECT",
    "\u202e",
    "生成",
    "é",
]
WORDS = ["neural", "network", "ti", "pa", "cpc", "pd", "AND", "OR", "NOT", "NEAR/3", "3W", "2D", "G06N3/04*"]
WORDS += [
    "prox/distance<3",
    "prox/distance<3/ordered",
    "2021",
    "2020-05-01",
    "within",
    "all",
    "any",
    "comput*",
]
WORDS += ["colo?r", "model#", "tencent", "US11532378B2", "yes", "GAN", "title", "applicant"]
PIECES = st.sampled_from(HOSTILE + WORDS + ["(", ")", "=", "<", ">=", ":", " ", '"neural network"'])
QUERIES = st.one_of(
    st.lists(PIECES, min_size=1, max_size=25).map(" ".join),
    st.lists(PIECES, min_size=1, max_size=25).map("".join),
    st.text(max_size=200),
)


def _fingerprint(store) -> str:  # type: ignore[no-untyped-def]
    """Row counts and the content of the base tables (changed by any write)."""
    parts = [str(store.table_counts())]
    for row in store.fetch("SELECT pub_key, content_hash FROM publications ORDER BY pub_key"):
        parts.append(f"{row['pub_key']}:{row['content_hash']}")
    parts.append(str(store.fetch("SELECT key, value FROM patscape_meta ORDER BY key")))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@settings(max_examples=400, deadline=None)
@given(QUERIES)
def test_parser_raises_only_its_own_error(text: str) -> None:
    try:
        query = parse(text)
    except SearchSyntaxError as exc:
        assert exc.line >= 1 and exc.column >= 1
        assert exc.message
        return
    assert query.leaves


def test_limits_are_syntax_errors() -> None:
    terms = " OR ".join(f"w{i}" for i in range(10_000))
    with pytest.raises(SearchSyntaxError, match="longer than"):
        parse(terms)
    with pytest.raises(SearchSyntaxError, match="more than 500 terms"):
        parse(" ".join(f"w{i}" for i in range(LIMITS.terms + 1)))
    with pytest.raises(SearchSyntaxError, match="nested more than"):
        parse("(" * 1000 + "neural" + ")" * 1000)
    with pytest.raises(SearchSyntaxError, match="nested more than"):
        parse("NOT " * 1000 + "neural")
    with pytest.raises(SearchSyntaxError, match="U\\+0000"):
        parse("neural\x00network")
    with pytest.raises(SearchSyntaxError, match="alternations"):
        parse(" ".join(f"w{i} {'AND' if i % 2 else 'OR'}" for i in range(200)) + " end")


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def hostile_store(request, duck_corpus: str, pg_corpus: str, tmp_path_factory):  # type: ignore[no-untyped-def]
    """A writable connection (a search must not write even when it could), on a copy for DuckDB."""
    import shutil

    if request.param == "duckdb":
        path = tmp_path_factory.mktemp("fuzz") / "corpus.duckdb"
        shutil.copyfile(duck_corpus, path)
        url = str(path)
    else:
        url = pg_corpus
    with open_store(url, create=False) as store:
        yield store


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(QUERIES, min_size=1, max_size=3))
def test_searches_change_nothing(hostile_store, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    before = _fingerprint(hostile_store)
    for text in texts:
        with contextlib.suppress(SearchSyntaxError, SearchTimeout):
            search(hostile_store, text, limit=5, timeout=20)
    assert _fingerprint(hostile_store) == before


def test_hostile_values_are_only_values(hostile_store) -> None:  # type: ignore[no-untyped-def]
    before = _fingerprint(hostile_store)
    for text in (
        '"\'; DROP TABLE publications; --"',
        'ti="\') OR 1=1 --"',
        'pa="x\'); DELETE FROM parties; --"',
        'pn="US1\'; --"',
        'cc="\';"',
    ):
        try:
            keys = matching_keys(hostile_store, text)
        except SearchSyntaxError:
            continue
        assert len(keys) < 100
    assert hostile_store.scalar("SELECT count(*) FROM publications") > 1000
    assert _fingerprint(hostile_store) == before


def test_a_slow_search_is_interrupted(hostile_store) -> None:  # type: ignore[no-untyped-def]
    # the time limit is a mechanism, not a measurement: a limit no query can meet stops this one
    slow = " OR ".join(f'ab=("{a} {b}" NEAR/9 (comput* OR data OR system))' for a, b in _pairs())
    with pytest.raises(SearchTimeout):
        search(hostile_store, slow, timeout=0.001)


def _pairs() -> list[tuple[str, str]]:
    words = ["neural", "network", "language", "model", "image", "data", "training", "method"]
    return [(a, b) for a in words for b in words if a != b][:40]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
)
def test_literals_round_trip(text: str) -> None:
    # the Ibis path binds values as SQL literals: each must read back as the very same value
    import duckdb

    assert duckdb.sql(f"SELECT {literal(text, 'duckdb')} AS v").fetchone()[0] == text
    assert duckdb.sql(f"SELECT {literal([text, 'x'], 'duckdb')} AS v").fetchone()[0] == [text, "x"]


def test_literals_round_trip_on_postgres(pg_url: str) -> None:
    import psycopg

    values = ["it's", "a\\b", "'; DROP TABLE x; --", "$$", "E'\\x41'", "生成 é", "\u202e", '"', "%s", "?"]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for value in values:
            got = conn.execute(f"SELECT {literal(value, 'postgresql')}").fetchone()[0]  # no parameters
            assert got == value


def test_schema_tables_fingerprinted() -> None:
    assert {"search_docs", "search_names", "search_postings"} <= {t.name for t in schema.ALL_TABLES}
