"""The dashboard in a real browser: every panel drawn (Vega-Lite, under the page's CSP), then two filters
changed one after the other, each redrawing the panels without a page reload; the tables' figures are
checked against publications counted in SQL when the site was prepared (one publication a family there)."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.web.pages.conftest import Site, new_page, screenshot, sign_in

FROM, TO = 2002, 2015


def _totals(page: Page) -> dict[int, int]:
    """Families per year from the countries panel's table (its ``total`` column)."""
    rows = page.locator("#panel-countries table").evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent))"
    )
    header = page.locator("#panel-countries thead th").all_inner_texts()
    year, total = header.index("year"), header.index("total")
    return {int(r[year]): int(r[total]) for r in rows}


def _drawn(page: Page, query: str) -> None:
    expect(page.locator("body")).to_have_attribute("data-dashboard", query)


def _chosen_bases(facts: dict) -> tuple[str, str]:  # type: ignore[type-arg]
    """The bases the rule (README, landscape.basis) chooses for all the site's families, from counts in SQL:
    the publication year unless fewer families have one than a priority year; the first country basis
    placing half of them."""
    dated = facts["dated"]
    year = "publication" if dated["publication"] >= dated["priority"] else "priority"
    placing = [
        b
        for b in ("inventor", "applicant", "office", "member")
        if facts["placed"].get(b, 0) * 2 >= facts["fact_families"]
    ]
    return year, placing[0]


def test_dashboard_filters_update_every_panel(browser: Browser, site: Site) -> None:
    errors: list[str] = []
    context, page = new_page(browser)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, site, "alice")
    page.get_by_role("link", name="Dashboard").click()
    _drawn(page, "year=auto&country_by=auto")  # the bases chosen by the data, as the report chooses them
    year, basis = _chosen_bases(site.facts)
    assert year == "publication"  # the totals below are per publication year
    expect(page.get_by_role("status")).to_contain_text(f"countries by {basis}; ")
    expect(page.get_by_role("status")).to_contain_text("bases chosen by the data")
    for name in ("countries", "country_totals", "china_vs_world", "owners", "country_quality"):
        expect(page.locator(f"#panel-{name} .chart svg")).to_have_count(1)  # Vega drew it, no eval needed
    page.locator("#panel-countries summary").click()
    assert _totals(page) == site.years
    # no document of the site is generative AI (counted in SQL): the panel says that, not "no families"
    assert site.facts["genai_publications"] == 0
    expect(page.locator("#panel-model_mode .chart")).to_have_text(
        f"None of the {site.facts['families']} families in this selection is labelled generative AI. "
        "Models and modes are tagged on generative-AI families only."
    )
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    screenshot(page, "dashboard")

    page.get_by_label("From year").fill(str(FROM))
    page.get_by_label("From year").dispatch_event("change")
    _drawn(page, f"year_from={FROM}&year=auto&country_by=auto")
    expect(page.get_by_role("status")).to_contain_text(f"years {FROM}-…")
    assert _totals(page) == {y: n for y, n in site.years.items() if y >= FROM}

    page.get_by_label("To year").fill(str(TO))
    page.get_by_label("To year").dispatch_event("change")
    query = f"year_from={FROM}&year_to={TO}&year=auto&country_by=auto"
    _drawn(page, query)
    assert _totals(page) == {y: n for y, n in site.years.items() if FROM <= y <= TO}
    china = page.locator("#panel-china_vs_world")
    china.locator("summary").click()
    years = china.locator("tbody tr td:first-child").all_inner_texts()
    assert sorted(int(y) for y in years) == sorted(y for y in site.years if FROM <= y <= TO)
    assert page.evaluate("window.sameDocument") is True
    assert page.url == f"{site.url}/dashboard?{query}"  # the filter can be bookmarked
    # the owners' growth compares years the filter keeps (the site's last complete year is after TO)
    status = page.get_by_role("status").inner_text()
    found = re.search(r"Owners' growth compares (\d{4}) with (\d{4})", status)
    assert found and FROM <= int(found[1]) < int(found[2]) == TO
    screenshot(page, "dashboard-filtered")

    # each table downloads as CSV with the filter applied
    href = page.locator("#panel-countries a.download").get_attribute("href")
    assert href == f"/dashboard/countries.csv?{query}"
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    csv = httpx.get(site.url + href, cookies=cookies).text.splitlines()
    assert csv[0].split(",")[:3] == ["year", "country", "families"]
    assert {int(line.split(",")[0]) for line in csv[1:]} == {y for y in site.years if FROM <= y <= TO}
    context.close()
    assert errors == []


def test_a_query_error_is_shown_on_the_dashboard(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "bob")
    page.goto(f"{site.url}/dashboard?q=ti%3D(")
    expect(page.get_by_role("alert")).to_contain_text("the query:")
    context.close()
