"""The facts the eligibility rules read (programme.eligibility), built from the register, the
catalog and the applications, in a fixed number of queries per organization."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from stdplus.accounts.models import Organization
from stdplus.catalog.choices import RelationType
from stdplus.catalog.models import Relation

from .choices import AWARDED_STATES, CLAIM_HOLDING_STATES, ApplicationState, PilotState
from .eligibility import ClaimFacts, Holdings, ItemRule, OrgFacts, SchemeRule, is_lead
from .models import (
    EvidenceDocument,
    FundingApplication,
    FundingItemType,
    FundingScheme,
    OrganizationProfile,
    Participation,
    Pilot,
)
from .selectors import region_codes

FINAL_STATES = frozenset({ApplicationState.REJECTED, ApplicationState.WITHDRAWN})


def item_rule(item: FundingItemType) -> ItemRule:
    return ItemRule(
        id=item.pk,
        code=item.code,
        name_zh=item.name_zh,
        name_en=item.name_en,
        subject=item.subject,
        cap=item.cap,
        levels=frozenset(item.standard_levels or ()),
        prefixes=frozenset(item.local_prefixes or ()),
        pilot_levels=frozenset(item.pilot_levels or ()),
        work=item.work,
        role_class=item.role_class,
        yearly_count_cap=item.yearly_count_cap,
        organization_yearly_count_cap=item.organization_yearly_count_cap,
        evidence_required=tuple(item.evidence_required or ()),
    )


def scheme_rule(
    scheme: FundingScheme, items: Iterable[FundingItemType] | None = None
) -> SchemeRule:
    if items is None:
        items = scheme.item_types.live()
    return SchemeRule(
        id=scheme.pk,
        code=scheme.code,
        name_zh=scheme.name_zh,
        name_en=scheme.name_en,
        region_zh=scheme.region.name_zh,
        region_en=scheme.region.name_en,
        region_codes=region_codes(scheme.region),
        period_start=scheme.period_start,
        period_end=scheme.period_end,
        items=tuple(item_rule(item) for item in items),
        apply_from=scheme.apply_from,
        apply_until=scheme.apply_until,
        organization_cap=scheme.organization_cap,
        excludes_state_funded=scheme.excludes_state_funded,
        stackable=scheme.stackable,
        to_be_confirmed=scheme.to_be_confirmed,
    )


def scheme_rules() -> list[SchemeRule]:
    """Every live scheme with its live items."""
    schemes = list(FundingScheme.objects.live().select_related("region").order_by("code"))
    items: dict[int, list[FundingItemType]] = defaultdict(list)
    for item in FundingItemType.objects.live().filter(scheme__in=schemes).order_by("-cap", "code"):
        items[item.scheme_id].append(item)
    return [scheme_rule(scheme, items[scheme.pk]) for scheme in schemes]


def org_facts(organization: Organization) -> OrgFacts:
    state_funded = OrganizationProfile.objects.filter(
        organization=organization, fully_state_funded=True, archived_at__isnull=True
    ).exists()
    return OrgFacts(organization.pk, organization.region_code or "", state_funded)


def revisions_among(standard_ids: Iterable[int]) -> set[int]:
    """The standards that revise an earlier edition (they replace or update one)."""
    return set(
        Relation.objects.filter(
            from_standard_id__in=list(standard_ids),
            type__in=[RelationType.REPLACES, RelationType.UPDATES],
        ).values_list("from_standard_id", flat=True)
    )


def participation_claims(
    participations: Iterable[Participation], owner_id: int
) -> list[ClaimFacts]:
    """Claims for participations (their standards selected with them)."""
    participations = list(participations)
    ids = {p.standard_id for p in participations}
    revised = revisions_among(ids)
    drafters = dict(
        Participation.objects.live()
        .filter(standard_id__in=ids)
        .values("standard_id")
        .annotate(n=Count("organization_id", distinct=True))
        .values_list("standard_id", "n")
    )
    claims = []
    for p in participations:
        standard = p.standard
        claims.append(
            ClaimFacts(
                subject="standard",
                ref_id=p.pk,
                subject_id=standard.pk,
                label=standard.canonical,
                level=standard.level,
                date=standard.published,
                body=standard.body,
                revision=standard.is_supplement or standard.pk in revised,
                role=p.role,
                lead=is_lead(
                    p.role, len(standard.drafting_organizations or ()), drafters.get(standard.pk, 0)
                ),
                own=p.organization_id == owner_id and p.archived_at is None,
            )
        )
    return claims


def pilot_claim(pilot: Pilot, owner_id: int) -> ClaimFacts:
    completed = pilot.state_since if pilot.state == PilotState.COMPLETED else None
    return ClaimFacts(
        subject="pilot",
        ref_id=pilot.pk,
        subject_id=pilot.pk,
        label=str(pilot),
        level=pilot.level,
        date=completed,
        own=pilot.host_id == owner_id and pilot.archived_at is None,
    )


def organization_claims(organization: Organization) -> list[ClaimFacts]:
    participations = (
        Participation.objects.live()
        .filter(organization=organization)
        .select_related("standard")
        .order_by("-standard__published", "pk")
    )
    claims = participation_claims(participations, organization.pk)
    pilots = Pilot.objects.live().filter(host=organization).order_by("pk")
    return claims + [pilot_claim(p, organization.pk) for p in pilots]


def holdings_of(
    organization_id: int, schemes: Iterable[SchemeRule], exclude_id: int | None = None
) -> Holdings:
    """What the organization's applications (all but `exclude_id`) and everyone's awards hold."""
    holdings = Holdings(stackable=frozenset(s.id for s in schemes if s.stackable))
    own = FundingApplication.objects.live().filter(organization_id=organization_id)
    if exclude_id is not None:
        own = own.exclude(pk=exclude_id)
    rows = own.values(
        "pk",
        "scheme_id",
        "item_type_id",
        "state",
        "amount_requested",
        "amount_awarded",
        "submitted_on",
        "participation__standard_id",
        "pilot_id",
        "eligible",
    )
    open_ids: dict[int, tuple[int, str, int]] = {}
    items: set[int] = set()
    for row in rows:
        if row["participation__standard_id"]:
            subject = ("standard", row["participation__standard_id"])
        else:
            subject = ("pilot", row["pilot_id"])
        state = row["state"]
        if state not in FINAL_STATES:
            open_ids[row["pk"]] = (row["item_type_id"], *subject)
        if state not in CLAIM_HOLDING_STATES:
            continue
        if state == ApplicationState.SUBMITTED and not row["eligible"]:
            continue  # recorded with failed checks: it holds nothing until it passes them
        awarded = state in AWARDED_STATES
        amount = (row["amount_awarded"] or 0) if awarded else row["amount_requested"]
        holdings.scheme_amounts[row["scheme_id"]] = (
            holdings.scheme_amounts.get(row["scheme_id"], 0) + amount
        )
        key = (row["item_type_id"], row["submitted_on"].year)
        holdings.org_item_counts[key] = holdings.org_item_counts.get(key, 0) + 1
        holdings.claims.setdefault(subject, set()).add(row["scheme_id"])
        items.add(row["item_type_id"])
    kinds: dict[tuple[int, str, int], set[str]] = defaultdict(set)
    for application_id, kind in EvidenceDocument.objects.filter(
        application_id__in=list(open_ids)
    ).values_list("application_id", "kind"):
        kinds[open_ids[application_id]].add(kind)
    holdings.evidence = {key: frozenset(value) for key, value in kinds.items()}
    capped = [i.id for s in schemes for i in s.items if i.yearly_count_cap is not None]
    if capped:
        awarded = FundingApplication.objects.live().filter(
            item_type_id__in=capped, state__in=list(AWARDED_STATES)
        )
        if exclude_id is not None:
            awarded = awarded.exclude(pk=exclude_id)
        for item_id, submitted in awarded.values_list("item_type_id", "submitted_on"):
            key = (item_id, submitted.year)
            holdings.item_counts[key] = holdings.item_counts.get(key, 0) + 1
    return holdings


def open_applications(organization_id: int) -> dict[tuple[int, str, int], int]:
    """The organization's applications still in progress, by (item, subject, subject id)."""
    found: dict[tuple[int, str, int], int] = {}
    rows = (
        FundingApplication.objects.live()
        .filter(organization_id=organization_id)
        .exclude(state__in=list(FINAL_STATES))
        .values_list("pk", "item_type_id", "participation__standard_id", "pilot_id")
        .order_by("pk")
    )
    for pk, item_id, standard_id, pilot_id in rows:
        key = (item_id, "standard", standard_id) if standard_id else (item_id, "pilot", pilot_id)
        found[key] = pk
    return found
