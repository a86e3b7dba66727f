"""Funding applications: automatic eligibility checks, then the regulator's decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Q

from stdplus.accounts.models import Organization
from stdplus.catalog.choices import RelationType
from stdplus.catalog.models import Relation
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where

from ..choices import (
    LEAD_ROLES,
    ApplicationState,
    AuditAction,
    FundingSubject,
    PilotState,
    RoleClass,
    WorkKind,
)
from ..models import FundingApplication, FundingItemType, FundingScheme, Participation, Pilot
from ..selectors import region_codes
from .audit import audit_log, record_create

# A claim blocks another for the same thing while it is approved, or submitted and eligible.
OPEN_CLAIM = Q(state=ApplicationState.APPROVED) | Q(state=ApplicationState.SUBMITTED, eligible=True)


@dataclass
class Check:
    check: str
    ok: bool
    message: str


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
    add = lambda name, ok, message: checks.append(Check(name, bool(ok), message))  # noqa: E731
    add("item_in_scheme", item_type.scheme_id == scheme.pk, f"the item belongs to {scheme.code}")
    codes = region_codes(scheme.region)
    add(
        "organization_in_region",
        organization.region_code in codes,
        f"the organization is registered in {scheme.region.name_en} ({organization.region_code or 'no region'})",
    )
    add(
        "cap",
        0 < amount_requested <= item_type.cap,
        f"the amount requested ({amount_requested:,}) is within the cap ({item_type.cap:,} CNY)",
    )
    if item_type.subject == FundingSubject.STANDARD:
        add("claims_a_participation", participation is not None, "the claim names a participation")
        if participation is not None:
            standard = participation.standard
            add(
                "own_participation",
                participation.organization_id == organization.pk
                and participation.archived_at is None,
                "the participation is the organization's own and is in the register",
            )
            published = standard.published
            add(
                "published_in_period",
                published is not None and scheme.period_start <= published <= scheme.period_end,
                f"{standard.canonical} was published ({published or 'no date'}) between "
                f"{scheme.period_start} and {scheme.period_end}",
            )
            level_ok = standard.level in item_type.standard_levels
            if level_ok and item_type.local_prefixes:
                level_ok = standard.body in item_type.local_prefixes
            add(
                "level",
                level_ok,
                f"{standard.canonical} is a {standard.level} standard of the kind this item pays for",
            )
            if item_type.work != WorkKind.ANY:
                kind = work_kind(standard)
                add(
                    "new_or_revision",
                    kind == item_type.work,
                    f"{standard.canonical} is a {kind} (item: {item_type.work})",
                )
            if item_type.role_class != RoleClass.ANY:
                lead = participation.role in LEAD_ROLES
                wanted_lead = item_type.role_class == RoleClass.LEAD
                add(
                    "lead_or_participate",
                    lead == wanted_lead,
                    f"the organization's role ({participation.role}) matches the item ({item_type.role_class})",
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
            add(
                "no_double_claim",
                not double.exists(),
                f"no other open claim for {standard.canonical}",
            )
    else:
        add("claims_a_pilot", pilot is not None, "the claim names a pilot project")
        if pilot is not None:
            add(
                "own_pilot",
                pilot.host_id == organization.pk and pilot.archived_at is None,
                "the pilot is hosted by the organization and is in the register",
            )
            add(
                "pilot_level",
                pilot.level in item_type.pilot_levels,
                f"the pilot's level ({pilot.level}) is one this item pays for",
            )
            completed = pilot.state == PilotState.COMPLETED and pilot.state_since
            add(
                "pilot_completed_in_period",
                bool(completed) and scheme.period_start <= pilot.state_since <= scheme.period_end,
                f"the pilot was completed between {scheme.period_start} and {scheme.period_end}",
            )
            double = FundingApplication.objects.live().filter(OPEN_CLAIM, pilot=pilot)
            if exclude_id:
                double = double.exclude(pk=exclude_id)
            add("no_double_claim", not double.exists(), "no other open claim for this pilot")
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
            "an application claims a participation or a pilot", where=where, code="no_claim"
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
                "checks": [asdict(c) for c in checks],
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
    """Approve (within the cap and the request, only if every check passes) or reject."""
    with transaction.atomic():
        application = FundingApplication.objects.select_for_update().get(pk=application.pk)
        if application.state != ApplicationState.SUBMITTED:
            raise ApplicationError("this application was decided already", code="decided")
        if approve:
            checks = eligibility_checks(
                scheme=application.scheme,
                item_type=application.item_type,
                organization=application.organization,
                participation=application.participation,
                pilot=application.pilot,
                amount_requested=application.amount_requested,
                exclude_id=application.pk,
            )
            application.checks = [asdict(c) for c in checks]
            application.eligible = all(c.ok for c in checks)
            if not application.eligible:
                failed = ", ".join(c.check for c in checks if not c.ok)
                raise ApplicationError(f"not eligible: {failed}", code="not_eligible")
            amount = application.amount_requested if amount_awarded is None else amount_awarded
            limit = min(application.amount_requested, application.item_type.cap)
            if not 0 < amount <= limit:
                raise ApplicationError(
                    f"the award must be between 1 and {limit:,} CNY",
                    where="amount_awarded",
                    code="amount",
                )
            application.amount_awarded = amount
            application.state = ApplicationState.APPROVED
        else:
            application.amount_awarded = None
            application.state = ApplicationState.REJECTED
        application.decided_by = actor if actor is not None and actor.is_authenticated else None
        application.decided_on = on or today()
        application.decision_note = note
        application.save()
        audit_log(
            instance=application,
            action=AuditAction.DECIDE,
            actor=actor,
            changes={
                "state": application.state,
                "amount_awarded": application.amount_awarded,
                "note": note,
            },
        )
    return application
