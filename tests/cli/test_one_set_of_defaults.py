"""Issue 13, item 2: ``landscape`` and ``report`` choose the counting bases by one rule, and every output says
how many of the selected families it places."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from tests.cli.conftest import invoke


def test_landscape_and_report_choose_the_same_bases(enriched: Path, sql, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    families = sql(enriched, "SELECT count(*) FROM families")[0][0]
    placed = {
        basis: n
        for basis, n in sql(
            enriched, "SELECT basis, count(DISTINCT family_id) FROM family_countries GROUP BY 1"
        )
    }
    # the rule: the first of inventor, applicant, office, member placing half the families
    expected = next(
        b for b in ("inventor", "applicant", "office", "member") if placed.get(b, 0) >= families / 2
    )
    assert expected == "office"  # the export gives no inventor or applicant country
    undated = sql(enriched, "SELECT count(*) FROM families WHERE publication_year IS NULL")[0][0]
    dated_placed = sql(
        enriched,
        "SELECT count(*) FROM families f WHERE publication_year IS NOT NULL AND EXISTS "
        "(SELECT 1 FROM family_countries c WHERE c.family_id = f.family_id AND c.basis = 'office')",
    )[0][0]
    line = (
        f"placed {dated_placed:,} of {families:,} families (basis: publication year, office country, chosen "
        f"automatically); {undated:,} have no publication year"
    )

    landscape = json.loads(invoke("landscape", "--db", str(enriched), "--json").stdout)
    assert landscape["placement"]["line"] == line
    assert "countries by office" in landscape["counting"]
    printed = invoke("landscape", "--db", str(enriched), "--by", "owner")
    assert line in " ".join(printed.output.split())

    report = invoke("report", "--db", str(enriched), "--out", str(tmp_path / "r"), "--no-pdf", "--json")
    assert report.exit_code == 0, report.output
    result = json.loads(report.stdout)
    assert (result["year"], result["country_by"], result["placement"]) == ("publication", "office", line)
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    cover = re.sub(r"<[^>]+>", "", re.search(r"<dt>Counted</dt><dd>(.*?)</dd>", page).group(1))
    assert cover == (
        f"{families:,} patent families, full counting; "
        f"placed {dated_placed:,} of them ({undated:,} without a year, left out)"
    )


def test_every_report_section_counts_the_families_with_a_year(classified: Path, sql, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    undated, dated = sql(
        classified, "SELECT count(*) - count(publication_year), count(publication_year) FROM families"
    )[0]
    assert undated > 0
    assert invoke("report", "--db", str(classified), "--out", str(tmp_path / "r"), "--no-pdf").exit_code == 0
    read = pd.read_csv
    figures = dict(zip(*read(tmp_path / "r" / "key_figures.csv")[["figure", "value"]].T.values, strict=True))
    assert (int(figures["families_without_year"]), int(figures["families_with_year"])) == (undated, dated)
    assert int(read(tmp_path / "r" / "year_totals.csv")["total"].sum()) == dated
    per_model = dict(
        sql(
            classified,
            "SELECT t.tag, count(DISTINCT t.family_key) FROM family_fact_tags t JOIN family_facts f "
            "USING (family_key) WHERE t.dimension = 'model' AND f.publication_year IS NOT NULL GROUP BY 1",
        )
    )
    models = read(tmp_path / "r" / "models.csv")
    assert dict(zip(models["model"], models["families"], strict=True)) == per_model
    page = re.sub(r"<[^>]+>", "", (tmp_path / "r" / "report.html").read_text(encoding="utf-8"))
    assert f"the {undated} without one are left out of all of them" in " ".join(page.split())
