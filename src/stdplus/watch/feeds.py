"""Atom feeds: one per watch list (behind its secret URL), and every catalog change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stdplus.accounts.selectors import is_member

from .models import Alert, FeedToken
from .phrasing import event_phrases, phrases, site_url
from .selectors import catalog_changes

FEED_SIZE = 100


def _title(standard) -> str:
    """The standard's title in the reader's language (the other one if it has only that)."""
    chinese = (translation.get_language() or "").startswith("zh")
    first, second = (
        (standard.title_zh, standard.title_en)
        if chinese
        else (standard.title_en, standard.title_zh)
    )
    return f"{standard.canonical} {first or second}".strip()


class WatchListAtom(Feed):
    """A person's feed of one list: in the language they read (stored with the address), each
    alert one sentence, every link at the site's own address (STDPLUS_SITE_URL)."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        feed = FeedToken.objects.filter(token=kwargs.get("token", "")).only("language").first()
        with translation.override(feed.language if feed else None):
            return super().__call__(request, *args, **kwargs)

    def get_object(self, request, token: str):
        # A personal address, read only while its person belongs to the list's organization.
        feed = FeedToken.objects.filter(token=token).select_related("watch_list", "user").first()
        if feed is None or not is_member(
            user=feed.user, organization_id=feed.watch_list.organization_id
        ):
            raise Http404("no such feed")
        watch_list = feed.watch_list
        watch_list.feed_path = request.path  # its own address, at the site's (feed_url)
        return watch_list

    def feed_url(self, obj):
        return site_url(obj.feed_path)

    def title(self, obj):
        return _("stdplus watch list: %(name)s") % {"name": obj.name}

    def link(self, obj):
        return site_url(obj.get_absolute_url())

    def subtitle(self, obj):
        return _("Changes to the standards on this watch list.")

    def items(self, obj):
        alerts = list(
            Alert.objects.filter(watch_list=obj)
            .select_related("event__standard", "notice")
            .order_by("-id")[:FEED_SIZE]
        )
        said = phrases(alerts)
        for alert in alerts:
            alert.phrase = said[alert.pk]
        return alerts

    def item_title(self, item):
        return item.phrase.text

    def item_description(self, item):
        if item.phrase.standard is None:  # a notice: its title
            return item.phrase.title
        return _title(item.phrase.standard)

    def item_link(self, item):
        return item.phrase.url

    def item_guid(self, item):
        return f"{settings.STDPLUS_SITE_URL}/alerts/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.happened_at


class ChangesAtom(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        return {
            "level": request.GET.get("level", ""),
            "body": request.GET.get("body", ""),
            "ics": request.GET.get("ics", ""),
            "kind": request.GET.get("kind", ""),
        }

    def title(self, obj):
        return _("stdplus: changes to the catalog of standards")

    def link(self, obj):
        return site_url(reverse("watch:changes"))

    def feed_url(self, obj):
        return site_url(reverse("watch:changes-feed"))

    def items(self, obj):
        events = list(catalog_changes(**obj)[:FEED_SIZE])
        said = event_phrases(events)
        for event in events:
            event.phrase = said[event.pk]
        return events

    def item_title(self, item):
        return item.phrase

    def item_description(self, item):
        return _title(item.standard)

    def item_link(self, item):
        return site_url(item.standard.get_absolute_url())

    def item_guid(self, item):
        return f"{settings.STDPLUS_SITE_URL}/changes/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at
