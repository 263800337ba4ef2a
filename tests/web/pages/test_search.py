"""Search in a real browser: a field query of the search language, a facet that narrows it, a syntax error
shown at its position, and a hit added to a project workspace (then read back through the API)."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Browser, expect

from tests.web.pages.conftest import Site, new_page, screenshot, sign_in

SINCE = 2005


def test_a_field_query_narrowed_by_a_facet(browser: Browser, site: Site) -> None:
    since = sum(n for year, n in site.years.items() if year >= SINCE)
    year = max(site.years)  # the newest year: a facet value of the query's hits
    assert since > site.years[year] > 0, "go_uspto_testdata no longer spans years after 2005"
    context, page = new_page(browser)
    sign_in(page, site, "alice")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Query").fill(f"pd>={SINCE}")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#result-count")).to_have_text(f"{since} publications found.")
    expect(page.locator(".hit")).to_have_count(since)
    years = page.get_by_role("navigation", name="Facets").locator("section", has_text="Publication year")
    expect(years.get_by_role("listitem")).to_have_count(len([y for y in site.years if y >= SINCE]))
    screenshot(page, "search-field-query")

    years.get_by_role("link", name=str(year), exact=True).click()
    expect(page.get_by_label("Query")).to_have_value(f"(pd>={SINCE}) AND pd={year}")
    count = site.years[year]
    plural = "" if count == 1 else "s"
    expect(page.locator("#result-count")).to_have_text(f"{count} publication{plural} found.")
    first = page.locator(".hit").first
    key = first.locator(".key").inner_text()
    screenshot(page, "search-facet")

    first.get_by_label(f"Workspace for {key}").select_option(label="Prior art")
    first.get_by_role("button", name="Add to workspace").click()
    expect(page.get_by_role("status")).to_have_text(f"{key} was added to the workspace.")
    expect(page.get_by_label("Query")).to_have_value(f"(pd>={SINCE}) AND pd={year}")  # the search stays
    context.close()
    with site.api.client("alice") as alice:
        held = alice.get(f"/api/workspaces/{site.project_id}/documents").json()
    assert [d["pub_key"] for d in held] == [key]


def test_a_syntax_error_is_shown_where_it_is(browser: Browser, site: Site) -> None:
    context, page = new_page(browser)
    sign_in(page, site, "bob")
    query = "ti=(vacuum OR"  # the query ends where a term should follow: the error is at its last character
    response = page.goto(f"{site.url}/search?q={quote(query)}")
    assert response is not None and response.status == 422
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"at line 1, column {len(query)}")
    # the caret stands under the column the message names
    expect(alert.locator("pre")).to_have_text(query + "\n" + " " * (len(query) - 1) + "^")
    expect(page.get_by_label("Query")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "search-syntax-error")
    context.close()
