"""A hand-made landscape of eight families, small enough to work every figure out by hand in the tests.

Families (members; earliest priority; earliest publication; owners):
  F1 CN-101-A, CN-102-B (granted)         2014-02-01  2015-03-01  Tencent
  F2 US-201-A1, US-202-B2 (granted),      2014-07-01  2016-01-10  Tencent, IBM
     CN-203-A, WO-204-A1
  F3 US-301-A1                            2016-05-05  2017-02-01  IBM
  F4 EP-401-A1, US-402-A1                 2016-03-01  2018-01-03  Siemens
  F5 CN-501-A                             2018-09-01  2019-04-01  Baidu
  F6 CN-601-A, US-602-A1                  2019-03-01  2020-01-02  Baidu
  F7 JP-701-A                             2019-12-20  2020-06-30  Sony   (the latest publication date)
  F8 KR-801-A                             no dates                no owner
"""

from __future__ import annotations

from pathlib import Path

from patscape.enrich.facts import refresh
from patscape.store.duckdb_store import DuckDBStore

# pub_key, family, published, app_date, granted, claims, title
PUBLICATIONS = [
    ("CN-101-A", "F1", "2015-03-01", "2014-02-01", None, 10, "Image generation with adversarial networks"),
    ("CN-102-B", "F1", "2016-06-01", "2014-02-01", "2016-06-01", 8, "Image generation"),
    ("US-201-A1", "F2", "2016-01-10", "2015-01-05", None, 20, "Generative adversarial network for text"),
    ("US-202-B2", "F2", "2017-05-01", "2015-01-05", "2017-05-01", 15, "Text generator"),
    ("CN-203-A", "F2", "2016-03-01", "2015-01-06", None, None, "Text generator"),
    ("WO-204-A1", "F2", "2016-01-14", "2015-01-05", None, None, "Text generator"),
    ("US-301-A1", "F3", "2017-02-01", "2016-05-05", None, 12, "Search ranking"),
    ("EP-401-A1", "F4", "2018-01-03", "2017-01-02", None, None, "Image denoising"),
    ("US-402-A1", "F4", "2018-03-01", "2017-01-02", None, 30, "Image denoising"),
    ("CN-501-A", "F5", "2019-04-01", "2018-09-01", None, 5, "Dialogue with a language model"),
    ("CN-601-A", "F6", "2020-01-02", "2019-03-01", None, None, "Diffusion image synthesis"),
    ("US-602-A1", "F6", "2020-05-01", "2019-08-01", None, None, "Diffusion image synthesis"),
    ("JP-701-A", "F7", "2020-06-30", "2019-12-20", None, None, "Speech synthesis"),
    ("KR-801-A", "F8", None, None, None, None, "Undated"),
]

# family_id, earliest_priority, earliest_publication, first_filing_office, granted, member_count, office_count
FAMILIES = [
    ("F1", "2014-02-01", "2015-03-01", "CN", True, 2, 1),
    ("F2", "2014-07-01", "2016-01-10", "US", True, 4, 3),
    ("F3", "2016-05-05", "2017-02-01", "US", False, 1, 1),
    ("F4", "2016-03-01", "2018-01-03", "DE", False, 2, 2),
    ("F5", "2018-09-01", "2019-04-01", "CN", False, 1, 1),
    ("F6", "2019-03-01", "2020-01-02", "CN", False, 2, 2),
    ("F7", "2019-12-20", "2020-06-30", "JP", False, 1, 1),
    ("F8", None, None, "KR", False, 1, 1),
]

COUNTRIES = {  # basis -> family -> countries (weights 1/n)
    "member": {
        "F1": ["CN"],
        "F2": ["US", "CN", "WO"],
        "F3": ["US"],
        "F4": ["EP", "US"],
        "F5": ["CN"],
        "F6": ["CN", "US"],
        "F7": ["JP"],
        "F8": ["KR"],
    },
    "inventor": {
        "F1": ["CN"],
        "F2": ["US", "CN"],
        "F3": ["US"],
        "F4": ["DE"],
        "F5": ["CN"],
        "F6": ["CN"],
        "F7": ["JP"],
    },
    "applicant": {
        "F1": ["CN"],
        "F2": ["CN", "US"],
        "F3": ["US"],
        "F4": ["DE"],
        "F5": ["CN"],
        "F6": ["CN"],
        "F7": ["JP"],
    },
    "office": {
        "F1": ["CN"],
        "F2": ["US"],
        "F3": ["US"],
        "F4": ["DE"],
        "F5": ["CN"],
        "F6": ["CN"],
        "F7": ["JP"],
    },
}

GROUPS = {
    "g-tencent": ("Tencent", "CN"),
    "g-ibm": ("IBM", "US"),
    "g-siemens": ("Siemens", "DE"),
    "g-baidu": ("Baidu", "CN"),
    "g-sony": ("Sony", "JP"),
}
OWNERS = {
    "F1": ["g-tencent"],
    "F2": ["g-tencent", "g-ibm"],
    "F3": ["g-ibm"],
    "F4": ["g-siemens"],
    "F5": ["g-baidu"],
    "F6": ["g-baidu"],
    "F7": ["g-sony"],
}

CLASSES = {
    "CN-101-A": ["G06N3/04", "G06T7/00"],
    "CN-102-B": ["G06N3/08"],
    "US-201-A1": ["G06N3/0475", "G06F40/20"],
    "US-202-B2": ["G06N3/0475"],
    "CN-203-A": ["G10L15/00"],
    "WO-204-A1": ["G06N3/0475"],
    "US-301-A1": ["G06F16/00"],
    "EP-401-A1": ["G06T5/00"],
    "US-402-A1": ["G06T5/00"],
    "CN-501-A": ["G06N3/04"],
    "CN-601-A": ["G06N3/0475", "H04L9/00"],
    "US-602-A1": ["G06N3/0475"],
    "JP-701-A": ["G10L13/00"],
}

CITATIONS = {  # citing -> cited documents ("npl:" = non-patent literature)
    "US-202-B2": ["CN-203-A", "CN-101-A"],
    "US-301-A1": ["US-202-B2", "CN-102-B", "CN-203-A", "US-999-B1", "npl:Goodfellow et al. 2014"],
    "EP-401-A1": ["US-201-A1"],
    "CN-501-A": ["CN-101-A"],
    "CN-601-A": ["US-202-B2"],
    "JP-701-A": ["CN-102-B"],
}

LABELS = {  # generative AI or not, by the method "test"
    "CN-101-A": True,
    "US-201-A1": True,
    "CN-501-A": True,
    "CN-601-A": True,
    "US-301-A1": False,
    "EP-401-A1": False,
    "JP-701-A": False,
}
TAGS = [  # pub_key, dimension, tag
    ("CN-101-A", "model", "GAN"),
    ("US-201-A1", "model", "GAN"),
    ("CN-501-A", "model", "LLM"),
    ("CN-601-A", "model", "diffusion"),
    ("CN-101-A", "mode", "image/video"),
    ("CN-601-A", "mode", "image/video"),
    ("US-201-A1", "mode", "text"),
    ("US-202-B2", "mode", "speech/voice/music"),
    ("CN-501-A", "mode", "text"),
    ("CN-101-A", "application", "security"),
    ("CN-601-A", "application", "security"),
    ("US-201-A1", "application", "telecommunications"),
    ("CN-501-A", "application", "business"),
    ("US-301-A1", "application", "business"),
]

GENAI_DDL = (  # the contract's columns, for a schema that does not create them yet
    "CREATE TABLE IF NOT EXISTS genai_labels (pub_key TEXT, method TEXT, method_version TEXT, "
    "is_genai BOOLEAN, score DOUBLE, evidence TEXT, labelled_at TIMESTAMP)",
    "CREATE TABLE IF NOT EXISTS genai_tags (pub_key TEXT, dimension TEXT, tag TEXT, method TEXT, "
    "method_version TEXT, score DOUBLE, evidence TEXT)",
)


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def build_mini(path: Path) -> Path:
    store = DuckDBStore(path)
    store.create_schema()
    con = store.con
    for pub_key, _fam, published, app_date, granted, claims, title in PUBLICATIONS:
        country, number, kind = pub_key.split("-")
        con.execute(
            "INSERT INTO publications (pub_key, country, number, kind, published, granted, app_date, "
            "claim_count, title, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [pub_key, country, number, kind, published, granted, app_date, claims, title, pub_key],
        )
        con.execute(
            "INSERT INTO texts (pub_key, seq, kind, lang, text) VALUES (?, 0, 'title', 'en', ?)",
            [pub_key, title],
        )
        con.execute(
            "INSERT INTO family_members (family_id, pub_key, country, published, kind) "
            "VALUES (?, ?, ?, ?, ?)",
            [_fam, pub_key, country, published, kind],
        )
    for pub_key, codes in CLASSES.items():
        for seq, code in enumerate(codes):
            con.execute(
                "INSERT INTO classes (pub_key, scheme, seq, code, is_first) VALUES (?, 'CPC', ?, ?, ?)",
                [pub_key, seq, code, seq == 0],
            )
    for pub_key, cited in CITATIONS.items():
        for seq, key in enumerate(cited):
            if key.startswith("npl:"):
                con.execute(
                    "INSERT INTO citations (pub_key, seq, npl) VALUES (?, ?, ?)", [pub_key, seq, key[4:]]
                )
                continue
            country, number, kind = key.split("-")
            con.execute(
                "INSERT INTO citations (pub_key, seq, cited_key, country, number, kind, cited_by) "
                "VALUES (?, ?, ?, ?, ?, ?, 'examiner')",
                [pub_key, seq, key, country, number, kind],
            )
    for fid, prio, pub, office, granted, members, offices in FAMILIES:
        con.execute(
            "INSERT INTO families (family_id, family_type, earliest_priority, priority_year, "
            "earliest_publication, publication_year, first_filing_office, granted, member_count, "
            "office_count) VALUES (?, 'docdb', ?, ?, ?, ?, ?, ?, ?, ?)",
            [fid, prio, _year(prio), pub, _year(pub), office, granted, members, offices],
        )
    for basis, per_family in COUNTRIES.items():
        for fid, countries in per_family.items():
            for country in countries:
                con.execute(
                    "INSERT INTO family_countries VALUES (?, ?, ?, ?)",
                    [fid, basis, country, 1 / len(countries)],
                )
    for fid, groups in OWNERS.items():
        for gid in groups:
            name, country = GROUPS[gid]
            con.execute(
                "INSERT INTO family_owners (family_id, group_id, group_name, country, weight) "
                "VALUES (?, ?, ?, ?, ?)",
                [fid, gid, name, country, 1 / len(groups)],
            )
    for sql in GENAI_DDL:
        con.execute(sql)
    for pub_key, genai in LABELS.items():
        con.execute(
            "INSERT INTO genai_labels (pub_key, method, method_version, is_genai, score, evidence, "
            "labelled_at) VALUES (?, 'test', '1', ?, ?, NULL, TIMESTAMP '2024-01-01 00:00:00')",
            [pub_key, genai, 1.0 if genai else 0.0],
        )
    for pub_key, dimension, tag in TAGS:
        con.execute(
            "INSERT INTO genai_tags VALUES (?, ?, ?, 'test', '1', 1.0, NULL)", [pub_key, dimension, tag]
        )
    refresh(store)  # the family fact table, from the tables above, as `patscape enrich` writes it
    store.close()
    return path
