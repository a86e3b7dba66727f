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
from django.utils.translation import gettext_noop

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.lifecycle import transition_apply

from ..choices import ParticipationRole, RecordSource
from ..models import MatchCandidate, Participation
from ..names import core_key, name_key
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
                    reason, candidates = (
                        gettext_noop("several registry organizations have this name"),
                        found,
                    )
                else:
                    candidates = core.get(core_key(name), set())
                    reason = gettext_noop("same name apart from place or legal form")
                if not candidates:
                    report.unknown += 1
                    candidates, reason = (
                        {None},
                        gettext_noop("no registry organization has this name"),
                    )
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
) -> Participation | None:
    """The regulator confirms a match (optionally naming the right organization): the step
    "accept" of programme.lifecycles.MATCH. Returns the participation it recorded, if any."""
    data = {"organization": organization.pk} if organization is not None else {}
    event = transition_apply(candidate, "accept", actor=actor, data=data)
    participation_id = event.data.get("participation")
    return Participation.objects.get(pk=participation_id) if participation_id else None


def match_reject(*, candidate: MatchCandidate, actor=None) -> None:
    transition_apply(candidate, "reject", actor=actor)
