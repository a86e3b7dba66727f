"""The Atom feed of new public declarations (the search's filters narrow it)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stdplus.core.errors import ApplicationError
from stdplus.core.queries import query_read

from .filters import DeclarationFilter, filters_search

FEED_SIZE = 50


def _site(path: str) -> str:
    return settings.STDPLUS_SITE_URL + path


class NewDeclarationsAtom(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        try:
            return query_read(DeclarationFilter, request.GET)
        except ApplicationError:
            return DeclarationFilter()

    def title(self, obj):
        return _("stdplus: new enterprise standards self-declarations")

    def subtitle(self, obj):
        return _("Declarations made public, newest first.")

    def link(self, obj):
        return _site(reverse("declarations:search"))

    def feed_url(self, obj):
        return _site(reverse("declarations:feed"))

    def items(self, obj):
        try:
            found = filters_search(obj)
        except ApplicationError:
            return []
        return list(found.prefetch_related("products")[:FEED_SIZE])

    def item_title(self, item):
        names = ", ".join(p.name for p in item.products.all()[:5])
        return _("%(enterprise)s declares: %(products)s (version %(version)s)") % {
            "enterprise": item.enterprise,
            "products": names or "—",
            "version": item.version,
        }

    def item_description(self, item):
        return _("Unified social credit code %(code)s") % {"code": item.enterprise.credit_code}

    def item_link(self, item):
        return _site(item.get_absolute_url())

    def item_guid(self, item):
        return _site(item.get_absolute_url())

    def item_pubdate(self, item):
        day = item.declared_on or item.created_at.date()
        return timezone.make_aware(dt.datetime.combine(day, dt.time()))
