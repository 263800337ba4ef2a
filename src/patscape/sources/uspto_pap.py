class PapReader: pass
