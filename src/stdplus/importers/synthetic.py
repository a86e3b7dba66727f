"""Realistic synthetic standards for benchmarks: every level, editions, relations, dates.

The records use the shared JSON Lines format and are marked `"synthetic": true`; their numbers
start at 80001, above any real national or industry number. Never
load them into a catalog that real users read: `stdplus import` stores them under the source
`synthetic`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator

SUBJECTS = [
    ("信息技术", "Information technology"),
    ("电动汽车", "Electric vehicles"),
    ("医疗器械", "Medical devices"),
    ("食品安全", "Food safety"),
    ("建筑节能", "Building energy efficiency"),
    ("工业机器人", "Industrial robots"),
    ("锂离子电池", "Lithium-ion batteries"),
    ("智能电网", "Smart grid"),
    ("数据中心", "Data centres"),
    ("移动通信", "Mobile communications"),
    ("网络安全", "Cybersecurity"),
    ("环境监测", "Environmental monitoring"),
    ("轨道交通", "Rail transit"),
    ("无人驾驶航空器", "Unmanned aircraft"),
    ("光伏组件", "Photovoltaic modules"),
    ("物联网", "Internet of things"),
    ("集成电路", "Integrated circuits"),
    ("纺织品", "Textiles"),
    ("家用电器", "Household appliances"),
    ("城市管理", "Urban management"),
    ("质量管理", "Quality management"),
    ("电子商务", "Electronic commerce"),
    ("冷链物流", "Cold chain logistics"),
    ("智慧养老", "Smart elderly care"),
]
ASPECTS = [
    ("通用要求", "General requirements"),
    ("试验方法", "Test methods"),
    ("技术规范", "Technical specification"),
    ("安全要求", "Safety requirements"),
    ("术语", "Vocabulary"),
    ("评价指南", "Guidelines for evaluation"),
    ("检验规则", "Inspection rules"),
    ("能效限定值及能效等级", "Minimum allowable values of energy efficiency and grades"),
    ("数据接口", "Data interfaces"),
    ("管理规范", "Management specification"),
]
ICS = [
    "01.040.35",
    "03.120.10",
    "11.040.01",
    "13.020.10",
    "13.110",
    "17.220.20",
    "25.040.30",
    "27.160",
    "29.220.20",
    "33.060.99",
    "35.030",
    "35.240.01",
    "43.120",
    "45.060.01",
    "49.020",
    "59.080.01",
    "65.020.01",
    "67.040",
    "91.120.10",
    "97.180",
]
GROUPS = ["CECS", "CAS", "CSAE", "SZAS", "GDAQI", "CIE", "CCSA", "SZSA"]
COMPANIES = ["BYD", "HW", "ZTE", "TCL", "DJI", "MD", "GREE", "SZX"]
INDUSTRY = ["YY", "SJ", "JB", "HG", "QC", "YD", "JT", "NB", "DL", "HJ", "GA", "WS"]
CITIES = ["4403", "4401", "4419", "3301", "3205", "1100"]
PROVINCES = ["44", "32", "33", "11", "31", "37", "51"]


def _prefix(rng: random.Random) -> tuple[str, str]:
    """(prefix, level) drawn with the weights of a Chinese city's catalog."""
    roll = rng.random()
    if roll < 0.12:
        return rng.choice(["GB/T", "GB/T", "GB/T", "GB"]), "national"
    if roll < 0.40:
        code = rng.choice(INDUSTRY)
        return (f"{code}/T" if rng.random() < 0.85 else code), "industry"
    if roll < 0.58:
        region = rng.choice(CITIES + PROVINCES)
        return f"DB{region}/T", "local"
    if roll < 0.80:
        return f"T/{rng.choice(GROUPS)}", "group"
    if roll < 0.93:
        return f"Q/{rng.choice(COMPANIES)}", "enterprise"
    return "ISO", "international"


def generate(count: int, *, seed: int = 2026) -> Iterator[dict]:
    """`count` records: works of one to four editions, each newer edition replacing the last."""
    rng = random.Random(seed)
    made = 0
    number = 80_000
    while made < count:
        number += 1
        prefix, level = _prefix(rng)
        subject, aspect = rng.choice(SUBJECTS), rng.choice(ASPECTS)
        editions = min(rng.choice([1, 1, 2, 2, 3, 4]), count - made)
        year = rng.randint(1995, 2024 - 4 * editions)
        part = f".{rng.randint(1, 9)}" if rng.random() < 0.2 else ""
        ics = rng.sample(ICS, rng.choice([1, 1, 2]))
        previous = None
        for index in range(editions):
            year += rng.randint(2, 6)
            year = min(year, 2026)
            if prefix.startswith("ISO"):
                identifier = f"ISO {number}{part.replace('.', '-')}:{year}"
            else:
                identifier = f"{prefix} {number}{part}-{year}"
            if identifier == previous:
                break
            published = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            effective = published + dt.timedelta(days=rng.choice([90, 180, 183, 365]))
            last = index == editions - 1
            record = {
                "id": identifier,
                "level": level,
                "title_zh": f"{subject[0]} {aspect[0]}",
                "title_en": f"{subject[1]} - {aspect[1]}",
                "published": published.isoformat(),
                "effective": effective.isoformat() if level != "international" else None,
                "status": ("current" if rng.random() < 0.93 else "withdrawn")
                if last
                else "superseded",
                "ics": ics,
                "committee": f"SAC/TC {rng.randint(1, 580)}",
                "relations": [{"type": "replaces", "target": previous}] if previous else [],
                "synthetic": True,
            }
            if level == "national" and rng.random() < 0.3:
                record["relations"].append(
                    {
                        "type": "adopts",
                        "target": f"ISO {rng.randint(1000, 30000)}:{year - 1}",
                        "degree": rng.choice(["IDT", "MOD", "NEQ"]),
                    }
                )
            yield {k: v for k, v in record.items() if v is not None}
            previous = identifier
            made += 1
            if made >= count:
                return


def write(path, count: int, *, seed: int = 2026, progress=None) -> int:
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        for record in generate(count, seed=seed):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
            if progress and written % 10_000 == 0:
                progress(written)
    return written
