"""The words around the numbers: cover, section introductions, chart captions, the source line and the method
appendix. Numbers here are referenced like everywhere else (``fmt.num``)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from patscape import __version__
from patscape.landscape.coverage import DEFAULT_TOLERANCE
from patscape.report import names
from patscape.report.data import ReportData
from patscape.report.fmt import num, ref
from patscape.report.method import NOT_MEASURED
from patscape.report.options import COVERAGE, GROWTH_YEARS
from patscape.report.sections import table_view
from patscape.report.text import MIN_GROWTH_BASE, words

MAX_NAMED_SOURCES = 3


def kf(data: ReportData, figure: str, kind: str = "count") -> Markup:
    return num(data.figure(figure), kind, ref("key_figures", "value", figure=figure))


def mt(data: ReportData, key: str, kind: str = "count") -> Markup:
    m = data.frame("method")
    value = m.loc[m["key"] == key, "value"].iloc[0]
    return num(value, kind, ref("method", "value", key=key))


def _source_names(data: ReportData) -> list[str]:
    src = data.frame("sources")
    if src.empty:
        return []
    used = src[(src["stored"] + src["unchanged"] + src["replaced"] > 0) & (src["description"] != "")]
    return [str(d).split(" (")[0] for d in used["description"]]


def source_line(data: ReportData) -> str:
    found = _source_names(data)
    if not found:
        origin = "the patscape database"
    elif len(found) <= MAX_NAMED_SOURCES:
        origin = "; ".join(found)
    else:
        origin = "several sources (see Method and sources)"
    ref_date = data.ctx.completeness.reference
    as_of = f"; data as of {ref_date.isoformat()}" if ref_date else ""
    return (
        f"Source: patscape analysis of {origin}. Patent families by {names.YEAR_BASIS[data.ctx.year]}, "
        f"{names.COUNTRY_BASIS[data.ctx.country_by]}{as_of}."
    )


def cover(data: ReportData) -> dict[str, Any]:
    ctx = data.ctx
    years = (
        Markup(", {} to {}").format(kf(data, "first_year", "year"), kf(data, "last_year", "year"))
        if data.figure("first_year") is not None
        else Markup("")
    )
    subject = "generative-AI patent families" if data.options.genai else "patent families"
    ref_date = ctx.completeness.reference
    return {
        "title": data.options.heading(),
        "subtitle": Markup("{} by {} and {}{}").format(
            subject[:1].upper() + subject[1:],
            names.YEAR_BASIS[ctx.year],
            names.COUNTRY_BASIS[ctx.country_by],
            years,
        ),
        "scope": ctx.filter.describe(),
        "counted": Markup(
            "{} patent families, {} counting; placed {} of them ({} without a year, left out)"
        ).format(
            kf(data, "families"),
            "fractional" if ctx.fractional else "full",
            kf(data, "families_placed"),
            kf(data, "families_without_year"),
        ),
        "reference": ref_date.isoformat() if ref_date else "unknown (no dates in the data)",
        "generated": data.generated.isoformat(sep=" "),
        "version": __version__,
        "reading": reading(data),
    }


def reading(data: ReportData) -> Markup:
    ctx = data.ctx
    noun = names.COUNTRY_NOUN[ctx.country_by]
    text = Markup(
        "How to read this report: the unit is the patent family (one invention, however many offices it is "
        "filed at), counted in its {} and placed by the {}. "
    ).format(names.YEAR_BASIS[ctx.year], names.COUNTRY_BASIS[ctx.country_by])
    if not ctx.fractional:
        text += Markup("A family placed in several {} counts once in each (full counting). ").format(
            names.plural(noun)
        )
    if data.figure("first_incomplete_year") is not None:
        text += Markup(
            "Years from {} on are incomplete and shaded; their lower counts are not a fall."
        ).format(kf(data, "first_incomplete_year", "year"))
    return text


def intros(data: ReportData) -> dict[str, Markup]:
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    out = {
        "trends": Markup(
            "Patent families per {}, all of them and for the leading {}. The table lists the years of "
            "the charts "
            "with each {}'s families and its share of the year's families placed in {}."
        ).format(names.YEAR_BASIS[data.ctx.year], names.plural(noun), noun, names.article(noun)),
        "coverage": Markup(
            "Each source covers some offices, years and a selection of its own (a saved search, a table of "
            "AI patents, an office's files). Where the mix of sources making up the families changes, a rise "
            "or fall across those years compares sources, not filings: such years are marked in orange in "
            "the charts and no growth or shift of shares is stated across them."
        ),
        "countries": Markup(
            "Who files, and how that changes. Shares are of the families placed in {} in that year; "
            "growth is "
            "the compound annual growth rate of families per year over the window, which ends at the last "
            "complete year."
        ).format(names.article(noun)),
        "owners": Markup(
            "Owner groups join the spellings of one applicant and the companies of one corporate group "
            "(alias file, normalised names, fuzzy matching). A co-owned family counts for each of its owners."
        ),
        "technologies": Markup(
            "Generative-AI families by the kind of model (GAN, VAE, diffusion, large language model…) and by "
            "mode, what is generated (text, image and video, speech and sound…). A family counts in every "
            "model and mode it is tagged with."
        ),
        "applications": Markup("The field in which the invention is applied, one per labelled publication."),
        "categories": Markup(
            "Categories that the source itself gives (for the CSET table: its AI categories), counted per "
            "family."
        ),
        "quality": Markup(
            "Quantity against quality: the quality index is the OECD-style composite of forward citations, "
            "family size, claims, generality, backward citations and grant lag, each normalised within the "
            "family's cohort (year and technology field). Relative quality divides a group's mean index "
            "by the "
            "mean of the whole selection (1 = average)."
        ),
    }
    if not data.counts.get("citations"):
        out["quality"] += Markup(
            " The sources hold no citations: forward and backward citations and generality are unknown, "
            "so here "
            "the index rests on family size, claims and grant lag where known; compare with care."
        )
    return out


def captions(data: ReportData) -> dict[str, Markup]:
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    floor = Markup("")
    if data.figure("chart_first_year") is not None and data.figure("chart_first_year") != data.figure(
        "first_year"
    ):
        floor = Markup(
            " Years before {} (each with less than a hundredth of the busiest year's families) are left "
            "out of the "
            "charts; the CSV files hold every year."
        ).format(kf(data, "chart_first_year", "year"))
    shading = (
        Markup(" The grey band marks incomplete years.")
        if data.figure("first_incomplete_year")
        else Markup("")
    )
    window = (
        Markup("between {} and {}").format(kf(data, "window_start", "year"), kf(data, "window_end", "year"))
        if data.window
        else Markup("over the window")
    )
    return {
        "families_per_year": Markup(
            "Each bar counts the families of one year; light bars are incomplete years."
        )
        + shading
        + floor,
        "countries_per_year": Markup(
            "The leading {} by families over all years. Click a legend entry to "
            "highlight it (interactive version)."
        ).format(names.plural(noun))
        + shading,
        "country_shares": Markup("Share of the year's families placed in each {}.").format(noun) + shading,
        "china_vs_world": Markup(
            "Families with a Chinese {} and families with another {}; a family with both counts on both "
            "sides."
        ).format(noun, noun)
        + shading,
        "source_contributions": Markup(
            "Share of each year's families with a member from each source (a family in several sources "
            "counts for each); orange bands mark the years where the mix changes."
        )
        + shading,
        "growth": Markup("Compound annual growth rate of families per year {}, for the leading {}.").format(
            window, names.plural(noun)
        ),
        "owners": Markup("Owner groups ranked by families; colour: where the owner is based."),
        "model_mode": Markup("Families per model and mode; darker cells hold more families."),
        "applications_by_year": Markup("Families per year in the most frequent application fields.")
        + shading,
        "country_quality": Markup(
            "Each point is {}; the dashed line is the average of the selection."
        ).format(names.article(noun)),
        "owner_quality": Markup(
            "Each point is an owner group; the dashed line is the average of the selection."
        ),
    }


def method(data: ReportData, files: list[str], command: str) -> dict[str, Any]:
    ctx = data.ctx
    sources = table_view(
        data,
        "sources",
        "Inputs read, by reader",
        [
            ("reader", "Reader", "text"),
            ("description", "Format", "text"),
            ("inputs", "Inputs", "count"),
            ("read", "Read", "count"),
            ("stored", "Stored", "count"),
            ("unchanged", "Unchanged", "count"),
            ("replaced", "Replaced", "count"),
            ("rejected", "Rejected", "count"),
        ],
        ["reader"],
    )
    quarantine = table_view(
        data,
        "quarantine",
        "Rejected documents by reason",
        [("reason", "Reason", "text"), ("documents", "Documents", "count")],
        ["reason"],
    )
    completeness = ctx.completeness
    if completeness.reference is None:
        incomplete = Markup("The data carry no dates, so no year is flagged incomplete.")
    elif ctx.year == "priority":
        incomplete = Markup(
            "Reference date {}: the latest publication date in the database (else the latest priority "
            "date or "
            "year). A family becomes visible only when first published, about eighteen months after its "
            "first "
            "filing, so the last two priority years, from {}, are incomplete."
        ).format(completeness.reference.isoformat(), mt(data, "first_incomplete_year", "year"))
    else:
        incomplete = Markup(
            "Reference date {}: the latest publication date in the database. A publication year is "
            "incomplete when "
            "the data end before its last day; here from {}."
        ).format(completeness.reference.isoformat(), mt(data, "first_incomplete_year", "year"))
    placed = Markup(", ").join(
        Markup("{} {}").format(mt(data, f"families_placed_by_{b}"), b)
        for b in ("inventor", "applicant", "office", "member")
    )
    definitions = [
        (
            "Patent family",
            Markup(
                "One invention: the DOCDB family where a source states it, else the publications sharing "
                "their "
                "priority claims (simple family), joined through shared priorities or applications when "
                "needed "
                "(extended family)."
            ),
        ),
        (
            "Year",
            Markup(
                "The family's {}. Chosen because {} of the {} selected families have an earliest "
                "publication year "
                "and {} an earliest priority year (publication, as WIPO, unless fewer families have one)."
            ).format(
                names.YEAR_BASIS[ctx.year],
                mt(data, "families_with_publication_year"),
                mt(data, "selected_families"),
                mt(data, "families_with_priority_year"),
            ),
        ),
        (
            "Country",
            Markup(
                "{}. Families placed on each basis: {}. The first of inventor, applicant, office of first "
                "filing "
                "and member offices placing at least {} of the families is used (WIPO counts by inventor)."
            ).format(
                names.COUNTRY_BASIS[ctx.country_by].capitalize(), placed, num(COVERAGE, "percent", None)
            ),
        ),
        (
            "Counting",
            Markup(
                "Full counting: a family counts once in each of its countries or owners, so shares can "
                "add up to "
                "more than the whole."
                if not ctx.fractional
                else "Fractional counting: a family's weight is split evenly over its countries or owners."
            ),
        ),
        ("Incomplete years", incomplete),
        (
            "Growth",
            Markup(
                "Compound annual growth rate (end / start)^(1 / years) − 1 of families per year, over {} "
                "years to "
                "the last complete year; a country needs {} families at the start to be called the "
                "fastest-growing."
            ).format(words(GROWTH_YEARS), words(MIN_GROWTH_BASE)),
        ),
        (
            "Sources and composition",
            Markup(
                "A source is what one reader read from one folder. Per year, each source's share of the "
                "families (a family counts for every source holding a member); the composition changes in a "
                "year whose mix of sources is more than {} away (total variation distance, half the sum of "
                "the absolute differences of the shares) from the mix of the first year of the current "
                "window. Growth, shifts of shares and the busiest year are stated only within the window of "
                "the last complete year (<code>patscape coverage</code> prints the windows)."
            ).format(num(DEFAULT_TOLERANCE, "decimal", None)),
        ),
        (
            "Applicant sectors",
            Markup(
                "Each raw applicant name is read by editable rules (company, university, public research "
                "institute, government, hospital, individual, other; keywords in English, Chinese, Japanese, "
                "Korean, German and French); an owner group takes the sector its alias entry states, else "
                "the one most of its names have. Co-application: a family with a university or institute "
                "and a company among its owners."
            ),
        ),
        (
            "Inventors",
            Markup(
                "A person is a folded name (case, accents, punctuation and word order ignored), counted once "
                "per family; placed in the country the documents give, else the family's first-filing "
                "office. Namesakes are one person and a name written in two scripts is two."
            ),
        ),
        (
            "Commercial signals",
            Markup(
                "IP5: members in two or more of CN, EP, JP, KR and US; triadic: members in EP, JP and US; "
                "granted: a member granted anywhere; cited from abroad: cited by a family none of whose "
                "countries is the cited family's. Only the members in the database count: lower bounds."
            ),
        ),
        (
            "Quality index",
            Markup(
                "Mean of the available component scores (forward citations within five years, family "
                "size, claims, "
                "generality, backward citations, grant lag), each clipped to its cohort's 1st and 99th "
                "percentiles "
                "and scaled to 0–1 (OECD patent quality indicators)."
            ),
        ),
    ]
    return {
        "sources_intro": Markup(
            "What the database holds: {} publications from the inputs below. Read: records the reader "
            "produced; "
            "stored: written as new; unchanged: already stored as they are; replaced: a newer version "
            "replaced "
            "the stored one; rejected: kept in quarantine with the reason."
        ).format(mt(data, "publications")),
        "sources": sources,
        "quarantine": quarantine,
        "definitions": definitions,
        "genai": genai_facts(data),
        "files": files,
        "command": command,
    }


def genai_facts(data: ReportData) -> list[tuple[str, Markup]]:
    g = data.genai
    selection = (
        "Only families with at least one member labelled generative AI are counted."
        if data.options.genai
        else "This report counts every family, generative AI or not; the model, mode and application "
        "sections use the generative-AI tags where there are any."
    )
    if g.measured:
        accuracy = Markup("Precision {} and recall {} (measured on {}).").format(
            num(g.precision, "percent", ref("method", "value", key="genai_precision")),
            num(g.recall, "percent", ref("method", "value", key="genai_recall")),
            g.measured_on,
        )
    else:
        accuracy = Markup(
            "{}: no measured precision and recall is stored with the classifier or in the database "
            "(<code>patscape eval</code> measures them)."
        ).format(NOT_MEASURED.capitalize())
    labels = (
        Markup("{} publications labelled, {} of them generative AI; label versions: {}.").format(
            mt(data, "genai_labelled_publications"),
            mt(data, "genai_publications"),
            "; ".join(g.label_versions),
        )
        if g.labelled
        else Markup("No publication is labelled yet (<code>patscape classify</code>).")
    )
    return [
        ("Selection", Markup(selection)),
        (
            "Method",
            Markup(
                "A versioned query (phrases and CPC codes) retrieves candidates; a classifier trained on "
                "hand "
                "labels decides; a taxonomy tags model, mode and application field."
            ),
        ),
        ("Query version", Markup.escape(g.query_version or "unknown")),
        ("Classifier version", Markup.escape(g.classifier_version or "unknown")),
        ("Labels in the database", labels),
        ("Classifier accuracy", accuracy),
    ]
