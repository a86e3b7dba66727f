"""Support writes: a draft application from a line of the claims page (programme's services
do the writing; this reads and checks what the form sent)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import is_member
from stdplus.core.errors import ApplicationError, Where
from stdplus.programme.models import FundingApplication, FundingItemType, Participation, Pilot
from stdplus.programme.permissions import can_keep_register
from stdplus.programme.services.funding import application_draft


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
