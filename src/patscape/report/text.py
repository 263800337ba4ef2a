"""The key findings, written from the tables: totals, growth, the leading countries and owners, the shift of
shares, the technologies and the quality. Every number is a referenced cell (``fmt.num``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from patscape.report import names
from patscape.report.data import ReportData, leading_inventor_countries
from patscape.report.fmt import num, ref, text

MIN_GROWTH_BASE = (
    20  # a country needs this many families at the start of the window to be called fastest-growing
)
LEADERS = 3
MAX_CHANGES_NAMED = 4  # the latest years of changed composition named in a finding (the table has them all)
QUALITY_PEERS = 5
VAGUE_TAGS = frozenset({"unspecified", "other"})


@dataclass(frozen=True)
class Finding:
    topic: str
    html: Markup


def at(df: pd.DataFrame, column: str, **key: Any) -> Any:
    """The cell of the row whose key columns hold these values; None without such a row."""
    if df.empty:
        return None
    mask = pd.Series(True, index=df.index)
    for k, v in key.items():
        mask &= df[k] == v
    hit = df.loc[mask, column]
    return hit.iloc[0] if len(hit) else None


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def words(n: int) -> str:
    """Small numbers that are settings, not data, are written out (every digit in the text is data)."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else {20: "twenty", 50: "fifty", 100: "a hundred"}.get(n, str(n))


def name(text: str) -> Markup:
    """A proper name (owner, tag) in a sentence: marked, since it may hold digits that are not data."""
    return Markup('<span class="name">{}</span>').format(text)


def _kf(data: ReportData, figure: str, kind: str = "count") -> Markup:
    return num(data.figure(figure), kind, ref("key_figures", "value", figure=figure))


def _join(parts: list[Markup]) -> Markup:
    if len(parts) <= 1:
        return Markup("").join(parts)
    return Markup(", ").join(parts[:-1]) + Markup(" and ") + parts[-1]


def _trend(moved: float, shown_equal: bool) -> str:
    if shown_equal:
        return "stayed at"
    return "rose" if moved > 0 else "fell"


def findings(data: ReportData) -> list[Finding]:
    out: list[Finding] = []
    for make in (
        _scope,
        _sources,
        _growth,
        _incomplete,
        _countries,
        _shares,
        _fastest,
        _owners,
        _sectors,
        _inventors,
        _technology,
        _quality,
        _commercial,
    ):
        found = make(data)
        if found is not None:
            out.append(found)
    return out


def _scope(data: ReportData) -> Finding:
    noun = "generative-AI patent families" if data.options.genai else "patent families"
    basis = names.YEAR_BASIS[data.ctx.year]
    if not data.figure("families"):
        return Finding("Scope", Markup("The selection holds no patent family: there is nothing to count."))
    if data.figure("first_year") is None:
        return Finding(
            "Scope",
            Markup("The selection holds {} {}; none has an {}.").format(_kf(data, "families"), noun, basis),
        )
    if data.figure("families") == data.figure("families_with_year"):
        return Finding(
            "Scope",
            Markup("The landscape counts {} {}, all with an {} between {} and {}.").format(
                _kf(data, "families"),
                noun,
                basis,
                _kf(data, "first_year", "year"),
                _kf(data, "last_year", "year"),
            ),
        )
    return Finding(
        "Scope",
        Markup(
            "The selection holds {} {}; {} of them have an {} between {} and {}, and every section counts "
            "those; the {} without one are left out of all of them."
        ).format(
            _kf(data, "families"),
            noun,
            _kf(data, "families_with_year"),
            basis,
            _kf(data, "first_year", "year"),
            _kf(data, "last_year", "year"),
            _kf(data, "families_without_year"),
        ),
    )


def _sources(data: ReportData) -> Finding | None:
    """Where the mix of sources changes: what the counts across those years can and cannot say."""
    changes = [e.year for e in data.composition if e.changes]
    if not changes:
        return None
    years = [num(y, "year", ref("composition", "year", year=y)) for y in changes[-MAX_CHANGES_NAMED:]]
    earlier = (
        Markup(" (and in earlier years: see the coverage table)") if len(changes) > MAX_CHANGES_NAMED else ""
    )
    sentence = Markup(
        "The sources making up the families change in {}{}: the years on either side come from different "
        "sources (offices, years or selections), so a rise or fall of families or of shares across these "
        "years is a change of sources, not of filing, and is not reported as a trend."
    ).format(_join(years), earlier)
    if data.window and data.figure("stable_from") is not None:
        sentence += Markup(
            " Growth and shifts of shares are stated from {} to {}, within years of the same sources "
            "({} to {})."
        ).format(
            _kf(data, "window_start", "year"),
            _kf(data, "window_end", "year"),
            _kf(data, "stable_from", "year"),
            _kf(data, "stable_to", "year"),
        )
    else:
        sentence += Markup(
            " The last complete year's sources cover no earlier complete year, so no growth rate or shift "
            "of shares is stated."
        )
    return Finding("Changes of sources", sentence)


def _growth(data: ReportData) -> Finding | None:
    if data.figure("window_start") is None:
        return None
    sentence = Markup("Families per year went from {} in {} to {} in {}").format(
        _kf(data, "window_start_families"),
        _kf(data, "window_start", "year"),
        _kf(data, "window_end_families"),
        _kf(data, "window_end", "year"),
    )
    if data.figure("window_cagr") is not None:
        sentence += Markup(", a compound annual growth rate of {}").format(
            _kf(data, "window_cagr", "signed_percent")
        )
    sentence += Markup(".")
    if data.figure("peak_year") is not None and data.figure("stable_from") is not None:
        sentence += Markup(" Since {}, the busiest complete year is {} with {} families.").format(
            _kf(data, "stable_from", "year"), _kf(data, "peak_year", "year"), _kf(data, "peak_families")
        )
    elif data.figure("peak_year") is not None:
        sentence += Markup(" The busiest complete year is {} with {} families.").format(
            _kf(data, "peak_year", "year"), _kf(data, "peak_families")
        )
    return Finding("Growth", sentence)


def _incomplete(data: ReportData) -> Finding | None:
    if data.figure("first_incomplete_year") is None or data.figure("last_year") is None:
        return None
    if data.figure("first_incomplete_year") > data.figure("last_year"):
        return None
    if data.ctx.year == "priority":
        why = (
            "a family becomes visible only when first published, about eighteen months after its first filing"
        )
    else:
        why = "the data end part-way through the last year"
    return Finding(
        "Incomplete years",
        Markup(
            "Years from {} on are incomplete: {}. The {} families counted there understate the activity; "
            "they are shaded in the charts and are not a fall."
        ).format(_kf(data, "first_incomplete_year", "year"), why, _kf(data, "families_in_incomplete_years")),
    )


def _country_phrase(data: ReportData, code: str) -> Markup:
    df = data.frame("country_totals")
    return Markup("{} ({} families, {})").format(
        names.in_sentence(code),
        num(at(df, "families", country=code), "count", ref("country_totals", "families", country=code)),
        num(at(df, "share", country=code), "percent", ref("country_totals", "share", country=code)),
    )


def _countries(data: ReportData) -> Finding | None:
    df = data.frame("country_totals")
    if df.empty:
        return None
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    leaders = [_country_phrase(data, c) for c in df["country"].head(LEADERS)]
    counting = (
        f"a family counts once in each of its {names.plural(noun)}, so the shares together can exceed the "
        "whole"
        if not data.ctx.fractional
        else f"each family's weight is split over its {names.plural(noun)}"
    )
    return Finding(
        "Leading " + names.plural(noun),
        Markup(
            "Over all years, the leading {} ({}) are {}. Shares are of the families placed in {}; {}."
        ).format(
            names.plural(noun),
            names.COUNTRY_BASIS[data.ctx.country_by],
            _join(leaders),
            names.article(noun),
            counting,
        ),
    )


def _shares(data: ReportData) -> Finding | None:
    if not data.window:
        return None
    start, end = data.window
    cy = data.frame("countries")
    if cy.empty:
        return None
    last = cy[cy["year"] == end].sort_values(["families", "country"], ascending=[False, True])
    parts: list[Markup] = []
    for code in last["country"].head(LEADERS):
        s, e = at(cy, "share", year=start, country=code), at(cy, "share", year=end, country=code)
        if s is None or e is None:
            continue
        verb = _trend(e - s, text(s, "percent") == text(e, "percent"))
        parts.append(
            Markup("{} share {} from {} in {} to {} in {}").format(
                names.possessive(names.in_sentence(code)),
                verb,
                num(s, "percent", ref("countries", "share", year=start, country=code)),
                _kf(data, "window_start", "year"),
                num(e, "percent", ref("countries", "share", year=end, country=code)),
                _kf(data, "window_end", "year"),
            )
        )
    if not parts:
        return None
    sentence = Markup("; ").join(parts) + Markup(".")
    return Finding("Shift of shares", sentence[:1].upper() + sentence[1:])


def _fastest(data: ReportData) -> Finding | None:
    g = data.frame("growth")
    if g.empty or "cagr" not in g:
        return None
    eligible = g[(g["start_families"] >= MIN_GROWTH_BASE) & g["cagr"].notna()]
    if eligible.empty:
        return None
    row = eligible.sort_values(["cagr", "country"], ascending=[False, True]).iloc[0]
    code = row["country"]
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    grew = row["cagr"] > 0
    return Finding(
        "Fastest growth" if grew else "No growth",
        Markup(
            "Of the {} with at least {} families in {}, {} {}: from {} to {} families a year, "
            "a compound annual growth rate of {}."
        ).format(
            names.plural(noun),
            words(MIN_GROWTH_BASE),
            _kf(data, "window_start", "year"),
            names.in_sentence(code) if grew else Markup("none grew; {}").format(names.in_sentence(code)),
            "grew fastest" if grew else "fell least",
            num(row["start_families"], "count", ref("growth", "start_families", country=code)),
            num(row["end_families"], "count", ref("growth", "end_families", country=code)),
            num(row["cagr"], "signed_percent", ref("growth", "cagr", country=code)),
        ),
    )


def _sectors(data: ReportData) -> Finding | None:
    """How much of each leading country's filing comes from universities and institutes, and how much of
    that with a company."""
    df = data.frame("sectors")
    if df.empty:
        return None
    parts = []
    for code in data.frame("country_totals")["country"].head(LEADERS):
        if at(df, "families", country=code) is None:
            continue
        co = at(df, "co_share", country=code)
        parts.append(
            Markup("{} {}{}").format(
                names.in_sentence(code),
                num(
                    at(df, "academic_share", country=code),
                    "percent",
                    ref("sectors", "academic_share", country=code),
                ),
                Markup("")
                if co is None or pd.isna(co)
                else Markup(" (of which {} with a company)").format(
                    num(co, "percent", ref("sectors", "co_share", country=code))
                ),
            )
        )
    if not parts:
        return None
    return Finding(
        "Universities and institutes",
        Markup(
            "Share of the families with an owner of known sector that have a university or public research "
            "institute among their owners: {}."
        ).format(Markup("; ").join(parts)),
    )


def _inventors(data: ReportData) -> Finding | None:
    """Distinct inventors of the leading countries at the start and end of the growth window."""
    df = data.frame("talent")
    if df.empty or not data.window:
        return None
    start, end = data.window
    parts = []
    for code in leading_inventor_countries(data, LEADERS):
        s, e = at(df, "inventors", year=start, country=code), at(df, "inventors", year=end, country=code)
        if s is None or e is None:
            continue
        parts.append(
            Markup("{} from {} to {}").format(
                names.in_sentence(code),
                num(s, "count", ref("talent", "inventors", year=start, country=code)),
                num(e, "count", ref("talent", "inventors", year=end, country=code)),
            )
        )
    if not parts:
        return None
    return Finding(
        "Inventors",
        Markup(
            "Distinct inventors named on the families between {} and {}: {}. Names are folded and counted "
            "once per family; namesakes are one person and a name in two scripts is two."
        ).format(
            _kf(data, "window_start", "year"), _kf(data, "window_end", "year"), Markup("; ").join(parts)
        ),
    )


def _commercial(data: ReportData) -> Finding | None:
    """The leading countries' shares of families filed in several IP5 offices and triadic: whether they
    mean to exploit their inventions abroad, next to how many they file."""
    df = data.frame("commercial")
    if df.empty:
        return None
    if not df["ip5"].any():
        return Finding(
            "Commercial signals",
            Markup(
                "No selected family has members in two of the five largest offices in the database: the "
                "sources hold about one publication per family, so where else the inventions are filed is "
                "unknown here, not absent."
            ),
        )
    parts = []
    for code in data.frame("country_totals")["country"].head(LEADERS):
        if at(df, "families", country=code) is None:
            continue
        parts.append(
            Markup("{}, {} and {}").format(
                names.in_sentence(code),
                num(
                    at(df, "ip5_share", country=code), "percent", ref("commercial", "ip5_share", country=code)
                ),
                num(
                    at(df, "triadic_share", country=code),
                    "percent",
                    ref("commercial", "triadic_share", country=code),
                ),
            )
        )
    if not parts:
        return None
    noun = names.COUNTRY_NOUN[data.ctx.country_by]
    return Finding(
        "Commercial signals",
        Markup(
            "Share of each leading {}'s families filed in two or more of the five largest offices (CN, EP, "
            "JP, KR, US) and in all of Europe, Japan and the United States (triadic): {}. Only the members "
            "held in the database count, so these are lower bounds."
        ).format(noun, Markup("; ").join(parts)),
    )


def _owner_phrase(row: pd.Series) -> Markup:
    rank = int(row["rank"])
    where = f" ({names.country_name(row['country'])})" if isinstance(row["country"], str) else ""
    return Markup("{}{} with {} families ({})").format(
        name(str(row["group_name"])),
        where,
        num(row["families"], "count", ref("owners", "families", rank=rank)),
        num(row["share"], "percent", ref("owners", "share", rank=rank)),
    )


def _owners(data: ReportData) -> Finding | None:
    df = data.frame("owners")
    if df.empty:
        return None
    lead = [_owner_phrase(r) for _, r in df.head(LEADERS).iterrows()]
    sentence = Markup("The leading owner is {}").format(lead[0])
    if len(lead) > 1:
        sentence += Markup(", followed by {}").format(_join(lead[1:]))
    sentence += Markup(" (shares of the families with an owner).")
    kf = data.frame("key_figures")
    origins = kf[kf["figure"].str.startswith("owners_from:")]
    origins = origins[~origins["figure"].str.endswith(":unknown")].head(2)
    if not origins.empty:
        parts = [
            Markup("{}{} in {}").format(
                num(v, "count", ref("key_figures", "value", figure=f)),
                " are based" if i == 0 else "",
                names.in_sentence(f.split(":", 1)[1]),
            )
            for i, (f, v) in enumerate(zip(origins["figure"], origins["value"], strict=True))
        ]
        sentence += Markup(" Of the top {} owners, {}.").format(_kf(data, "top_owners"), _join(parts))
    return Finding("Owners", sentence)


def _leader(df: pd.DataFrame, column: str, table: str) -> Markup | None:
    named = df[~df[column].isin(VAGUE_TAGS)]
    if named.empty:
        return None
    row = named.iloc[0]
    tag = row[column]
    return Markup("{} ({} families, {})").format(
        name(names.tag_label(tag)),
        num(row["families"], "count", ref(table, "families", **{column: tag})),
        num(row["share"], "percent", ref(table, "share", **{column: tag})),
    )


def _technology(data: ReportData) -> Finding | None:
    parts: list[Markup] = []
    for table, column, lead in (
        ("models", "model", "the most frequent named model is"),
        ("modes", "mode", "the most frequent mode is"),
        ("applications", "application", "the most frequent application field is"),
    ):
        found = _leader(data.frame(table), column, table)
        if found is not None:
            parts.append(Markup("{} {}").format(lead, found))
    mm = data.frame("model_mode")
    if not mm.empty:
        cell = mm[~mm["model"].isin(VAGUE_TAGS)].sort_values(
            ["families", "model", "mode"], ascending=[False, True, True]
        )
        if not cell.empty:
            r = cell.iloc[0]
            parts.append(
                Markup("the largest model × mode cell is {} × {} ({} families)").format(
                    name(names.tag_label(r["model"])),
                    name(names.tag_label(r["mode"])),
                    num(
                        r["families"],
                        "count",
                        ref("model_mode", "families", model=r["model"], mode=r["mode"]),
                    ),
                )
            )
    if not parts:
        return None
    sentence = Markup("; ").join(parts)
    return Finding(
        "Technologies", sentence[:1].upper() + sentence[1:] + Markup(" (shares of the tagged families).")
    )


def _quality(data: ReportData) -> Finding | None:
    df = data.frame("country_quality")
    if df.empty or df["relative_quality"].isna().all():
        return None
    peers = df.head(QUALITY_PEERS).dropna(subset=["relative_quality"])
    if len(peers) < 2:
        return None
    ordered = peers.sort_values(["relative_quality", "country"], ascending=[False, True])
    best, worst = ordered.iloc[0], ordered.iloc[-1]
    noun = names.COUNTRY_NOUN[data.ctx.country_by]

    def q(row: pd.Series) -> Markup:
        code = row["country"]
        return Markup("{} ({} times the average)").format(
            names.in_sentence(code),
            num(row["relative_quality"], "ratio", ref("country_quality", "relative_quality", country=code)),
        )

    sentence = Markup(
        "Among the {} {} with most families, {} has the highest mean quality index relative to the whole "
        "selection's average and {} the lowest."
    ).format(words(len(peers)), names.plural(noun), q(best), q(worst))
    cited = peers["cited"] if "cited" in peers else pd.Series(True, index=peers.index)
    uncited = [str(c) for c, known in zip(peers["country"], cited, strict=True) if not known]
    if uncited:
        sentence += Markup(
            " Forward citations are not available (n/a) for {}: no family there is cited in the data, so the "
            "index rests on the other components and understates what citations would add."
        ).format(", ".join(names.in_sentence(c) for c in uncited))
    return Finding("Quality", sentence)
