"""ISO 3166 alpha-2 country codes and the patent offices' own two-letter codes (ST.3)."""

from __future__ import annotations

_ISO_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI
NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_3166_ALPHA2 = frozenset(_ISO_CODES.split())

# WIPO ST.3 codes of regional and international offices, and former states still met in old data.
OFFICE_CODES = frozenset(["EP", "WO", "EA", "AP", "OA", "GC", "EM", "IB", "XN", "XV", "QZ", "XX"])
FORMER_CODES = frozenset(["DD", "SU", "YU", "CS", "AN", "ZR", "BU", "TP"])

# Names met instead of codes in exports.
_NAMES = {
    "UNITED STATES": "US",
    "USA": "US",
    "U.S.": "US",
    "CHINA": "CN",
    "JAPAN": "JP",
    "KOREA": "KR",
    "SOUTH KOREA": "KR",
    "REPUBLIC OF KOREA": "KR",
    "GERMANY": "DE",
    "FRANCE": "FR",
    "UNITED KINGDOM": "GB",
    "UK": "GB",
    "TAIWAN": "TW",
    "INDIA": "IN",
    "CANADA": "CA",
    "EUROPEAN PATENT OFFICE": "EP",
    "WIPO": "WO",
}


def normalise_country(value: str | None) -> str | None:
    """``us``, ``US``, ``DEX`` (APS), ``United States`` -> ISO alpha-2 or an office code; None if unknown."""
    if value is None:
        return None
    s = value.strip().upper()
    if not s:
        return None
    if len(s) == 3 and s.endswith("X") and s[:2] in ISO_3166_ALPHA2:  # APS: DEX, JPX, GBX
        s = s[:2]
    if len(s) == 2 and (s in ISO_3166_ALPHA2 or s in OFFICE_CODES or s in FORMER_CODES):
        return s
    return _NAMES.get(s)
