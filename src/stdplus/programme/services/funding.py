"""Funding applications: automatic eligibility checks, then the steps of their lifecycle
(programme.lifecycles.FUNDING): the regulator approves or rejects, the applicant may withdraw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.choices import RelationType
from stdplus.catalog.models import Relation
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.lifecycle import transition_apply

from ..choices import (
    LEAD_ROLES,
    ApplicationState,
    FundingSubject,
    PilotState,
    RoleClass,
    WorkKind,
)
from ..models import FundingApplication, FundingItemType, FundingScheme, Participation, Pilot
from ..selectors import region_codes
from .audit import record_create

# A claim blocks another for the same thing while it is approved, or submitted and eligible.
OPEN_CLAIM = Q(state=ApplicationState.APPROVED) | Q(state=ApplicationState.SUBMITTED, eligible=True)


@dataclass
class Check:
    """One eligibility rule applied to an application: its name, whether it holds, and the
    parameters of its message (the message itself is `CHECK_MESSAGES[check]`, translated when
    shown, so a page shows one language)."""

    check: str
    ok: bool
    params: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "params": self.params}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def work_kind(standard) -> str:
    """A revision replaces an earlier edition (or is a supplement); anything else is new."""
    if standard.is_supplement:
        return WorkKind.REVISION
    replaces = Relation.objects.filter(
        from_standard=standard, type__in=[RelationType.REPLACES, RelationType.UPDATES]
    ).exists()
    return WorkKind.REVISION if replaces else WorkKind.NEW


def eligibility_checks(
    *,
    scheme: FundingScheme,
    item_type: FundingItemType,
    organization: Organization,
    participation: Participation | None,
    pilot: Pilot | None,
    amount_requested: int,
    exclude_id: int | None = None,
) -> list[Check]:
    checks: list[Check] = []

    def add(name: str, ok: Any, **params: Any) -> None:
        checks.append(Check(name, bool(ok), {k: _plain(v) for k, v in params.items()}))

    add("item_in_scheme", item_type.scheme_id == scheme.pk, scheme=scheme.code)
    codes = region_codes(scheme.region)
    add(
        "organization_in_region",
        organization.region_code in codes,
        region_zh=scheme.region.name_zh,
        region_en=scheme.region.name_en,
        code=organization.region_code or "—",
    )
    add(
        "cap",
        0 < amount_requested <= item_type.cap,
        amount=amount_requested,
        cap=item_type.cap,
    )
    if item_type.subject == FundingSubject.STANDARD:
        add("claims_a_participation", participation is not None)
        if participation is not None:
            standard = participation.standard
            add(
                "own_participation",
                participation.organization_id == organization.pk
                and participation.archived_at is None,
            )
            published = standard.published
            add(
                "published_in_period",
                published is not None and scheme.period_start <= published <= scheme.period_end,
                standard=standard.canonical,
                published=published or "—",
                start=scheme.period_start,
                end=scheme.period_end,
            )
            level_ok = standard.level in item_type.standard_levels
            if level_ok and item_type.local_prefixes:
                level_ok = standard.body in item_type.local_prefixes
            add("level", level_ok, standard=standard.canonical, level=standard.level)
            if item_type.work != WorkKind.ANY:
                kind = work_kind(standard)
                add(
                    "new_or_revision",
                    kind == item_type.work,
                    standard=standard.canonical,
                    kind=kind,
                    item=item_type.work,
                )
            if item_type.role_class != RoleClass.ANY:
                lead = participation.role in LEAD_ROLES
                wanted_lead = item_type.role_class == RoleClass.LEAD
                add(
                    "lead_or_participate",
                    lead == wanted_lead,
                    role=participation.role,
                    item=item_type.role_class,
                )
            double = (
                FundingApplication.objects.live()
                .filter(
                    organization=organization,
                    participation__standard_id=standard.pk,
                )
                .filter(OPEN_CLAIM)
            )
            if exclude_id:
                double = double.exclude(pk=exclude_id)
            add("no_double_claim", not double.exists(), subject=standard.canonical)
    else:
        add("claims_a_pilot", pilot is not None)
        if pilot is not None:
            add(
                "own_pilot",
                pilot.host_id == organization.pk and pilot.archived_at is None,
            )
            add("pilot_level", pilot.level in item_type.pilot_levels, level=pilot.level)
            completed = pilot.state == PilotState.COMPLETED and pilot.state_since
            add(
                "pilot_completed_in_period",
                bool(completed) and scheme.period_start <= pilot.state_since <= scheme.period_end,
                start=scheme.period_start,
                end=scheme.period_end,
            )
            double = FundingApplication.objects.live().filter(OPEN_CLAIM, pilot=pilot)
            if exclude_id:
                double = double.exclude(pk=exclude_id)
            add("no_double_claim", not double.exists(), subject=str(pilot))
    return checks


def application_checks_refresh(application: FundingApplication) -> list[Check]:
    """Apply the rules again (the register may have changed since the application came in)."""
    checks = eligibility_checks(
        scheme=application.scheme,
        item_type=application.item_type,
        organization=application.organization,
        participation=application.participation,
        pilot=application.pilot,
        amount_requested=application.amount_requested,
        exclude_id=application.pk,
    )
    application.checks = [check.as_dict() for check in checks]
    application.eligible = all(check.ok for check in checks)
    return checks


def application_submit(
    *,
    scheme: FundingScheme,
    item_type: FundingItemType,
    organization: Organization,
    amount_requested: int,
    participation: Participation | None = None,
    pilot: Pilot | None = None,
    submitted_on: dt.date | None = None,
    demo: bool = False,
    actor=None,
    where: Where | None = None,
) -> FundingApplication:
    """Record an application with the result of every eligibility check (kept even if it fails)."""
    if participation is None and pilot is None:
        raise ApplicationError(
            _("An application claims a participation or a pilot."), where=where, code="no_claim"
        )
    with transaction.atomic():
        checks = eligibility_checks(
            scheme=scheme,
            item_type=item_type,
            organization=organization,
            participation=participation,
            pilot=pilot,
            amount_requested=amount_requested,
        )
        return record_create(
            model=FundingApplication,
            values={
                "scheme": scheme,
                "item_type": item_type,
                "organization": organization,
                "participation": participation,
                "pilot": pilot,
                "amount_requested": amount_requested,
                "submitted_on": submitted_on or today(),
                "checks": [c.as_dict() for c in checks],
                "eligible": all(c.ok for c in checks),
                "demo": demo,
            },
            actor=actor,
            where=where,
        )


def application_decide(
    *,
    application: FundingApplication,
    approve: bool,
    amount_awarded: int | None = None,
    note: str = "",
    on: dt.date | None = None,
    actor=None,
) -> FundingApplication:
    """The regulator's decision: approve (the award within the cap and the request, only if
    every check passes again) or reject (with the reason). Steps of programme.lifecycles.FUNDING.
    """
    data = {"amount_awarded": amount_awarded} if approve and amount_awarded is not None else {}
    transition_apply(
        application, "approve" if approve else "reject", actor=actor, data=data, on=on, note=note
    )
    return application


def application_withdraw(
    *, application: FundingApplication, actor=None, note: str = "", on: dt.date | None = None
) -> FundingApplication:
    """The applicant takes a submitted application back (members of its organization only)."""
    transition_apply(application, "withdraw", actor=actor, on=on, note=note)
    return application
