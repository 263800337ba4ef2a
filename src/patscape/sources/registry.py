"""Every reader patscape has, in the order detection tries them (most specific first)."""

from __future__ import annotations

from patscape.sources.base import Reader


def all_readers() -> list[Reader]:
    # Imported here so that importing one reader does not import them all.
    readers: list[Reader] = []
    # -- USPTO ------------------------------------------------------------------------------
    # (readers are appended below as they are written; keep one line per reader)
    from patscape.sources.uspto_aps import UsptoApsReader
    readers.append(UsptoApsReader())
    from patscape.sources.uspto_patdoc import PatdocReader
    readers.append(PatdocReader())
    from patscape.sources.uspto_pap import PapReader
    readers.append(PapReader())
    from patscape.sources.uspto_ice import UsptoIceReader
    readers.append(UsptoIceReader())
    # -- EPO ---------------------------------------------------------------------------------
    from patscape.sources.epo_eps import EpoEpsReader
    readers.append(EpoEpsReader())
    from patscape.sources.epo_ops import EpoOpsReader
    readers.append(EpoOpsReader())
    from patscape.sources.epo_docdb import EpoDocdbReader
    readers.append(EpoDocdbReader())
    # -- CNIPA, JPO, WIPO -------------------------------------------------------------------
    from patscape.sources.cnipa import CnipaReader
    readers.append(CnipaReader())
    from patscape.sources.jpo import JpoReader
    readers.append(JpoReader())
    from patscape.sources.wipo_st36 import WipoSt36Reader
    readers.append(WipoSt36Reader())
    from patscape.sources.wipo_st96 import WipoSt96Reader
    readers.append(WipoSt96Reader())
    # -- exports analysts download (keep last: after every office XML reader) -----------------
    from patscape.sources.lens import LensJsonReader
    readers.append(LensJsonReader())
    from patscape.sources.lens import LensCsvReader
    readers.append(LensCsvReader())
    from patscape.sources.google_patents import GooglePatentsReader
    readers.append(GooglePatentsReader())
    from patscape.sources.google_patents import GooglePatentsScrapedReader
    readers.append(GooglePatentsScrapedReader())
    from patscape.sources.patentsview_api import PatentsViewApiReader
    readers.append(PatentsViewApiReader())
    from patscape.sources.patentscope import PatentscopeXlsReader
    readers.append(PatentscopeXlsReader())
    from patscape.sources.cset import CsetReader
    readers.append(CsetReader())
    return readers
