"""The dashboard's filters beyond the years in a real browser: generative AI, countries, a taxonomy tag and an
owner group set in the page's form, one after the other, over a site with generative-AI families (a Google
Patents export and its scraped abstracts, classified, beside the USPTO test documents). The panels then read
the selected families' rows (``Panels``' working copies joined with the selection); their figures are checked
against counts made in plain SQL over the enrichment's and the classification's tables (members, labels,
tags, owners) before the server starts, not through the landscape's code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from patscape import monitor
from patscape.enrich.genai.store_labels import classify
from patscape.monitor import SYSTEM
from patscape.store import open_store
from patscape.store.ingest import ingest
from tests.monitor.conftest import PASSWORD
from tests.web.conftest import prepare, running
from tests.web.pages.conftest import Site, new_page, screenshot, sign_in

GOOGLE = (  # one search of Google Patents: its export (dates, owners) and its scraped abstracts and CPC
    "gp_ai_patents_cpc/gp_search_exports/gp-search-20251001-102842.csv",
    "gp_ai_patents_cpc/scraped/patent_details_20251001-102842.csv",
)
COUNTRIES = ("CN", "US")
TAG = ("model", "GAN")
# the form's fields in the order the page writes them into the query string (empty ones left out)
FIELDS = ("year_from", "year_to", "year", "country_by", "countries", "owner", "tags", "q", "genai")

# Each family as the panels see it, from the tables the enrichment and the classification wrote: its year
# (the earliest publication of a member), whether a member is labelled generative AI or carries the tag, and
# its members' offices (the member basis).
FAMILIES_SQL = """
SELECT m.family_id,
       extract(year FROM min(m.published)) AS year,
       bool_or(coalesce(g.is_genai, false)) AS genai,
       bool_or(t.pub_key IS NOT NULL) AS tagged,
       string_agg(DISTINCT m.country, ',') AS offices
FROM family_members m
LEFT JOIN genai_labels g ON g.pub_key = m.pub_key
LEFT JOIN genai_tags t ON t.pub_key = m.pub_key AND t.dimension = ? AND t.tag = ?
GROUP BY m.family_id
"""


@dataclass(frozen=True)
class Family:
    year: int | None
    genai: bool
    tagged: bool
    offices: frozenset[str]
    owners: frozenset[str]  # owner group ids
    modes: frozenset[str]  # the mode tags of its members


@dataclass
class GenaiSite:
    site: Site
    families: dict[str, Family]


def per_year(families: list[Family]) -> dict[int, int]:
    return dict(Counter(f.year for f in families if f.year is not None))


def _families(db: str) -> dict[str, Family]:
    with open_store(db) as store:
        owners: dict[str, set[str]] = {}
        for r in store.fetch("SELECT DISTINCT family_id, group_id FROM family_owners"):
            owners.setdefault(r["family_id"], set()).add(r["group_id"])
        modes: dict[str, set[str]] = {}
        for r in store.fetch(
            "SELECT DISTINCT m.family_id, t.tag FROM family_members m "
            "JOIN genai_tags t ON t.pub_key = m.pub_key AND t.dimension = 'mode'"
        ):
            modes.setdefault(r["family_id"], set()).add(r["tag"])
        return {
            r["family_id"]: Family(
                None if r["year"] is None else int(r["year"]),
                bool(r["genai"]),
                bool(r["tagged"]),
                frozenset(r["offices"].split(",")) if r["offices"] else frozenset(),
                frozenset(owners.get(r["family_id"], ())),
                frozenset(modes.get(r["family_id"], ())),
            )
            for r in store.fetch(FAMILIES_SQL, TAG)
        }


@pytest.fixture(scope="module")
def genai_site(data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GenaiSite]:
    db = str(tmp_path_factory.mktemp("genai-pages") / "genai.duckdb")
    with open_store(db) as store:
        ingest(store, [data / path for path in GOOGLE], workers=0)
    api = prepare(db, data)  # the USPTO test documents, the users, families and owners (enrich)
    with open_store(db) as store:
        monitor.set_password(store, SYSTEM, "alice", PASSWORD)
        classify(store)
    families = _families(db)
    with running(api):
        yield GenaiSite(Site(api, [], 0, {}, {}), families)  # the site's address and users only


def _rows(page: Page, panel: str) -> list[dict[str, str]]:
    """A panel's table as the page holds it (folded or not): one dict per row, by column header."""
    table = page.locator(f"#panel-{panel} table")
    header, *rows = table.evaluate("t => [...t.rows].map(r => [...r.cells].map(c => c.textContent))")
    return [dict(zip(header, row, strict=True)) for row in rows]


def _totals(page: Page) -> dict[int, int]:
    """Selected families per year: the countries panel's ``total`` (one value per year)."""
    return {int(r["year"]): int(r["total"]) for r in _rows(page, "countries")}


def _apply(page: Page, **form: str) -> None:
    """Submit the form and wait until the panels show the filter it holds (``form``: its non-empty fields)."""
    page.get_by_role("button", name="Apply").click()
    query = urlencode([(name, form[name]) for name in FIELDS if name in form])
    expect(page.locator("body")).to_have_attribute("data-dashboard", query)


def test_filters_beyond_the_years_give_the_families_counted_in_sql(
    browser: Browser, genai_site: GenaiSite
) -> None:
    families = list(genai_site.families.values())
    genai = [f for f in families if f.genai]
    chosen = [f for f in genai if f.offices & set(COUNTRIES)]
    tagged = [f for f in chosen if f.tagged]
    owning = Counter(g for f in tagged for g in f.owners)
    owner = min(owning, key=lambda g: (-owning[g], g))  # the group with most families (ties: by id)
    owned = [f for f in tagged if owner in f.owners]
    # each step keeps fewer families, over more than one year
    assert len(families) > len(genai) > len(chosen) > len(tagged) > len(owned) > 1
    assert len(per_year(owned)) > 1

    errors: list[str] = []
    context, page = new_page(browser)
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, genai_site.site, "alice")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("body")).to_have_attribute("data-dashboard", "year=auto&country_by=auto")
    form = {"year": "publication", "country_by": "inventor"}

    # generative AI on the inventor basis: the Google export names no inventor country and the USPTO
    # documents are not generative AI; the country panels say so, with the number of families selected
    page.get_by_label("Years counted by").select_option("publication")
    page.get_by_label("Country basis").select_option("inventor")
    page.get_by_label("Generative AI only").check()
    form["genai"] = "true"
    _apply(page, **form)
    expect(page.locator("#panel-countries .chart")).to_have_text(
        f"None of the {len(genai):,} families in this selection has an inventor country. "
        "Another country basis may place them."
    )
    expect(page.locator("#panel-model_mode .chart svg")).to_have_count(1)
    # an empty panel shows its reason, not the blank height of a chart
    said = page.locator("#panel-countries .chart").bounding_box()
    drawn = page.locator("#panel-model_mode .chart").bounding_box()
    assert said and drawn and said["height"] < drawn["height"] / 2
    screenshot(page, "dashboard-selection-inventor")

    # countries on the member basis (the offices where a member is published)
    page.get_by_label("Country basis").select_option("member")
    page.get_by_label("Countries (comma-separated)").fill(", ".join(COUNTRIES))
    form |= {"country_by": "member", "countries": ", ".join(COUNTRIES)}
    _apply(page, **form)
    assert _totals(page) == per_year(chosen)
    china = {int(r["year"]): int(r["china"]) for r in _rows(page, "china_vs_world")}
    in_china = per_year([f for f in chosen if "CN" in f.offices])
    assert china == {year: in_china.get(year, 0) for year in per_year(chosen)}
    screenshot(page, "dashboard-selection")

    # a taxonomy tag: the model x mode panel counts that model's families per mode as SQL does
    page.get_by_label("Taxonomy tags (model:GAN, …)").fill(":".join(TAG))
    form["tags"] = ":".join(TAG)
    _apply(page, **form)
    assert _totals(page) == per_year(tagged)
    cells = {(r["model"], r["mode"]): int(r["families"]) for r in _rows(page, "model_mode")}
    assert {mode: n for (model, mode), n in cells.items() if model == TAG[1]} == dict(
        Counter(mode for f in tagged for mode in f.modes)
    )

    # an owner group, by its id
    page.get_by_label("Owner group").fill(owner)
    form["owner"] = owner
    _apply(page, **form)
    assert _totals(page) == per_year(owned)
    [row] = [r for r in _rows(page, "owners") if r["group_id"] == owner]
    assert int(row["families"]) == len(owned)
    # a bar as tall as a line, whether a panel has one or twenty
    bars = page.locator("#panel-owners .chart svg path[aria-roledescription='bar']")
    expect(bars).to_have_count(len(_rows(page, "owners")))
    heights = [(bars.nth(i).bounding_box() or {"height": 99})["height"] for i in range(bars.count())]
    assert heights and max(heights) < 40
    screenshot(page, "dashboard-selection-owner")
    context.close()
    assert errors == []
