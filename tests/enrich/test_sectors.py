"""Applicant sectors: the rules on names in every language they cover, and the precision and recall on the
held-out part of the hand-labelled names (tests/enrich/data/sectors/README.md says how they were drawn)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from patscape.enrich.sectors import fold, load_sector_rules, score

LABELLED = Path(__file__).parent / "data" / "sectors" / "applicant_names.jsonl"
RULES = load_sector_rules()


def _labelled() -> list[dict[str, str]]:
    with open(LABELLED, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.mark.parametrize(
    ("name", "sector"),
    [
        # English
        ("Massachusetts Institute of Technology", "university"),
        ("The Regents of the University of California", "university"),
        ("The United States of America as represented by the Secretary of the Navy", "government"),
        ("Electronics and Telecommunications Research Institute", "institute"),
        ("Mayo Clinic", "hospital"),
        ("Nvidia Corporation", "company"),
        ("Adobe Inc.", "company"),
        ("SMITH, John A.", "individual"),
        ("Jane Doe Jr", "individual"),
        # Chinese
        ("清华大学", "university"),
        ("中国科学院自动化研究所", "institute"),
        ("中国科学院大学", "university"),
        ("北京百度网讯科技有限公司", "company"),
        ("复旦大学附属中山医院", "hospital"),
        ("中国人民解放军国防科技大学", "university"),
        ("中国人民解放军32802部队", "government"),
        ("王小明", "individual"),
        # Japanese
        ("株式会社東芝", "company"),
        ("国立大学法人東京大学", "university"),
        ("国立研究開発法人産業技術総合研究所", "institute"),
        ("ソニーグループ株式会社", "company"),
        # Korean
        ("삼성전자주식회사", "company"),
        ("서울대학교산학협력단", "university"),
        ("한국전자통신연구원", "institute"),
        ("김철수", "individual"),
        # German
        ("Technische Universität München", "university"),
        ("Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung e.V.", "institute"),
        ("Siemens Aktiengesellschaft", "company"),
        ("Bundesrepublik Deutschland, vertreten durch das Bundesministerium der Verteidigung", "government"),
        # French
        ("Centre National de la Recherche Scientifique", "institute"),
        ("Commissariat à l'Énergie Atomique et aux Énergies Alternatives", "institute"),
        ("Université Paris-Saclay", "university"),
        ("Assistance Publique - Hôpitaux de Paris", "hospital"),
        ("Thales SA", "company"),
    ],
)
def test_rules_read_names_in_every_language(name: str, sector: str) -> None:
    assert RULES.classify(name).sector == sector, RULES.classify(name)


def test_a_name_the_rules_cannot_tell_is_left_unclassified() -> None:
    assert RULES.classify("Xerox").sector is None
    assert RULES.classify("").sector is None


def test_exceptions_win_over_keywords() -> None:
    assert RULES.classify("SAS Institute Inc.").sector == "company"
    assert fold("SAS  Institute, Inc.") == "sas institute inc"


def test_an_unknown_sector_in_the_rules_file_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text('order = ["company", "startup"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="startup"):
        load_sector_rules(bad)


# SHA-256 of the held-out names with their script and label, as committed with the rules (88fca46): the
# held-out part stays what it was when it was frozen
HELDOUT_DIGEST = "8caae43c75da2bbabdd83e7ff80f08092b5da781c98b7bffd52094b67e5adf08"


def test_the_labelled_set_and_its_frozen_split() -> None:
    rows = _labelled()
    assert len(rows) == 610 and len({r["name"] for r in rows}) == 610
    heldout = sorted((r["name"], r["script"], r["sector"]) for r in rows if r["split"] == "heldout")
    digest = hashlib.sha256(json.dumps(heldout, ensure_ascii=False).encode()).hexdigest()
    assert digest == HELDOUT_DIGEST, "the held-out names or their labels changed"
    splits = Counter((r["script"], r["split"]) for r in rows)
    assert splits == {
        ("zh", "rules"): 88,
        ("zh", "heldout"): 132,
        ("latin", "rules"): 132,
        ("latin", "heldout"): 198,
        ("ja", "rules"): 12,
        ("ja", "heldout"): 18,
        ("ko", "rules"): 12,
        ("ko", "heldout"): 18,
    }


@pytest.mark.parametrize("script", ["zh", "latin"])
def test_precision_and_recall_on_the_held_out_names(script: str) -> None:
    heldout = [
        (r["name"], r["sector"]) for r in _labelled() if r["split"] == "heldout" and r["script"] == script
    ]
    result = score(RULES, heldout)
    print(f"{script}: {result.names} names, precision {result.precision:.3f}, recall {result.recall:.3f}")
    assert result.precision >= 0.95
    assert result.recall >= 0.90
