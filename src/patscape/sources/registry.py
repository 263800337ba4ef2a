"""Every reader patscape has, in the order detection tries them (most specific first).

Office XML comes before the exports: when two readers could claim a file, the office format wins.
"""

from __future__ import annotations

from importlib import import_module

from patscape.sources.base import Reader

READERS = (
    # USPTO
    "uspto_aps:UsptoApsReader",
    "uspto_patdoc:PatdocReader",
    "uspto_pap:PapReader",
    "uspto_ice:UsptoIceReader",
    # EPO
    "epo_eps:EpoEpsReader",
    "epo_ops:EpoOpsReader",
    "epo_docdb:EpoDocdbReader",
    # CNIPA, JPO, WIPO
    "cnipa:CnipaReader",
    "jpo:JpoReader",
    "wipo_st36:WipoSt36Reader",
    "wipo_st96:WipoSt96Reader",
    # exports analysts download
    "lens:LensJsonReader",
    "lens:LensCsvReader",
    "google_patents:GooglePatentsReader",
    "google_patents:GooglePatentsScrapedReader",
    "patentsview_api:PatentsViewApiReader",
    "patentscope:PatentscopeXlsReader",
    "cset:CsetReader",
)


def all_readers() -> list[Reader]:
    """One instance of every reader; modules are imported here, so importing one reader imports no other."""
    readers: list[Reader] = []
    for entry in READERS:
        module, cls = entry.split(":")
        readers.append(getattr(import_module(f"patscape.sources.{module}"), cls)())
    return readers
