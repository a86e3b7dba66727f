"""Atom feeds: one per watch list (behind its secret URL), and every catalog change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stdplus.accounts.selectors import is_member

from .models import Alert, FeedToken
from .selectors import catalog_changes

FEED_SIZE = 100


def _describe(event) -> str:
    label = event.get_kind_display()
    if event.field and event.kind != "created":
        return f"{label} ({event.field}): {event.old_value} → {event.new_value}"
    return str(label)


class WatchListAtom(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, token: str):
        # A personal address, read only while its person belongs to the list's organization.
        feed = FeedToken.objects.filter(token=token).select_related("watch_list", "user").first()
        if feed is None or not is_member(
            user=feed.user, organization_id=feed.watch_list.organization_id
        ):
            raise Http404("no such feed")
        return feed.watch_list

    def title(self, obj):
        return _("stdplus watch list: %(name)s") % {"name": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def subtitle(self, obj):
        return _("Changes to the standards on this watch list.")

    def items(self, obj):
        return (
            Alert.objects.filter(watch_list=obj)
            .select_related("event__standard")
            .order_by("-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return f"{item.event.standard.canonical}: {_describe(item.event)}"

    def item_description(self, item):
        standard = item.event.standard
        return f"{standard.canonical} {standard.title_zh} {standard.title_en}".strip()

    def item_link(self, item):
        return item.event.standard.get_absolute_url()

    def item_guid(self, item):
        return f"{settings.STDPLUS_SITE_URL}/alerts/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.event.created_at


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
        return "/changes/"

    def items(self, obj):
        return catalog_changes(**obj)[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.standard.canonical}: {_describe(item)}"

    def item_description(self, item):
        return f"{item.standard.title_zh} {item.standard.title_en}".strip()

    def item_link(self, item):
        return item.standard.get_absolute_url()

    def item_guid(self, item):
        return f"{settings.STDPLUS_SITE_URL}/changes/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.created_at
