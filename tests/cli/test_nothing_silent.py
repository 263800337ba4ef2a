"""Issue 13, item 1: nothing an analyst asks for comes back empty without a word (why, and what to do), on a
Google Patents export that gives no inventor countries, with the USPTO XML test documents beside it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import invoke


def test_unenriched_database_says_enrich_first(ingested: Path) -> None:
    for command in (["landscape"], ["landscape", "--genai"], ["owners"]):
        result = invoke(*command, "--db", str(ingested))
        assert result.exit_code == 2, result.output
        assert "run `patscape enrich" in result.output


def test_a_basis_that_places_few_families_says_which_places_more(enriched: Path, sql) -> None:  # type: ignore[no-untyped-def]
    families = sql(enriched, "SELECT count(DISTINCT family_id) FROM family_members")[0][0]
    by_inventor = sql(
        enriched, "SELECT count(DISTINCT family_id) FROM family_countries WHERE basis = 'inventor'"
    )[0][0]
    by_member = sql(
        enriched, "SELECT count(DISTINCT family_id) FROM family_countries WHERE basis = 'member'"
    )[0][0]
    assert by_inventor < 20 < families  # the export names no inventor country: only the XML documents do
    result = invoke("landscape", "--db", str(enriched), "--country-by", "inventor")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        f"the inventor country basis places only {by_inventor:,} of {families:,} selected families: "
        f"try --country-by member (places {by_member:,} of {families:,} families, any year)"
    ) in text


def test_unknown_owner_names_the_closest_groups(enriched: Path, sql) -> None:  # type: ignore[no-untyped-def]
    assert (
        sql(enriched, "SELECT count(*) FROM owner_groups WHERE lower(group_name) = 'nvidia corp'")[0][0] == 0
    )
    result = invoke("landscape", "--db", str(enriched), "--owner", "Nvidia Corp")
    assert result.exit_code == 1
    assert "no owner group 'Nvidia Corp' in the database; closest: Nvidia" in result.output
    assert invoke("landscape", "--db", str(enriched), "--owner", "Nvidia").exit_code == 0


def test_unknown_tag_names_the_taxonomy_tag(classified: Path) -> None:
    result = invoke("landscape", "--db", str(classified), "--tag", "GAN")
    assert result.exit_code == 1
    assert "no tag 'GAN' in the database; closest: model:GAN" in result.output
    assert invoke("landscape", "--db", str(classified), "--tag", "model:GAN").exit_code == 0


def test_impossible_year_range_is_an_error(enriched: Path, tmp_path: Path) -> None:
    for command in (["landscape"], ["report", "--out", str(tmp_path / "r"), "--no-pdf"]):
        result = invoke(*command, "--db", str(enriched), "--from", "2020", "--to", "2015")
        assert result.exit_code == 1, result.output
        assert "impossible year range: from 2020 is after to 2015" in result.output
    assert not (tmp_path / "r").exists()


def test_years_beyond_the_data_say_which_years_there_are(enriched: Path, sql, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, last = sql(enriched, "SELECT min(year(published)), max(year(published)) FROM publications")[0]
    expected = f"no family matches years 2030-… (the data's publication years run {first}-{last}): widen"
    result = invoke("landscape", "--db", str(enriched), "--from", "2030")
    assert result.exit_code == 0
    assert expected in " ".join(result.output.split())
    assert "countries: families" not in result.output  # no empty tables hiding the reason
    out = json.loads(invoke("landscape", "--db", str(enriched), "--from", "2030", "--json").stdout)
    assert out["placement"]["families"] == 0 and expected in out["warnings"][0]

    report = invoke(
        "report", "--db", str(enriched), "--from", "2030", "--out", str(tmp_path / "r"), "--no-pdf"
    )
    assert report.exit_code == 1
    assert "nothing to report: " + expected in " ".join(report.output.split())
    assert not (tmp_path / "r").exists()


def test_an_applicant_spelling_names_its_group(enriched: Path, sql) -> None:  # type: ignore[no-untyped-def]
    groups = {
        g
        for (g,) in sql(enriched, "SELECT DISTINCT group_name FROM owner_groups WHERE raw_name LIKE '%百度%'")
    }
    assert groups == {"Baidu"}  # 北京百度网讯科技有限公司 and 百度（美国）有限责任公司
    result = invoke("landscape", "--db", str(enriched), "--owner", "百度")
    assert result.exit_code == 1
    assert "no owner group '百度' in the database; closest: Baidu" in result.output
