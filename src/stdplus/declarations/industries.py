"""The product categories a declaration names: classes of GB/T 4754-2017 (国民经济行业分类).

A small bundled subset, the four-digit classes of the manufacturing sections the enterprises
of this slice declare (food and drink, textiles, daily chemicals, plastics, electrical and
electronic products, vehicles parts); the full classification is not loaded. Each entry:
code, Chinese title (as the standard writes it), English title (ours). Adding a class is
adding a line here; a code not listed is refused with the list's link.
"""

from __future__ import annotations

from django.utils.translation import get_language

GB_T_4754 = "GB/T 4754-2017"

CLASSES: tuple[tuple[str, str, str], ...] = (
    ("1411", "糕点、面包制造", "Manufacture of pastries and bread"),
    ("1419", "饼干及其他焙烤食品制造", "Manufacture of biscuits and other baked goods"),
    ("1441", "液体乳制造", "Manufacture of liquid milk"),
    ("1442", "乳粉制造", "Manufacture of milk powder"),
    ("1521", "碳酸饮料制造", "Manufacture of carbonated drinks"),
    ("1522", "瓶（罐）装饮用水制造", "Manufacture of bottled drinking water"),
    ("1523", "果菜汁及果菜汁饮料制造", "Manufacture of fruit and vegetable juices"),
    ("1524", "含乳饮料和植物蛋白饮料制造", "Manufacture of milk and plant protein drinks"),
    ("1529", "茶饮料及其他饮料制造", "Manufacture of tea and other drinks"),
    ("1819", "其他机织服装制造", "Manufacture of other woven garments"),
    ("2452", "塑胶玩具制造", "Manufacture of plastic toys"),
    ("2681", "肥皂及洗涤剂制造", "Manufacture of soap and detergents"),
    ("2682", "化妆品制造", "Manufacture of cosmetics"),
    ("2927", "日用塑料制品制造", "Manufacture of plastic household articles"),
    ("3670", "汽车零部件及配件制造", "Manufacture of motor vehicle parts"),
    ("3841", "锂离子电池制造", "Manufacture of lithium-ion batteries"),
    ("3851", "家用制冷电器具制造", "Manufacture of household refrigerating appliances"),
    ("3852", "家用空气调节器制造", "Manufacture of household air conditioners"),
    ("3854", "家用厨房电器具制造", "Manufacture of household kitchen appliances"),
    ("3855", "家用清洁卫生电器具制造", "Manufacture of household cleaning appliances"),
    ("3872", "照明灯具制造", "Manufacture of lighting fixtures"),
    ("3874", "智能照明器具制造", "Manufacture of smart lighting"),
    ("3911", "计算机整机制造", "Manufacture of computers"),
    ("3922", "通信终端设备制造", "Manufacture of communication terminals"),
    ("3961", "可穿戴智能设备制造", "Manufacture of wearable smart devices"),
    ("3963", "智能无人飞行器制造", "Manufacture of smart unmanned aerial vehicles"),
)

_BY_CODE = {code: (zh, en) for code, zh, en in CLASSES}


def is_category(code: str) -> bool:
    return code in _BY_CODE


def category_title(code: str, language: str | None = None) -> str:
    """The class's title in the active language (Chinese for zh-*), or "" for an unknown code."""
    titles = _BY_CODE.get(code)
    if titles is None:
        return ""
    language = language or get_language() or "en"
    return titles[0] if language.startswith("zh") else titles[1]


def category_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {category_title(code)}") for code, _zh, _en in CLASSES]
