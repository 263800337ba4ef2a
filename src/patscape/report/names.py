"""Names for people: countries and offices, tags, year and country bases, readers."""

from __future__ import annotations

COUNTRY_NAMES = {
    "AT": "Austria",
    "AU": "Australia",
    "BE": "Belgium",
    "BR": "Brazil",
    "CA": "Canada",
    "CH": "Switzerland",
    "CN": "China",
    "DE": "Germany",
    "DK": "Denmark",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "United Kingdom",
    "HK": "Hong Kong, China",
    "IE": "Ireland",
    "IL": "Israel",
    "IN": "India",
    "IT": "Italy",
    "JP": "Japan",
    "KR": "Republic of Korea",
    "LU": "Luxembourg",
    "MX": "Mexico",
    "NL": "Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "RU": "Russian Federation",
    "SE": "Sweden",
    "SG": "Singapore",
    "TW": "Taiwan, Province of China",
    "US": "United States",
    "ZA": "South Africa",
    # regional and international offices (member / office bases)
    "EP": "European Patent Office",
    "WO": "WIPO (PCT)",
    "EA": "Eurasian Patent Office",
}

YEAR_BASIS = {
    "publication": "earliest publication year",
    "priority": "earliest priority year",
}
COUNTRY_BASIS = {
    "inventor": "inventors' countries",
    "applicant": "applicants' countries",
    "office": "office of first filing",
    "member": "offices where a family member is published",
}
# How a country of each basis is called in a sentence and on an axis.
COUNTRY_NOUN = {"inventor": "country", "applicant": "country", "office": "office", "member": "office"}


def country_name(code: str | None) -> str:
    """``China`` for ``CN``; an unknown code stays as it is."""
    if not code:
        return "unknown"
    return COUNTRY_NAMES.get(code, code)


def country_label(code: str | None) -> str:
    """``China (CN)``: the name with the code, for axes and tables."""
    if not code:
        return "unknown"
    name = COUNTRY_NAMES.get(code)
    return f"{name} ({code})" if name else code


# Names read with "the" in a sentence.
_WITH_THE = frozenset({"US", "GB", "NL", "KR", "RU", "EP", "EA", "CH"})


def in_sentence(code: str | None) -> str:
    """``the United States``, ``China``: a country's name as it stands inside a sentence."""
    name = country_name(code)
    return f"the {name}" if code in _WITH_THE else name


def plural(noun: str) -> str:
    """``countries``, ``offices``."""
    return noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s"


def article(noun: str) -> str:
    """``an office``, ``a country``."""
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


# The generative-AI taxonomy's tags as a report writes them.
TAG_LABELS = {
    "diffusion": "Diffusion",
    "autoregressive-other": "Autoregressive (other)",
    "seq2seq": "Seq2seq",
    "flow": "Flow",
    "other": "Other",
    "unspecified": "Unspecified",
    "other-data": "Other data",
    "arts-humanities": "Arts and humanities",
    "banking-finance": "Banking and finance",
    "computing-in-government": "Computing in government",
    "document-management-publishing": "Document management and publishing",
    "energy-management": "Energy management",
    "industry-manufacturing": "Industry and manufacturing",
    "law-social-behavioural-sciences": "Law, social and behavioural sciences",
    "life-medical-sciences": "Life and medical sciences",
    "personal-devices-computing-hci": "Personal devices, computing and HCI",
    "physical-sciences-engineering": "Physical sciences and engineering",
    "software-general": "Software (general)",
}


def tag_label(tag: str) -> str:
    """``life-medical-sciences`` -> ``Life medical sciences``; ``cset:Machine_Learning`` ->
    ``Machine Learning``."""
    if tag in TAG_LABELS:
        return TAG_LABELS[tag]
    text = tag.split(":", 1)[1] if ":" in tag else tag
    if text.isupper() or any(c.isupper() for c in text[1:]):  # GAN, LLM, VAE, seq2seq stay as written
        return text.replace("_", " ")
    words = text.replace("__", ", ").replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]
