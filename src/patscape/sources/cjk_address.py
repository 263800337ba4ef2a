"""Country, province / prefecture and city of a party from an address written in Chinese or Japanese.

CNIPA's ST.36-style documents and JPO gazettes give a party's address as one line of text and no
country code: a foreign address starts with the country's name (``韩国京畿道``, ``アメリカ合衆国``), a
domestic one with a postcode, a province or a prefecture (``650231 云南省昆明市…``, ``東京都大田区…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _pairs(table: str) -> tuple[tuple[str, str], ...]:
    return tuple((name, code) for name, code in (item.split(":") for item in table.split()))


# Longer names first where one name starts another (中国台湾 before 中国).
_ZH_COUNTRIES = _pairs(
    """
    中国台湾:TW 中国香港:HK 中国澳门:MO 台湾:TW 香港:HK 澳门:MO 中华人民共和国:CN 中国:CN 美国:US 日本:JP
    大韩民国:KR 韩国:KR 德国:DE 法国:FR 英国:GB 瑞士:CH 荷兰:NL 瑞典:SE 意大利:IT 加拿大:CA 澳大利亚:AU
    以色列:IL 芬兰:FI 丹麦:DK 比利时:BE 奥地利:AT 西班牙:ES 新加坡:SG 印度:IN 俄罗斯:RU 爱尔兰:IE 挪威:NO
    卢森堡:LU 新西兰:NZ 巴西:BR 开曼群岛:KY 英属维尔京群岛:VG 百慕大:BM 马来西亚:MY 泰国:TH 越南:VN
    """
)
_PROVINCE_NAMES = """
    北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南
    四川 贵州 云南 陕西 甘肃 青海 内蒙古 广西 西藏 宁夏 新疆
"""
_ZH_PROVINCES = tuple(_PROVINCE_NAMES.split())
_JA_COUNTRIES = _pairs(
    """
    アメリカ合衆国:US 米国:US 中華人民共和国:CN 中国:CN 大韓民国:KR 韓国:KR 台湾:TW 香港:HK ドイツ:DE
    フランス:FR イギリス:GB 英国:GB スイス:CH オランダ:NL スウェーデン:SE イタリア:IT カナダ:CA
    オーストラリア:AU イスラエル:IL フィンランド:FI デンマーク:DK ベルギー:BE オーストリア:AT スペイン:ES
    シンガポール:SG インド:IN ロシア:RU アイルランド:IE ノルウェー:NO ルクセンブルク:LU
    """
)
# A region named right after "China" that has its own ISO code.
_REGIONS_OF_CN = _pairs("香港:HK ホンコン:HK 澳门:MO マカオ:MO 台湾:TW")

_ZH_DOMESTIC_RE = re.compile(
    r"^(?P<state>(?:[^\d\s省市]{2,3}省"
    r"|内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区))?"
    r"(?P<city>[^\d\s省市区县]{1,7}?市)?"
)
_JA_DOMESTIC_RE = re.compile(
    r"^(?P<state>東京都|北海道|大阪府|京都府|[^\s都道府県]{2,3}県)(?P<city>[^\s]+?[市区町村])?"
)
_SEPARATORS = " 、,，\u3000"


@dataclass(frozen=True, slots=True)
class Place:
    country: str | None = None
    state: str | None = None
    city: str | None = None


def _foreign(text: str, table: tuple[tuple[str, str], ...]) -> tuple[str | None, str]:
    """The country an address starts with, and the rest of the address."""
    for name, code in table:
        if text.startswith(name):
            rest = text[len(name) :].lstrip(_SEPARATORS)
            if code == "CN":
                for region, region_code in _REGIONS_OF_CN:
                    if rest.startswith(region):
                        return region_code, rest
            return code, rest
    return None, text


def place_zh(address: str | None) -> Place:
    """``650231 云南省昆明市五华区…`` -> CN, 云南省, 昆明市; ``韩国京畿道`` -> KR."""
    text = (address or "").strip()
    if not text:
        return Place()
    body = text.lstrip("0123456789 ")
    postcode = len(text) - len(body) >= 6
    country, rest = _foreign(body, _ZH_COUNTRIES)
    if country and country != "CN":
        return Place(country=country)
    if country is None and not postcode and not body.startswith(_ZH_PROVINCES):
        return Place()
    m = _ZH_DOMESTIC_RE.match(rest)
    return Place(country="CN", state=m.group("state") if m else None, city=m.group("city") if m else None)


def place_ja(address: str | None) -> Place:
    """``東京都大田区大森北…`` -> JP, 東京都, 大田区; ``中華人民共和国、ホンコン、…`` -> HK."""
    text = (address or "").strip()
    if not text:
        return Place()
    m = _JA_DOMESTIC_RE.match(text)
    if m:
        return Place(country="JP", state=m.group("state"), city=m.group("city"))
    return Place(country=_foreign(text, _JA_COUNTRIES)[0])
