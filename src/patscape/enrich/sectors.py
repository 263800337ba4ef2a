"""Applicant sectors: company, university, institute, government, hospital, other or individual, from the
name alone, by the rules of the editable file ``sector_rules.toml`` (its header states them).

``load_sector_rules().classify(name)`` gives a :class:`SectorMatch`: the sector (None when the rules cannot
tell) and the evidence (``keyword "大学"``, ``legal form``, ``person's name``, ``exception``).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from patscape.enrich.names import has_cjk, normalise_parts

DEFAULT_RULES = Path(__file__).with_name("sector_rules.toml")
SECTORS = ("company", "university", "institute", "government", "hospital", "other", "individual")

_BRACKETED = re.compile(r"\([^()]*\)")
_NON_WORD = re.compile(r"[^\w]+")
_HAN_HANGUL = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]+$")
_KATAKANA = re.compile(r"^[\u30a0-\u30ff]+$")
_CJK_SEPARATORS = re.compile(r"[\s・·,.，．、]+")


@dataclass(frozen=True, slots=True)
class SectorMatch:
    sector: str | None
    evidence: str


def fold(name: str) -> str:
    """A name's folded form, as the rules file compares it: NFKC, lower case, no accents, no punctuation."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", text)).replace("_", " ").split())


@dataclass(frozen=True, slots=True)
class SectorRules:
    order: tuple[str, ...]
    exceptions: dict[str, str]
    cjk: dict[str, tuple[str, ...]]  # sector -> keywords searched in CJK names
    latin: dict[str, tuple[tuple[str, ...], ...]]  # sector -> phrases as word tuples
    generational: frozenset[str]
    max_words: int
    max_cjk_chars: int
    longest_phrase: int  # words in the longest Latin phrase

    def classify(self, name: str) -> SectorMatch:
        """The sector of one applicant name (see the rules file for the three steps)."""
        folded = fold(name)
        if not folded:
            return SectorMatch(None, "empty name")
        if folded in self.exceptions:
            return SectorMatch(self.exceptions[folded], "exception")
        if has_cjk(name):
            return self._classify_cjk(name)
        return self._classify_latin(name, folded)

    def _classify_cjk(self, name: str) -> SectorMatch:
        text = unicodedata.normalize("NFKC", name).replace("(주)", "주식회사")
        bare = _BRACKETED.sub("", text).strip() or text
        best: tuple[int, int, str, str] | None = None  # (end, length, sector, keyword)
        for sector in self.order:
            for keyword in self.cjk.get(sector, ()):
                end = bare.rfind(keyword)
                if end < 0:
                    continue
                candidate = (end + len(keyword), len(keyword), sector, keyword)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        if best is not None:
            return SectorMatch(best[2], f'keyword "{best[3]}"')
        if normalise_parts(name)[1]:
            return SectorMatch("company", "legal form")
        letters = _CJK_SEPARATORS.sub("", bare)
        if _HAN_HANGUL.match(letters) and 2 <= len(letters) <= self.max_cjk_chars:
            return SectorMatch("individual", "person's name")
        if _KATAKANA.match(letters):
            return SectorMatch("individual", "person's name")
        return SectorMatch(None, "no rule")

    def _classify_latin(self, name: str, folded: str) -> SectorMatch:
        words = folded.split()
        longest = min(len(words), self.longest_phrase)
        present = {tuple(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}
        for sector in self.order:
            if sector == "company" and normalise_parts(name)[1]:
                return SectorMatch("company", "legal form")
            hit = next((p for p in self.latin.get(sector, ()) if p in present), None)
            if hit is not None:
                return SectorMatch(sector, f'keyword "{" ".join(hit)}"')
        given = [w for w in words if w not in self.generational]
        if 2 <= len(given) <= self.max_words and all(w.isalpha() for w in given):
            return SectorMatch("individual", "person's name")
        return SectorMatch(None, "no rule")


def load_sector_rules(path: str | Path | None = None) -> SectorRules:
    """Read the rules file (the packaged one by default); an unknown sector is an error naming it."""
    source = Path(path) if path else DEFAULT_RULES
    with open(source, "rb") as f:
        data = tomllib.load(f)
    order = tuple(data["order"])
    exceptions = {fold(k): v for k, v in data.get("exceptions", {}).items()}
    for sector in (*order, *exceptions.values()):
        if sector not in SECTORS:
            raise ValueError(f"{source}: unknown sector {sector!r} (known: {', '.join(SECTORS)})")
    people = data.get("individual", {})
    latin = {s: tuple(tuple(fold(p).split()) for p in data.get(s, {}).get("latin", ())) for s in order}
    return SectorRules(
        order=order,
        exceptions=exceptions,
        cjk={s: tuple(data.get(s, {}).get("cjk", ())) for s in order},
        latin=latin,
        generational=frozenset(people.get("generational", ())),
        max_words=int(people.get("max_words", 6)),
        max_cjk_chars=int(people.get("max_cjk_chars", 4)),
        longest_phrase=max((len(p) for phrases in latin.values() for p in phrases), default=1),
    )


@dataclass(frozen=True, slots=True)
class SectorScore:
    names: int
    answered: int  # names given a sector (not None)
    correct: int

    @property
    def precision(self) -> float:
        """Of the names given a sector, the share given the right one."""
        return self.correct / self.answered if self.answered else 0.0

    @property
    def recall(self) -> float:
        """Of all names, the share given the right sector (an unclassified name counts as missed)."""
        return self.correct / self.names if self.names else 0.0


def score(rules: SectorRules, labelled: Iterable[tuple[str, str]]) -> SectorScore:
    """Precision and recall of the rules on (name, sector) pairs labelled by hand."""
    names = answered = correct = 0
    for name, sector in labelled:
        found = rules.classify(name).sector
        names += 1
        answered += found is not None
        correct += found == sector
    return SectorScore(names, answered, correct)
