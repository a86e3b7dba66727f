"""Commands that print for people speak the language of the person's terminal."""

from __future__ import annotations

import os

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# What `stdplus` says when it is run where it cannot work (stdplus/cli.py).
NO_PROJECT = _(
    "stdplus: there is no stdplus database here (%(path)s does not exist).\n"
    "Run stdplus in the folder that holds var/, or set STDPLUS_HOME to that folder or "
    "DATABASE_URL to the database. To start a new one here: `stdplus migrate`, then "
    "`stdplus import` for the bundled data."
)
NOT_MIGRATED = _(
    "stdplus: the database %(name)s has no stdplus tables yet (%(error)s).\n"
    "Run `stdplus migrate` first (then `stdplus import` for the bundled data)."
)
OLDER = _(
    "stdplus: the database %(name)s is older than this version of stdplus (%(error)s).\n"
    "Run `stdplus migrate` to bring it up to date."
)


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
