"""`patscape search` and `patscape index`, and the landscape's --query, on the corpus."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from patscape.cli import main
from patscape.store import open_store
from patscape.store.ingest import ingest


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_search_prints_hits_with_snippets(duck_corpus: str) -> None:
    code, out = run("search", 'ab="large language model"', "--db", duck_corpus, "--json", "--limit", "5")
    assert code == 0, out
    result = json.loads(out)
    assert result["unit"] == "publications" and result["total"] > 5 and len(result["hits"]) == 5
    scores = [h["score"] for h in result["hits"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    for hit in result["hits"]:
        snippet = hit["snippet"]
        marked = [snippet["text"][s:e].lower() for s, e in snippet["highlights"]]
        assert {"large", "language", "model"} & set(marked), snippet


def test_search_by_date_and_by_family(duck_corpus: str) -> None:
    code, out = run("search", "pa=tencent", "--db", duck_corpus, "--json", "--sort", "date", "--limit", "50")
    assert code == 0, out
    hits = json.loads(out)["hits"]
    dates = [h["published"] or "" for h in hits]
    assert dates == sorted(dates, reverse=True)
    assert any("腾讯" in name for h in hits for name in h["applicants"])
    code, out = run("search", "pa=tencent", "--db", duck_corpus, "--families", "--count", "--json")
    families = json.loads(out)
    code, out = run("search", "pa=tencent", "--db", duck_corpus, "--count")
    assert code == 0 and int(out) >= families["count"] > 0 and families["unit"] == "families"


def test_explain_shows_the_tree_and_the_parameters_apart(duck_corpus: str) -> None:
    code, out = run(
        "search", "--explain", "ti=(neural prox/distance<3 network) AND pd>=2021", "--db", duck_corpus
    )
    assert code == 0, out
    assert "ti = (neural 2D network)" in out and "pd >= 2021 (from 2021-01-01)" in out
    statement, parameters = out.split("\nparameters\n")
    assert "SELECT p.pub_key FROM publications p" in statement and "'neural'" not in statement
    assert "1: 'neural'" in parameters
    code, out = run("search", "--explain", "--json", "pa=tencent", "--db", duck_corpus)
    explained = json.loads(out)
    assert explained["params"] == ["tencent"] and "?" in explained["sql"]


def test_a_syntax_error_points_at_the_column(duck_corpus: str) -> None:
    code, out = run("search", "ti=(neural AND", "--db", duck_corpus)
    assert code == 2
    assert "missing ')' at line 1, column 14" in out
    assert out.rstrip().endswith("  ti=(neural AND\n" + " " * 15 + "^")


def test_index_command_and_ingest_keep_the_index(tmp_path: Path, data: Path) -> None:
    db = str(tmp_path / "cli.duckdb")
    with open_store(db) as store:
        ingest(store, [data / "cn_jp_st36_st96_examples"])
    code, out = run("index", "--db", db, "--json")
    assert code == 0, out
    assert json.loads(out)["rebuilt"] is True
    code, out = run("ingest", str(data / "go_uspto_testdata"), "--db", db, "-q", "--workers", "0")
    assert code == 0, out
    code, out = run("search", "ta=image AND ta=forming", "--db", db, "--json")
    assert json.loads(out)["notes"] == [] and json.loads(out)["total"] >= 2  # indexed by the ingest


def test_landscape_query(duck_corpus: str) -> None:
    code, out = run("landscape", "--db", duck_corpus, "--by", "country", "--query", "pa=nvidia", "--json")
    assert code == 0, out
    code, out = run("landscape", "--db", duck_corpus, "--query", "ti=(neural AND", "--json")
    assert code != 0 and "missing ')'" in out
