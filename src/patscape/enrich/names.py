"""Normalised applicant names: what is left of a name once spelling and legal form are set aside.

Steps: Unicode NFKC (full-width letters and brackets become half-width: ``（深圳）`` -> ``(深圳)``) and
case folding; bracketed place names dropped (``(深圳)``, ``(Shenzhen)``, ``(中国)``, ``(CN)``), other
brackets opened; ``&`` read as "and"; abbreviations with dots joined (``L.P.`` -> ``lp``); other
punctuation becomes space; legal forms dropped at the end or the start, repeatedly (English, German,
French, Dutch, Nordic, Chinese, Japanese, Korean, including the transliterations that Chinese, Japanese
and Korean offices use for foreign companies: 有限责任公司, エルエルシー, 엘엘씨); for a company (a name
that had a legal form), a leading Chinese place qualifier (北京..., Beijing ...) is dropped too. Places are
not dropped from names without a legal form: 北京大学 (Peking University) stays as it is.
"""

from __future__ import annotations

import re
import unicodedata


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _phrases(text: str) -> list[tuple[str, ...]]:
    """Comma-separated phrases, each as the tuple of its words."""
    return [tuple(p.split()) for p in text.split(",") if p.strip()]


_PLACES_CJK = _words(
    "北京 上海 天津 重庆 深圳 广州 杭州 南京 苏州 武汉 成都 西安 合肥 厦门 青岛 珠海 东莞 佛山 无锡 宁波 "
    "长沙 郑州 济南 沈阳 大连 哈尔滨 长春 福州 南昌 昆明 贵阳 南宁 海口 兰州 太原 石家庄 呼和浩特 "
    "乌鲁木齐 拉萨 银川 西宁 广东 浙江 江苏 山东 河南 河北 湖北 湖南 四川 福建 安徽 江西 辽宁 吉林 黑龙江 "
    "陕西 山西 云南 贵州 广西 海南 甘肃 青海 内蒙古 新疆 西藏 宁夏 香港 澳门 台湾 中国 美国 日本 韩国 "
    "德国 英国 法国 欧洲 新加坡 上海市 北京市 深圳市 杭州市 广州市 天津市 重庆市 苏州市 南京市 武汉市 "
    "成都市 西安市 合肥市 厦门市 青岛市 珠海市 东莞市 广东省 浙江省 江苏省 山东省 河南省 河北省 湖北省 "
    "湖南省 四川省 福建省 安徽省 江西省 辽宁省 陕西省"
)
# (集团) qualifies a company as a place does; (筹) "in preparation", (publ) and (CN) say nothing of the owner
_PLACES_CJK += ("集团",)
_ALWAYS_DROP = frozenset(("筹", "publ", "cn"))
_PLACES_LATIN = _words(
    "beijing shanghai tianjin chongqing shenzhen shezhen guangzhou hangzhou nanjing suzhou wuhan chengdu "
    "xian xi'an hefei xiamen qingdao zhuhai dongguan foshan wuxi ningbo changsha zhengzhou jinan shenyang "
    "dalian harbin changchun fuzhou nanchang kunming guiyang nanning haikou lanzhou taiyuan shijiazhuang "
    "guangdong zhejiang jiangsu shandong henan hebei hubei hunan sichuan fujian anhui jiangxi liaoning "
    "jilin shaanxi shanxi yunnan guizhou guangxi hainan gansu china prc cn hong kong hk macau taiwan tw "
    "usa us u s a america japan jp korea kr germany de deutschland uk gb europe singapore sg india in"
)
_PLACE_SET_LATIN = frozenset(_PLACES_LATIN) | {"hong kong", "u s a", "xi an"}
_PLACE_SET_CJK = frozenset(_PLACES_CJK)
# Leading qualifiers of company names: the longest first so that 深圳市 goes before 深圳.
_LEADING_CJK = sorted((p for p in _PLACES_CJK if p not in {"集团", "中国"}), key=len, reverse=True)
_LEADING_LATIN = frozenset(
    _words(
        "anhui beijing changsha chengdu chongqing dalian dongguan foshan fujian guangdong guangzhou hangzhou "
        "harbin hefei hubei hunan jiangsu jinan nanjing ningbo qingdao shandong shanghai shenyang shenzhen "
        "sichuan suzhou tianjin wuhan wuxi xiamen xian zhejiang zhengzhou zhuhai"
    )
)

# Trailing country qualifiers of company names: Tencent America, Baidu USA, Sony Europe (not Bank of America).
_TRAILING_COUNTRIES = frozenset(
    (
        *_words("usa us america china japan korea europe uk india germany deutschland international int"),
        "north america",
        "u s",
    )
)
_KEEP_BEFORE = frozenset(_words("of bank for in and de du"))

# Legal forms as word sequences (after punctuation removal), matched at the end or the start.
_LEGAL_TOKENS = _phrases(
    "ag and co kg, gesellschaft mit beschrankter haftung, gmbh and co kg, gmbh and co, "
    "joint stock company, l l c, public limited company, s a s, s p a, s r l, a s, b v, co inc, co kg, "
    "co limited, co llc, co ltd, company limited, company ltd, e v, godo kaisha, kabushiki kaisha, l p, "
    "n v, private limited, pte ltd, pty ltd, pvt ltd, s a, s l, sa nv, sdn bhd, yugen kaisha, ко лтд, ab, "
    "ag, aktiengesellschaft, aps, as, asa, bhd, bv, co, company, coporation, coproration, coroporation, "
    "corp, corporaiton, corporation, corportion, ev, gmbh, inc, incorporated, jsc, kabushikikaisha, kg, "
    "kgaa, kk, limited, llc, llp, lp, ltd, mbh, nv, oy, oyj, plc, pte, pty, publ, pvt, sa, sarl, sas, se, "
    "sl, spa, sprl, srl, ulc, ао, гмбх, зао, инк, корпорейшн, лтд, оао, ооо, пао"
)
_LEGAL_TOKENS.sort(key=len, reverse=True)
# Legal forms that open a name: Kabushiki Kaisha Toshiba, AB Volvo, (주) / 주식회사 ...
_LEADING_LEGAL = _phrases(
    "kabushiki kaisha, kabushikikaisha, yugen kaisha, godo kaisha, kk, ab, aktiengesellschaft, 주, "
    "주식회사, 재단법인, 사단법인"
)

# Legal forms written without spaces (CJK), matched as string suffixes or prefixes; longest first.
_LEGAL_SUFFIXES_CJK = sorted(
    _words(
        "アクチエンゲゼルシャフト アクチェンゲゼルシャフト インコーポレイテッド インコーポレーテッド "
        "コーポレーション コーポレイション ゲーエムベーハー 인코포레이티드 股份有限公司 有限责任公司 "
        "有限責任公司 有限合伙公司 유한책임회사 エルエルシー 코포레이션 リミテッド カンパニー 有限公司 "
        "股份公司 责任公司 株式会社 有限会社 合同会社 株式會社 주식회사 유한회사 리미티드 게엠베하 엘엘씨 "
        "컴퍼니 公司 아게"
    ),
    key=len,
    reverse=True,
)
_LEGAL_PREFIXES_CJK = ("株式会社", "有限会社", "合同会社", "주식회사", "재단법인", "사단법인")
# Taiwanese and Hong Kong filings prefix a foreign company with its origin: 美商 (US), 日商, 南韓商, 香港商.
_ORIGIN_PREFIX_RE = re.compile(
    r"^(美商|美国|日商|南韓商|韓商|韩商|香港商|德商|英商|法商|荷蘭商|荷兰商|瑞士商|新加坡商)"
)

_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_BRACKET_RE = re.compile(r"[(\[<]([^()\[\]<>]*)[)\]>]")
_ABBREV_RE = re.compile(r"\b(?:[a-z]\.){2,}(?=\s|$|,|\)|[a-z])")
_SPACE_RE = re.compile(r"\s+")
_DOT_COM_RE = re.compile(r"\.com\b")


def _strip_latin_accents(text: str) -> str:
    """Société -> societe; leaves kana (ガ) and hangul alone, whose decompositions are not accents."""
    if text.isascii():
        return text
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1].isascii():
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))


def _open_brackets(text: str, drop_places: bool) -> str:
    """Brackets become spaces; their content is dropped when it is a place (and places are dropped) or a
    note such as (筹) "in preparation"."""

    def repl(m: re.Match[str]) -> str:
        inner = m.group(1).strip().strip(".").strip()
        if not inner or inner in _ALWAYS_DROP:
            return " "
        if drop_places and (inner in _PLACE_SET_CJK or inner.replace(".", "") in _PLACE_SET_LATIN):
            return " "
        return f" {inner} "

    previous = None
    while previous != text:
        previous, text = text, _BRACKET_RE.sub(repl, text)
    return text


def _strip_legal_tokens(tokens: list[str]) -> tuple[list[str], bool]:
    stripped = False
    changed = True
    while changed and tokens:
        changed = False
        for form in _LEGAL_TOKENS:
            n = len(form)
            if len(tokens) > n and tuple(tokens[-n:]) == form:
                tokens = tokens[:-n]
                stripped = changed = True
                break
        for form in _LEADING_LEGAL:
            n = len(form)
            if not changed and len(tokens) > n and tuple(tokens[:n]) == form:
                tokens = tokens[n:]
                stripped = changed = True
                break
        # CJK legal forms glued to the last or first token
        if tokens and not changed:
            last = tokens[-1]
            for suffix in _LEGAL_SUFFIXES_CJK:
                if last.endswith(suffix) and (len(last) > len(suffix) or len(tokens) > 1):
                    rest = last[: -len(suffix)]
                    tokens = [*tokens[:-1], rest] if rest else tokens[:-1]
                    stripped = changed = True
                    break
        if tokens and not changed:
            first = tokens[0]
            for prefix in _LEGAL_PREFIXES_CJK:
                if first.startswith(prefix) and (len(first) > len(prefix) or len(tokens) > 1):
                    rest = first[len(prefix) :]
                    tokens = [rest, *tokens[1:]] if rest else tokens[1:]
                    stripped = changed = True
                    break
    return tokens, stripped


def _strip_leading_place(tokens: list[str]) -> list[str]:
    if len(tokens) > 1 and tokens[0] in _LEADING_LATIN:
        return tokens[1:]
    if tokens and has_cjk(tokens[0]):
        first = tokens[0]
        for place in _LEADING_CJK:
            if first.startswith(place) and len(first) - len(place) >= 2:
                return [first[len(place) :], *tokens[1:]]
    return tokens


def _strip_trailing_country(tokens: list[str]) -> list[str]:
    """Tencent America, Baidu USA, Sony Europe -> the company; Bank of America stays."""
    for n in (2, 1):
        if (
            len(tokens) > n
            and " ".join(tokens[-n:]) in _TRAILING_COUNTRIES
            and tokens[-n - 1] not in _KEEP_BEFORE
        ):
            return tokens[:-n]
    return tokens


def normalise_name(raw: str) -> str:
    """The comparable form of an applicant name (see the module docstring); '' for an empty name."""
    return normalise_parts(raw)[0]


def normalise_parts(raw: str) -> tuple[str, bool]:
    """(normalised name, whether it had a legal form, i.e. is a company)."""
    name, company = _normalise(raw, drop_places=False)
    if company:  # a place in brackets qualifies a company: 腾讯科技（深圳）有限公司
        name, _ = _normalise(raw, drop_places=True)
    return name, company  # but not a university: 中国矿业大学(北京) is not 中国矿业大学


def _normalise(raw: str, drop_places: bool) -> tuple[str, bool]:
    text = _strip_latin_accents(unicodedata.normalize("NFKC", raw).casefold())
    text = text.replace("’", "'").replace("`", "'")
    text = _ORIGIN_PREFIX_RE.sub("", text)
    text = _DOT_COM_RE.sub("", text)
    text = text.replace("&", " and ")
    text = _open_brackets(text, drop_places)
    text = _ABBREV_RE.sub(lambda m: m.group(0).replace(".", ""), text)
    text = re.sub(r"[^\w\s]", " ", text)
    tokens = _SPACE_RE.split(text.strip())
    tokens = [t for t in tokens if t]
    if tokens and tokens[0] == "the" and len(tokens) > 1:
        tokens = tokens[1:]
    tokens, company = _strip_legal_tokens(tokens)
    if company:
        tokens = _strip_leading_place(tokens)
        tokens = _strip_trailing_country(tokens)
        tokens, _ = _strip_legal_tokens(tokens)
    return " ".join(tokens), company


_ORG_WORDS = frozenset(
    _words(
        "acad academy ag agency assoc association biotech board bv center centre chem chemical chemicals "
        "clinic co college commission communications company consortium corp corporation council ctr "
        "department dept electric electronics energy enterprises foods foundation fund gmbh government group "
        "holding holdings hospital inc ind industries inst institut institute instituto int international "
        "istituto kk lab laboratories laboratory labs llc ltd manufacturing media medical mfg ministry motor "
        "motors network networks nv office partners pharma pharmaceutical pharmaceuticals plc prod products "
        "regents res research sa school sciences services society software solutions systems tech "
        "technologies technology therapeutics trust trustees univ universidad universidade universita "
        "universitat universite universiteit university ventures"
    )
)

_ORG_CJK = re.compile(
    "大学|大學|学院|學院|研究所|研究院|医院|醫院|中心|实验室|实验|科技|技术|技術|电子|電子|集团|網絡|网络|信息|"
    "通信|软件|軟件|工业|工業|株式会社|会社|病院|研究|대학교|연구원|연구소|재단|전자|공사|회사"
)


def is_organisation(normalised: str) -> bool:
    """Whether a normalised name reads as an organisation's (a word like University, Technologies, 研究所)
    rather than possibly a person's; names with a legal form are organisations already."""
    if _ORG_CJK.search(normalised):
        return True
    return any(word in _ORG_WORDS for word in normalised.split())
