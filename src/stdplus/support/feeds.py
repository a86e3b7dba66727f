"""The policy library as an Atom feed, with the page's filters: an enterprise subscribes to the
policies of its region and industry (`?region=440304&industry=2682`)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stdplus.core.errors import ApplicationError
from stdplus.core.queries import query_read

from .policies import PolicyFilter, policy_search

FEED_SIZE = 50


def site_url(path: str) -> str:
    return f"{settings.STDPLUS_SITE_URL.rstrip('/')}{path}"


class PoliciesAtom(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        try:
            filters = query_read(PolicyFilter, request.GET)
            return list(policy_search(filters)[:FEED_SIZE])
        except ApplicationError as error:
            raise Http404(error.message) from error

    def title(self, obj):
        return _("stdplus: standardization policies")

    def link(self, obj):
        return site_url(reverse("support:policies"))

    def feed_url(self, obj):
        return site_url(reverse("support:policies-feed"))

    def items(self, obj):
        return obj

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return site_url(item.get_absolute_url())

    def item_pubdate(self, item):
        return timezone.make_aware(dt.datetime.combine(item.issued_on, dt.time(0, 0)))

    def item_updateddate(self, item):
        return item.updated_at
