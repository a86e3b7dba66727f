"""A message means one thing in Chinese across the site.

Django merges the translation catalogs of every app into one per language, and for a message
that two apps both translate, the app listed first in INSTALLED_APPS wins everywhere: the other
app's translation is never shown. Two apps translating one message two ways therefore either
hides a wording or, worse, shows one app's sense on the other's pages (a funding application
"Rejected" read as an identifier that could not be read, a vote's "position" as a line number).
A word with two senses takes a context (`pgettext`, `{% translate "..." context "..." %}`) in
the app that means the other sense; a word with one sense has one translation.
"""

from __future__ import annotations

import struct
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "stdplus"


def _mo_entries(data: bytes) -> dict[str, str]:
    """{msgid (with "context\x04" before it when it has one): msgstr} of a compiled catalog
    (GNU .mo, little-endian as Django's compilemessages writes it); plural forms by their
    singular."""
    magic, _revision, count, originals, translations = struct.unpack("<5I", data[:20])
    assert magic == 0x950412DE, "not a little-endian .mo file"
    entries = {}
    for n in range(count):
        length, offset = struct.unpack("<2I", data[originals + 8 * n : originals + 8 * n + 8])
        msgid = data[offset : offset + length].decode("utf-8").split("\x00")[0]
        length, offset = struct.unpack("<2I", data[translations + 8 * n : translations + 8 * n + 8])
        if msgid:  # (the header)
            entries[msgid] = data[offset : offset + length].decode("utf-8").split("\x00")[0]
    return entries


def _translations() -> dict[tuple[str | None, str], dict[str, str]]:
    """{(context, msgid): {app: its Chinese}} from every app's compiled catalog."""
    found: dict[tuple[str | None, str], dict[str, str]] = defaultdict(dict)
    for path in sorted(SRC.glob("*/locale/zh_Hans/LC_MESSAGES/django.mo")):
        app = path.parts[-5]
        for key, msgstr in _mo_entries(path.read_bytes()).items():
            context, _sep, msgid = key.rpartition("\x04")
            if msgstr:
                found[(context or None, msgid)][app] = msgstr
    return found


def test_no_message_is_translated_two_ways():
    found = _translations()
    assert len(found) > 1000  # (the catalogs were read)
    twice = {
        f"{msgid!r} (context {context!r})": apps
        for (context, msgid), apps in found.items()
        if len(set(apps.values())) > 1
    }
    assert not twice, "translated two ways (give one translation, or a context):\n" + "\n".join(
        f"{message}: {apps}" for message, apps in sorted(twice.items())
    )


def test_words_with_two_senses_read_in_their_own_sense():
    from django.utils import translation

    from stdplus.catalog.choices import Level
    from stdplus.checks.models import CheckLine
    from stdplus.development.models import Vote
    from stdplus.programme.choices import MatchState

    with translation.override("zh-hans"):
        assert str(MatchState.REJECTED.label) == "已驳回"  # a match turned down
        assert str(Level.ENTERPRISE.label) == "企业标准"  # a level of standards
        assert str(Vote._meta.get_field("position").verbose_name) == "表决意见"
        assert str(CheckLine._meta.get_field("position").verbose_name) == "序号"
        assert translation.pgettext("draft standard", "Draft") == "草案"
        assert translation.gettext("Draft") == "草稿"  # a declaration or scheme not yet sent
        assert translation.gettext("Enterprise") == "企业"  # a company


def test_an_action_in_the_audit_log_reads_as_an_action():
    from django.utils import translation

    from stdplus.programme.choices import AuditAction

    with translation.override("zh-hans"):
        assert str(AuditAction.CREATE.label) == "新建"  # not a column's "创建时间"
        assert str(AuditAction.DECIDE.label) == "作出决定"  # not a date's "决定时间"
        assert translation.gettext("since") == "自"  # before a date: "自 2026-01-01"
