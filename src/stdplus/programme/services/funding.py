"""Funding applications: automatic eligibility checks, then the steps of their lifecycle
(programme.lifecycles.FUNDING): the regulator approves or rejects, the applicant may withdraw."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.lifecycle import transition_apply

from ..choices import ApplicationState, EvidenceKind
from ..eligibility import Check, claim_checks
from ..funding_facts import (
    holdings_of,
    item_rule,
    org_facts,
    participation_claims,
    pilot_claim,
    scheme_rule,
)
from ..models import (
    EvidenceDocument,
    FundingApplication,
    FundingItemType,
    FundingScheme,
    Participation,
    Pilot,
)
from .audit import record_create


def eligibility_checks(
    *,
    scheme: FundingScheme,
    item_type: FundingItemType,
    organization: Organization,
    participation: Participation | None,
    pilot: Pilot | None,
    amount_requested: int,
    exclude_id: int | None = None,
    on: dt.date | None = None,
) -> list[Check]:
    """Every rule of `programme.eligibility` for one claim, on the day `on` (today)."""
    claim = None
    if participation is not None:
        with_standard = Participation.objects.select_related("standard").get(pk=participation.pk)
        claim = participation_claims([with_standard], organization.pk)[0]
    elif pilot is not None:
        claim = pilot_claim(pilot, organization.pk)
    rules = scheme_rule(scheme)
    holdings = holdings_of(organization.pk, [rules, *_other_schemes(scheme)], exclude_id)
    return claim_checks(
        org=org_facts(organization),
        scheme=rules,
        item=item_rule(item_type),
        claim=claim,
        holdings=holdings,
        on=on or today(),
        amount=amount_requested,
        item_scheme_id=item_type.scheme_id,
    )


def _other_schemes(scheme: FundingScheme) -> list:
    from ..funding_facts import scheme_rules

    return [rules for rules in scheme_rules() if rules.id != scheme.pk]


def application_checks_refresh(
    application: FundingApplication, on: dt.date | None = None
) -> list[Check]:
    """Apply the rules again (the register may have changed since the application came in), as
    on the day it was submitted (or `on`: the day a draft is submitted)."""
    checks = eligibility_checks(
        on=on or application.submitted_on,
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
        return _application_record(
            scheme=scheme,
            item_type=item_type,
            organization=organization,
            participation=participation,
            pilot=pilot,
            amount_requested=amount_requested,
            on=submitted_on or today(),
            values={"demo": demo},
            actor=actor,
            where=where,
        )


def _application_record(
    *,
    scheme: FundingScheme,
    item_type: FundingItemType,
    organization: Organization,
    participation: Participation | None,
    pilot: Pilot | None,
    amount_requested: int,
    on: dt.date,
    values: dict,
    actor,
    where: Where | None = None,
) -> FundingApplication:
    """Write an application dated `on` with the result of every eligibility check on that day
    (`values`: its other fields), in the caller's transaction."""
    checks = eligibility_checks(
        scheme=scheme,
        item_type=item_type,
        organization=organization,
        participation=participation,
        pilot=pilot,
        amount_requested=amount_requested,
        on=on,
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
            "submitted_on": on,
            "checks": [c.as_dict() for c in checks],
            "eligible": all(c.ok for c in checks),
            **values,
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


# ----------------------------------------------------------------------------------------------
# An enterprise's own applications: a draft, its evidence, then the steps of FUNDING.

# What evidence may be: documents and scans, told by their first bytes, never run.
EVIDENCE_TYPES = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def application_draft(
    *,
    scheme: FundingScheme,
    item_type: FundingItemType,
    organization: Organization,
    amount_requested: int,
    participation: Participation | None = None,
    pilot: Pilot | None = None,
    on: dt.date | None = None,
    actor=None,
) -> FundingApplication:
    """A draft the organization's members complete with evidence, then submit. Refused (nothing
    written) when applications to the scheme are closed, or the amount is not a positive whole
    number within the item's cap."""
    on = on or today()
    if item_type.scheme_id != scheme.pk:
        raise ApplicationError(
            _("The item %(item)s does not belong to the scheme %(scheme)s."),
            params={"item": item_type.code, "scheme": scheme.code},
            where=Where(field="item"),
            code="item_in_scheme",
        )
    closed = (scheme.apply_from and on < scheme.apply_from) or (
        scheme.apply_until and on > scheme.apply_until
    )
    if closed:
        raise ApplicationError(
            _(
                "Applications to %(scheme)s are open from %(start)s to %(end)s; today is "
                "%(day)s: no application can be made."
            ),
            params={
                "scheme": scheme.code,
                "start": scheme.apply_from.isoformat() if scheme.apply_from else "—",
                "end": scheme.apply_until.isoformat() if scheme.apply_until else "—",
                "day": on.isoformat(),
            },
            where=Where(field="scheme"),
            code="application_window",
        )
    if not 0 < amount_requested <= item_type.cap:
        raise ApplicationError(
            _("The amount requested must be between 1 and %(cap)s CNY (the item's cap)."),
            params={"cap": f"{item_type.cap:,}"},
            where=Where(field="amount_requested"),
            code="amount",
        )
    if participation is None and pilot is None:
        raise ApplicationError(
            _("An application claims a participation or a pilot."),
            where=Where(field="claim"),
            code="no_claim",
        )
    with transaction.atomic():
        return _application_record(
            scheme=scheme,
            item_type=item_type,
            organization=organization,
            participation=participation,
            pilot=pilot,
            amount_requested=amount_requested,
            on=on,
            values={"state": ApplicationState.DRAFT},
            actor=actor,
        )


# Evidence comes until the decision (a paper application recorded as submitted brings its own).
EVIDENCE_OPEN_STATES = (
    ApplicationState.DRAFT,
    ApplicationState.SUBMITTED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.MORE_EVIDENCE,
)


def evidence_attach(
    *, application: FundingApplication, kind: str, name: str, data: bytes, actor=None
) -> EvidenceDocument:
    """Attach a document to an application not decided yet.

    Only PDF, PNG, JPEG and OFD files of at most 10 MB, whose content is what their name says;
    the file is stored under a name of ours and only ever served as a download."""
    where = Where(file=name or None, field="file")
    if application.state not in EVIDENCE_OPEN_STATES:
        raise ApplicationError(
            _("Evidence can be added until the application is decided (it is now %(state)s)."),
            params={"state": application.get_state_display()},
            where=where,
            code="wrong_state",
        )
    if kind not in EvidenceKind.values:
        raise ApplicationError(
            _("Unknown kind of evidence: %(kind)s."),
            params={"kind": kind},
            where=Where(field="kind"),
            code="evidence_kind",
        )
    name = (name or "evidence").replace("\\", "/").rsplit("/", 1)[-1][:200]
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        raise ApplicationError(
            _("%(name)s: only PDF, PNG or JPEG files are accepted as evidence."),
            params={"name": name},
            where=where,
            code="evidence_type",
        )
    if not data:
        raise ApplicationError(
            _("%(name)s is empty."), params={"name": name}, where=where, code="evidence_empty"
        )
    if len(data) > EVIDENCE_MAX_BYTES:
        raise ApplicationError(
            _("%(name)s is %(size)s bytes; evidence files may be at most %(limit)s bytes."),
            params={"name": name, "size": len(data), "limit": EVIDENCE_MAX_BYTES},
            where=where,
            code="evidence_size",
        )
    content_type, signature = EVIDENCE_TYPES[suffix]
    if not data.startswith(signature):
        raise ApplicationError(
            _("%(name)s is not a %(type)s file: its content does not match its name."),
            params={"name": name, "type": suffix.upper()},
            where=where,
            code="evidence_content",
        )
    return EvidenceDocument.objects.create(
        application=application,
        kind=kind,
        name=name,
        content_type=content_type,
        size=len(data),
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def evidence_missing(application: FundingApplication) -> list[str]:
    """Kinds of evidence the item requires that the application has not attached yet."""
    held = set(application.evidence.values_list("kind", flat=True))
    return [kind for kind in application.item_type.evidence_required or [] if kind not in held]


def evidence_checklist(application: FundingApplication) -> list[dict]:
    """The reviewer's checklist of documents: each kind the item requires, with the documents
    attached for it; then any other document attached."""
    labels = dict(EvidenceKind.choices)
    documents = list(application.evidence.defer("data").order_by("kind", "pk"))
    required = list(application.item_type.evidence_required or [])
    lines = []
    for kind in required:
        attached = [d for d in documents if d.kind == kind]
        lines.append(
            {"kind": kind, "label": labels.get(kind, kind), "required": True, "documents": attached}
        )
    for kind in sorted({d.kind for d in documents} - set(required)):
        attached = [d for d in documents if d.kind == kind]
        lines.append(
            {
                "kind": kind,
                "label": labels.get(kind, kind),
                "required": False,
                "documents": attached,
            }
        )
    return lines


def may_upload(user, application: FundingApplication) -> bool:
    """The applying organization's members attach evidence; the regulator may too (a paper
    application recorded by hand)."""
    from stdplus.accounts.selectors import is_member

    from ..permissions import can_keep_register

    if application.state not in EVIDENCE_OPEN_STATES:
        return False
    return can_keep_register(user) or is_member(
        user=user, organization_id=application.organization_id
    )
