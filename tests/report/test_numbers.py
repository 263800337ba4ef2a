"""Every number the report prints equals the table it came from, and those tables hold the counts that SQL
over the enrichment tables gives."""

from __future__ import annotations

import re

import duckdb
import lxml.html
import numpy as np
import pandas as pd
import pytest

from tests.report.conftest import Built
from tests.report.readback import agrees, cell, parse, printed_numbers, read_csv


def _page(built: Built) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(built.result.html.read_text(encoding="utf-8"))


def _same(csv: pd.DataFrame, frame: pd.DataFrame, name: str) -> None:
    assert list(csv.columns) == list(frame.columns), name
    assert len(csv) == len(frame), name
    for c in frame.columns:
        a, b = csv[c].reset_index(drop=True), frame[c].reset_index(drop=True)
        if pd.api.types.is_bool_dtype(b) or pd.api.types.is_bool_dtype(a):
            assert list(a.astype(bool)) == list(b.astype(bool)), f"{name}.{c}"
        elif pd.api.types.is_numeric_dtype(b) or pd.api.types.is_numeric_dtype(a):
            x, y = pd.to_numeric(a).astype(float).to_numpy(), pd.to_numeric(b).astype(float).to_numpy()
            assert np.allclose(x, y, rtol=0, atol=1e-6, equal_nan=True), f"{name}.{c}"
        else:
            assert list(a.fillna("").astype(str)) == list(b.fillna("").astype(str)), f"{name}.{c}"


def test_every_printed_number_is_its_table_cell(built: Built) -> None:
    numbers = printed_numbers(_page(built))
    assert len(numbers) > 100
    cache: dict[str, pd.DataFrame] = {}
    wrong = [
        (p.table, p.key, p.column, p.text, cell(built.out, p, cache))
        for p in numbers
        if not agrees(p, cell(built.out, p, cache))
    ]
    assert not wrong, wrong[:5]


def test_no_number_without_its_source(built: Built) -> None:
    """In the findings and in the numeric table cells, every digit belongs to a referenced number
    (names of owners and tags, which may hold digits such as 3M or 3D, are taken out first)."""
    page = _page(built)
    for el in page.xpath("//*[@data-ref] | //span[@class='name']"):
        el.text = ""
        for child in list(el):
            el.remove(child)
    for li in page.xpath("//ul[@class='findings']/li"):
        text = li.text_content()
        assert not re.search(r"\d", text), text
    for td in page.xpath("//td[@class='n']"):
        assert not re.search(r"\d", td.text_content()), lxml.html.tostring(td)


def _expected(built: Built) -> dict[str, pd.DataFrame]:
    """The report's country, owner and taxonomy tables computed again in SQL from the enrichment tables
    (``families``, ``family_countries``, ``family_owners``, ``genai_tags``), without the landscape's code."""
    year = f"f.{built.result.year}_year"
    basis = built.result.country_by
    genai = (
        "AND EXISTS (SELECT 1 FROM family_members m JOIN genai_labels g ON g.pub_key = m.pub_key "
        "WHERE m.family_id = f.family_id AND g.is_genai)"
        if built.genai
        else ""
    )
    selected = f"SELECT f.family_id, {year} AS year FROM families f WHERE TRUE {genai}"
    placed = f"SELECT family_id, country FROM family_countries WHERE basis = '{basis}'"
    queries = {
        "year_totals": f"""
            SELECT s.year, count(*) AS total,
                   count(*) FILTER (WHERE s.family_id IN (SELECT family_id FROM ({placed}) p)) AS attributed
            FROM ({selected}) s WHERE s.year IS NOT NULL GROUP BY 1 ORDER BY 1""",
        "countries": f"""
            SELECT s.year, p.country, count(*) AS families
            FROM ({selected}) s JOIN ({placed}) p USING (family_id) WHERE s.year IS NOT NULL
            GROUP BY 1, 2 ORDER BY 1, 2""",
        "owners": f"""
            SELECT o.group_id, count(*) AS families FROM ({selected}) s JOIN family_owners o USING (family_id)
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20""",
        "country_quality": f"""
            SELECT p.country, count(*) AS families FROM ({selected}) s JOIN ({placed}) p USING (family_id)
            GROUP BY 1 ORDER BY 2 DESC, 1""",
        "applications": f"""
            SELECT t.tag AS application, count(DISTINCT m.family_id) AS families
            FROM genai_tags t JOIN family_members m USING (pub_key) JOIN ({selected}) s USING (family_id)
            WHERE t.dimension = 'application' GROUP BY 1 ORDER BY 2 DESC, 1""",
    }
    with duckdb.connect(str(built.db), read_only=True) as con:
        return {name: con.execute(sql).df() for name, sql in queries.items()}


def test_tables_counted_again_in_sql(built: Built) -> None:
    expected = _expected(built)
    totals = read_csv(built.out, "year_totals")
    _same(totals[["year", "total", "attributed"]], expected["year_totals"], "year_totals")
    countries = read_csv(built.out, "countries")
    _same(countries[["year", "country", "families"]], expected["countries"], "countries")
    shares = countries.merge(expected["year_totals"], on="year")
    assert np.allclose(shares["share"], shares["families"] / shares["attributed_y"], atol=1e-6)
    quality = read_csv(built.out, "country_quality")
    _same(quality[["country", "families"]], expected["country_quality"], "country_quality")
    if built.genai:
        _same(read_csv(built.out, "owners")[["group_id", "families"]], expected["owners"], "owners")
        apps = read_csv(built.out, "applications")
        _same(apps[["application", "families"]], expected["applications"], "applications")


def test_country_totals_add_up_the_years(built: Built) -> None:
    cy = read_csv(built.out, "countries")
    totals = read_csv(built.out, "country_totals")
    attributed = cy.drop_duplicates("year")["attributed"].sum()
    per = cy.groupby("country")["families"].sum()
    for row in totals.itertuples():
        assert row.families == per[row.country]
        assert abs(row.share - per[row.country] / attributed) < 1e-6
        assert row.attributed == attributed


def test_key_figures(built: Built) -> None:
    kf = read_csv(built.out, "key_figures").set_index("figure")["value"]
    totals = read_csv(built.out, "year_totals")
    genai = (
        "WHERE EXISTS (SELECT 1 FROM family_members m JOIN genai_labels g ON g.pub_key = m.pub_key "
        "WHERE m.family_id = f.family_id AND g.is_genai)"
        if built.genai
        else ""
    )
    with duckdb.connect(str(built.db), read_only=True) as con:
        assert int(kf["families"]) == con.execute(f"SELECT count(*) FROM families f {genai}").fetchone()[0]
    end = int(read_csv(built.out, "method").set_index("key").loc["first_incomplete_year", "value"]) - 1
    start = end - 5
    assert int(kf["families_with_year"]) == totals["total"].sum()
    assert int(kf["first_year"]) == totals["year"].min() and int(kf["last_year"]) == totals["year"].max()
    assert int(kf["families_in_incomplete_years"]) == totals.loc[totals["incomplete"], "total"].sum()
    assert (int(kf["window_start"]), int(kf["window_end"])) == (start, end)
    by_year = totals.set_index("year")["total"]
    s, e = by_year[start], by_year[end]
    assert (int(kf["window_start_families"]), int(kf["window_end_families"])) == (s, e)
    assert abs(float(kf["window_cagr"]) - ((e / s) ** (1 / 5) - 1)) < 1e-6
    complete = totals[~totals["incomplete"]]
    assert int(kf["peak_families"]) == complete["total"].max()
    assert (
        int(kf["chart_first_year"])
        == totals.loc[totals["total"] >= totals["total"].max() / 100, "year"].min()
    )
    owners = read_csv(built.out, "owners")
    for country, n in owners["country"].fillna("unknown").value_counts().items():
        assert int(kf[f"owners_from:{country}"]) == n


def test_sources_are_the_ingest_log(built: Built) -> None:
    src = read_csv(built.out, "sources").set_index("reader")
    with duckdb.connect(str(built.db), read_only=True) as con:
        rows = con.execute(
            "SELECT coalesce(reader, '(not recognised)'), count(*), sum(read), sum(stored), sum(rejected) "
            "FROM ingest_log GROUP BY 1"
        ).fetchall()
        quarantined = con.execute("SELECT count(*) FROM quarantine").fetchone()[0]
    assert len(rows) == len(src)
    for reader, inputs, read, stored, rejected in rows:
        assert tuple(src.loc[reader, ["inputs", "read", "stored", "rejected"]]) == (
            inputs,
            read,
            stored,
            rejected,
        )
    assert read_csv(built.out, "quarantine")["documents"].sum() == quarantined


def test_cset_figures_read_by_hand(cset_report: Built) -> None:
    """The CSET catalogue (data/README.md): 287,532 publications, 155,770 families."""
    page = _page(cset_report)
    summary = page.get_element_by_id("summary").text_content().replace("\u00a0", " ")
    assert "counts 155,770 patent families" in summary
    method = page.get_element_by_id("method").text_content()
    assert "287,532" in method
    # the brief's example sentence, parsed back from the page and checked against the country table
    found = re.search(
        r"China's share (rose|fell|stayed at) from ([\d.]+) % in (\d{4}) to ([\d.]+) % in (\d{4})", summary
    )
    assert found, summary
    cy = read_csv(cset_report.out, "countries").set_index(["year", "country"])["share"]
    verb, s, y0, e, y1 = found.groups()
    assert (
        abs(float(s) / 100 - cy[(int(y0), "CN")]) <= 0.0005
        and abs(float(e) / 100 - cy[(int(y1), "CN")]) <= 0.0005
    )
    assert verb == ("rose" if cy[(int(y1), "CN")] > cy[(int(y0), "CN")] else "fell")


def test_source_categories_counted_in_sql(cset_report: Built) -> None:
    cats = read_csv(cset_report.out, "source_categories").set_index("category")
    with duckdb.connect(str(cset_report.db), read_only=True) as con:
        rows = dict(
            con.execute(
                "SELECT t.tag, count(DISTINCT m.family_id) FROM tags t JOIN family_members m USING (pub_key) "
                "WHERE t.tag <> 'cset:number-lost' GROUP BY 1"
            ).fetchall()
        )
    assert {k: int(v) for k, v in cats["families"].items()} == rows
    assert cats.index[0] == "cset:Machine_Learning"


def test_genai_sections_present(genai_report: Built) -> None:
    out = genai_report.out
    for name in ("models", "modes", "model_mode", "applications", "owners", "owner_quality"):
        assert len(read_csv(out, name)) > 0, name
    page = _page(genai_report)
    for fig in (
        "fig-model_mode",
        "fig-owners",
        "fig-applications",
        "fig-owner_quality",
        "fig-country_quality",
    ):
        assert page.get_element_by_id(fig) is not None
    method = read_csv(out, "method").set_index("key")["value"]
    # the versions that made the stored labels (q<query>/c<classifier>/t<threshold>), read from the database
    with duckdb.connect(str(genai_report.db), read_only=True) as con:
        (stored,) = con.execute("SELECT DISTINCT method_version FROM genai_labels").fetchone()
    query, classifier, _threshold = stored.split("/")
    assert method["genai_query_version"] == query.removeprefix("q")
    assert method["genai_classifier_version"] == classifier.removeprefix("c")
    # the method appendix quotes the shipped classifier's frozen-test-split figures (issue 18)
    from patscape.enrich.genai.evaluate import load_frozen_split_figures

    frozen = load_frozen_split_figures()
    assert frozen is not None
    assert method["genai_measured_on"].startswith("the frozen test split: 449 labelled documents")
    assert float(method["genai_precision"]) == frozen.precision.value


def test_parse_handles_every_kind() -> None:
    assert parse("24,103", "count") == 24103
    assert parse("56.2\u00a0%", "percent") == pytest.approx(0.562)
    assert parse("+20.2\u00a0pp", "points") == pytest.approx(0.202)
    assert parse("n/a", "ratio") is None
