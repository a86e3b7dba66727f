"""Link the drafting organizations named on catalog entries to registry organizations.

A name whose normalised form equals exactly one registry organization's name (or alias) is
linked: a participation with source `matched`, lead drafter for the first name on the list and
participating drafter for the others. Everything else goes to the review queue, never linked
silently: several organizations with that name, a name equal apart from place and legal form,
or no organization at all.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError

from ..choices import MatchState, ParticipationRole, RecordSource
from ..models import MatchCandidate, Participation
from ..names import core_key, name_key
from .audit import audit_log
from .registry import participation_create


@dataclass
class MatchReport:
    standards: int = 0
    names: int = 0
    linked: int = 0
    already: int = 0
    queued: int = 0
    unknown: int = 0


def _indexes() -> tuple[dict[str, set[int]], dict[str, set[int]], dict[int, str]]:
    exact: dict[str, set[int]] = defaultdict(set)
    core: dict[str, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    rows = (
        Organization.objects.filter(is_active=True)
        .exclude(programme_profile__archived_at__isnull=False)
        .values_list("id", "name_zh", "name_en", "programme_profile__aliases")
    )
    for org_id, name_zh, name_en, aliases in rows:
        names[org_id] = name_zh or name_en
        for name in (name_zh, name_en, *(aliases or [])):
            if name:
                exact[name_key(name)].add(org_id)
                core[core_key(name)].add(org_id)
    return exact, core, names


def role_for_position(position: int) -> str:
    return ParticipationRole.LEAD if position == 0 else ParticipationRole.DRAFTER


def drafting_organizations_match(*, standards=None, actor=None) -> MatchReport:
    """Match every catalog entry that lists drafting organizations (or the ones given)."""
    report = MatchReport()
    exact, core, names = _indexes()
    queryset = standards if standards is not None else Standard.objects.all()
    queryset = queryset.exclude(drafting_organizations=[]).only("id", "drafting_organizations")
    linked_pairs = set(Participation.objects.live().values_list("organization_id", "standard_id"))
    queued = set(MatchCandidate.objects.values_list("standard_id", "name", "organization_id"))
    with transaction.atomic():
        for standard in queryset.iterator(chunk_size=2000):
            report.standards += 1
            for position, name in enumerate(standard.drafting_organizations or []):
                name = str(name).strip()
                if not name:
                    continue
                report.names += 1
                found = exact.get(name_key(name), set())
                if len(found) == 1:
                    org_id = next(iter(found))
                    if (org_id, standard.id) in linked_pairs:
                        report.already += 1
                        continue
                    participation_create(
                        organization=Organization.objects.get(pk=org_id),
                        standard=standard,
                        role=role_for_position(position),
                        source=RecordSource.MATCHED,
                        note=name,
                        actor=actor,
                    )
                    linked_pairs.add((org_id, standard.id))
                    report.linked += 1
                    continue
                if found:
                    reason, candidates = "several registry organizations have this name", found
                else:
                    candidates = core.get(core_key(name), set())
                    reason = "same name apart from place or legal form"
                if not candidates:
                    report.unknown += 1
                    candidates, reason = {None}, "no registry organization has this name"
                for org_id in candidates:
                    if (standard.id, name, org_id) in queued or (
                        org_id,
                        standard.id,
                    ) in linked_pairs:
                        continue
                    score = (
                        difflib.SequenceMatcher(
                            None, name_key(name), name_key(names[org_id])
                        ).ratio()
                        if org_id
                        else 0.0
                    )
                    MatchCandidate.objects.create(
                        standard=standard,
                        name=name[:300],
                        position=position,
                        organization_id=org_id,
                        score=round(score, 3),
                        reason=reason,
                    )
                    queued.add((standard.id, name, org_id))
                    report.queued += 1
    return report


def match_accept(
    *, candidate: MatchCandidate, organization: Organization | None = None, actor=None
):
    """The regulator confirms a match (optionally naming the right organization)."""
    organization = organization or candidate.organization
    if candidate.state != MatchState.PENDING:
        raise ApplicationError("this match was decided already", code="decided")
    if organization is None:
        raise ApplicationError("name the registry organization to link", code="no_organization")
    with transaction.atomic():
        participation = None
        if (
            not Participation.objects.live()
            .filter(organization=organization, standard_id=candidate.standard_id)
            .exists()
        ):
            participation = participation_create(
                organization=organization,
                standard=candidate.standard,
                role=role_for_position(candidate.position),
                source=RecordSource.REVIEWED,
                note=candidate.name,
                actor=actor,
            )
        _decide(candidate, MatchState.ACCEPTED, actor, organization)
        # The other suggestions for the same name on the same entry are settled by this choice.
        for other in MatchCandidate.objects.filter(
            standard_id=candidate.standard_id, name=candidate.name, state=MatchState.PENDING
        ).exclude(pk=candidate.pk):
            _decide(other, MatchState.REJECTED, actor, None)
    return participation


def match_reject(*, candidate: MatchCandidate, actor=None) -> None:
    if candidate.state != MatchState.PENDING:
        raise ApplicationError("this match was decided already", code="decided")
    with transaction.atomic():
        _decide(candidate, MatchState.REJECTED, actor, None)


def _decide(candidate: MatchCandidate, state: str, actor, organization) -> None:
    candidate.state = state
    candidate.decided_by = actor if actor is not None and actor.is_authenticated else None
    candidate.decided_at = timezone.now()
    if organization is not None:
        candidate.organization = organization
    candidate.save()
    audit_log(
        instance=candidate,
        action="decide",
        actor=actor,
        changes={"state": state, "organization": organization.pk if organization else None},
    )
