"""Organization names reduced to keys for matching drafting organizations to the registry.

`name_key` removes what differs between two spellings of one name (width, case, spaces,
punctuation, bracket styles). `core_key` also drops the place in front and the legal form at the
end ("深圳市", "有限公司", "Co., Ltd."): two names with one core key but different full keys
may be one organization or two (a company and its branch), so such a pair goes to review.
"""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[\s\.,;:·'\"`“”‘’()（）\[\]【】<>《》\-—_/&、，。]+")
_PLACES = (
    "中华人民共和国",
    "中国",
    "广东省",
    "广东",
    "深圳市",
    "深圳",
    "shenzhen",
    "guangdong",
    "china",
)
_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
    "colimited",
    "coltd",
    "limited",
    "ltd",
    "incorporated",
    "inc",
    "corporation",
    "corp",
    "company",
    "co",
    "group",
)


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name or "").lower()
    return _PUNCT.sub("", text)


def core_key(name: str) -> str:
    key = name_key(name)
    changed = True
    while changed and key:
        changed = False
        for place in _PLACES:
            if key.startswith(place) and len(key) > len(place) + 1:
                key, changed = key[len(place) :], True
        for form in _FORMS:
            if key.endswith(form) and len(key) > len(form) + 1:
                key, changed = key[: -len(form)], True
    return key
