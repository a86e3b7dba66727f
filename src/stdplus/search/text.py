"""Search text, pure Python: the tokens stored in the index and the terms read from a query.

Both backends index the same tokens, so that a query finds the same standards on SQLite and on
PostgreSQL. Text is NFKC-normalised (full-width letters become ASCII) and lower-cased; Latin
letters and digits make words; a run of Chinese (or Japanese, Korean) characters becomes its
overlapping character pairs plus its last character, so that any substring of one or more
characters is a phrase of consecutive tokens: 质量管理体系 -> 质量 量管 管理 理体 体系 系. Runs
apart by a space are bridged (see `tokens`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# CJK unified ideographs (with extension A and compatibility ideographs), kana, hangul.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# English words this short are matched whole; longer ones also as prefixes ("manag" finds
# "management"): a one- or two-letter prefix would match half the catalog.
PREFIX_MIN = 3


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _cjk_tokens(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def tokens(text: str) -> list[str]:
    """The index tokens of a text, in order.

    Two Chinese runs apart by spaces alone are bridged: the last character of the first and
    the first of the second make a pair in place of the first run's single last character, so
    that a title printed with a space (质量管理体系 要求) is found as typed without one
    (质量管理体系要求, 体系要求), and each run's own substrings still match.
    """
    out: list[str] = []
    text = normalize(text)
    previous_cjk_end = -1
    for found in _RUN.finditer(text):
        run = found.group()
        if _CJK_RUN.match(run):
            if previous_cjk_end >= 0 and not text[previous_cjk_end : found.start()].strip():
                out[-1] = out[-1] + run[0]
            out.extend(_cjk_tokens(run))
            previous_cjk_end = found.end()
        else:
            out.append(run)
            previous_cjk_end = -1
    return out


def index_text(*texts: str) -> str:
    """The tokens of some texts, space-separated, as stored in the index columns."""
    out: list[str] = []
    for text in texts:
        if text:
            out.extend(_short_tokens(text) if len(text) <= SHORT else tokens(text))
    return " ".join(out)


SHORT = 300  # texts this long or shorter (identifiers, titles) have their tokens kept


@lru_cache(maxsize=65_536)
def _short_tokens(text: str) -> tuple[str, ...]:
    """The tokens of a short text, kept: the editions of a work share their titles, and an
    import (or a rebuild) indexes them one after the other."""
    return tuple(tokens(text))


# Words of the index this long or longer are listed (`index_words`): a prefix query longer than
# the full-text index's own prefix index (`prefix='3'` in search migrations 0002 and 0004) is
# spelled out as the words it begins (`backends.sqlite`); one this short is read through it.
WORD_MIN = 4


def fold(word: str) -> str:
    """A word without its diacritics (NFKD, marks removed), as the full-text index mostly
    compares it (SQLite's unicode61 tokenizer with remove_diacritics 2)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def index_words(columns: Iterable[str]) -> set[str]:
    """The words of index columns (space-separated tokens) a prefix could be spelled out as:
    words of at least WORD_MIN characters (so never Chinese: its tokens are pairs), and the
    folded form of those with other than ASCII letters (the full-text index folds most
    diacritics, not all: one of the two is the word it holds, `tests/search/test_words.py`)."""
    words: set[str] = set()
    for column in columns:
        if column:
            words.update(column.split())
    listed = {word for word in words if len(word) >= WORD_MIN}
    listed.update([fold(word) for word in listed if not word.isascii()])
    return listed


def exact_key(text: str) -> str:
    """A title as compared whole: its words and Chinese runs, run together (no spaces, no
    punctuation), so that a title typed with other spacing or punctuation still equals it."""
    return "".join(_RUN.findall(normalize(text)))


# Separators of the elements of a title (ISO: introductory — main — complementary).
_ELEMENTS = re.compile(r"\s+[—–-]\s+|\s*——\s*")


def title_keys(*titles: str) -> list[str]:
    """The exact keys of titles: each whole, and each without its introductory element
    ("Medical devices — Quality management systems — Requirements" is also found as
    "Quality management systems — Requirements")."""
    keys: list[str] = []
    for title in titles:
        if title:
            keys.extend(key for key in _title_keys(title) if key not in keys)
    return keys


@lru_cache(maxsize=65_536)
def _title_keys(title: str) -> tuple[str, ...]:
    """One title's exact keys, kept (the editions of a work share their titles)."""
    elements = _ELEMENTS.split(title.strip())
    keys = (exact_key(title), exact_key(" ".join(elements[1:])) if len(elements) > 1 else "")
    return tuple(dict.fromkeys(key for key in keys if key))


@dataclass(frozen=True)
class Term:
    """One thing the query asks for: a word (perhaps a prefix) or a Chinese phrase.

    `tokens` are the index tokens that must follow each other; `prefix` means the last one
    may be the start of a longer token. `forms`: for an English word read from a Chinese one
    (translate.py), the forms the last token may take in a title (`inflections`), which the
    full-text index matches instead of every word the prefix begins ("fire" finds "fires",
    not "firewall").
    """

    text: str
    tokens: tuple[str, ...]
    prefix: bool
    cjk: bool
    forms: tuple[str, ...] = ()


def inflections(word: str) -> tuple[str, ...]:
    """An English word and the forms titles inflect it to: plurals and the -ed and -ing forms
    ("test": tests, tested, testing; "battery": batteries; "manage": manages, managed,
    managing). A form no title has matches nothing."""
    forms = [word, word + "s", word + "es", word + "ed", word + "ing"]
    if word.endswith("e"):
        forms += [word + "d", word[:-1] + "ing"]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms += [word[:-1] + "ies", word[:-1] + "ied"]
    return tuple(dict.fromkeys(forms))


def query_terms(query: str) -> list[Term]:
    """The terms of a query (all must match), at most MAX_TERMS."""
    terms: list[Term] = []
    seen: set[str] = set()
    for run in _RUN.findall(normalize(query[:MAX_QUERY_LENGTH])):
        if run in seen:
            continue
        seen.add(run)
        if _CJK_RUN.match(run):
            if len(run) == 1:
                terms.append(Term(run, (run,), prefix=True, cjk=True))
            else:
                pairs = tuple(run[i : i + 2] for i in range(len(run) - 1))
                terms.append(Term(run, pairs, prefix=False, cjk=True))
        else:
            terms.append(Term(run, (run,), prefix=len(run) >= PREFIX_MIN, cjk=False))
        if len(terms) >= MAX_TERMS:
            break
    return terms


def mention_terms(identifier: str) -> list[Term]:
    """What a text mentioning an identifier holds: its tokens, whole and in order, as one
    phrase (`GB/T 19001-2016` -> "gb t 19001 2016"). A query naming a standard of the catalog
    looks for these instead of its own words (`search.selectors.standards_search`): the
    identifier's pieces apart (`gb`, `t`, `2016`...) are in half the catalog, and a mention is
    the identifier written out."""
    found = tokens(identifier)
    runs = _RUN.findall(normalize(identifier))
    cjk = any(_CJK_RUN.match(run) for run in runs)
    if runs and _CJK_RUN.match(runs[-1]) and len(runs[-1]) > 1:
        found = found[:-1]  # a last Chinese run by its pairs: found within a longer run too
    return [Term(identifier, tuple(found), prefix=False, cjk=cjk)] if found else []


def highlight(text: str, terms: list[Term]) -> SafeString:
    """The text, HTML-escaped, with the matches of the terms marked `<mark>`."""
    if not text:
        return mark_safe("")
    if not terms:
        return mark_safe(escape(text))
    lowered = unicodedata.normalize("NFKC", text).lower()
    if len(lowered) != len(text):  # positions would not line up: escape, mark nothing
        return mark_safe(escape(text))
    spans: list[tuple[int, int]] = []
    for term in terms:
        if term.cjk:
            pattern = re.escape(term.text)
        else:
            tail = r"[^\W_]*" if term.prefix else ""
            pattern = rf"(?<![^\W_]){re.escape(term.text)}{tail}"
        spans.extend(m.span() for m in re.finditer(pattern, lowered) if m.end() > m.start())
    if not spans:
        return mark_safe(escape(text))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
