"""Merging two records of the same publication from sources of different precedence."""

from __future__ import annotations

from dataclasses import fields

from patscape.record import Application, Publication

_UNION_FIELDS = {"tags", "events"}
_HIGH_ONLY = {"recovered"}  # the note of a recovered document belongs to that document's side


def merge(high: Publication, low: Publication) -> Publication:
    """The fields of ``high`` where it has them, the fields of ``low`` where it has not.

    Lists (parties, classes, texts ...) are taken whole from one side, never mixed, except tags and events,
    which are united. The merged record keeps the source of ``high``.
    """
    values = {}
    for f in fields(Publication):
        a, b = getattr(high, f.name), getattr(low, f.name)
        if f.name in _UNION_FIELDS:
            values[f.name] = _union(a, b)
        elif f.name in _HIGH_ONLY:
            values[f.name] = a
        elif f.name == "application":
            values[f.name] = Application(
                *(
                    getattr(a, g.name) if getattr(a, g.name) is not None else getattr(b, g.name)
                    for g in fields(Application)
                )
            )
        elif f.name == "texts":
            values[f.name] = _merge_texts(a, b)
        elif isinstance(a, list):
            values[f.name] = a if a else b
        else:
            values[f.name] = a if a is not None else b
    return Publication(**values)


def _union(a: list, b: list) -> list:
    out = list(a)
    for item in b:
        if item not in out:
            out.append(item)
    return out


def _merge_texts(a: list, b: list) -> list:
    """Texts by (kind, language): the high side's text of a kind and language wins."""
    have = {(t.kind, t.lang) for t in a}
    have_kind = {t.kind for t in a}
    return list(a) + [
        t for t in b if (t.kind, t.lang) not in have and not (t.lang is None and t.kind in have_kind)
    ]
