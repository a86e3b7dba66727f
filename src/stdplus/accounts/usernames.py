"""User names people can tell apart.

A user name is stored in Unicode normal form NFKC (full-width and other compatibility forms
become their plain letters). It is refused when it holds an invisible or control character
(zero-width spaces and joiners, bidirectional controls, ...), a character other than letters,
digits and @ . + - _, or letters of scripts that look alike mixed in one name (Latin with
Cyrillic or Greek: "pаypal" with a Cyrillic "а"). Latin mixed with Chinese, Japanese or Korean
characters is fine: those do not look like Latin letters.

`username_skeletons` say how a name looks: each character replaced by one representative of
the characters it is confused with (Unicode's confusables, UTS #39, through the
confusable-homoglyphs package), once as written and once case folded. Names that share a
skeleton look the same, so a new name is unavailable when it shares one with an existing name
("a1ice", "aIice", "аlice" and "ALICE" next to "alice").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import categories, confusables
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError

# Scripts that may share a name: none of their characters pass for another's.
COMPATIBLE_SCRIPTS = frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA", "HANGUL"})
_NEUTRAL = frozenset({"COMMON", "INHERITED"})
_MARKS = "\u200e\u200f"  # the confusables table wraps right-to-left characters in these
MAX_LENGTH = 150  # Django's user name column


def username_normalize(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw.strip())


def _character_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()


def username_check(raw: str) -> str:
    """The name in normal form, or an ApplicationError saying what is wrong with it."""
    name = username_normalize(raw)
    if not name:
        raise ApplicationError(_("choose a user name"), where="username", code="no_username")
    if len(name) > MAX_LENGTH:  # normal form can be longer than what was typed ("ﷺ")
        raise ApplicationError(
            _("a user name has at most %(limit)s characters; this one has %(length)s"),
            params={"limit": MAX_LENGTH, "length": len(name)},
            where="username",
            code="username_too_long",
        )
    for position, char in enumerate(name, start=1):
        if unicodedata.category(char)[0] == "Z":
            raise ApplicationError(
                _("the user name contains a space (%(character)s) at position %(position)s"),
                params={"character": _character_name(char), "position": position},
                where="username",
                code="username_space",
            )
        if unicodedata.category(char)[0] == "C":
            raise ApplicationError(
                _(
                    "the user name contains an invisible or control character "
                    "(%(character)s) at position %(position)s; type it again without it"
                ),
                params={"character": _character_name(char), "position": position},
                where="username",
                code="username_invisible",
            )
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError:
        raise ApplicationError(
            _("a user name may hold only letters, digits and the characters @ . + - _"),
            where="username",
            code="username_characters",
        ) from None
    scripts = {categories.alias(char) for char in name} - _NEUTRAL
    if len(scripts) > 1 and not scripts <= COMPATIBLE_SCRIPTS:
        raise ApplicationError(
            _(
                "the user name mixes letters of the scripts %(scripts)s, which can look alike; "
                "write it in one script"
            ),
            params={"scripts": ", ".join(sorted(s.title() for s in scripts))},
            where="username",
            code="username_mixed_scripts",
        )
    return name


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    """Each confusable character's class representative (the smallest character of its class).

    The table lists pairs one way or the other ("I" is listed next to "l", not "l" next to "I"),
    so the classes are the connected groups of all listed pairs."""
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        while parent.get(char, char) != char:
            parent[char] = parent.get(parent[char], parent[char])
            char = parent[char]
        return char

    for char, entries in confusables.confusables_data.items():
        char = char.strip(_MARKS)
        if len(char) != 1:
            continue
        for entry in entries:
            other = entry["c"].strip(_MARKS)
            if len(other) == 1:
                a, b = find(char), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {char: find(char) for char in parent}


def _representative(char: str) -> str:
    return _classes().get(char, char)


def username_skeletons(name: str) -> tuple[str, str]:
    """What the name looks like, as written and regardless of case: two names that share
    either skeleton are names a reader cannot tell apart ("aIice" and "alice"; "ALICE" and
    "alice")."""
    name = username_normalize(name)
    as_written = "".join(_representative(c) for c in name)
    any_case = "".join(_representative(c) for c in name.casefold())
    return as_written, any_case


def username_unavailable(name: str, *, exclude_pk=None) -> bool:
    """Whether an account has this name or one that looks the same.

    Compares skeletons with every user name: a sign-up reads the names once (about 20 ms for
    ten thousand accounts)."""
    as_written, any_case = username_skeletons(name)
    names = get_user_model().objects.exclude(pk=exclude_pk).values_list("username", flat=True)
    for other in names.iterator(chunk_size=2000):
        other_written, other_any_case = username_skeletons(other)
        if other_written == as_written or other_any_case == any_case:
            return True
    return False
