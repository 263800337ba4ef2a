"""The language over real documents: each query's hits are what the tests' own reading (oracle.py) finds in
the records read straight from the files, and DuckDB and PostgreSQL give the same hits."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from patscape.record import Publication
from patscape.search import matching_keys
from patscape.store import open_store
from tests.search import oracle as o
from tests.search.conftest import labels


@dataclass(frozen=True)
class Groups:
    """Owner groups as ``patscape enrich`` wrote them: a name found by a query brings its whole group."""

    by_name: dict[str, set[str]]  # raw or group name -> group ids
    members: dict[str, set[str]]  # group id -> raw names

    def owners_matching(self, *parts: o.Word | str) -> set[str]:
        found = {n for n in self.by_name if o.name_has([n], *parts)}
        groups = {g for n in found for g in self.by_name[n]}
        return found | {m for g in groups for m in self.members[g]}


Predicate = Callable[[Publication, Groups], bool]


def pa(*parts: o.Word | str) -> Predicate:
    wanted: dict[int, set[str]] = {}

    def test(rec: Publication, groups: Groups) -> bool:
        if id(groups) not in wanted:
            wanted[id(groups)] = groups.owners_matching(*parts)
        return any(n in wanted[id(groups)] or o.name_has([n], *parts) for n in o.owners(rec))

    return test


def ti(*parts: o.Word | str) -> Callable[[Publication], bool]:
    return lambda r: o.phrase(r, "ti", *parts)


def key(pattern: str) -> Callable[[Publication], bool]:
    return lambda r: re.fullmatch(pattern, r.pub_key) is not None


def cpc(test: Callable[[str], bool]) -> Callable[[Publication], bool]:
    return lambda r: any(test(c) for c in o.codes(r, "CPC"))


def published(test: Callable[[str], bool]) -> Callable[[Publication], bool]:
    return lambda r: bool(r.published) and test(r.published)


S = o.side
CASES: list[tuple[str, Callable[..., bool]]] = [
    # words, case and accents
    ("ti=neural", ti("neural")),
    ("ti=NEURAL", ti("neural")),
    ("title:Neural", ti("neural")),
    ("neural network", lambda r: o.phrase(r, "txt", "neural") and o.phrase(r, "txt", "network")),
    ("txt=compose", lambda r: o.phrase(r, "txt", "compose")),
    ("txt=composé", lambda r: o.phrase(r, "txt", "compose")),
    ("cl=ausgewahlt", lambda r: o.phrase(r, "cl", "ausgewahlt")),
    ("cl=wherein", lambda r: o.phrase(r, "cl", "wherein")),
    ("desc=embodiment", lambda r: o.phrase(r, "desc", "embodiment")),
    ("ab=hepcidin", lambda r: o.phrase(r, "ab", "hepcidin")),
    # phrases
    ('ti="neural network"', ti("neural", "network")),
    ('ab="large language model"', lambda r: o.phrase(r, "ab", "large", "language", "model")),
    ('"machine learning"', lambda r: o.phrase(r, "txt", "machine", "learning")),
    ('ta="real-time"', lambda r: o.phrase(r, "ta", "real", "time")),
    ("ti=multi-modal", ti("multi", "modal")),
    # Chinese and Japanese: contiguous characters
    ("ti=方法", lambda r: o.chars(r, "ti", "方法")),
    ("ab=本发明", lambda r: o.chars(r, "ab", "本发明")),
    ("ti=治疗装置", lambda r: o.chars(r, "ti", "治疗装置")),
    ("ta=リチウムイオン", lambda r: o.chars(r, "ta", "リチウムイオン")),
    ("cl=抗体", lambda r: o.chars(r, "cl", "抗体")),
    # truncation
    ("comput*", lambda r: o.phrase(r, "txt", o.prefix("comput"))),
    ("ti=generat*", ti(o.prefix("generat"))),
    ("ti=colo?r", ti(o.rx("colo.?r"))),
    ("ti=model#", ti(o.rx("model."))),
    ("ti=transform*r", ti(o.rx("transform.*r"))),
    ('ti="neural net*"', ti("neural", o.prefix("net"))),
    # groups, booleans (left to right, no precedence)
    ("ta=(image or video)", lambda r: o.phrase(r, "ta", "image") or o.phrase(r, "ta", "video")),
    (
        "ti=(car or truck or vehicle)",
        lambda r: any(o.phrase(r, "ti", x) for x in ("car", "truck", "vehicle")),
    ),
    ("ti=learning OR ti=training", lambda r: o.phrase(r, "ti", "learning") or o.phrase(r, "ti", "training")),
    (
        "ti=learning AND NOT ti=machine",
        lambda r: o.phrase(r, "ti", "learning") and not o.phrase(r, "ti", "machine"),
    ),
    (
        "ti=learning not ti=machine",
        lambda r: o.phrase(r, "ti", "learning") and not o.phrase(r, "ti", "machine"),
    ),
    (
        "ti=diffusion OR ti=transformer AND pd>=2024",
        lambda r: (
            (o.phrase(r, "ti", "diffusion") or o.phrase(r, "ti", "transformer"))
            and bool(r.published and r.published >= "2024-01-01")
        ),
    ),
    (
        'ti all "machine learning model"',
        lambda r: all(o.phrase(r, "ti", x) for x in ("machine", "learning", "model")),
    ),
    (
        'ti any "diffusion transformer"',
        lambda r: o.phrase(r, "ti", "diffusion") or o.phrase(r, "ti", "transformer"),
    ),
    (
        "txt=transformer NOT ti=transformer",
        lambda r: o.phrase(r, "txt", "transformer") and not o.phrase(r, "ti", "transformer"),
    ),
    # proximity
    ("ti=(neural prox/distance<3 network)", lambda r: o.near(r, "ti", S("neural"), S("network"), 2)),
    (
        "ab=(neural prox/distance<4/ordered network)",
        lambda r: o.near(r, "ab", S("neural"), S("network"), 3, True),
    ),
    ("ab=(language NEAR/2 model)", lambda r: o.near(r, "ab", S("language"), S("model"), 2)),
    ("ab=(training 3W data)", lambda r: o.near(r, "ab", S("training"), S("data"), 3, True)),
    ("ab=(data 3D training)", lambda r: o.near(r, "ab", S("data"), S("training"), 3)),
    (
        "ab=((image OR video) NEAR/3 generat*)",
        lambda r: (
            o.near(r, "ab", S("image"), S(o.prefix("generat")), 3)
            or o.near(r, "ab", S("video"), S(o.prefix("generat")), 3)
        ),
    ),
    (
        'ab=("neural network" NEAR/4 train*)',
        lambda r: o.near(r, "ab", S("neural", "network"), S(o.prefix("train")), 4),
    ),
    # applicants (raw names and owner groups) and inventors
    ("pa=tencent", pa("tencent")),  # 腾讯科技（深圳）有限公司 by its owner group
    ("pa=nvidia", pa("nvidia")),
    ("pa=intel", pa("intel")),
    ('pa="pure storage"', pa("pure", "storage")),
    ("pa=英特尔", pa(*"英特尔")),
    ("applicant:oracle", pa("oracle")),
    ("pa=micro*", pa(o.prefix("micro"))),
    ("in=david", lambda r: o.name_has(o.inventors(r), "david")),
    ('in="tae eun"', lambda r: o.name_has(o.inventors(r), "tae", "eun")),
    # numbers in any spelling
    ("pn=US11532378B2", key("US-11532378-B2")),
    ("pn=US-11532378-B2", key("US-11532378-B2")),
    ("pn=US 11532378", key("US-11532378(-.*)?")),
    ('pn="CN 110543639 B"', key("CN-110543639-B")),
    ("pn=US2024*", key("US-2024.*")),
    (
        "ap=CN202111286633X",
        lambda r: r.application.country == "CN" and o.digits(r.application.number) == "202111286633X",
    ),
    (
        "ap=US13797521",
        lambda r: r.application.country == "US" and o.digits(r.application.number) == "13797521",
    ),
    (
        "pr=JP2007290922",
        lambda r: any(p.country == "JP" and o.digits(p.number) == "2007290922" for p in r.priorities),
    ),
    ("cc=JP", lambda r: r.country == "JP"),
    ("cc=cn AND ti=system", lambda r: r.country == "CN" and o.phrase(r, "ti", "system")),
    # classification codes and what lies below
    ("cpc=G06N", cpc(lambda c: c.startswith("G06N"))),
    ("cpc=G06N3/08", cpc(lambda c: c == "G06N3/08")),
    ("cpc=G06N3/04*", cpc(lambda c: c.startswith("G06N3/04"))),
    ("cpc=G06N3", cpc(lambda c: c.startswith("G06N3/"))),
    ("cpc:G10L", cpc(lambda c: c.startswith("G10L"))),
    ("ipc=H01L", lambda r: any(c.startswith("H01L") for c in o.codes(r, "IPC"))),
    # dates
    ("pd>=2024", published(lambda d: d >= "2024-01-01")),
    ("pd<2010-01-01", published(lambda d: d < "2010-01-01")),
    ('pd within "2015 2016"', published(lambda d: "2015-01-01" <= d <= "2016-12-31")),
    ("pd=2021-02", published(lambda d: d.startswith("2021-02"))),
    ("pd>2022", published(lambda d: d > "2022-12-31")),
    ("NOT pd>=2000", lambda r: not (r.published and r.published >= "2000-01-01")),
    ("prd=2019", lambda r: (o.earliest_priority(r) or "").startswith("2019")),
    ("prd<=2005 AND cc=US", lambda r: r.country == "US" and (o.earliest_priority(r) or "9") <= "2005-12-31"),
    ("ad>2020", lambda r: (r.application.date or "") > "2020-12-31"),
    # the taxonomy (labels written by the tests' rule, conftest.labels)
    ("genai=yes", "genai"),
    ("genai=no AND ti=generation", "not genai and ti generation"),
    ("model=GAN", "GAN"),
    ("mode=image", "image/video"),
    ("genai=yes AND NOT mode=text", "genai not text"),
    ("app=medical", "life-medical-sciences"),
    ("app=life-medical-sciences AND pd>=2020", "life-medical-sciences since 2020"),
    # the other Lucene-style aliases
    ('abstract:"neural network"', lambda r: o.phrase(r, "ab", "neural", "network")),
    ("claims:wherein AND cc=US", lambda r: r.country == "US" and o.phrase(r, "cl", "wherein")),
]


def _expected(case: tuple[str, Callable[..., bool] | str], corpus, groups: Groups) -> set[str]:  # type: ignore[no-untyped-def]
    _, test = case
    if isinstance(test, str):
        return _labelled(test, corpus)
    takes_groups = test.__code__.co_argcount == 2
    return {k for k, r in corpus.items() if (test(r, groups) if takes_groups else test(r))}


def _labelled(what: str, corpus) -> set[str]:  # type: ignore[no-untyped-def]
    rows, tags = labels(corpus)
    genai = {r[0] for r in rows if r[3]}
    tagged = lambda t: {r[0] for r in tags if r[2] == t}
    return {
        "genai": genai,
        "not genai and ti generation": {
            k for k in corpus if k not in genai and o.phrase(corpus[k], "ti", "generation")
        },
        "GAN": tagged("GAN"),
        "image/video": tagged("image/video"),
        "genai not text": genai - tagged("text"),
        "life-medical-sciences": tagged("life-medical-sciences"),
        "life-medical-sciences since 2020": {
            k for k in tagged("life-medical-sciences") if (corpus[k].published or "") >= "2020-01-01"
        },
    }[what]


@pytest.fixture(scope="module")
def groups(owner_groups: list[dict]) -> Groups:
    by_name: dict[str, set[str]] = {}
    members: dict[str, set[str]] = {}
    for row in owner_groups:
        for name in (row["raw_name"], row["group_name"]):
            if name:
                by_name.setdefault(name, set()).add(row["group_id"])
        members.setdefault(row["group_id"], set()).add(row["raw_name"])
    return Groups(by_name, members)


def test_enough_cases() -> None:
    assert len(CASES) >= 60
    assert len({q for q, _ in CASES}) == len(CASES)


def test_stored_records_are_the_records_read(duck_corpus: str, corpus) -> None:  # type: ignore[no-untyped-def]
    # the oracle reads the files; the database must hold the same records (same merges of duplicates)
    with open_store(duck_corpus, read_only=True) as store:
        stored = {
            r["pub_key"]: r["content_hash"]
            for r in store.fetch("SELECT pub_key, content_hash FROM publications")
        }
    assert stored == {k: r.content_hash() for k, r in corpus.items()}


@pytest.mark.parametrize("case", CASES, ids=[q for q, _ in CASES])
def test_query_on_duckdb_and_postgres(case, duck_corpus: str, pg_corpus: str, corpus, groups: Groups) -> None:  # type: ignore[no-untyped-def]
    expected = _expected(case, corpus, groups)
    assert expected, "each case finds something in the corpus"
    assert len(expected) < len(corpus)
    with open_store(duck_corpus, read_only=True) as store:
        duck = matching_keys(store, case[0])
    with open_store(pg_corpus) as store:
        pg = matching_keys(store, case[0])
    assert set(duck) == expected, (sorted(set(duck) - expected)[:5], sorted(expected - set(duck))[:5])
    assert pg == duck


def test_families_restriction_and_family_field(duck_corpus: str, pg_corpus: str, corpus) -> None:  # type: ignore[no-untyped-def]
    with open_store(duck_corpus, read_only=True) as duck, open_store(pg_corpus) as pg:
        family = {
            r["pub_key"]: r["family_id"] for r in duck.fetch("SELECT pub_key, family_id FROM family_members")
        }
        for query in ("pa=nvidia", "ti=neural", "cpc=G06N3/04* AND pd>=2022"):
            hits = matching_keys(duck, query)
            # a hit's family: the one `patscape enrich` made, else the one its source states, else its own
            expected = {family.get(k) or corpus[k].family_id or f"x:{k}" for k in hits}
            families = matching_keys(duck, query, families=True)
            assert set(families) == expected and len(families) <= len(hits)
            assert matching_keys(pg, query, families=True) == families
            # a watch profile runs on new publications only: the query restricted to a list of keys
            some = sorted(corpus)[::7]
            within = matching_keys(duck, query, within=some)
            assert within == sorted(set(hits) & set(some))
            assert matching_keys(pg, query, within=some) == within
        members: dict[str, list[str]] = {}
        for key, fam in family.items():
            members.setdefault(fam, []).append(key)
        for fam in sorted(members)[
            :: max(1, len(members) // 5)
        ]:  # families of one member here (no DOCDB ids)
            assert matching_keys(duck, f'fam="{fam}"') == sorted(members[fam])
            assert matching_keys(pg, f'fam="{fam}"') == sorted(members[fam])
