"""The store's typed seams: ``Store.resolve_key``, ``is_server_url``, the stored evaluation record, and the
report quoting the versions that made the stored labels."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from patscape.enrich.genai.stored_evaluation import (
    EVALUATION_KEY,
    StoredEvaluation,
    load_evaluation,
    save_evaluation,
)
from patscape.report import write_report
from patscape.store import is_server_url, open_store
from patscape.store.ingest import ingest
from tests.report.readback import read_csv

GP_EXPORT = "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102423.csv"


@pytest.fixture(scope="module")
def keyed(data: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """USPTO grants (US-6530116-B2 …) and a Google Patents export, which holds Taiwanese numbers."""
    db = str(tmp_path_factory.mktemp("keys") / "keys.duckdb")
    with open_store(db) as store:
        ingest(store, [data / "go_uspto_testdata", data / GP_EXPORT])
    return db


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("US-6530116-B2", "US-6530116-B2"),
        ("US6530116B2", "US-6530116-B2"),
        ("us 6,530,116 b2", "US-6530116-B2"),
        ("US6530116", "US-6530116-B2"),  # the kind left off: the only stored kind
        ("  US-6530116-B2 ", "US-6530116-B2"),
    ],
)
def test_resolve_key_takes_any_spelling(keyed: str, typed: str, key: str) -> None:
    with open_store(keyed, read_only=True) as store:
        assert store.resolve_key(typed) == key


def test_resolve_key_finds_stored_keys_the_normaliser_does_not_make(keyed: str) -> None:
    """A key as stored is found even when the normaliser spells it differently (Taiwanese numbers)."""
    with open_store(keyed, read_only=True) as store:
        stored = store.scalar("SELECT min(pub_key) FROM publications WHERE pub_key LIKE 'TW-%'")
        assert stored is not None
        assert store.resolve_key(stored) == stored
        assert store.resolve_key(stored.lower()) == stored


@pytest.mark.parametrize("typed", ["US-9999999999-B2", "nonsense", "US-6530%", "US-65301_6-B2", ""])
def test_resolve_key_answers_none_for_nothing_stored(keyed: str, typed: str) -> None:
    with open_store(keyed, read_only=True) as store:
        assert store.resolve_key(typed) is None


def test_show_and_explain_use_it(keyed: str) -> None:
    from click.testing import CliRunner

    from patscape.cli import main

    for command in ("show", "explain"):
        result = CliRunner().invoke(main, [command, "us6530116", "--db", keyed, "--json"])
        assert result.exit_code == 0 and "US-6530116-B2" in result.output, result.output


@pytest.mark.parametrize(
    ("target", "server"),
    [
        ("postgresql://app@127.0.0.1:5432/db", True),
        ("postgres://u:p@h/db", True),
        ("/tmp/p.duckdb", False),
        ("patscape.duckdb", False),
        ("md:x", False),
    ],
)
def test_is_server_url(target: str, server: bool) -> None:
    assert is_server_url(target) is server


EVALUATION = StoredEvaluation(
    precision=0.9123,
    recall=0.8456,
    f1=0.8777,
    support=67,
    precision_ci=(0.85, 0.96),
    recall_ci=(0.77, 0.91),
    folds=5,
    labels_file="dev.jsonl",
    query_version="2025.1+abcdef12",
    measured_at="2026-01-02",
)


def test_the_evaluation_is_one_typed_record_under_one_key(tmp_path: Path) -> None:
    db = str(tmp_path / "e.duckdb")
    with open_store(db) as store:
        assert load_evaluation(store) is None
        save_evaluation(store, EVALUATION)
        assert load_evaluation(store) == EVALUATION
        keys = [r["key"] for r in store.fetch("SELECT key FROM patscape_meta WHERE key LIKE 'genai%'")]
        assert keys == [EVALUATION_KEY]
        store.set_meta(EVALUATION_KEY, '{"precision": 0.9}')  # not a record: no measurement
        assert load_evaluation(store) is None


def test_the_report_quotes_the_stored_evaluation_and_label_versions(
    data: Path, tmp_path: Path, shared: Path
) -> None:
    """The report names the versions that made the stored labels, not the query and model installed."""
    from patscape.enrich.build import enrich
    from patscape.enrich.genai.store_labels import classify

    db = str(tmp_path / "r.duckdb")
    with open_store(db) as store:
        ingest(store, [data / "go_uspto_testdata"])
        classify(store)
        enrich(store)
        store.execute("UPDATE genai_labels SET method_version = 'qold-query+0000beef/cold-model-7/t0.5'")
        save_evaluation(store, EVALUATION)
    result = write_report(db, tmp_path / "report", pdf=False)
    method = read_csv(result.out_dir, "method").set_index("key")["value"]
    assert method["genai_query_version"] == "old-query+0000beef"
    assert method["genai_classifier_version"] == "old-model-7"
    assert float(method["genai_precision"]) == pytest.approx(0.9123)
    assert "5-fold cross-validation on dev.jsonl" in method["genai_measured_on"]
    shutil.rmtree(tmp_path / "report")
