"""Data tables: Chinese sector and region codes, foreign bodies, ISO/IEC tokens.

Everything here is plain data so that it can be reviewed (and corrected)
without reading the grammars.
"""

from __future__ import annotations

# Chinese industry (sector) standard codes -> (competent sector in Chinese, in English).
# Source: the SAC list of industry standard codes (行业标准代号), with the engineering
# construction codes (JGJ, CJJ, JTG) and the safety technical code TSG that appear in
# catalogues next to them. "DB" here is the seismic sector, printed "DB/T" with no digits
# (a "DB" followed by digits is a local standard, see LOCAL_REGIONS).
INDUSTRY_SECTORS: dict[str, tuple[str, str]] = {
    "AQ": ("安全生产", "Work safety"),
    "BB": ("包装", "Packaging"),
    "CB": ("船舶", "Shipbuilding"),
    "CH": ("测绘", "Surveying and mapping"),
    "CJ": ("城镇建设", "Urban construction"),
    "CY": ("新闻出版", "Press and publication"),
    "DA": ("档案", "Archives"),
    "DB": ("地震", "Seismology"),
    "DL": ("电力", "Electric power"),
    "DZ": ("地质矿产", "Geology and mineral resources"),
    "EJ": ("核工业", "Nuclear industry"),
    "FZ": ("纺织", "Textiles"),
    "GA": ("公共安全", "Public security"),
    "GH": ("供销合作", "Supply and marketing cooperatives"),
    "GM": ("密码", "Cryptography"),
    "GY": ("广播电影电视", "Radio, film and television"),
    "HB": ("航空", "Aviation"),
    "HG": ("化工", "Chemical industry"),
    "HJ": ("环境保护", "Environmental protection"),
    "HS": ("海关", "Customs"),
    "HY": ("海洋", "Oceanography"),
    "JB": ("机械", "Machinery"),
    "JC": ("建材", "Building materials"),
    "JG": ("建筑工业", "Construction industry"),
    "JR": ("金融", "Finance"),
    "JT": ("交通", "Transport"),
    "JY": ("教育", "Education"),
    "LB": ("旅游", "Tourism"),
    "LD": ("劳动和劳动安全", "Labour and labour safety"),
    "LS": ("粮食", "Grain"),
    "LY": ("林业", "Forestry"),
    "MH": ("民用航空", "Civil aviation"),
    "MT": ("煤炭", "Coal"),
    "MZ": ("民政", "Civil affairs"),
    "NB": ("能源", "Energy"),
    "NY": ("农业", "Agriculture"),
    "QB": ("轻工", "Light industry"),
    "QC": ("汽车", "Automotive"),
    "QJ": ("航天", "Aerospace"),
    "QX": ("气象", "Meteorology"),
    "RB": ("认证认可", "Certification and accreditation"),
    "SB": ("国内贸易", "Domestic trade"),
    "SC": ("水产", "Fisheries"),
    "SF": ("司法", "Justice"),
    "SH": ("石油化工", "Petrochemicals"),
    "SJ": ("电子", "Electronics"),
    "SL": ("水利", "Water resources"),
    "SN": ("出入境检验检疫", "Entry-exit inspection and quarantine"),
    "SW": ("税务", "Taxation"),
    "SY": ("石油天然气", "Petroleum and natural gas"),
    "TB": ("铁道", "Railways"),
    "TD": ("土地管理", "Land administration"),
    "TY": ("体育", "Sport"),
    "WB": ("物资管理", "Materials management"),
    "WH": ("文化", "Culture"),
    "WJ": ("兵工民品", "Ordnance industry (civil products)"),
    "WM": ("外经贸", "Foreign trade and economic cooperation"),
    "WS": ("卫生", "Health"),
    "WW": ("文物保护", "Protection of cultural relics"),
    "XB": ("稀土", "Rare earths"),
    "XF": ("消防救援", "Fire and rescue"),
    "YB": ("黑色冶金", "Ferrous metallurgy"),
    "YC": ("烟草", "Tobacco"),
    "YD": ("通信", "Telecommunications"),
    "YJ": ("应急管理", "Emergency management"),
    "YS": ("有色金属", "Non-ferrous metallurgy"),
    "YY": ("医药", "Pharmaceuticals and medical devices"),
    "YZ": ("邮政", "Postal services"),
    "ZY": ("中医药", "Traditional Chinese medicine"),
    "JTJ": ("交通工程（旧编号）", "Transport engineering (older numbering)"),
    "JJF": ("国家计量技术规范", "National metrology technical specifications"),
    "JJG": ("国家计量检定规程", "National metrological verification regulations"),
    "JGJ": ("建筑工程", "Building engineering construction"),
    "CJJ": ("城镇建设工程", "Urban construction engineering"),
    "JTG": ("公路工程", "Highway engineering"),
    "TSG": ("特种设备安全技术规范", "Special equipment safety technical codes"),
}

# Codes printed without the /T, /Z mandate marks (metrology and safety technical codes, the
# Shenzhen engineering construction standards).
NO_MANDATE_CODES = frozenset({"JJF", "JJG", "TSG", "SJG", "SZJG"})

# National codes other than the sector codes: GB itself, the national occupational-health
# standards GBZ (issued under the Law on the Prevention and Control of Occupational Diseases;
# not the guidance technical documents GB/Z) and the older national engineering construction
# codes GBJ. code -> (name in Chinese, in English, series or None).
NATIONAL_CODES: dict[str, tuple[str, str, str | None]] = {
    "GB": ("国家标准", "National standard", None),
    "GBZ": ("国家职业卫生标准", "National occupational health standard", "occupational health"),
    "GBJ": (
        "工程建设国家标准（旧编号）",
        "National engineering construction standard (older)",
        "construction",
    ),
}

# The series a code belongs to where the level alone does not say it: engineering construction
# (industry codes of the Ministry of Housing and Urban-Rural Development and of transport
# engineering) and metrology (verification regulations and technical specifications).
SERIES: dict[str, str] = {
    "JGJ": "construction",
    "CJJ": "construction",
    "JTG": "construction",
    "JTJ": "construction",
    "JJF": "metrology",
    "JJG": "metrology",
}
# National engineering construction standards are numbered from 50001 (GB 50016, GB/T 50378,
# GB 55001): a five-digit number starting with 5 is in the construction series.
CONSTRUCTION_NUMBER_DIGITS = 5
CONSTRUCTION_NUMBER_LEAD = "5"

# Administrative division codes used after "DB" in local standards (GB/T 2260).
LOCAL_REGIONS: dict[str, tuple[str, str]] = {
    "11": ("北京市", "Beijing"),
    "12": ("天津市", "Tianjin"),
    "13": ("河北省", "Hebei"),
    "14": ("山西省", "Shanxi"),
    "15": ("内蒙古自治区", "Inner Mongolia"),
    "21": ("辽宁省", "Liaoning"),
    "22": ("吉林省", "Jilin"),
    "23": ("黑龙江省", "Heilongjiang"),
    "31": ("上海市", "Shanghai"),
    "32": ("江苏省", "Jiangsu"),
    "33": ("浙江省", "Zhejiang"),
    "34": ("安徽省", "Anhui"),
    "35": ("福建省", "Fujian"),
    "36": ("江西省", "Jiangxi"),
    "37": ("山东省", "Shandong"),
    "41": ("河南省", "Henan"),
    "42": ("湖北省", "Hubei"),
    "43": ("湖南省", "Hunan"),
    "44": ("广东省", "Guangdong"),
    "45": ("广西壮族自治区", "Guangxi"),
    "46": ("海南省", "Hainan"),
    "50": ("重庆市", "Chongqing"),
    "51": ("四川省", "Sichuan"),
    "52": ("贵州省", "Guizhou"),
    "53": ("云南省", "Yunnan"),
    "54": ("西藏自治区", "Tibet"),
    "61": ("陕西省", "Shaanxi"),
    "62": ("甘肃省", "Gansu"),
    "63": ("青海省", "Qinghai"),
    "64": ("宁夏回族自治区", "Ningxia"),
    "65": ("新疆维吾尔自治区", "Xinjiang"),
    "71": ("台湾省", "Taiwan"),
    "81": ("香港特别行政区", "Hong Kong"),
    "82": ("澳门特别行政区", "Macao"),
    # City codes (4 digits); any other 4-digit code under a known province is accepted too.
    "1101": ("北京市市辖区", "Beijing city districts"),
    "3201": ("南京市", "Nanjing"),
    "3301": ("杭州市", "Hangzhou"),
    "3702": ("青岛市", "Qingdao"),
    "4401": ("广州市", "Guangzhou"),
    "4403": ("深圳市", "Shenzhen"),
    "4406": ("佛山市", "Foshan"),
    "4419": ("东莞市", "Dongguan"),
    "5101": ("成都市", "Chengdu"),
}

# Local prefixes that do not follow the DB pattern: code -> (name in Chinese, in English,
# region code, series or None). SZDB/Z are older Shenzhen technical guidance documents; SJG
# (and the older SZJG) are Shenzhen's engineering construction standards, issued by the
# city's housing and construction bureau.
LOCAL_SPECIAL: dict[str, tuple[str, str, str, str | None]] = {
    "SZDB": ("深圳市地方标准（旧）", "Shenzhen local standard (older numbering)", "4403", None),
    "SZJG": (
        "深圳市技术规范（旧）",
        "Shenzhen technical specification (older numbering)",
        "4403",
        "construction",
    ),
    "SJG": (
        "深圳市工程建设标准",
        "Shenzhen engineering construction standard",
        "4403",
        "construction",
    ),
}

# Local engineering construction standards numbered outside the DB pattern, under the rules of
# each province's housing and construction department (registered with the Ministry of Housing
# and Urban-Rural Development). The two digits after the series code are mostly the province's
# GB/T 2260 code (DBJ 50 Chongqing, DBJ 33 Zhejiang, DGJ32 Jiangsu); a few provinces kept an
# older series number, mapped here to their region: Guangdong DBJ 15, Fujian DBJ 13, Shanxi
# DBJ 04, Shanghai DGJ 08 and DG/TJ 08, Tianjin DB 29 and DB/T 29. Data, not grammar: correct
# it where an official notice disagrees.
CONSTRUCTION_SERIES_REGIONS: dict[str, dict[str, str]] = {
    "DBJ": {"15": "44", "13": "35", "04": "14"},
    "DGJ": {"08": "31"},
    "DB": {"29": "12"},
}

# Foreign national (and a few US SDO) bodies: code -> English name.
FOREIGN_BODIES: dict[str, str] = {
    "BS": "British Standards Institution",
    "PD": "BSI Published Document",
    "DIN": "Deutsches Institut für Normung",
    "VDE": "VDE (German electrotechnical standards)",
    "ANSI": "American National Standards Institute",
    "JIS": "Japanese Industrial Standards",
    "NF": "AFNOR (France)",
    "ASTM": "ASTM International",
    "AS": "Standards Australia",
    "NZS": "Standards New Zealand",
    "CSA": "CSA Group (Canada)",
    "KS": "Korean Standards",
    "GOST": "Euro-Asian Council for Standardization (GOST)",
    "UNE": "UNE (Spain)",
    "UNI": "UNI (Italy)",
    "SAE": "SAE International",
    "UL": "UL Standards & Engagement",
    "ASME": "ASME",
    "API": "American Petroleum Institute",
    "NFPA": "National Fire Protection Association",
    "NEN": "NEN (Netherlands)",
    "SS": "Swedish Institute for Standards",
    "SN": "Swiss Association for Standardization",
    "OENORM": "Austrian Standards",
    "DS": "Danish Standards",
    "SFS": "Finnish Standards Association",
    "NS": "Standards Norway",
    "PN": "Polish Committee for Standardization",
    "CSN": "Czech technical standards",
    "IS": "Bureau of Indian Standards / NSAI",
    "SANS": "South African National Standards",
    "NBR": "ABNT (Brazil)",
    "CNS": "Chinese National Standards (Taiwan)",
    "TIS": "Thai Industrial Standards",
    "SNI": "Standar Nasional Indonesia",
    "MS": "Malaysian Standards",
    "SASO": "Saudi Standards",
    "TCVN": "Vietnam Standards",
    "ISA": "International Society of Automation",
    "AWS": "American Welding Society",
    "NEMA": "National Electrical Manufacturers Association",
    "ETSI": "European Telecommunications Standards Institute",
}

# ISO/IEC family -------------------------------------------------------------------
# Lead organisations and co-publishers (printed after a slash).
ISO_LEADS = frozenset({"ISO", "IEC", "CISPR", "IWA"})
IEC_LEADS = frozenset({"IEC", "CISPR"})
CO_PUBLISHERS = ("IEC", "IEEE", "ASTM", "CIE", "HL7", "SAE", "ASME", "OECD", "UNDP", "ISO")

# Draft stage tokens printed before the number, with the document type they imply.
STAGE_TOKENS: dict[str, tuple[str, str | None]] = {
    "PWI": ("PWI", None),
    "NP": ("NP", None),
    "AWI": ("AWI", None),
    "WD": ("WD", None),
    "CD": ("CD", None),
    "DIS": ("DIS", None),
    "FDIS": ("FDIS", None),
    "PRF": ("PRF", None),
    "DTS": ("DTS", "TS"),
    "DTR": ("DTR", "TR"),
    "DPAS": ("DPAS", "PAS"),
    "DGUIDE": ("DGuide", "Guide"),
    "FDTS": ("FDTS", "TS"),
    "FDTR": ("FDTR", "TR"),
}

# Document type tokens printed before the number (canonical spelling).
TYPE_TOKENS: dict[str, str] = {
    "TR": "TR",
    "TS": "TS",
    "PAS": "PAS",
    "GUIDE": "Guide",
    "ISP": "ISP",
    "R": "R",
    "DATA": "DATA",
    "TTA": "TTA",
    "SRD": "SRD",
    "CA": "CA",
    "ACEE": "ACEE",
    "WT": "WT",
    "IS": "IS",
}

# Supplement kinds, ISO and IEC spellings. Keys are upper case.
# value: (kind, draft stage or None, ISO spelling, IEC spelling)
SUPPLEMENT_KINDS: dict[str, tuple[str, str | None, str, str]] = {
    "AMD": ("Amd", None, "Amd", "AMD"),
    "AM": ("Amd", None, "Amd", "AMD"),
    "A": ("Amd", None, "Amd", "AMD"),
    "COR": ("Cor", None, "Cor", "COR"),
    "CORR": ("Cor", None, "Cor", "COR"),
    "ADD": ("Add", None, "Add", "ADD"),
    "EXT": ("Ext", None, "Ext", "EXT"),
    "SUPPL": ("Suppl", None, "Suppl", "SUPPL"),
    "SUP": ("Suppl", None, "Suppl", "SUPPL"),
    "ISH": ("ISH", None, "ISH", "ISH"),
    "FRAG": ("FRAG", None, "FRAG", "FRAG"),
    "DAM": ("Amd", "DAM", "DAM", "DAM"),
    "DAMD": ("Amd", "DAmd", "DAmd", "DAmd"),
    "FDAM": ("Amd", "FDAM", "FDAM", "FDAM"),
    "FDAMD": ("Amd", "FDAmd", "FDAmd", "FDAmd"),
    "DCOR": ("Cor", "DCOR", "DCOR", "DCOR"),
    "FDCOR": ("Cor", "FDCOR", "FDCOR", "FDCOR"),
    "PDAM": ("Amd", "PDAM", "PDAM", "PDAM"),
}

# IEC publication variants printed after the edition (redline, consolidated, ...).
VARIANTS = ("EXV-CMV", "EXV-RLV", "RLV", "CSV", "EXV", "CMV", "SER", "DB", "PRV")

# IETF document series.
IETF_SERIES = frozenset({"RFC", "STD", "BCP", "FYI", "RTR", "NIC", "IEN"})
