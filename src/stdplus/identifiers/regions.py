"""China's administrative divisions: their codes, Chinese names and English names.

`division(code)` names the region of a local standard (DB44 Guangdong, DB4403 Shenzhen) from
data/cn_regions.jsonl (the National Bureau of Statistics' codes, 2023; data/SOURCES.md);
the programme register builds its region tree from `divisions()`.

English names are in Hanyu Pinyin.

Place names are romanized in Hanyu Pinyin (GB/T 16159, and the UN's 1977 resolution on the
romanization of Chinese place names): the proper name in pinyin, written as one word with an
apostrophe before a syllable that starts with a, o or e (Xi'an, Lu'an), followed by the English
word for the kind of division ("Futian District", "Yanbian Korean Autonomous Prefecture").
pypinyin reads the characters; the place names whose reading differs from the common one
(长治 Changzhi, not Zhangzhi) and the divisions with established English names (Shaanxi, Inner
Mongolia) are listed here. A curated English name in programme/data/regions.json always wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Readings of place names that pypinyin's common readings get wrong (polyphonic characters).
_READINGS = {
    "长": "chang",  # 长沙, 长春, 长治, 长宁 ... (长子 is the exception below)
    "朝阳": "chao yang",
    "六安": "lu an",
    "六合": "lu he",
    "六枝": "liu zhi",
    "乐亭": "lao ting",
    "番禺": "pan yu",
    "长子": "zhang zi",
    "蚌埠": "beng bu",
    "洪洞": "hong tong",
    "单县": "shan",
    "莘县": "shen",
    "东阿": "dong e",
    "厦门": "xia men",
    "重庆": "chong qing",
    "大理": "da li",
    "铅山": "yan shan",
    "筠连": "jun lian",
    "乐清": "yue qing",
    "涡阳": "guo yang",
    "荥阳": "xing yang",
    "枞阳": "zong yang",
    "黄陂": "huang pi",
    "丽水": "li shui",
    "蔚县": "yu",
    "勒": "le",  # 锡林郭勒, 阿勒泰: transliterations read le, not lei
    "阿": "a",
}

# Established English names that are not plain pinyin.
_NAMES = {
    "陕西省": "Shaanxi",
    "内蒙古自治区": "Inner Mongolia",
    "西藏自治区": "Tibet",
    "广西壮族自治区": "Guangxi",
    "宁夏回族自治区": "Ningxia",
    "新疆维吾尔自治区": "Xinjiang",
    "香港特别行政区": "Hong Kong",
    "澳门特别行政区": "Macao",
    "台湾省": "Taiwan",
    "市辖区": "Districts",
    "县": "Counties",
}

# Peoples named in autonomous divisions, longest first when matched.
_PEOPLES = {
    "蒙古族": "Mongol",
    "蒙古": "Mongol",
    "回族": "Hui",
    "藏族": "Tibetan",
    "维吾尔": "Uyghur",
    "苗族": "Miao",
    "彝族": "Yi",
    "壮族": "Zhuang",
    "布依族": "Bouyei",
    "朝鲜族": "Korean",
    "满族": "Manchu",
    "侗族": "Dong",
    "瑶族": "Yao",
    "白族": "Bai",
    "土家族": "Tujia",
    "哈尼族": "Hani",
    "哈萨克族": "Kazakh",
    "哈萨克": "Kazakh",
    "傣族": "Dai",
    "黎族": "Li",
    "傈僳族": "Lisu",
    "佤族": "Va",
    "畲族": "She",
    "拉祜族": "Lahu",
    "水族": "Sui",
    "东乡族": "Dongxiang",
    "纳西族": "Naxi",
    "景颇族": "Jingpo",
    "柯尔克孜": "Kyrgyz",
    "土族": "Tu",
    "达斡尔族": "Daur",
    "仫佬族": "Mulao",
    "羌族": "Qiang",
    "布朗族": "Blang",
    "撒拉族": "Salar",
    "毛南族": "Maonan",
    "仡佬族": "Gelao",
    "锡伯": "Xibe",
    "普米族": "Pumi",
    "塔吉克": "Tajik",
    "怒族": "Nu",
    "鄂温克族": "Evenki",
    "鄂伦春": "Oroqen",
    "保安族": "Bonan",
    "裕固族": "Yugur",
    "独龙族": "Derung",
    "各族": "Multi-ethnic",
}

# The kind of division named by the end of the Chinese name, by level; longest first.
_KINDS = [
    ("特别行政区", " Special Administrative Region"),
    ("自治区直辖县级行政区划", "County-level divisions under the autonomous region"),
    ("省直辖县级行政区划", "County-level divisions under the province"),
    ("自治区", " Autonomous Region"),
    ("自治州", " Autonomous Prefecture"),
    ("自治县", " Autonomous County"),
    ("自治旗", " Autonomous Banner"),
    ("地区", " Prefecture"),
    ("林区", " Forestry District"),
    ("新区", " New District"),
    ("矿区", " Mining District"),
    ("特区", " Special District"),
    ("省", ""),
    ("盟", " League"),
    ("旗", " Banner"),
    ("区", " District"),
    ("县", " County"),
]
# A city (prefecture- or county-level) is its proper name alone: 深圳市 is Shenzhen.
_CITY = "市"


def _syllables(text: str) -> list[str]:
    # pypinyin's dictionaries take 0.15 s to load: only when a name is first romanized, not
    # in every process that imports this module (every command and web worker does).
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    i = 0
    while i < len(text):
        for size in (2, 1):
            piece = text[i : i + size]
            if len(piece) == size and piece in _READINGS and (size == 2 or piece != "阿" or i):
                out.extend(_READINGS[piece].split())
                i += size
                break
        else:
            out.extend(lazy_pinyin(text[i], style=Style.NORMAL, errors="ignore"))
            i += 1
    return [s.replace("ü", "v").replace("v", "ü") for s in out if s]


def pinyin_word(text: str) -> str:
    """One proper name as one capitalized pinyin word: 西安 -> Xi'an, 深圳 -> Shenzhen."""
    if not text:
        return ""
    syllables = _syllables(text)
    word = ""
    for index, syllable in enumerate(syllables):
        if index and syllable[:1] in "aoe":
            word += "'"
        word += syllable
    return word[:1].upper() + word[1:]


def _peoples(text: str) -> tuple[str, list[str]]:
    """Split "大理白族" into ("大理", ["Bai"]): the place, then the peoples named after it."""
    found: list[str] = []
    keys = sorted(_PEOPLES, key=len, reverse=True)
    while True:
        for key in keys:
            if text.endswith(key) and len(text) > len(key):
                found.insert(0, _PEOPLES[key])
                text = text[: -len(key)]
                break
        else:
            return text, found


@lru_cache(maxsize=8192)
def region_name_en(name_zh: str) -> str:
    """The English name of a division from its Chinese name."""
    name = name_zh.strip()
    if name in _NAMES:
        return _NAMES[name]
    for ending, kind in _KINDS:
        if name.endswith(ending) and (len(name) > len(ending) or not kind.startswith(" ")):
            if not kind.startswith(" "):
                if kind:
                    return kind
                return pinyin_word(name[: -len(ending)])
            base = name[: -len(ending)]
            place, peoples = _peoples(base) if ending.startswith("自治") else (base, [])
            if not peoples and base in _PEOPLES:  # 鄂伦春自治旗: the division is its people's
                place, peoples = "", [_PEOPLES[base]]
            words = [pinyin_word(place)] + peoples
            return " ".join(w for w in words if w) + kind
    if name.endswith(_CITY) and len(name) > 1:
        return pinyin_word(name[:-1])
    return " ".join(pinyin_word(part) for part in re.split(r"\s+", name) if part)


DATA = Path(__file__).resolve().parent / "data" / "cn_regions.jsonl"


@dataclass(frozen=True, slots=True)
class Division:
    code: str  # 2, 4 or 6 digits, as local standards print it (44, 4403, 440304)
    name_zh: str
    name_en: str
    level: str  # province, prefecture or county
    parent: str | None


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """Every division of the file, in its order (provinces, then prefectures, then counties)."""
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append(
                Division(
                    code=row["code"],
                    name_zh=row["name_zh"],
                    name_en=region_name_en(row["name_zh"]),
                    level=row["level"],
                    parent=row.get("parent"),
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Division]:
    return {d.code: d for d in divisions()}


def division(code: str | None) -> Division | None:
    """The division a region code names (44, 4403, 440304, or 440000 padded), or None."""
    if not code:
        return None
    table = _by_code()
    found = table.get(code)
    if found is None and len(code) == 6:
        found = table.get(code.rstrip("0")[: 4 if code[4:] == "00" and code[2:4] != "00" else 2])
    return found
