"""Names in the reader's language.

Organizations, experts, bodies and pilots are entered with a Chinese name and, often, an
English one. A page shows the name in its own language when one was entered, else the other:
`in_language(zh, en)`. Every `__str__` and template that shows such a name goes through it.
"""

from __future__ import annotations

from django.utils.translation import get_language


def is_chinese(language: str | None = None) -> bool:
    """Whether the active language (or `language`) is Chinese."""
    return (language or get_language() or "").lower().startswith("zh")


def in_language(zh: str | None, en: str | None, *, language: str | None = None) -> str:
    """`zh` on a Chinese page and `en` on an English one, each falling back on the other."""
    zh, en = (zh or "").strip(), (en or "").strip()
    if is_chinese(language):
        return zh or en
    return en or zh
