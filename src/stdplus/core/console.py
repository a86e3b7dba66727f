"""Commands that print for people speak the language of the person's terminal."""

from __future__ import annotations

import os

from django.utils import translation


def language_from_environment() -> str:
    """The site language matching LANGUAGE, LC_ALL, LC_MESSAGES or LANG ("zh_CN.UTF-8" gives
    "zh-hans"); English otherwise."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "").strip()
        if not value:
            continue
        first = value.split(":")[0].split(".")[0].lower().replace("_", "-")
        if first.startswith("zh"):
            return "zh-hans"
        if first not in ("c", "posix"):
            return "en"
    return "en"


def terminal_language() -> translation.override:
    """`with terminal_language():` around what a command prints."""
    return translation.override(language_from_environment())
