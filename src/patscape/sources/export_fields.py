"""Field parsers shared by the export readers: numbers, name lists, code lists, literal lists."""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable

from patscape.normalise import normalise_class
from patscape.record import Classification, Party, Publication

# -- lists ---------------------------------------------------------------------------------------


def split_list(value: str | None, sep: str) -> list[str]:
    """``a;;b;; c`` -> ``["a", "b", "c"]``: stripped, empty items dropped."""
    if not value:
        return []
    return [part.strip() for part in value.split(sep) if part.strip()]


_SIMPLE_LIST_RE = re.compile(r"^\[\s*(?:'[^'\\]*'\s*(?:,\s*'[^'\\]*'\s*)*,?\s*)?\]$")
_QUOTED_RE = re.compile(r"'([^'\\]*)'")


def literal_list(value: str | None, limit: int = 1_000_000) -> list[str]:
    """A Python-literal list of strings (``"['G06F18/22', 'Y02D10/00']"``), parsed without eval.

    The common form (single-quoted items without escapes) is read by a regular expression; any other
    goes to ``ast.literal_eval``, which accepts literals only.
    """
    if not value or not value.strip():
        return []
    if len(value) > limit:
        raise ValueError(f"list literal of {len(value):,} characters is too long")
    text = value.strip()
    if _SIMPLE_LIST_RE.match(text):
        return [x.strip() for x in _QUOTED_RE.findall(text) if x.strip()]
    parsed = ast.literal_eval(text)
    if not isinstance(parsed, (list, tuple)) or not all(isinstance(x, str) for x in parsed):
        raise ValueError(f"not a list of strings: {value[:80]!r}")
    return [x.strip() for x in parsed if x.strip()]


_normalised_class = functools.lru_cache(maxsize=1 << 16)(normalise_class)  # exports repeat the same codes


def add_classes(pub: Publication, scheme: str, codes: Iterable[str], *, normalise: bool = True) -> None:
    """Append a scheme's codes in the order given: the first listed is ``first``, duplicates dropped.

    CPC and IPC symbols are normalised (``G06N 3/0475`` -> ``G06N3/0475``); a symbol that cannot be
    read raises, so that the row goes to quarantine rather than losing a class silently.
    """
    seen = {c.code for c in pub.classes if c.scheme == scheme}
    first = not seen
    for raw in codes:
        code = _normalised_class(raw) if normalise else raw.strip()
        if not code or code in seen:
            continue
        seen.add(code)
        pub.classes.append(Classification(scheme, code, len(pub.classes) + 1, first))  # type: ignore[arg-type]
        first = False


# -- names ---------------------------------------------------------------------------------------

# Items that continue the name before them when a list of names is split on commas:
# legal forms ("Samsung Electronics Co., Ltd.", "At&T Intellectual Property I, L.P.",
# "Курна, Инк.", "구글 엘엘씨, 인크.") and generational suffixes of persons ("John Smith, Jr.").
_CONTINUATIONS = frozenset(
    re.sub(r"[\s.]", "", s).casefold()
    for s in """
    Inc|Incorporated|LLC|L.L.C.|LLP|L.L.P.|LP|L.P.|PLLC|Ltd|Limited|Ltda|Co|Co.Ltd|Corp|Corporation|
    Company|N.A.|S.A.|S.A.S.|S.L.|S.p.A.|SpA|S.r.l.|Srl|SE|AG|GmbH|KG|B.V.|BV|N.V.|NV|PLC|P.L.C.|Pty|
    Pty Ltd|Pte|Pte Ltd|K.K.|KK|AB|A/S|AS|ASA|Oy|OYJ|SAS|SARL|PC|P.C.|Jr|Sr|II|III|IV|Esq|
    Инк|Лтд|ООО|Корпорейшн|인크|인코포레이티드|엘엘씨|엘.피.|리미티드|코포레이션|게엠베하|에스.에이.|엘티디|
    """.replace("\n", "").split("|")
    if s.strip()
)


# A governing body named before its institution: "Board Of Regents, The University Of Texas System".
_BODY_RE = re.compile(r"\bboard of (regents|trustees|governors|directors)$", re.IGNORECASE)


def _continues(before: str, item: str) -> bool:
    return re.sub(r"[\s.]", "", item).casefold() in _CONTINUATIONS or bool(_BODY_RE.search(before))


def split_names(value: str | None) -> list[str]:
    """A comma-separated list of names, keeping the commas inside names.

    Rule: split on commas, then join an item back to the one before it when the item is a legal
    form or a generational suffix (see ``_CONTINUATIONS``: "Samsung Electronics Co., Ltd.",
    "At&T Intellectual Property I, L.P.", "John Smith, Jr.") or when the one before ends with a
    governing body ("Board Of Regents, The University Of Texas System"). Any other comma separates
    names: a name with another kind of comma cannot be told from two names, as Google writes both
    the same way, and is split.
    """
    if not value:
        return []
    names: list[str] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        if names and _continues(names[-1], item):
            names[-1] = f"{names[-1]}, {item}"
        else:
            names.append(item)
    return names


def party(role: str, name: str, sequence: int, country: str | None = None) -> Party:
    """A party from a name as the export writes it.

    ``Family; Given`` (USPTO's old person form, met in Google's assignee column) becomes
    "Given Family" with both parts filled; other names are kept as written, with given and family
    names left empty since a single string cannot tell them apart reliably across scripts.
    """
    if name.count(";") == 1:
        family, given = (s.strip() for s in name.split(";"))
        if family and given:
            return Party(
                role=role,  # type: ignore[arg-type]
                name=f"{given} {family}",
                sequence=sequence,
                country=country,
                given_name=given,
                family_name=family,
            )
    return Party(role=role, name=name, sequence=sequence, country=country)  # type: ignore[arg-type]


def add_parties(pub: Publication, role: str, names: Iterable[str]) -> None:
    for i, name in enumerate(names, 1):
        pub.parties.append(party(role, name, i))
