"""Document kinds and citing parties as office XML writes them (dates and numbers: patscape.normalise)."""

from __future__ import annotations

_DOC_TYPES = {
    "A": "application",
    "T": "application",  # JP translations of international applications
    "B": "grant",
    "C": "grant",  # CN invention grants before 2010
    "U": "utility-model",
    "Y": "utility-model",
    "S": "design",
}


def doc_type(kind: str | None) -> str | None:
    """Application, grant, utility model or design from a CN / JP / ST.16 kind code."""
    if not kind:
        return None
    return _DOC_TYPES.get(kind.strip().upper()[:1])


def cited_by(text: str | None) -> str | None:
    """Who cited a document, from ``cited by examiner``, ``Examiner``, ``applicant``, ``third party`` ..."""
    if not text:
        return None
    lowered = text.lower()
    if "examiner" in lowered:
        return "examiner"
    if "applicant" in lowered:
        return "applicant"
    if "third" in lowered:
        return "third-party"
    return None
