"""Reading the policy library: the filters the page, the API and the feed share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.programme.models import Region
from stdplus.programme.selectors import region_get

from .models import Policy, PolicyStatus


class PolicyFilter(Schema):
    q: str = Field("", max_length=200, description="Words in the title, summary, text or number.")
    region: str = Field(
        "",
        max_length=40,
        description="A region code: its policies and those of the regions above it "
        "(an enterprise in Futian sees national, Guangdong, Shenzhen and Futian policies).",
    )
    industry: str = Field(
        "", max_length=10, description="A GB/T 4754 code: policies for it or for every industry."
    )
    tag: str = Field("", max_length=60)
    status: PolicyStatus | None = None


def region_and_above(region: Region) -> list[int]:
    ids = []
    node: Region | None = region
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return ids


def _status_q(status: str, day: dt.date) -> Q:
    if status == PolicyStatus.UPCOMING:
        return Q(effective_on__gt=day)
    if status == PolicyStatus.EXPIRED:
        return Q(expires_on__lt=day)
    return (Q(effective_on__isnull=True) | Q(effective_on__lte=day)) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=day)
    )


def policy_search(filters: PolicyFilter, day: dt.date | None = None) -> QuerySet[Policy]:
    """Policies matching the filters, newest first. An unknown region is refused (400)."""
    day = day or today()
    queryset = Policy.objects.select_related("region")
    if filters.q.strip():
        for word in filters.q.split()[:8]:
            queryset = queryset.filter(
                Q(title_zh__icontains=word)
                | Q(title_en__icontains=word)
                | Q(summary_zh__icontains=word)
                | Q(summary_en__icontains=word)
                | Q(full_text__icontains=word)
                | Q(document_number__icontains=word)
                | Q(issuer_zh__icontains=word)
                | Q(issuer_en__icontains=word)
            )
    if filters.region:
        region = region_get(filters.region)
        if region is None:
            raise ApplicationError(
                _("Unknown region: %(region)s."),
                params={"region": filters.region},
                where=Where(field="region"),
                code="region",
            )
        queryset = queryset.filter(region_id__in=region_and_above(region))
    if filters.status:
        queryset = queryset.filter(_status_q(filters.status, day))
    ids = None
    if filters.tag or filters.industry:
        # Tags and industries are short lists per policy: matched here, on every database alike.
        ids = []
        for pk, tags, industries in queryset.values_list("pk", "tags", "industries"):
            if filters.tag and filters.tag.casefold() not in {
                str(t).casefold() for t in tags or []
            }:
                continue
            if (
                filters.industry
                and industries
                and not any(filters.industry.startswith(str(code)) for code in industries)
            ):
                continue
            ids.append(pk)
        queryset = queryset.filter(pk__in=ids)
    return queryset.order_by("-issued_on", "-pk")


def policy_get(pk: int) -> Policy | None:
    if not 0 < pk < 2**63:
        return None
    return Policy.objects.select_related("region").filter(pk=pk).first()


def all_tags() -> list[str]:
    seen: dict[str, None] = {}
    for tags in Policy.objects.values_list("tags", flat=True):
        for tag in tags or []:
            seen.setdefault(str(tag), None)
    return sorted(seen)
