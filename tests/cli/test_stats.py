"""Issue 13, item 4: ``stats`` with headers, ``--top``, and the years each source spans (publications
without a date said as such, never as a year "None")."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import invoke


def test_stats_headers_top_and_years_per_source(enriched: Path, sql) -> None:  # type: ignore[no-untyped-def]
    countries = sql(enriched, "SELECT country, count(*) FROM publications GROUP BY 1 ORDER BY 2 DESC, 1")
    result = invoke("stats", "--db", str(enriched), "--top", "3")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.strip("│┃ ").split()) for line in result.output.splitlines()]
    assert "country ┃ count" in lines and "format ┃ count" in lines
    for country, n in countries[:3]:
        assert f"{country} │ {n:,}" in lines
    rest = countries[3:]
    assert f"{len(rest)} more │ {sum(n for _, n in rest):,}" in lines
    assert countries[3][0] + " │" not in " ".join(lines)

    first, last, undated, n = sql(
        enriched,
        "SELECT min(year(published)), max(year(published)), count(*) - count(published), count(*) "
        "FROM publications WHERE reader = 'google-patents-csv'",
    )[0]
    assert f"google-patents-csv │ {n} │ {first} │ {last} │ {undated}" in lines
    assert "None" not in result.output

    stats = json.loads(invoke("stats", "--db", str(enriched), "--json").stdout)
    all_undated = sql(enriched, "SELECT count(*) - count(published) FROM publications")[0][0]
    assert stats["by_year"].get("no publication date", 0) == all_undated > 0
    assert len(stats["by_country"]) == len(countries)  # --json has every row
