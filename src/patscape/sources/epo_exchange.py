"""The EPO exchange-document (DOCDB, and OPS bibliographic data) -> Publication.

DOCDB and OPS write the same element names; they differ in how the format of a reference is
given: DOCDB repeats a reference once per ``data-format`` (docdb, epodoc, original), OPS puts one
``document-id`` per ``document-id-type`` inside one reference. Namespaces are stripped before.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from patscape.normalise import date_or_none, normalise_pub_key, normalise_space
from patscape.record import (
    Application,
    Citation,
    Classification,
    Party,
    Priority,
    Publication,
    SourceRef,
    Text,
    normalise_country,
)
from patscape.sources.epo_fields import (
    cited_by_of,
    classification_from_text,
    dedupe_parties,
    english_first,
    finish_classes,
    make_party,
    name_key,
    npl_text,
    patent_citation,
    split_epodoc_name,
    tidy_name,
)
from patscape.sources.xmltext import plain_text, text_at

# Which spelling of a name or text is kept when several are given: the original one, as written.
_FORMAT_RANK = {"original": 0, "docdba": 1, "docdb": 2, "epodoc": 3}


def ids_by_format(refs: Iterable[etree._Element]) -> dict[str, etree._Element]:
    """The first ``document-id`` of each format among reference elements (DOCDB and OPS styles)."""
    out: dict[str, etree._Element] = {}
    for ref in refs:
        for did in ref.iter("document-id"):
            fmt = did.get("document-id-type") or ref.get("data-format") or "docdb"
            out.setdefault(fmt, did)
    return out


def _any_date(ids: dict[str, etree._Element]) -> str | None:
    for did in ids.values():
        date = date_or_none(did.findtext("date"))
        if date:
            return date
    return None


def read_exchange_document(doc: etree._Element, ref: SourceRef) -> Publication:
    """One ``exchange-document`` -> Publication (family id, classes, parties, citations, texts)."""
    bib = doc.find("bibliographic-data")
    if bib is None:
        bib = etree.Element("bibliographic-data")
    pub_ids = ids_by_format(bib.findall("publication-reference"))
    docdb = pub_ids.get("docdb")
    country = doc.get("country") or text_at(docdb, "country")
    number = doc.get("doc-number") or text_at(docdb, "doc-number")
    kind = doc.get("kind") or text_at(docdb, "kind")
    if not country or not number:
        raise ValueError("exchange-document without country and doc-number")
    pub_key = normalise_pub_key(number, country=country, kind=kind)
    pub_lang = normalise_space(bib.findtext("language-of-publication"))
    titles = english_first(_best_texts("title", bib.findall("invention-title"), pub_lang))
    abstracts = _best_texts("abstract", doc.findall("abstract"), pub_lang)
    return Publication.from_key(
        pub_key,
        ref,
        published=date_or_none(doc.get("date-publ")) or _any_date(pub_ids),
        application=read_application(bib.findall("application-reference")),
        priorities=read_priorities(bib.find("priority-claims")),
        texts=titles + abstracts,
        parties=read_parties(bib.find("parties")),
        classes=read_classes(bib),
        citations=read_citations(bib.find("references-cited")),
        family_id=normalise_space(doc.get("family-id")),
        version=date_or_none(doc.get("date-of-last-exchange")),
    )


def read_application(refs: list[etree._Element]) -> Application:
    ids = ids_by_format(refs)
    docdb = ids.get("docdb")
    if docdb is not None:
        return Application(
            country=normalise_country(text_at(docdb, "country")),
            number=text_at(docdb, "doc-number"),
            date=date_or_none(docdb.findtext("date")) or _any_date(ids),
        )
    epodoc = ids.get("epodoc")
    raw = text_at(epodoc, "doc-number")
    if raw:
        return Application(country=normalise_country(raw[:2]), number=raw[2:], date=_any_date(ids))
    return Application()


def read_priorities(claims: etree._Element | None) -> list[Priority]:
    """Priority claims in order: the docdb-format ones where given, else epodoc / original (OPS)."""
    if claims is None:
        return []
    elements = claims.findall("priority-claim")
    docdb_format = [e for e in elements if e.get("data-format") == "docdb"]
    chosen = docdb_format or [e for e in elements if e.get("data-format") in (None, "docdb")]
    return [p for p in (priority_of(e) for e in chosen) if p is not None]


def priority_of(claim: etree._Element) -> Priority | None:
    ids = ids_by_format([claim])
    docdb = ids.get("docdb")
    if docdb is not None:
        doc_kind = text_at(docdb, "kind")
        return Priority(
            country=normalise_country(text_at(docdb, "country")),
            number=text_at(docdb, "doc-number"),
            date=date_or_none(docdb.findtext("date")) or _any_date(ids),
            kind=claim.get("kind") or ("international" if doc_kind == "W" else None),
        )
    epodoc = text_at(ids.get("epodoc"), "doc-number")
    original = text_at(ids.get("original"), "doc-number")
    if not epodoc and not original:
        return None
    return Priority(
        country=normalise_country(epodoc[:2]) if epodoc else None,
        number=original or (epodoc[2:] if epodoc else None),
        date=_any_date(ids),
        kind=claim.get("kind"),
    )


# -- texts -----------------------------------------------------------------------------------


def _best_texts(kind: str, elements: list[etree._Element], pub_lang: str | None) -> list[Text]:
    """One text per language, the original spelling first, then docdba, then the others.

    An original-format text without a language is in the language of publication.
    """
    best: dict[str | None, tuple[int, str]] = {}
    for el in elements:
        fmt = el.get("data-format") or ""
        lang = (el.get("lang") or "").lower() or None
        if lang is None and fmt == "original":
            lang = pub_lang
        paragraphs = [t for t in (plain_text(p) for p in el.findall("p")) if t]
        text = "\n".join(paragraphs) if paragraphs else plain_text(el)
        if not text:
            continue
        rank = _FORMAT_RANK.get(fmt, 2)
        if lang not in best or rank < best[lang][0]:
            best[lang] = (rank, text)
    if len(best) > 1:
        best.pop(None, None)
    return [Text(kind=kind, text=text, lang=lang) for lang, (_, text) in best.items()]  # type: ignore[arg-type]


# -- classifications -------------------------------------------------------------------------


def read_classes(bib: etree._Element) -> list[Classification]:
    """IPCR, old IPC and CPC symbols (CPC from ``patent-classifications``, schemes CPCI, CPCNO, ...)."""
    classes: list[Classification] = []
    for el in bib.iterfind("classifications-ipcr/classification-ipcr"):
        c = classification_from_text(el.findtext("text"), "IPC", len(classes) + 1)
        if c:
            classes.append(c)
    for group in bib.findall("classification-ipc"):
        texts = group.findall("text")
        for el in group:
            if el.tag not in ("main-classification", "further-classification", "text"):
                continue
            main = el.tag == "main-classification" or (bool(texts) and el is texts[0])
            c = classification_from_text(el.text, "IPC", len(classes) + 1, first=main)
            if c:
                classes.append(c)
    for el in bib.iterfind("patent-classifications/patent-classification"):
        scheme_el = el.find("classification-scheme")
        scheme = (scheme_el.get("scheme") if scheme_el is not None else None) or ""
        if not scheme.upper().startswith("CPC"):
            continue
        symbol = el.findtext("classification-symbol")
        if not symbol:
            parts = [el.findtext(t) or "" for t in ("section", "class", "subclass", "main-group", "subgroup")]
            symbol = f"{parts[0]}{parts[1]}{parts[2]}{parts[3]}/{parts[4]}"
        c = classification_from_text(symbol, "CPC", len(classes) + 1)
        if c is None:
            continue
        c.first = normalise_space(el.findtext("symbol-position")) == "F"
        value = normalise_space(el.findtext("classification-value"))
        c.inventive = {"I": True, "A": False}.get(value or "")
        classes.append(c)
    return finish_classes(classes)


# -- parties ---------------------------------------------------------------------------------


def read_parties(parties: etree._Element | None) -> list[Party]:
    if parties is None:
        return []
    inventors = _parties_of(parties, "inventors", "inventor", "inventor", set())
    inventor_keys = {name_key(p.name) for p in inventors}
    applicants = _parties_of(parties, "applicants", "applicant", "applicant", inventor_keys)
    return dedupe_parties(applicants + inventors)


def _parties_of(
    parties: etree._Element, group: str, item: str, role: str, persons: set[frozenset[str]]
) -> list[Party]:
    """One role's parties, named as written in the best format, with the country of any format.

    ``persons``: name keys of people (applicants who are also inventors are written as persons).
    """
    by_format: dict[str, list[tuple[str, str | None]]] = {}
    for el in parties.iterfind(f"{group}/{item}"):
        fmt = el.get("data-format") or "docdb"
        name_el = el.find(f"{item}-name/name")
        raw = tidy_name("".join(name_el.itertext())) if name_el is not None else None
        if not raw:
            continue
        country = normalise_space(el.findtext("residence/country"))
        if fmt == "epodoc":
            raw, bracketed = split_epodoc_name(raw)
            country = country or bracketed
        by_format.setdefault(fmt, []).append((raw, country))
    if not by_format:
        return []
    best = min(by_format, key=lambda f: _FORMAT_RANK.get(f, 2))
    chosen = by_format[best]
    others = [entries for fmt, entries in by_format.items() if fmt != best]
    out: list[Party] = []
    for i, (name, country) in enumerate(chosen):
        country = country or _country_elsewhere(name, i, len(chosen), others)
        person = role == "inventor" or name_key(name) in persons
        out.append(make_party(role, name, i + 1, person=person, reorder=role == "inventor", country=country))
    return out


def _country_elsewhere(
    name: str, index: int, count: int, others: list[list[tuple[str, str | None]]]
) -> str | None:
    """The country given for the same party in another format: by its words, else by its position."""
    key = name_key(name)
    for entries in others:
        for other_name, country in entries:
            if country and name_key(other_name) == key:
                return country
    for entries in others:
        if len(entries) == count and entries[index][1]:
            return entries[index][1]
    return None


# -- citations -------------------------------------------------------------------------------


def read_citations(refs: etree._Element | None) -> list[Citation]:
    """``references-cited/citation``: patents (docdb form where given) and NPL, with phase and category."""
    if refs is None:
        return []
    out: list[Citation] = []
    for c in refs.findall("citation"):
        seq = len(out) + 1
        by = cited_by_of(c.get("cited-by"), c.get("cited-phase"))
        category = normalise_space(c.findtext("category"))
        patcit = c.find("patcit")
        nplcit = c.find("nplcit")
        if patcit is not None:
            out.append(_patcit(patcit, seq, by, category))
        elif nplcit is not None:
            out.append(Citation(sequence=seq, npl=npl_text(nplcit), cited_by=by, category=category))
    return out


def _patcit(patcit: etree._Element, seq: int, by: str | None, category: str | None) -> Citation:
    ids = ids_by_format([patcit])
    is_application = "application" in (patcit.get("dnum-type") or "")
    did = ids.get("docdb")
    if did is None:
        did = next((d for d in ids.values() if d.findtext("country")), None)
    if did is not None:
        return patent_citation(
            seq,
            did.findtext("country"),
            did.findtext("doc-number"),
            did.findtext("kind"),
            did.findtext("date"),
            cited_by=by,
            category=category,
            is_application=is_application,
        )
    epodoc = text_at(ids.get("epodoc"), "doc-number") or normalise_space(patcit.get("dnum"))
    return patent_citation(
        seq,
        epodoc[:2] if epodoc else None,
        epodoc[2:] if epodoc else None,
        None,
        _any_date(ids),
        cited_by=by,
        category=category,
        is_application=is_application,
    )
