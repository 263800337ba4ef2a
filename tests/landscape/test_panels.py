"""``Panels``: the dashboard's panels, compiled once and run for one filter after another, give the tables of
the landscape built for each filter (tests/landscape/mini.py), on DuckDB, PostgreSQL and Spark."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from patscape.landscape import PANELS, Landscape, LandscapeFilter, Panels, connect_url
from patscape.landscape.copies import _HELD, Masked, bound
from patscape.landscape.empty import why_empty
from patscape.landscape.panels import expressions
from patscape.landscape.sections import SECTIONS, rounded
from patscape.search import build_index
from patscape.store import open_store
from tests.landscape.conftest import records, spark_copy

FILTERS = [
    LandscapeFilter(),
    LandscapeFilter(genai=True),
    LandscapeFilter(year_from=2016, year_to=2019),
    LandscapeFilter(countries=("CN",)),
    LandscapeFilter(owner="ibm"),
    LandscapeFilter(tags=("model:GAN",), query="image"),
    LandscapeFilter(tags=("model:GAN",)),  # the conditions the copies' masks answer (Panels.masks)
    LandscapeFilter(genai=True, countries=("CN", "US"), tags=("model:GAN",), year_from=2016),
    LandscapeFilter(countries=("ZZ",)),  # a country without a bit: the selection
    LandscapeFilter(owner="nobody", genai=True),  # an owner naming no group: the selection
    LandscapeFilter(countries=("CN",), owner="ibm", tags=("model:GAN", "cset:none")),  # masks and selection
    LandscapeFilter(),  # back to no filter: nothing of the last selection stays
]
KOREA = LandscapeFilter(countries=("KR",))  # F8 alone: no dates, no owner, no label (mini.py)
ONE = "The one family in this selection"


def _tables(frames: dict) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    return {
        name: records(rounded(t.to_pandas() if hasattr(t, "to_pandas") else t)) for name, t in frames.items()
    }


def _expected(con, flt: LandscapeFilter, **options) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def]
    ctx = Landscape(con, filter=flt, **options)
    return _tables({name: expr.to_pandas() for name, expr in expressions(ctx).items()})


def _check(con, filters=FILTERS, **options) -> list[dict[str, list[dict]]]:  # type: ignore[no-untyped-def]
    panels = Panels(con, **options)
    seen = []
    for flt in filters:
        got = _tables(panels.compute(flt))
        assert got == _expected(con, flt, **options), flt
        assert set(got) == set(PANELS) and set(panels.seconds) >= set(PANELS)
        assert set(panels.empty) == {name for name, rows in got.items() if not rows}
        seen.append(got)
    return seen


def test_panels_are_the_landscape_of_each_filter(mini_con) -> None:  # type: ignore[no-untyped-def]
    seen = _check(mini_con, year="priority", country_by="member")
    everything, genai, _, china, ibm, gan, *_, nowhere, _, again = seen
    assert again == everything
    # hand-worked from mini.py: GAN and "image" leave F1 alone; IBM owns F2 and F3
    assert [r["country"] for r in gan["countries"]] == ["CN"]
    assert [(r["group_name"], r["families"]) for r in ibm["owners"]] == [("IBM", 2), ("Tencent", 1)]
    assert {r["country"] for r in china["country_totals"]} == {"CN", "US", "WO"}  # F1, F2, F5, F6's offices
    assert sum(r["families"] for r in genai["applications"]) == 4  # F1, F2, F5, F6: 2 + 1 + 1
    assert not nowhere["owners"] and not nowhere["countries"]


def test_fractional(mini_con) -> None:  # type: ignore[no-untyped-def]
    _check(mini_con, FILTERS[:3], year="publication", country_by="applicant", fractional=True)


@pytest.mark.postgres
def test_postgresql(mini_pg) -> None:  # type: ignore[no-untyped-def]
    _check(mini_pg, [*FILTERS[3:6], KOREA], year="priority", country_by="member")


def test_spark(spark_session, mini_path: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spark = spark_copy(spark_session.newSession(), mini_path, tmp_path)
    panels = Panels(spark, year="priority", country_by="member")
    flt = LandscapeFilter(genai=True, countries=("CN", "US"))
    assert _tables(panels.compute(flt)) == _expected(spark, flt, year="priority", country_by="member")
    panels.compute(KOREA)
    assert panels.empty["owners"] == f"{ONE} has no owner group."


def test_every_section_of_the_landscape_for_a_filter_beyond_the_years(mini_con) -> None:  # type: ignore[no-untyped-def]
    """``patscape landscape --by all`` with a filter: every section, the per-family quality table too (it
    ranks each family in its cohort of every family, which the selected rows alone cannot tell), is the
    landscape built for the filter."""
    panels = Panels(mini_con, year="priority", country_by="member", panels=SECTIONS)
    for flt in (
        LandscapeFilter(countries=("CN",)),
        LandscapeFilter(genai=True, year_from=2016),
        LandscapeFilter(),
    ):
        got = _tables(panels.compute(flt))
        ctx = Landscape(mini_con, year="priority", country_by="member", filter=flt)
        expected = _tables({n: e.to_pandas() for n, e in expressions(ctx, SECTIONS).items()})
        assert got == expected, flt
        assert got["quality"], flt  # hand-worked from mini.py: F1 is in China, generative AI, of 2016
    assert not panels.skipped


def test_a_panel_asked_with_other_panels_reads_its_own_tables(mini_con) -> None:  # type: ignore[no-untyped-def]
    """The year totals read the family summary the panels keep when a panel beside them needs it, and
    compute it themselves otherwise: two sets of panels on one connection, each with its own SQL (the
    second once read the first's table, left from another filter)."""
    china, america = LandscapeFilter(countries=("CN",)), LandscapeFilter(countries=("US",))
    Panels(mini_con, year="priority", country_by="member", panels=("year_totals", "countries")).compute(china)
    alone = Panels(mini_con, year="priority", country_by="member", panels=("year_totals",))
    got = _tables(alone.compute(america))
    ctx = Landscape(mini_con, year="priority", country_by="member", filter=america)
    assert got == _tables({"year_totals": expressions(ctx, ["year_totals"])["year_totals"].to_pandas()})


def test_tags_by_two_methods_are_counted_once_without_a_method(  # type: ignore[no-untyped-def]
    mini_con, mini_path: Path, tmp_path: Path
) -> None:
    """A second method giving the same tags as the first, and a model the first did not give: a filter
    without a method reads the tags' copy merged over the methods (``copies.MERGED_TAGS``), which needs no
    DISTINCT; a filter by a method reads that method's tags alone. Each is the landscape built for the
    filter, and the merged counts are those of one method plus the new model's."""
    one_method = Panels(mini_con, year="priority", country_by="member")
    before = _cells(_tables(one_method.compute(LandscapeFilter(countries=("CN", "US")))))
    copy = tmp_path / "two-methods.duckdb"
    shutil.copyfile(mini_path, copy)
    with open_store(str(copy)) as store:
        tags = "family_fact_tags"
        store.execute(f"INSERT INTO {tags} SELECT * REPLACE ('rules' AS method) FROM {tags}")
        store.execute(  # the families tagged GAN also tagged "world model", by the second method alone
            f"INSERT INTO {tags} SELECT * REPLACE ('rules' AS method, 'world model' AS tag) FROM {tags} "
            "WHERE dimension = 'model' AND tag = 'GAN' AND method = 'test'"
        )
    con = connect_url(str(copy))
    try:
        filters = [
            LandscapeFilter(countries=("CN", "US")),
            LandscapeFilter(genai=True, genai_method="rules"),
            LandscapeFilter(genai=True, genai_method="test", countries=("CN",)),
            LandscapeFilter(tags=("model:GAN",)),
        ]
        merged, *_ = _check(con, filters, year="priority", country_by="member")
        _check(con, filters[:2], year="publication", country_by="inventor", fractional=True)
    finally:
        con.con.close()
    gan = {("world model", mode): n for (model, mode), n in before.items() if model == "GAN"}
    assert gan and _cells(merged) == {**before, **gan}


def _cells(tables: dict[str, list[dict]]) -> dict[tuple[str, str], int]:  # type: ignore[type-arg]
    return {(r["model"], r["mode"]): r["families"] for r in tables["model_mode"]}


def test_a_query_of_words_is_read_from_the_index(mini_path: Path, tmp_path: Path) -> None:
    """With the search index built, a query of words is answered from its postings and the map of documents
    to families (``search.compiler.document_ids``): the tables of the search language's own SQL, which the
    landscape's filter runs."""
    copy = tmp_path / "indexed.duckdb"
    shutil.copyfile(mini_path, copy)
    with open_store(str(copy)) as store:
        build_index(store)
    con = connect_url(str(copy))
    try:
        queries = ["image", "image OR dialogue", "generation NOT text", '"text generator"', "imag*"]
        panels = Panels(con, year="priority", country_by="member")
        # a second set on the connection, which rewrites the found families and the selection in between
        other = Panels(con, year="publication", country_by="inventor")
        for query, next_query in zip(queries, [*queries[1:], queries[0]], strict=True):
            for flt in (
                LandscapeFilter(query=query),
                LandscapeFilter(query=query, countries=("CN",)),
                LandscapeFilter(query=query, genai=True),
            ):
                got = _tables(panels.compute(flt))
                assert got == _expected(con, flt, year="priority", country_by="member"), flt
                between = replace(flt, query=next_query)
                got = _tables(other.compute(between))
                assert got == _expected(con, between, year="publication", country_by="inventor"), between
        # the postings answered: the map of documents to families was made
        assert "landscape_doc_families" in _HELD[id(con)].made
        # the families written from the array of the map are those of the map's SQL, for every query
        for query in [*queries, "nowordlikethis"]:
            panels.write_found(query)
            written = sorted(con.con.execute("SELECT family_index FROM landscape_found").fetchall())
            assert written == sorted(set(con.con.execute(panels.found_sql(query)).fetchall())), query
            assert written == sorted(set(written))
        # the map is the connection's: the other basis' panels found the same families through it
        assert other._by_document is not None and (other._by_document == panels._by_document).all()
        # documents without a family (ingested after the enrichment): found by a query, they count for none
        # (here the last family's, whose number an array's -1 would read)
        con.con.execute(
            "DELETE FROM landscape_doc_families "
            "WHERE family_index = (SELECT max(family_index) FROM landscape_work_facts)"
        )
        unmapped = Panels(con, year="priority", country_by="office")  # reads the map into its array anew
        unmapped.prepare()
        assert unmapped._family_by_document() is not None and (unmapped._by_document < 0).any()
        for query in [*queries, "image NOT dialogue", "NOT image"]:
            unmapped.write_found(query)
            written = sorted(con.con.execute("SELECT family_index FROM landscape_found").fetchall())
            assert written == sorted(set(con.con.execute(unmapped.found_sql(query)).fetchall())), query
        # a document given two families (no key forbids it): the array would keep one, so the SQL answers
        once = set(con.con.execute(panels.found_sql("image")).fetchall())
        con.con.execute(
            "INSERT INTO landscape_doc_families "
            "SELECT doc_id, (family_index + 1) % 8 FROM landscape_doc_families"
        )
        twice = Panels(con, year="priority", country_by="applicant")  # reads the map into its array anew
        twice.prepare()
        twice.write_found("image")
        written = sorted(con.con.execute("SELECT family_index FROM landscape_found").fetchall())
        assert written == sorted(set(con.con.execute(twice.found_sql("image")).fetchall()))
        assert once < set(written)
        # hand-worked from mini.py: "Image …" titles are F1's, F4's and F6's; F1 and F6 have a CN member
        image = _tables(panels.compute(LandscapeFilter(query="image", countries=("CN",))))
        assert sum(r["total"] for r in {r["year"]: r for r in image["countries"]}.values()) == 2
    finally:
        con.con.close()


def test_values_are_bound_into_their_slots_once() -> None:
    """A value that reads like a slot is a value: it is not filled in again by the next one."""
    sql = "SELECT 1 WHERE tag = 'patscape-slot-0' AND country = 'patscape-slot-1' OR x = 'patscape-slot-0'"
    assert bound(sql, ["patscape-slot-1", "C'N"], "duckdb") == (
        "SELECT 1 WHERE tag = 'patscape-slot-1' AND country = 'C''N' OR x = 'patscape-slot-1'"
    )
    with pytest.raises(RuntimeError, match="no slot"):
        bound(sql, ["a", "b", "c"], "duckdb")


def test_a_filter_seen_again_is_answered_from_memory(mini_con) -> None:  # type: ignore[no-untyped-def]
    """``remember``: the tables and reasons of the most recent filters are kept and given back for the
    same filter; the least recent one is forgotten; without ``remember`` every change is computed."""
    panels = Panels(mini_con, year="priority", country_by="member", remember=2)
    china, ibm, genai = FILTERS[3], FILTERS[4], FILTERS[1]
    first = _tables(panels.compute(china))
    empty = dict(panels.empty)
    panels.compute(ibm)
    again = _tables(panels.compute(china))
    assert "remembered" in panels.seconds and again == first and panels.empty == empty
    assert again == _expected(mini_con, china, year="priority", country_by="member")
    panels.compute(genai)  # forgets ibm, the least recent
    panels.compute(ibm)
    assert "remembered" not in panels.seconds
    plain = Panels(mini_con, year="priority", country_by="member")
    plain.compute(china)
    plain.compute(china)
    assert "remembered" not in plain.seconds


def test_the_working_copies_number_every_family_once_the_generative_ai_ones_first(mini_con) -> None:  # type: ignore[no-untyped-def]
    """``Panels.prepare``: the families numbered 0..n-1, those labelled generative AI first; each child row
    carries its family's number; the countries' copy holds the panels' basis only; a second set of panels
    on the connection reuses the copies."""
    panels = Panels(mini_con, year="priority", country_by="member")
    panels.prepare()
    sql = mini_con.con.sql
    facts = sql("SELECT family_key, genai, family_index FROM landscape_work_facts ORDER BY family_index")
    rows = facts.fetchall()
    stored = sql("SELECT family_key, genai FROM family_facts").fetchall()
    assert sorted((k, bool(g)) for k, g, _ in rows) == sorted((k, bool(g)) for k, g in stored)
    assert [i for _, _, i in rows] == list(range(len(stored)))
    flags = [bool(g) for _, g, _ in rows]
    assert flags == sorted(flags, reverse=True) and any(flags) and not all(flags)
    number = {k: i for k, _, i in rows}
    copied = sql("SELECT family_key, country, family_index FROM landscape_work_countries_member").fetchall()
    members = sql("SELECT family_key, country FROM family_fact_countries WHERE basis = 'member'").fetchall()
    assert sorted((k, c) for k, c, _ in copied) == sorted(members)
    assert all(number[k] == i for k, _, i in copied)
    tags = sql("SELECT family_key, family_index FROM landscape_work_tags").fetchall()
    assert len(tags) == sql("SELECT count(*) FROM family_fact_tags").fetchone()[0]
    assert all(number[k] == i for k, i in tags)
    mini_con.con.execute("INSERT INTO landscape_work_facts (family_key, family_index) VALUES (-1, -1)")
    try:
        Panels(mini_con, year="publication", country_by="member").prepare()  # nothing to make again
        assert sql("SELECT count(*) FROM landscape_work_facts WHERE family_key = -1").fetchone() == (1,)
    finally:
        mini_con.con.execute("DELETE FROM landscape_work_facts WHERE family_key = -1")


def test_the_copies_masks_hold_each_familys_countries_tags_and_owners(mini_con) -> None:  # type: ignore[no-untyped-def]
    """Each copy row carries the bits of its family's countries (on the basis), tags and owner groups, by
    the bits tables; a filter's conditions on those and on generative AI are answered by the masks and a
    bound on the family numbers (the generative-AI families first), its other conditions by the
    selection."""
    panels = Panels(mini_con, year="priority", country_by="member")
    panels.prepare()
    sql = mini_con.con.sql
    bits = dict(sql("SELECT country, bit FROM landscape_work_country_bits WHERE basis = 'member'").fetchall())
    stored = sql("SELECT family_key, country FROM family_fact_countries WHERE basis = 'member'").fetchall()
    assert set(bits) == {c for _, c in stored} and sorted(bits.values()) == list(range(len(bits)))
    tag_bits = {
        (d, t): b for d, t, b in sql("SELECT dimension, tag, bit FROM landscape_work_tag_bits").fetchall()
    }
    tagged = sql(
        "SELECT DISTINCT family_key, dimension, tag FROM family_fact_tags WHERE dimension <> 'genai'"
    )
    tagged = tagged.fetchall()
    assert set(tag_bits) == {(d, t) for _, d, t in tagged}
    owner_bits = dict(sql("SELECT group_id, bit FROM landscape_work_owner_bits").fetchall())
    owned = sql("SELECT family_key, group_id FROM family_fact_owners").fetchall()
    assert set(owner_bits) == {g for _, g in owned}
    expected: dict[int, list[int]] = {}
    for key, country in stored:
        expected.setdefault(key, [0, 0, 0])[0] |= 1 << bits[country]
    for key, dimension, tag in tagged:
        expected.setdefault(key, [0, 0, 0])[1] |= 1 << tag_bits[(dimension, tag)]
    for key, group in owned:
        expected.setdefault(key, [0, 0, 0])[2] |= 1 << owner_bits[group]
    for table in ("facts", "countries_member", "owners", "tags"):
        rows = sql(
            f"SELECT family_key, country_mask_member, tag_mask, owner_mask FROM landscape_work_{table}"
        ).fetchall()
        assert rows and all([c, t, o] == expected.get(k, [0, 0, 0]) for k, c, t, o in rows), table
    number = dict(sql("SELECT family_key, family_index FROM landscape_work_facts").fetchall())
    genai = [k for (k,) in sql("SELECT family_key FROM family_facts WHERE genai").fetchall()]
    gan = [k for (k,) in sql("SELECT family_key FROM family_fact_tags WHERE tag = 'GAN'").fetchall()]
    masked, rest = panels.masks(LandscapeFilter(genai=True, countries=("CN", "US"), tags=("model:GAN",)))
    assert masked == Masked(
        last=min(max(number[k] for k in genai), max(number[k] for k in gan)),
        countries=(1 << bits["CN"]) | (1 << bits["US"]),
        tags=1 << tag_bits[("model", "GAN")],
    )
    assert rest == LandscapeFilter()
    china = 1 << bits["CN"]
    everyone = len(number) - 1
    in_china = max(number[k] for k, c in stored if c == "CN")
    ibm = max(number[k] for k, g in owned if g == "g-ibm")
    for flt, expected_masked, expected_rest in (
        (  # a group by its name, in another case
            LandscapeFilter(countries=("CN",), owner="ibm"),
            Masked(min(in_china, ibm), china, owners=1 << owner_bits["g-ibm"]),
            LandscapeFilter(),
        ),
        (LandscapeFilter(owner=" g-ibm "), Masked(ibm, owners=1 << owner_bits["g-ibm"]), LandscapeFilter()),
        (LandscapeFilter(owner="nobody"), Masked(everyone), LandscapeFilter(owner="nobody")),
        (LandscapeFilter(countries=("CN",), query="x"), Masked(in_china, china), LandscapeFilter(query="x")),
        (
            LandscapeFilter(genai=True, genai_method="rules", tags=("model:GAN",)),
            Masked(everyone),
            LandscapeFilter(genai=True, genai_method="rules", tags=("model:GAN",)),
        ),
        (LandscapeFilter(countries=("CN", "ZZ")), Masked(everyone), LandscapeFilter(countries=("CN", "ZZ"))),
        (
            LandscapeFilter(tags=("model:GAN", "model:nothing")),
            Masked(max(number[k] for k in gan), tags=1 << tag_bits[("model", "GAN")]),
            LandscapeFilter(tags=("model:nothing",)),
        ),
    ):
        assert panels.masks(flt) == (expected_masked, expected_rest), flt


def test_an_empty_panel_says_what_the_selected_families_lack(mini_con) -> None:  # type: ignore[no-untyped-def]
    """Hand-worked from mini.py: F8 (KR) has no dates, no owner, no label and no tag; F4 (EP) and F7 (JP)
    are not generative AI and have no application field; no family has an inventor country in KR."""
    member = Panels(mini_con, year="priority", country_by="member")
    tables = member.compute(KOREA)
    assert set(member.empty) == {name for name, t in tables.items() if t.num_rows == 0}
    no_year = f"{ONE} has no priority year."
    no_owner = f"{ONE} has no owner group."
    assert member.empty == {
        "countries": no_year,
        "country_totals": no_year,
        "china_vs_world": no_year,
        "owners": no_owner,
        "owner_quality": no_owner,
        "model_mode": f"{ONE} is not labelled generative AI. Models and modes are tagged on generative-AI "
        "families only.",
        "applications": f"{ONE} has no application field. The classification (patscape classify) gives one "
        "to every document it labels.",
    }
    member.compute(LandscapeFilter(countries=("EP", "JP")))
    assert set(member.empty) == {"model_mode", "applications"}
    assert member.empty["model_mode"].startswith("None of the 2 families in this selection is labelled")
    assert member.empty["applications"].startswith("None of the 2 families in this selection has an appl")
    member.compute(LandscapeFilter())
    assert member.empty == {}

    inventor = Panels(mini_con, year="priority", country_by="inventor")
    inventor.compute(LandscapeFilter(query="undated"))
    assert inventor.empty["country_quality"] == (
        f"{ONE} has no inventor country. Another country basis may place them."
    )
    inventor.compute(LandscapeFilter(countries=("KR",)))
    assert set(inventor.empty) == set(PANELS)
    assert set(inventor.empty.values()) == {"No families for this filter."}


def test_the_reasons_name_what_the_panel_counts(mini) -> None:  # type: ignore[no-untyped-def]
    ctx = mini(year="publication", country_by="applicant")
    counts = {"families": 5, "dated": 3, "placed": 2, "dated_placed": 0, "owned": 5, "genai": 2}
    assert why_empty("countries", counts, ctx) == (
        "None of the 5 families in this selection has both a publication year and an applicant country."
    )
    assert why_empty("model_mode", counts, ctx) == (
        "None of the 2 generative-AI families in this selection has both a model and a mode tag."
    )
    assert why_empty("model_mode", {**counts, "genai": 1}, ctx) == (
        "The one generative-AI family in this selection lacks a model or a mode tag."
    )
    assert why_empty("owners", {**counts, "families": 0}, ctx) == "The data hold no families."
