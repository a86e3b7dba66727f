"""Alerts as a person would say them, in the reader's language, at the moment they are read.

"GB/T 19001-2016 has been replaced by GB/T 19001-2026, in force 2027-01-01." One sentence per
alert, from its event and what the catalog says now (the relations, the dates); never field
names or stored values as they are. Call inside the reader's language
(`translation.override(recipient.language)`): the inbox in the page's, the feed in its
person's, webhooks and digests in the language stored with them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from stdplus.catalog.choices import EventKind, RelationType, Status
from stdplus.catalog.models import Relation, Standard

# The dates a `dates` event may name, with the words people use for them.
DATE_WORDS = {
    "published": lambda: _("publication date"),
    "effective": lambda: _("date of entry into force"),
    "withdrawn": lambda: _("withdrawal date"),
    "confirmed": lambda: _("confirmation date"),
}
FIELD_WORDS = {
    "title_zh": lambda: _("Chinese title"),
    "title_en": lambda: _("English title"),
    "scope": lambda: _("scope"),
    "committee": lambda: _("responsible committee"),
    "mandate": lambda: _("mandate"),
    "source_status": lambda: _("status at the source"),
    "stage_code": lambda: _("stage"),
    "url": lambda: _("source page"),
}


@dataclass
class Phrase:
    text: str  # the sentence
    standard: Standard | None  # the standard it is mainly about (the new edition); None: a notice
    url: str  # its page, at the site's own address (STDPLUS_SITE_URL)
    title: str = ""  # what it is about, in a few words (the standard's number, a policy's title)


def site_url(path: str) -> str:
    return settings.STDPLUS_SITE_URL + path


def _day(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) >= 10:
        return value[:10]
    return _("no date")


def _in_force(standard: Standard) -> dt.date | None:
    return standard.effective or standard.published


def _replaced(old: str, new: Standard) -> str:
    day = _in_force(new)
    if day is None:
        return _("%(old)s has been replaced by %(new)s.") % {"old": old, "new": new.canonical}
    return _("%(old)s has been replaced by %(new)s, in force %(day)s.") % {
        "old": old,
        "new": new.canonical,
        "day": day.isoformat(),
    }


class _Replacements:
    """Every `replaces` relation touching the standards of some alerts, read in one query."""

    def __init__(self, standards: Iterable[Standard]) -> None:
        keys = {s.canonical for s in standards}
        self.replaces: dict[str, list[str]] = defaultdict(list)  # new -> olds
        self.replaced_by: dict[str, list[Standard]] = defaultdict(list)  # old -> news
        if not keys:
            return
        rows = Relation.objects.filter(type=RelationType.REPLACES).filter(
            from_key__in=keys
        ) | Relation.objects.filter(type=RelationType.REPLACES, to_key__in=keys)
        for relation in rows.select_related("from_standard").order_by("from_key", "to_key"):
            self.replaces[relation.from_key].append(relation.to_key)
            if relation.from_standard is not None:
                self.replaced_by[relation.to_key].append(relation.from_standard)


def _sentence(event, standard: Standard, known: _Replacements) -> tuple[str, Standard]:
    name = standard.canonical
    olds = known.replaces.get(name, [])
    news = known.replaced_by.get(name, [])
    kind = event.kind
    if kind == EventKind.CREATED:
        if olds:
            return _replaced(", ".join(olds), standard), standard
        day = _in_force(standard)
        if day is not None:
            text = _("%(new)s has been published, in force %(day)s.") % {
                "new": name,
                "day": day.isoformat(),
            }
        else:
            text = _("%(new)s has been added to the catalog.") % {"new": name}
        return text, standard
    if (
        kind in (EventKind.STATUS, EventKind.RELATION_ADDED)
        and news
        and (
            kind == EventKind.RELATION_ADDED
            or standard.status in (Status.SUPERSEDED, Status.WITHDRAWN)
        )
    ):
        newest = max(news, key=lambda s: (_in_force(s) or dt.date.min, s.canonical))
        return _replaced(name, newest), newest
    if kind == EventKind.RELATION_ADDED and olds:
        return _replaced(", ".join(olds), standard), standard
    if kind == EventKind.STATUS:
        new = event.new_value if event.new_value in Status.values else standard.status
        if new == Status.WITHDRAWN and standard.withdrawn:
            text = _("%(standard)s has been withdrawn, on %(day)s.") % {
                "standard": name,
                "day": standard.withdrawn.isoformat(),
            }
        else:
            text = _("%(standard)s is now: %(status)s.") % {
                "standard": name,
                "status": Status(new).label,
            }
        return text, standard
    if kind == EventKind.DATES:
        what = DATE_WORDS.get(event.field, lambda: _("date"))()
        if event.new_value in (None, ""):
            text = _("%(standard)s: the %(what)s %(old)s has been removed.") % {
                "standard": name,
                "what": what,
                "old": _day(event.old_value),
            }
        elif event.old_value in (None, ""):
            text = _("%(standard)s: %(what)s set to %(new)s.") % {
                "standard": name,
                "what": what,
                "new": _day(event.new_value),
            }
        else:
            text = _("%(standard)s: %(what)s changed from %(old)s to %(new)s.") % {
                "standard": name,
                "what": what,
                "old": _day(event.old_value),
                "new": _day(event.new_value),
            }
        return text, standard
    if kind in (EventKind.RELATION_ADDED, EventKind.RELATION_REMOVED):
        value = event.new_value if kind == EventKind.RELATION_ADDED else event.old_value
        value = value if isinstance(value, dict) else {}
        relation = value.get("type", event.field)
        label = RelationType(relation).label if relation in RelationType.values else ""
        source, target = value.get("from", ""), value.get("to", "")
        words = {"from": source, "relation": label, "to": target}
        if kind == EventKind.RELATION_ADDED:
            text = _("The catalog now records: %(from)s %(relation)s %(to)s.") % words
        else:
            text = _("The catalog no longer records: %(from)s %(relation)s %(to)s.") % words
        return text, standard
    what = FIELD_WORDS.get(event.field, lambda: _("details"))()
    return _("%(standard)s: the %(what)s has changed.") % {"standard": name, "what": what}, standard


def in_reader_language(values: dict) -> str:
    """A notice's text in the current language: its Chinese on a Chinese page, else English
    (each falling back on the other, then on whatever it has)."""
    from django.utils.translation import get_language

    chinese = (get_language() or "").lower().startswith("zh")
    order = ("zh-hans", "en") if chinese else ("en", "zh-hans")
    for language in order:
        if values.get(language):
            return str(values[language])
    return next((str(v) for v in values.values() if v), "")


def phrases(alerts: Iterable) -> dict[int, Phrase]:
    """{alert id: its phrase} in the current language; the alerts' `event__standard` and
    `notice` loaded. A notice says itself (its sentence in each language, given by the app
    that sent it)."""
    alerts = list(alerts)
    known = _Replacements(a.event.standard for a in alerts if a.event_id)
    out = {}
    for alert in alerts:
        if alert.event_id is None:
            notice = alert.notice
            out[alert.pk] = Phrase(
                in_reader_language(notice.texts),
                None,
                site_url(notice.path),
                in_reader_language(notice.titles),
            )
            continue
        text, about = _sentence(alert.event, alert.event.standard, known)
        out[alert.pk] = Phrase(text, about, site_url(about.get_absolute_url()), about.canonical)
    return out


def phrase(alert) -> Phrase:
    return phrases([alert])[alert.pk]


def event_phrases(events: Iterable) -> dict[int, str]:
    """{event id: its sentence} for catalog change events (the changes page and feed)."""
    events = list(events)
    known = _Replacements(e.standard for e in events)
    return {e.pk: _sentence(e, e.standard, known)[0] for e in events}
