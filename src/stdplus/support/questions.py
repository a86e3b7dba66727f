"""Expert help: who may see a question, and which experts of the register suit it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from stdplus.accounts.models import Membership
from stdplus.core.dates import today
from stdplus.programme.models import Expert, Position
from stdplus.programme.permissions import can_keep_register

from .models import ExpertProfile, Question


@dataclass
class Suggestion:
    expert: Expert
    score: int
    fields: list[str] = field(default_factory=list)  # what matched: classes and bodies


def expert_of(user) -> Expert | None:
    """The register's expert whose account this is (None for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = ExpertProfile.objects.filter(user=user).select_related("expert").first()
    return profile.expert if profile else None


def experts_suggested(question: Question, limit: int = 10) -> list[Suggestion]:
    """Available experts of the register by their fields: the ICS and CCS classes they name
    against the standard's, and the committees where they hold a post now against the
    standard's committee or the committee asked about. An expert of the asking organization is
    left out (a conflict of interest), as is one who takes no questions or has no account."""
    codes: dict[str, set[str]] = {"ics": set(), "ccs": set()}
    committee = question.subject.strip() if question.topic == "committee" else ""
    if question.standard_id:
        for scheme, code in question.standard.classifications.values_list("scheme", "code"):
            codes.setdefault(scheme, set()).add(code)
        committee = committee or question.standard.committee
    profiles = (
        ExpertProfile.objects.filter(available=True, user__isnull=False, user__is_active=True)
        .filter(expert__archived_at__isnull=True)
        .exclude(expert__organization_id=question.organization_id)
        .select_related("expert")
    )
    day = today()
    bodies: dict[int, list[str]] = {}
    if committee:
        live = Position.objects.live().filter(
            Q(term_end__isnull=True) | Q(term_end__gte=day), term_start__lte=day
        )
        for expert_id, body in live.values_list("expert_id", "body"):
            if committee.casefold().startswith(body.casefold()) or body.casefold().startswith(
                committee.casefold()
            ):
                bodies.setdefault(expert_id, []).append(body)
    found = []
    for profile in profiles:
        matched = []
        for scheme in ("ics", "ccs"):
            for wanted in getattr(profile, scheme) or []:
                if any(code.startswith(str(wanted)) for code in codes.get(scheme, ())):
                    matched.append(f"{scheme.upper()} {wanted}")
        matched += bodies.get(profile.expert_id, [])
        if matched:
            found.append(Suggestion(profile.expert, len(matched), matched))
    found.sort(key=lambda s: (-s.score, s.expert.pk))
    return found[:limit]


def is_suggested(user, question: Question) -> bool:
    expert = expert_of(user)
    return expert is not None and any(
        s.expert.pk == expert.pk for s in experts_suggested(question, limit=1000)
    )


def questions_visible_to(user) -> QuerySet[Question]:
    """Public questions to everyone; private ones to the asking organization's members, the
    expert who took them and the regulator."""
    queryset = Question.objects.select_related("standard", "expert", "organization")
    if can_keep_register(user):
        return queryset
    visible = Q(public=True)
    if getattr(user, "is_authenticated", False):
        own = Membership.objects.filter(user=user).values("organization_id")
        visible |= Q(organization_id__in=own)
        expert = expert_of(user)
        if expert is not None:
            visible |= Q(expert=expert)
            # Experts read the open questions they are suggested for, to take one.
    return queryset.filter(visible)


def public_answers(text: str = "", standard_id: int | None = None) -> QuerySet[Question]:
    """The knowledge base: public questions that have an answer, searchable by words."""
    queryset = Question.objects.filter(public=True, state__in=["answered", "rated"])
    for word in text.split()[:8]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(body__icontains=word) | Q(answer__icontains=word)
        )
    if standard_id is not None:
        queryset = queryset.filter(standard_id=standard_id)
    return queryset.select_related("standard").order_by("-answered_on", "-pk")


def question_visible_get(user, pk: int) -> Question | None:
    """A question the user may read: what `questions_visible_to` gives, and an open one the
    user, an expert, is suggested for (to take it)."""
    if not 0 < pk < 2**63:
        return None
    found = questions_visible_to(user).filter(pk=pk).first()
    if found is not None:
        return found
    candidate = Question.objects.filter(pk=pk, state="asked").first()
    if candidate is not None and is_suggested(user, candidate):
        return candidate
    return None


def expert_fields_read(text: str, scheme: str) -> list[str]:
    """ICS or CCS classes typed in a form (separated by commas or spaces), each one the catalog
    knows; a clear error naming the first it does not."""
    import re

    from django.utils.translation import gettext_lazy as _

    from stdplus.catalog.models import Classification
    from stdplus.core.errors import ApplicationError, Where

    codes = list(dict.fromkeys(c for c in re.split(r"[\s,，;；、]+", text or "") if c))[:50]
    known = set(
        Classification.objects.filter(scheme=scheme, code__in=codes).values_list("code", flat=True)
    )
    for code in codes:
        if code not in known:
            raise ApplicationError(
                _("The catalog knows no %(scheme)s class %(code)s."),
                params={"code": code[:20], "scheme": scheme.upper()},
                where=Where(field=scheme),
                code="class",
            )
    return codes


def expert_profile_set(*, profile: ExpertProfile, available: bool, ics: str, ccs: str):
    """An expert's own availability and fields (nothing written if a class is unknown)."""
    ics_codes = expert_fields_read(ics, "ics")
    ccs_codes = expert_fields_read(ccs, "ccs")
    profile.available, profile.ics, profile.ccs = bool(available), ics_codes, ccs_codes
    profile.save(update_fields=["available", "ics", "ccs"])
    return profile
