"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters, the last a
check character computed over the first 17. The rule is plain Python; its reasons are in the
reader's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

# The 31 characters the code uses (no I, O, S, V, Z), in the order of their values.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, ...


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    value = 31 - total % 31
    return CHARSET[0 if value == 31 else value]


def credit_code_error(code: str) -> str | None:
    """None when the code is valid, else a sentence saying what is wrong."""
    code = code.strip().upper()
    if len(code) != 18:
        return _("a unified social credit code has 18 characters, not %(count)s") % {
            "count": len(code)
        }
    bad = sorted({c for c in code if c not in CHARSET})
    if bad:
        return _("a unified social credit code cannot contain %(characters)s") % {
            "characters": ", ".join(bad)
        }
    if not code[2:8].isdigit():
        return _("characters 3 to 8 of a unified social credit code are the region code (digits)")
    expected = check_character(code[:17])
    if code[17] != expected:
        return _("the check character should be %(expected)s, not %(given)s") % {
            "expected": expected,
            "given": code[17],
        }
    return None
