"""Reads of validity checks, always within one organization."""

from __future__ import annotations

from django.db.models import QuerySet

from stdplus.accounts.models import Organization

from .models import Category, CheckLine, ValidityCheck


def validity_check_list(*, organization: Organization) -> QuerySet[ValidityCheck]:
    return ValidityCheck.objects.filter(organization=organization).select_related("created_by")


def validity_check_get(*, organization: Organization, pk: int) -> ValidityCheck | None:
    """The check if it belongs to this organization; None otherwise (also for others')."""
    return ValidityCheck.objects.filter(organization=organization, pk=pk).first()


def check_lines(*, check: ValidityCheck, category: str = "") -> QuerySet[CheckLine]:
    lines = CheckLine.objects.filter(validity_check=check).order_by("position")
    if category in Category.values:
        lines = lines.filter(category=category)
    return lines
