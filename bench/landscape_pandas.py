"""The landscape written in plain pandas: the same tables as ``patscape.landscape`` (same rules, same columns,
same order), for the benchmark's comparison. Options: priority year, countries by member office, full
counting, no filter, top 20 owners, growth over the five years to the last complete year, cohorts of at least
20."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

TABLES = {
    "families": [
        "family_id",
        "priority_year",
        "earliest_publication",
        "granted",
        "member_count",
        "office_count",
    ],
    "family_members": ["family_id", "pub_key", "published"],
    "family_countries": ["family_id", "basis", "country", "weight"],
    "family_owners": ["family_id", "group_id", "group_name", "country", "weight"],
    "publications": ["pub_key", "country", "number", "published", "granted", "app_date", "claim_count"],
    "classes": ["pub_key", "scheme", "code"],
    "citations": ["pub_key", "country", "number", "npl"],
    "genai_tags": ["pub_key", "dimension", "tag"],
}
BASIS = "member"
TOP = 20
MIN_COHORT = 20
FIVE_YEARS = 1826
COMPONENTS4 = ("forward5", "family_size", "claims", "generality")
COMPONENTS6 = (*COMPONENTS4, "backward", "grant_lag_days")


def load(con: Any) -> dict[str, pd.DataFrame]:
    """The tables the landscape reads, as DataFrames (from a DuckDB connection)."""
    out = {}
    for table, cols in TABLES.items():
        out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table}").df()
    return out


def _days(a: pd.Series, b: pd.Series) -> pd.Series:
    return (pd.to_datetime(a) - pd.to_datetime(b)).dt.days


def reference_date(t: dict[str, pd.DataFrame]) -> dt.date | None:
    published = t["publications"]["published"].dropna()
    if len(published):
        return pd.Timestamp(published.max()).date()
    years = t["families"]["priority_year"].dropna()
    return dt.date(int(years.max()), 1, 1) if len(years) else None


def first_incomplete(ref: dt.date | None, lag: int = 2) -> int | None:
    if ref is None:
        return None
    first = ref.year - lag + 1
    return min(first, ref.year) if ref < dt.date(ref.year, 12, 31) else first


def countries(t: dict[str, pd.DataFrame], first_inc: int | None) -> pd.DataFrame:
    fam = t["families"]
    dated = fam.loc[fam["priority_year"].notna(), ["family_id"]].assign(
        year=fam["priority_year"].dropna().astype("int64")
    )
    fc = t["family_countries"]
    fc = fc.loc[(fc["basis"] == BASIS) & fc["country"].notna(), ["family_id", "country", "weight"]]
    att = fc.merge(dated, on="family_id")
    per = (
        att.assign(sole=(att["weight"] == 1.0).astype("int64"))
        .groupby(["year", "country"])
        .agg(families=("family_id", "size"), sole=("sole", "sum"))
        .reset_index()
    )
    known = dated["family_id"].isin(fc["family_id"])
    totals = (
        dated.assign(known=known.astype("int64"))
        .groupby("year")
        .agg(total=("family_id", "size"), attributed=("known", "sum"))
    )
    out = per.merge(totals.reset_index(), on="year")
    out["share"] = out["families"] / out["attributed"]
    out["incomplete"] = out["year"] >= first_inc if first_inc is not None else False
    out = out[["year", "country", "families", "share", "total", "attributed", "incomplete", "sole"]]
    return out.sort_values(["year", "country"], kind="stable").reset_index(drop=True), att, totals


def china_vs_world(att: pd.DataFrame, totals: pd.DataFrame, first_inc: int | None) -> pd.DataFrame:
    cn = att[att["country"] == "CN"].groupby("year").size().rename("china")
    rest = att[att["country"] != "CN"].groupby("year")["family_id"].nunique().rename("rest_of_world")
    years = pd.DataFrame(index=pd.Index(sorted(att["year"].unique()), name="year"))
    out = years.join(cn).join(rest).fillna(0).astype("int64").join(totals["attributed"]).reset_index()
    out["china_share"] = out["china"] / out["attributed"]
    out["incomplete"] = out["year"] >= first_inc if first_inc is not None else False
    return out[["year", "china", "rest_of_world", "attributed", "china_share", "incomplete"]]


def growth(cy: pd.DataFrame, start: int, end: int, end_incomplete: bool) -> pd.DataFrame:
    first = cy.loc[cy["year"] == start, ["country", "families", "share"]]
    last = cy.loc[cy["year"] == end, ["country", "families", "share"]]
    j = first.merge(last, on="country", how="outer", suffixes=("_s", "_e"))
    s = j["families_s"].fillna(0).astype("int64")
    e = j["families_e"].fillna(0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (e / s) ** (1.0 / (end - start)) - 1.0
    out = pd.DataFrame(
        {
            "country": j["country"],
            "start_year": start,
            "end_year": end,
            "start_families": s,
            "end_families": e,
            "cagr": rate.where(s > 0),
            "share_change": j["share_e"].fillna(0) - j["share_s"].fillna(0),
            "incomplete": end_incomplete,
        }
    )
    out = out.sort_values(["end_families", "country"], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def top_owners(t: dict[str, pd.DataFrame], start: int, end: int, end_incomplete: bool) -> pd.DataFrame:
    fam = t["families"][["family_id", "priority_year"]]
    fo = t["family_owners"]
    att = fo.merge(fam, on="family_id")
    per = att.assign(
        s=(att["priority_year"] == start).astype("int64"), e=(att["priority_year"] == end).astype("int64")
    )
    per = per.groupby("group_id").agg(
        families=("family_id", "size"), start_families=("s", "sum"), end_families=("e", "sum")
    )
    per = (
        per.reset_index()
        .sort_values(["families", "group_id"], ascending=[False, True], kind="stable")
        .head(TOP)
    )
    per["rank"] = np.arange(1, len(per) + 1)
    names = (
        fo.groupby("group_id").agg(group_name=("group_name", "min"), country=("country", "min")).reset_index()
    )
    out = per.merge(names, on="group_id", how="left")
    out["share"] = out["families"] / att["family_id"].nunique()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (out["end_families"] / out["start_families"]) ** (1.0 / (end - start)) - 1.0
    out["cagr"] = rate.where(out["start_families"] > 0)
    out["incomplete"] = end_incomplete
    cols = [
        "rank",
        "group_id",
        "group_name",
        "country",
        "families",
        "share",
        "start_families",
        "end_families",
    ]
    return out[[*cols, "cagr", "incomplete"]].sort_values("rank").reset_index(drop=True)


def family_tags(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    tags = t["genai_tags"].merge(t["family_members"][["family_id", "pub_key"]], on="pub_key")
    tags = tags[["family_id", "dimension", "tag"]].drop_duplicates()
    fam = t["families"][["family_id", "priority_year"]].rename(columns={"priority_year": "year"})
    return tags.merge(fam, on="family_id")


def breakdown(
    tags: pd.DataFrame, dimension: str, first_inc: int | None, by_year: bool = False
) -> pd.DataFrame:
    d = tags[tags["dimension"] == dimension].rename(columns={"tag": dimension})
    if by_year:
        d = d[d["year"].notna()].assign(year=lambda x: x["year"].astype("int64"))
        cells = d.groupby(["year", dimension]).size().rename("families").reset_index()
        tagged = d.groupby("year")["family_id"].nunique().rename("tagged").reset_index()
        out = cells.merge(tagged, on="year")
        out["share"] = out["families"] / out["tagged"]
        out["incomplete"] = out["year"] >= first_inc if first_inc is not None else False
        out = out[["year", dimension, "families", "share", "incomplete"]]
        return out.sort_values(["year", dimension], kind="stable").reset_index(drop=True)
    cells = d.groupby(dimension).size().rename("families").reset_index()
    cells["share"] = cells["families"] / d["family_id"].nunique()
    out = cells.sort_values(["families", dimension], ascending=[False, True], kind="stable")
    return out.reset_index(drop=True)


def model_mode(tags: pd.DataFrame) -> pd.DataFrame:
    models = tags.loc[tags["dimension"] == "model", ["family_id", "tag"]].rename(columns={"tag": "model"})
    modes = tags.loc[tags["dimension"] == "mode", ["family_id", "tag"]].rename(columns={"tag": "mode"})
    pairs = models.merge(modes, on="family_id")
    cells = pairs.groupby(["model", "mode"]).size().rename("families").reset_index()
    cells["share"] = cells["families"] / pairs["family_id"].nunique()
    return cells.sort_values(["model", "mode"], kind="stable").reset_index(drop=True)


def _diversity(pairs: pd.DataFrame, name: str) -> pd.DataFrame:
    if pairs.empty:
        return pd.DataFrame({"family_id": pd.Series(dtype=object), name: pd.Series(dtype="float64")})
    w = 1.0 / pairs.groupby(["family_id", "doc"])["subclass"].transform("size")
    per = pairs.assign(w=w).groupby(["family_id", "subclass"])["w"].sum().reset_index()
    per["total"] = per.groupby("family_id")["w"].transform("sum")
    per["s2"] = (per["w"] / per["total"]) ** 2
    out = per.groupby("family_id")["s2"].sum()
    return (1.0 - out).rename(name).reset_index()


def quality(t: dict[str, pd.DataFrame], ref: dt.date | None) -> pd.DataFrame:
    fam = t["families"]
    base = pd.DataFrame(
        {
            "family_id": fam["family_id"],
            "year": fam["priority_year"].astype("Int64"),
            "granted": fam["granted"],
            "earliest_publication": fam["earliest_publication"],
            "family_size": fam["office_count"],
            "members": fam["member_count"],
        }
    )
    members = t["family_members"][["family_id", "pub_key"]]
    pubs = t["publications"]
    pubs_q = pubs.loc[
        pubs["claim_count"].notna() | pubs["granted"].notna(),
        ["pub_key", "claim_count", "granted", "app_date"],
    ]
    mp = members.merge(pubs_q, on="pub_key")
    mp["lag"] = _days(mp["granted"], mp["app_date"])
    per_family = (
        mp.groupby("family_id")
        .agg(claims=("claim_count", "max"), grant_lag_days=("lag", "min"))
        .reset_index()
    )

    cl = t["classes"]
    cl = cl[cl["scheme"].isin(["CPC", "IPC"]) & (cl["code"].str.len() >= 4)]
    subclasses = pd.DataFrame(
        {"pub_key": cl["pub_key"], "subclass": cl["code"].str[:4].str.upper()}
    ).drop_duplicates()
    fam_sub = (
        subclasses.merge(members, on="pub_key")
        .groupby(["family_id", "subclass"])
        .size()
        .rename("n")
        .reset_index()
    )
    fam_sub["scope"] = fam_sub.groupby("family_id")["subclass"].transform("size")
    field = fam_sub.sort_values(["family_id", "n", "subclass"], ascending=[True, False, True], kind="stable")
    field = field.drop_duplicates("family_id")[["family_id", "scope", "subclass"]].rename(
        columns={"subclass": "field"}
    )

    c = t["citations"]
    cites = c.loc[
        c["country"].notna() & c["number"].notna() & c["npl"].isna(), ["pub_key", "country", "number"]
    ]
    cites = cites.rename(columns={"pub_key": "citing", "country": "cc", "number": "cn"}).drop_duplicates()
    pairs = cites[["cc", "cn"]].drop_duplicates()
    cited_docs = pubs[["pub_key", "country", "number"]].rename(columns={"country": "cc", "number": "cn"})
    cited_docs = cited_docs.merge(pairs, on=["cc", "cn"])
    fm = t["family_members"][["pub_key", "family_id", "published"]]
    cited_docs = cited_docs.merge(
        fm[["pub_key", "family_id"]].rename(columns={"family_id": "doc_family"}), on="pub_key", how="left"
    )

    made = cites.merge(members.rename(columns={"pub_key": "citing"}), on="citing")[
        ["family_id", "cc", "cn"]
    ].drop_duplicates()
    in_family = cited_docs.loc[cited_docs["doc_family"].notna(), ["cc", "cn", "doc_family"]].rename(
        columns={"doc_family": "family_id"}
    )
    made = made.merge(in_family.drop_duplicates().assign(_own=True), on=["family_id", "cc", "cn"], how="left")
    made = made[made["_own"].isna()].drop(columns="_own")
    made["doc"] = made["cc"] + "-" + made["cn"]
    backward = made.groupby("family_id").size().rename("backward").reset_index()

    npl_rows = c.loc[c["npl"].notna(), ["pub_key", "npl"]].merge(members, on="pub_key")
    npl = npl_rows.groupby("family_id")["npl"].nunique().rename("npl").reset_index()

    cited = (
        cited_docs.loc[cited_docs["doc_family"].notna(), ["cc", "cn", "doc_family"]]
        .rename(columns={"doc_family": "family_id"})
        .drop_duplicates()
    )
    rec = cites.merge(cited, on=["cc", "cn"])[["family_id", "citing"]].drop_duplicates()
    citing = rec[["citing"]].drop_duplicates()
    citing = citing.merge(
        fm.rename(columns={"pub_key": "citing", "family_id": "doc_family", "published": "doc_date"}),
        on="citing",
        how="left",
    )
    citing = citing.merge(
        pubs[["pub_key", "published"]].rename(columns={"pub_key": "citing"}), on="citing", how="left"
    )
    citing["citing_date"] = citing["doc_date"].fillna(citing["published"])
    citing["citing_family"] = citing["doc_family"].fillna("pub:" + citing["citing"])
    rec = rec.merge(citing[["citing", "citing_date", "citing_family"]], on="citing")
    rec = rec[rec["citing_family"] != rec["family_id"]]
    first = rec.groupby(["family_id", "citing_family"])["citing_date"].min().rename("first").reset_index()
    first = first.merge(base[["family_id", "earliest_publication"]], on="family_id")
    first["within"] = (_days(first["first"], first["earliest_publication"]) <= FIVE_YEARS).fillna(False)
    forward = (
        first.groupby("family_id")
        .agg(forward5=("within", "sum"), forward_all=("citing_family", "size"))
        .reset_index()
    )

    cited_classes = cited_docs.merge(subclasses, on="pub_key")[["cc", "cn", "subclass"]].drop_duplicates()
    originality = _diversity(
        made.merge(cited_classes, on=["cc", "cn"])[["family_id", "doc", "subclass"]].drop_duplicates(),
        "originality",
    )
    citing_docs = rec[["family_id", "citing"]].drop_duplicates()
    gen_pairs = citing_docs.merge(subclasses.rename(columns={"pub_key": "citing"}), on="citing")
    generality = _diversity(
        gen_pairs.rename(columns={"citing": "doc"})[["family_id", "doc", "subclass"]].drop_duplicates(),
        "generality",
    )

    out = base
    for part in (per_family, field, backward, npl, forward, originality, generality):
        out = out.merge(part, on="family_id", how="left")
    no_date = out["earliest_publication"].isna()
    out["scope"] = out["scope"].fillna(0).astype("int64")
    out["backward"] = out["backward"].fillna(0).astype("int64")
    out["npl"] = out["npl"].fillna(0).astype("int64")
    out["forward5"] = out["forward5"].fillna(0).astype("Int64").mask(no_date)
    out["forward_all"] = out["forward_all"].fillna(0).astype("int64")
    if ref is None:
        out["citation_window_complete"] = False
    else:
        out["citation_window_complete"] = (
            _days(pd.Series(pd.Timestamp(ref), index=out.index), out["earliest_publication"]) >= FIVE_YEARS
        ).fillna(False)
    cols = [
        "family_id",
        "year",
        "field",
        "granted",
        "members",
        "family_size",
        "claims",
        "scope",
        "backward",
        "npl",
        "forward5",
        "forward_all",
        "grant_lag_days",
        "originality",
        "generality",
        "citation_window_complete",
    ]
    out = out[cols]

    out["cohort_year"] = out["year"].fillna(-1).astype("int64")
    fkey = out["field"].fillna("")
    fsize = out.groupby([out["cohort_year"], fkey])["family_id"].transform("size")
    out["cohort_field"] = np.where((fkey != "") & (fsize >= MIN_COHORT), fkey, "*")
    out["cohort_size"] = out.groupby(["cohort_year", "cohort_field"])["family_id"].transform("size")
    keys = ["cohort_year", "cohort_field"]
    for comp in COMPONENTS6:
        v = out[comp].astype("float64")
        known = out.loc[v.notna(), keys].assign(v=v[v.notna()])
        counts = (
            known.groupby([*keys, "v"])
            .size()
            .rename("k")
            .reset_index()
            .sort_values([*keys, "v"], kind="stable")
        )
        counts["cum"] = counts.groupby(keys)["k"].cumsum()
        counts["n"] = counts.groupby(keys)["k"].transform("sum")
        top = (counts["n"] * 99 + 99) // 100
        bottom = (counts["n"] + 99) // 100
        hi = counts[counts["cum"] >= top].groupby(keys)["v"].min().rename("hi")
        lo = counts[counts["cum"] >= bottom].groupby(keys)["v"].min().rename("lo")
        b = (
            out[keys]
            .merge(hi.reset_index(), on=keys, how="left")
            .merge(lo.reset_index(), on=keys, how="left")
        )
        hi_v, lo_v = b["hi"].to_numpy(), b["lo"].to_numpy()
        clipped = np.maximum(np.minimum(v.to_numpy(), hi_v), lo_v)
        with np.errstate(divide="ignore", invalid="ignore"):
            scaled = np.where(hi_v > 0, clipped / hi_v, 0.0)
        if comp == "grant_lag_days":
            scaled = 1.0 - scaled
        out[f"{comp}_score"] = np.where(v.notna(), scaled, np.nan)
        if comp == "forward5":
            out["breakthrough"] = (v.to_numpy() > 0) & (v.to_numpy() >= hi_v)
    for name, comps in (("index4", COMPONENTS4), ("index6", COMPONENTS6)):
        scores = out[[f"{c}_score" for c in comps]]
        total = sum(scores[c].fillna(0.0) for c in scores.columns)
        count = scores.notna().sum(axis=1)
        out[name] = (total / count).where(count > 0)
    order = [
        "family_id",
        "year",
        "field",
        "granted",
        "members",
        "family_size",
        "claims",
        "scope",
        "backward",
        "npl",
        "forward5",
        "forward_all",
        "grant_lag_days",
        "originality",
        "generality",
        "citation_window_complete",
        "cohort_year",
        "cohort_field",
        "cohort_size",
        "forward5_score",
        "breakthrough",
        "family_size_score",
        "claims_score",
        "generality_score",
        "backward_score",
        "grant_lag_days_score",
        "index4",
        "index6",
    ]
    return out[order].sort_values("family_id", kind="stable").reset_index(drop=True)


def _summary(att: pd.DataFrame, key: str, q: pd.DataFrame) -> pd.DataFrame:
    j = att.merge(q[["family_id", "index6", "forward5", "family_size", "granted"]], on="family_id")
    j["grant"] = j["granted"].fillna(False).astype("int64")
    per = (
        j.groupby(key)
        .agg(
            families=("family_id", "size"),
            mean_index=("index6", "mean"),
            mean_forward5=("forward5", "mean"),
            mean_family_size=("family_size", "mean"),
            grant_rate=("grant", "mean"),
        )
        .reset_index()
    )
    counted = q[q["family_id"].isin(att["family_id"])]
    per["share"] = per["families"] / len(counted)
    per["relative_quality"] = per["mean_index"] / counted["index6"].mean()
    per["mean_forward5"] = per["mean_forward5"].astype("float64")
    return per[
        [
            key,
            "families",
            "share",
            "mean_index",
            "relative_quality",
            "mean_forward5",
            "mean_family_size",
            "grant_rate",
        ]
    ]


def country_quality(t: dict[str, pd.DataFrame], q: pd.DataFrame) -> pd.DataFrame:
    fc = t["family_countries"]
    att = fc.loc[(fc["basis"] == BASIS) & fc["country"].notna(), ["family_id", "country", "weight"]]
    out = _summary(att, "country", q)
    return out.sort_values(["families", "country"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def owner_quality(t: dict[str, pd.DataFrame], q: pd.DataFrame) -> pd.DataFrame:
    fo = t["family_owners"]
    out = _summary(fo[["family_id", "group_id", "weight"]], "group_id", q)
    out = out.sort_values(["families", "group_id"], ascending=[False, True], kind="stable").head(TOP)
    out["rank"] = np.arange(1, len(out) + 1)
    names = (
        fo.groupby("group_id").agg(group_name=("group_name", "min"), country=("country", "min")).reset_index()
    )
    out = out.merge(names, on="group_id", how="left")
    cols = [
        "rank",
        "group_id",
        "group_name",
        "country",
        "families",
        "share",
        "mean_index",
        "relative_quality",
        "mean_forward5",
        "mean_family_size",
        "grant_rate",
    ]
    return out[cols].reset_index(drop=True)


def landscape(t: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every section, as ``patscape.landscape.report.build`` names them."""
    ref = reference_date(t)
    first_inc = first_incomplete(ref)
    end = first_inc - 1 if first_inc is not None else None
    start = end - 5 if end is not None else None
    end_incomplete = first_inc is not None and end is not None and end >= first_inc
    cy, att, totals = countries(t, first_inc)
    tags = family_tags(t)
    q = quality(t, ref)
    return {
        "countries": cy,
        "china_vs_world": china_vs_world(att, totals, first_inc),
        "growth": growth(cy, start, end, end_incomplete),
        "owners": top_owners(t, start, end, end_incomplete),
        "models": breakdown(tags, "model", first_inc),
        "modes": breakdown(tags, "mode", first_inc),
        "model_mode": model_mode(tags),
        "applications": breakdown(tags, "application", first_inc),
        "applications_by_year": breakdown(tags, "application", first_inc, by_year=True),
        "quality": q,
        "country_quality": country_quality(t, q),
        "owner_quality": owner_quality(t, q),
    }
