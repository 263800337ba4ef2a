"""The dashboard's panels written in Polars, over the same fact tables (exported once as Parquet): the peer
``dashboard.py`` measures ``patscape.landscape.Panels`` against.

The rules are those of ``patscape.landscape`` (full counting, one year basis and one country basis); each
filter change builds the eight panels as lazy frames and collects them together (``pl.collect_all``), so that
Polars shares the common work and runs the panels in parallel. The results must equal patscape's, table by
table (``dashboard.py`` compares them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

TABLES = ("family_facts", "family_fact_countries", "family_fact_owners", "family_fact_tags", "owner_facts")
GENAI_DIMENSIONS = ("model", "mode", "application")
SEARCHED_FIELDS = (1, 2, 3)  # title, abstract, claims (patscape.search.textsql)
CHINA = "CN"


def export(con: Any, folder: Path) -> None:
    """The fact tables, and what the text query reads, as Parquet (DuckDB writes them)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in TABLES:
        con.execute(f"COPY {name} TO '{folder / name}.parquet' (FORMAT PARQUET)")
    # the search index's postings of the searched texts (sorted by term, as ``search_postings``), and the
    # documents' and members' keys: the text query reads the same index on both sides
    fields = ", ".join(str(f) for f in SEARCHED_FIELDS)
    con.execute(
        f"COPY (SELECT term, doc_id FROM search_postings WHERE field IN ({fields}) ORDER BY term, doc_id) "
        f"TO '{folder / 'postings'}.parquet' (FORMAT PARQUET)"
    )
    con.execute(
        f"COPY (SELECT doc_id, pub_key FROM search_docs) TO '{folder / 'docs'}.parquet' (FORMAT PARQUET)"
    )
    con.execute(
        "COPY (SELECT pub_key, family_id FROM family_members) "
        f"TO '{folder / 'members'}.parquet' (FORMAT PARQUET)"
    )


@dataclass
class Data:
    facts: pl.DataFrame
    countries: pl.DataFrame
    owners: pl.DataFrame
    tags: pl.DataFrame
    names: pl.DataFrame
    postings: pl.DataFrame  # term, doc_id: sorted by term
    docs: pl.DataFrame
    members: pl.DataFrame
    first_incomplete: int | None  # by the rule of patscape.landscape.completeness (priority years: lag 2)


def load(folder: Path, year: str = "priority") -> Data:
    read = {
        name: pl.read_parquet(folder / f"{name}.parquet") for name in (*TABLES, "postings", "docs", "members")
    }
    facts = read["family_facts"]
    reference = facts["latest_publication"].max() or facts["earliest_priority"].max()
    first = None
    if isinstance(reference, dt.date):
        lag = 2 if year == "priority" else 0
        first = reference.year - lag + 1
        if reference < dt.date(reference.year, 12, 31):
            first = min(first, reference.year)
    return Data(
        facts,
        read["family_fact_countries"],
        read["family_fact_owners"],
        read["family_fact_tags"],
        read["owner_facts"],
        read["postings"].with_columns(pl.col("term").set_sorted()),
        read["docs"],
        read["members"],
        first,
    )


@dataclass(frozen=True)
class Filter:
    year_from: int | None = None
    year_to: int | None = None
    genai: bool = False
    countries: tuple[str, ...] = ()
    owner: str | None = None
    tags: tuple[str, ...] = ()
    query: str | None = None


def _keys(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.select("family_key").unique()


def selection(d: Data, f: Filter, year: str, basis: str) -> pl.LazyFrame:
    """``family_key`` and ``year`` of the selected families, with the columns the panels read."""
    facts = d.facts.lazy().with_columns(year=pl.col(f"{year}_year").cast(pl.Int64))
    if f.year_from is not None:
        facts = facts.filter(pl.col("year") >= f.year_from)
    if f.year_to is not None:
        facts = facts.filter(pl.col("year") <= f.year_to)
    if f.genai:
        facts = facts.filter(pl.col("genai"))
    conditions: list[pl.LazyFrame] = []
    if f.countries:
        c = d.countries.lazy()
        conditions.append(_keys(c.filter((pl.col("basis") == basis) & pl.col("country").is_in(f.countries))))
    if f.owner:
        groups = d.names.lazy().filter(
            (pl.col("group_id") == f.owner) | (pl.col("group_name").str.to_lowercase() == f.owner.lower())
        )
        owned = d.owners.lazy().join(groups.select("group_id"), on="group_id", how="semi")
        conditions.append(_keys(owned))
    for tag in f.tags:
        dimension, _, value = tag.partition(":")
        t = d.tags.lazy()
        if dimension in GENAI_DIMENSIONS and value:
            t = t.filter((pl.col("dimension") == dimension) & (pl.col("tag") == value))
        else:
            t = t.filter((pl.col("dimension") == "source") & (pl.col("tag") == tag))
        conditions.append(_keys(t))
    if f.query:
        # the words of a query of plain words, all of which must be in a publication's searched texts: each
        # word's postings are a slice of the table sorted by term (a binary search), as DuckDB reads only the
        # row groups holding the term
        terms = d.postings["term"]
        found = None
        for word in f.query.lower().split():
            first, last = terms.search_sorted(word, "left"), terms.search_sorted(word, "right")
            hit = d.postings.slice(first, last - first).lazy().select("doc_id").unique()
            found = hit if found is None else found.join(hit, on="doc_id", how="semi")
        if found is not None:
            keys = d.docs.lazy().join(found, on="doc_id", how="semi").select("pub_key")
            ids = d.members.lazy().join(keys, on="pub_key", how="semi").select("family_id").unique()
            conditions.append(_keys(d.facts.lazy().join(ids, on="family_id", how="semi")))
    for keys in conditions:
        facts = facts.join(keys, on="family_key", how="semi")
    return facts.select(
        "family_key",
        "year",
        f"{basis}_countries",
        "owner_count",
        "granted",
        "forward5",
        family_size=pl.col("office_count"),
        index6=pl.col(f"{year}_index6"),
    )


def _ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num.cast(pl.Float64) / den.cast(pl.Float64)).otherwise(None)


def _cagr(start: pl.Expr, end: pl.Expr, years: int) -> pl.Expr:
    grown = (end.cast(pl.Float64) / start.cast(pl.Float64)) ** (1.0 / years) - 1.0
    return pl.when(start > 0).then(grown).otherwise(None)


def _incomplete(d: Data, year: pl.Expr) -> pl.Expr:
    if d.first_incomplete is None:
        return pl.lit(False)
    return (year >= d.first_incomplete).fill_null(False)


def _within(child: pl.DataFrame, sel: pl.LazyFrame, year: str) -> pl.LazyFrame:
    return (
        child.lazy()
        .join(sel.select("family_key"), on="family_key", how="semi")
        .with_columns(year=pl.col(f"{year}_year").cast(pl.Int64))
    )


def _weighted_mean(value: pl.Expr) -> pl.Expr:
    known = value.is_not_null()
    num = value.cast(pl.Float64).filter(known).sum()
    den = known.cast(pl.Float64).sum()
    return pl.when(den > 0).then(num / den).otherwise(None)


def _summary(att: pl.LazyFrame, sel: pl.LazyFrame, key: str, placed: str) -> pl.LazyFrame:
    """Quantity and the means of quality per ``key`` (as ``patscape.landscape.compare``): the figures are
    the family's; ``placed``, the fact column counting a family's rows in ``att``."""
    q = sel.select("family_key", "index6", "forward5", "family_size", "granted", placed)
    j = att.join(q, on="family_key")
    per = j.group_by(key).agg(
        families=pl.len(),
        mean_index=_weighted_mean(pl.col("index6")),
        mean_forward5=_weighted_mean(pl.col("forward5")),
        mean_family_size=_weighted_mean(pl.col("family_size")),
        grant_rate=_weighted_mean(pl.col("granted").cast(pl.Int64)),
        cited=pl.col("forward5").fill_null(0).sum(),
    )
    counted = q.filter(pl.col(placed) > 0)
    overall = counted.select(counted=pl.len(), overall_index=pl.col("index6").mean())
    x = per.join(overall, how="cross")
    return x.select(
        key,
        "families",
        share=_ratio(pl.col("families"), pl.col("counted")),
        mean_index="mean_index",
        relative_quality=_ratio(pl.col("mean_index"), pl.col("overall_index")),
        mean_forward5=pl.when(pl.col("cited") > 0).then(pl.col("mean_forward5")).otherwise(None),
        mean_family_size="mean_family_size",
        grant_rate="grant_rate",
        cited=pl.col("cited") > 0,
    )


def panels(
    d: Data, f: Filter, *, year: str = "priority", basis: str = "member", top: int = 20
) -> dict[str, pl.DataFrame]:
    """The eight panels of ``patscape.landscape.PANELS`` for one filter."""
    sel = selection(d, f, year, basis).cache()
    dated = sel.filter(pl.col("year").is_not_null())
    att = _within(d.countries, sel, year).filter(pl.col("basis") == basis)
    per = (
        att.filter(pl.col("year").is_not_null())
        .group_by("year", "country")
        .agg(families=pl.len(), sole=(pl.col("weight") == 1.0).sum())
    )
    totals = dated.group_by("year").agg(total=pl.len(), attributed=(pl.col(f"{basis}_countries") > 0).sum())
    counts = (
        per.join(totals, on="year")
        .select(
            "year",
            "country",
            "families",
            share=_ratio(pl.col("families"), pl.col("attributed")),
            total="total",
            attributed="attributed",
            incomplete=_incomplete(d, pl.col("year")),
            sole="sole",
        )
        .cache()
    )
    country_totals = (
        counts.group_by("country")
        .agg(families=pl.col("families").sum())
        .join(
            counts.select("year", "attributed").unique().select(attributed=pl.col("attributed").sum()),
            how="cross",
        )
        .select(
            "country",
            "families",
            share=_ratio(pl.col("families"), pl.col("attributed")),
            attributed="attributed",
        )
        .sort(["families", "country"], descending=[True, False])
    )
    years = counts.select("year", "attributed", "incomplete").unique()
    cn = counts.filter(pl.col("country") == CHINA).select("year", china="families", sole_cn="sole")
    j = years.join(cn, on="year", how="left")
    china = pl.col("china").fill_null(0)
    china_vs_world = j.select(
        "year",
        china=china,
        rest_of_world=pl.col("attributed") - pl.col("sole_cn").fill_null(0),
        attributed="attributed",
        china_share=_ratio(china, pl.col("attributed")),
        incomplete="incomplete",
    ).sort("year")

    end = d.first_incomplete - 1 if d.first_incomplete is not None else None
    own = _within(d.owners, sel, year)
    names = d.names.lazy().select("group_id", "group_name", "country")
    metrics = [pl.len().alias("families")]
    if end is not None:
        start = end - 5
        metrics += [
            (pl.col("year") == start).sum().alias("start_families"),
            (pl.col("year") == end).sum().alias("end_families"),
        ]
    ranked = (
        own.group_by("group_id")
        .agg(metrics)
        .sort(["families", "group_id"], descending=[True, False])
        .with_row_index("rank", offset=1)
        .filter(pl.col("rank") <= top)
    )
    owned = own.select(owned=pl.col("family_key").n_unique())
    o = ranked.join(owned, how="cross").join(names, on="group_id")
    window = (
        [
            pl.col("start_families"),
            pl.col("end_families"),
            _cagr(pl.col("start_families"), pl.col("end_families"), 5).alias("cagr"),
        ]
        if end is not None
        else [
            pl.lit(None, pl.Int64).alias("start_families"),
            pl.lit(None, pl.Int64).alias("end_families"),
            pl.lit(None, pl.Float64).alias("cagr"),
        ]
    )
    owners = o.select(
        pl.col("rank").cast(pl.Int64),
        "group_id",
        "group_name",
        "country",
        "families",
        _ratio(pl.col("families"), pl.col("owned")).alias("share"),
        *window,
        incomplete=pl.lit(end is not None and d.first_incomplete is not None and end >= d.first_incomplete),
    ).sort("rank")

    tags = (
        _within(d.tags, sel, year)
        .filter(pl.col("dimension").is_in(GENAI_DIMENSIONS))
        .select("family_key", "dimension", "tag")
        .unique()
        .cache()
    )
    models = tags.filter(pl.col("dimension") == "model").select("family_key", model="tag")
    modes = tags.filter(pl.col("dimension") == "mode").select("family_key", mode="tag")
    pairs = models.join(modes, on="family_key")
    model_mode = (
        pairs.group_by("model", "mode")
        .agg(families=pl.len())
        .join(pairs.select(tagged=pl.col("family_key").n_unique()), how="cross")
        .select("model", "mode", "families", share=_ratio(pl.col("families"), pl.col("tagged")))
        .sort(["model", "mode"])
    )
    apps = tags.filter(pl.col("dimension") == "application").select("family_key", application="tag")
    applications = (
        apps.group_by("application")
        .agg(families=pl.len())
        .join(apps.select(tagged=pl.col("family_key").n_unique()), how="cross")
        .select("application", "families", share=_ratio(pl.col("families"), pl.col("tagged")))
        .sort(["families", "application"], descending=[True, False])
    )

    placed = f"{basis}_countries"
    country_quality = _summary(att.select("family_key", "country"), sel, "country", placed).sort(
        ["families", "country"], descending=[True, False]
    )
    oq = _summary(own.select("family_key", "group_id"), sel, "group_id", "owner_count")
    owner_quality = (
        oq.sort(["families", "group_id"], descending=[True, False])
        .with_row_index("rank", offset=1)
        .filter(pl.col("rank") <= top)
        .join(names, on="group_id")
        .select(
            pl.col("rank").cast(pl.Int64),
            "group_id",
            "group_name",
            "country",
            *oq.collect_schema().names()[1:],
        )
        .sort("rank")
    )
    lazy = {
        "countries": counts.sort(["year", "country"]),
        "country_totals": country_totals,
        "china_vs_world": china_vs_world,
        "owners": owners,
        "model_mode": model_mode,
        "applications": applications,
        "country_quality": country_quality,
        "owner_quality": owner_quality,
    }
    return dict(zip(lazy, pl.collect_all(list(lazy.values())), strict=True))
