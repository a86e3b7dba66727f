"""Support writes: a draft application from a line of the claims page (programme's services
do the writing; this reads and checks what the form sent)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import is_member
from stdplus.core.errors import ApplicationError, Where
from stdplus.programme.models import FundingApplication, FundingItemType, Participation, Pilot
from stdplus.programme.permissions import can_keep_register
from stdplus.programme.services.funding import application_draft

from .choices import QuestionTopic
from .models import Question


def _whole(values, name: str, label) -> int:
    raw = str(values.get(name) or "").strip().replace(",", "")
    if not raw.isdigit() or not 0 < int(raw) < 2**63:
        raise ApplicationError(
            _("%(field)s must be a positive whole number."),
            params={"field": label},
            where=Where(field=name),
            code="invalid",
        )
    return int(raw)


def draft_from_claim(*, organization: Organization, values, actor) -> FundingApplication:
    """`values`: item (id), subject ("standard" or "pilot"), ref (participation or pilot id),
    amount (CNY). Only the organization's members and the regulator may start one."""
    if not (can_keep_register(actor) or is_member(user=actor, organization_id=organization.pk)):
        raise ApplicationError(
            _("Only the organization's members may apply for it."), code="forbidden", status=403
        )
    item = (
        FundingItemType.objects.live()
        .select_related("scheme")
        .filter(pk=_whole(values, "item", _("item")), scheme__archived_at__isnull=True)
        .first()
    )
    if item is None:
        raise ApplicationError(_("No such funding item."), where=Where(field="item"), code="item")
    ref = _whole(values, "ref", _("claim"))
    participation = pilot = None
    if values.get("subject") == "pilot":
        pilot = Pilot.objects.live().filter(pk=ref, host=organization).first()
        if pilot is None:
            raise ApplicationError(
                _("The organization hosts no such pilot."), where=Where(field="ref"), code="ref"
            )
    else:
        participation = (
            Participation.objects.live().filter(pk=ref, organization=organization).first()
        )
        if participation is None:
            raise ApplicationError(
                _("The organization has no such participation in the register."),
                where=Where(field="ref"),
                code="ref",
            )
    return application_draft(
        scheme=item.scheme,
        item_type=item,
        organization=organization,
        participation=participation,
        pilot=pilot,
        amount_requested=_whole(values, "amount", _("amount requested")),
        actor=actor,
    )


def question_ask(
    *,
    organization: Organization,
    user,
    topic: str,
    title: str,
    body: str = "",
    standard: str = "",
    subject: str = "",
    public: bool = False,
) -> Question:
    """An enterprise's question. About a standard: the identifier is read as everywhere
    (`standard_resolve`); one that names nothing is refused with the suggestions."""
    from stdplus.catalog.selectors import standard_resolve
    from stdplus.core.lifecycle import transition_start

    if not is_member(user=user, organization_id=organization.pk):
        raise ApplicationError(
            _("Only the organization's members may ask for it."), code="forbidden", status=403
        )
    title = (title or "").strip()
    if not title:
        raise ApplicationError(
            _("Write the question."), where=Where(field="title"), code="required"
        )
    if topic not in QuestionTopic.values:
        raise ApplicationError(
            _("Choose what the question is about."), where=Where(field="topic"), code="topic"
        )
    found = None
    if topic == QuestionTopic.STANDARD:
        lookup = standard_resolve((standard or "").strip())
        found = lookup.edition
        if found is None:
            near = ", ".join(s.canonical for s in lookup.suggestions[:5])
            raise ApplicationError(
                _("No standard in the catalog is %(text)s.%(near)s"),
                params={
                    "text": standard or "—",
                    "near": (" " + str(_("Did you mean: %(list)s?")) % {"list": near})
                    if near
                    else "",
                },
                where=Where(field="standard"),
                code="standard",
            )
    elif not (subject or "").strip():
        raise ApplicationError(
            _("Name the declaration, test method or committee the question is about."),
            where=Where(field="subject"),
            code="required",
        )
    with transaction.atomic():
        question = Question.objects.create(
            organization=organization,
            asked_by=user,
            topic=topic,
            standard=found,
            subject=(subject or "").strip()[:200],
            title=title[:200],
            body=(body or "").strip(),
            public=bool(public),
        )
        transition_start(question, actor=user)
    return question
