"""Owner names and groups: normalisation, pairwise precision and recall on hand-labelled real names, and the
merging of Chinese-, Korean-, Japanese- and English-named rows in the Google Patents exports."""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from patscape.enrich.aliases import Aliases, load_aliases
from patscape.enrich.names import normalise_name
from patscape.enrich.owners import FUZZY_THRESHOLD, group_names, merge_report, top_owners
from patscape.record import Publication
from patscape.sources.containers import ZipLimits, iter_inputs
from patscape.sources.detect import detect_input, read_input
from patscape.store import open_store
from tests.enrich.conftest import GP_EXPORTS

LABELS = Path(__file__).parent / "data" / "owner_names.csv"
# Stated thresholds: the grouping must keep pairwise precision and recall on the labelled names above these.
MIN_PRECISION = 0.98
MIN_RECALL = 0.93


@pytest.fixture(scope="module")
def labelled() -> list[dict[str, str]]:
    with open(LABELS, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def pairwise(truth: dict[str, str], predicted: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall: over all pairs of names, "same group" predicted versus labelled."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(truth), 2):
        same_truth, same_pred = truth[a] == truth[b], predicted[a] == predicted[b]
        tp += same_truth and same_pred
        fp += same_pred and not same_truth
        fn += same_truth and not same_pred
    return tp / (tp + fp), tp / (tp + fn)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("腾讯科技（深圳）有限公司", "腾讯科技"),  # full-width brackets, city qualifier, legal form
        ("Tencent Technology (Shenzhen) Company Limited", "tencent technology"),
        ("Beijing Baidu Netcom Science and Technology Co., Ltd.", "baidu netcom science and technology"),
        ("삼성전자 주식회사", "삼성전자"),
        ("삼성전자주식회사", "삼성전자"),
        ("株式会社日立製作所", "日立製作所"),
        ("Kabushiki Kaisha Toshiba", "toshiba"),
        ("ROBERT BOSCH G.M.B.H.", "robert bosch"),
        ("Robert Bosch Gesellschaft mit beschränkter Haftung", "robert bosch"),
        ("At&T Intellectual Property I, L.P.", "at and t intellectual property i"),
        ("Société des Produits Nestlé S.A.", "societe des produits nestle"),
        ("南韓商三星電子股份有限公司", "三星電子"),  # Taiwanese "South Korean company" prefix
        ("Tencent America LLC", "tencent"),
        ("Bank of America Corporation", "bank of america"),
        ("北京大学", "北京大学"),  # no legal form: a university keeps its city
        ("中国石油大学(北京)", "中国石油大学 北京"),  # and its campus (a separate university)
    ],
)
def test_normalise_name(raw: str, normalised: str) -> None:
    assert normalise_name(raw) == normalised


def test_labelled_names_are_real_applicants(labelled: list[dict[str, str]], data: Path) -> None:
    """Every labelled name is an applicant or assignee exactly as the readers take it from its export."""
    names_by_file: dict[str, set[str]] = defaultdict(set)
    files = sorted({r["source"] for r in labelled})
    for item in iter_inputs([data / f for f in files], ZipLimits()):
        reader = detect_input(item)
        assert reader is not None
        key = str(Path(item.file).relative_to(data))
        for record in read_input(item, reader):
            if isinstance(record, Publication):
                names_by_file[key].update(
                    p.name for p in record.parties if p.role in ("applicant", "assignee")
                )
    missing = [r["name"] for r in labelled if r["name"] not in names_by_file[r["source"]]]
    assert missing == []
    assert len(labelled) >= 300 and len({r["name"] for r in labelled}) == len(labelled)


def test_grouping_precision_and_recall(labelled: list[dict[str, str]]) -> None:
    truth = {r["name"]: r["group"] for r in labelled}
    assignments = group_names(list(truth), load_aliases(), FUZZY_THRESHOLD)
    precision, recall = pairwise(truth, {n: a.group_id for n, a in assignments.items()})
    print(f"\nowner grouping on {len(truth)} labelled names: precision {precision:.4f}, recall {recall:.4f}")
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (precision, recall)


# The figures the alias file cannot flatter: on the labelled names it does not match (the grouping decided by
# normalisation and fuzzy matching alone), measured once when this test was written: precision 1.00 (71 of
# 71 pairs put together belong together), recall 0.59 (71 of 120 pairs that belong together found). The
# floors below only guard against a regression; they are not targets tuned on these names.
MIN_PRECISION_NOT_IN_ALIASES = 0.98
MIN_RECALL_NOT_IN_ALIASES = 0.55


def test_precision_and_recall_on_names_not_in_the_alias_file(labelled: list[dict[str, str]]) -> None:
    truth = {r["name"]: r["group"] for r in labelled}
    assignments = group_names(list(truth), load_aliases(), FUZZY_THRESHOLD)
    rest = {name: group for name, group in truth.items() if assignments[name].method != "alias"}
    precision, recall = pairwise(rest, {n: assignments[n].group_id for n in rest})
    print(
        f"\nowner grouping on the {len(rest)} labelled names the alias file does not match "
        f"(of {len(truth)}): precision {precision:.4f}, recall {recall:.4f}"
    )
    assert len(rest) >= 150
    assert precision >= MIN_PRECISION_NOT_IN_ALIASES and recall >= MIN_RECALL_NOT_IN_ALIASES


def test_without_aliases_the_fuzzy_matching_stays_precise(labelled: list[dict[str, str]]) -> None:
    """Normalisation and fuzzy matching alone never merge two labelled groups; translations need aliases."""
    truth = {r["name"]: r["group"] for r in labelled}
    assignments = group_names(list(truth), Aliases([], {}), FUZZY_THRESHOLD)
    precision, recall = pairwise(truth, {n: a.group_id for n, a in assignments.items()})
    print(f"\nwithout the alias file: precision {precision:.4f}, recall {recall:.4f}")
    assert precision >= 0.99
    # typos and spellings of one name are still found
    groups = {n: a.group_id for n, a in assignments.items()}
    assert groups["Microsoft Technoloogy Licensing, LLC"] == groups["Microsoft Technology Licensing, Llc"]
    assert groups["LOCKHEED CORP"] != groups["Lockheed Martin Corporation"]
    assert groups["AMAZON TECH INC"] == groups["Amazon Technologies, Inc."]
    assert groups["LI QING"] != groups["LI QIANG"]


def _gp_rows_with_name(data: Path, name: str) -> int:
    """Distinct publications whose assignee cell lists ``name``, read with the csv module."""
    ids = set()
    for path in sorted((data / GP_EXPORTS).glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if name in row["assignee"].split(", "):
                    ids.add(row["id"])
    return len(ids)


# (group, a name in Chinese or Korean script, an English name): both as written in the exports
MERGED = [
    ("tencent", "腾讯科技（深圳）有限公司", "Tencent Technology (Shenzhen) Company Limited"),
    ("tencent", "腾讯科技（深圳）有限公司", "Tencent America LLC"),
    ("baidu", "北京百度网讯科技有限公司", "Baidu Usa Llc"),
    ("huawei", "华为技术有限公司", "Huawei Technologies Co., Ltd."),
    ("bytedance", "北京字跳网络技术有限公司", "Lemon Inc."),
    ("bytedance", "字节跳动技术有限公司", "Bytedance Inc."),
    (
        "ping-an",
        "平安科技（深圳）有限公司",
        "中国平安人寿保险股份有限公司",
    ),  # no English Ping An row in these files
    ("alibaba", "阿里巴巴集团控股有限公司", "Alibaba Group Holding Limited"),
    ("samsung", "삼성전자주식회사", "Samsung Electronics Co., Ltd."),
    ("ibm", "国际商业机器公司", "International Business Machines Corporation"),
    ("alphabet", "谷歌有限责任公司", "Google Llc"),
    ("microsoft", "微软技术许可有限责任公司", "Microsoft Technology Licensing, Llc"),
    ("nvidia", "辉达公司", "Nvidia Corporation"),
    ("cas", "中国科学院自动化研究所", "Chinese Academy Of Sciences"),
]


def test_google_patents_top_owners_merge_their_scripts(gp_db: Path, data: Path) -> None:
    with open_store(str(gp_db), read_only=True) as store:
        group_of = {
            r["raw_name"]: r["group_id"] for r in store.fetch("SELECT raw_name, group_id FROM owner_groups")
        }
        for group, native, english in MERGED:
            assert group_of[native] == group_of[english] == group, (native, english)
        report = {r["group_id"]: r for r in merge_report(store, limit=100)}
        tencent = report["tencent"]
        # before: the single most frequent spelling, counted from the CSV files themselves
        assert tencent["largest_name"] == "腾讯科技（深圳）有限公司"
        assert tencent["before"] == _gp_rows_with_name(data, "腾讯科技（深圳）有限公司")
        for group in ("tencent", "baidu", "huawei", "bytedance", "ping-an", "alibaba", "samsung", "ibm"):
            assert report[group]["after"] > report[group]["before"] and report[group]["raw_names"] >= 3
        # the owner's country: from the alias file, since Google gives none
        countries = {r["group_id"]: r["country"] for r in top_owners(store, 30)}
        assert countries["tencent"] == "CN" and countries["samsung"] == "KR" and countries["ibm"] == "US"
        # fractional owner weights add up to one per family
        assert (
            store.scalar(
                "SELECT count(*) FROM (SELECT family_id, sum(weight) AS w FROM family_owners "
                "GROUP BY family_id) t WHERE abs(w - 1) > 1e-9"
            )
            == 0
        )
