"""Family: funding applications of organizations of the node, with the amounts."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from django.db.models import Case, CharField, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from stdplus.programme.choices import AWARDED_STATES, ApplicationState
from stdplus.programme.models import FundingApplication
from stdplus.programme.permissions import can_keep_register

from .base import Indicator, RecordRow, Scope, Split


class FundingRow(RecordRow):
    """An application; who applied and how much is public only once funded (or to the register's
    keepers and the applicant's members)."""

    template: ClassVar[str] = "stats/rows/funding.html"

    type: Literal["funding_application"] = "funding_application"
    id: int
    organization: str | None
    item: str
    item_zh: str
    claim: str
    submitted_on: dt.date
    state: str
    amount_requested: int | None
    amount_awarded: int | None
    demo: bool


class FundingIndicator(Indicator):
    """Applications submitted in the period by organizations of the node."""

    key = "funding"
    order = 100
    short_label = _("Funding applications")
    label = _("Funding applications")
    unit = _("applications")
    model = FundingApplication
    row_schema = FundingRow
    ordering = ("-submitted_on", "-pk")
    district_field = "organization__region_code"
    splits = [
        Split("state", _("State"), [c for c in ApplicationState.choices if c[0] != "draft"]),
        Split(
            "decision",
            _("Decision"),
            [("awarded", _("Awarded (approved or paid)")), ("not_awarded", _("Not awarded"))],
        ),
    ]
    rows_depend_on_reader = True
    has_amounts = True
    # The list behind the awarded amount.
    awarded_filters: ClassVar[dict[str, str]] = {"decision": "awarded"}

    def base(self, scope: Scope) -> QuerySet:
        # Drafts are the enterprise's own work, not yet applications.
        queryset = (
            FundingApplication.objects.live()
            .exclude(state=ApplicationState.DRAFT)
            .filter(
                organization__region_code__in=scope.codes,
                submitted_on__range=(scope.period.start, scope.period.end),
            )
            .annotate(
                decision=Case(
                    When(state__in=list(AWARDED_STATES), then=Value("awarded")),
                    default=Value("not_awarded"),
                    output_field=CharField(),
                )
            )
            .select_related("organization", "item_type", "participation__standard", "pilot")
        )
        if scope.real_only:
            queryset = queryset.filter(demo=False)
        return queryset

    def amounts(self, scope: Scope, filters: dict[str, str] | None = None) -> dict[str, int]:
        totals = self.records(scope, filters).aggregate(
            requested=Sum("amount_requested"),
            awarded=Sum("amount_awarded", filter=Q(state__in=list(AWARDED_STATES))),
        )
        return {k: int(v or 0) for k, v in totals.items()}

    def extra(self, scope: Scope) -> dict[str, int]:
        amounts = self.amounts(scope)
        amounts["awarded_previous"] = self.amounts(scope.with_period(scope.period.previous()))[
            "awarded"
        ]
        return amounts

    def rows(self, records: list, scope: Scope, reader) -> list[RecordRow]:
        see_all = can_keep_register(reader)
        own: set[int] = set()
        if reader.is_authenticated and not see_all:
            own = set(reader.memberships.values_list("organization_id", flat=True))
        rows: list[RecordRow] = []
        for a in records:
            # Awards are published; who applied and was not (yet) funded is not.
            public = a.state in AWARDED_STATES or see_all or a.organization_id in own
            if a.participation_id:
                claim = a.participation.standard.canonical
            else:
                claim = str(a.pilot) if a.pilot_id else ""
            rows.append(
                FundingRow(
                    id=a.pk,
                    organization=str(a.organization) if public else None,
                    item=a.item_type.name_en,
                    item_zh=a.item_type.name_zh,
                    claim=claim,
                    submitted_on=a.submitted_on,
                    state=a.state,
                    amount_requested=a.amount_requested if public else None,
                    amount_awarded=a.amount_awarded,
                    demo=a.demo,
                )
            )
        return rows
