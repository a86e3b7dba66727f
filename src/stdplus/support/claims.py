"""What an organization can claim from the funding schemes, and why not: the register's facts
handed to the one eligibility engine (`stdplus.programme.eligibility`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import organization_for as accounts_organization_for
from stdplus.accounts.selectors import organization_ids_for
from stdplus.catalog.choices import Level
from stdplus.core.dates import today
from stdplus.core.display import in_language
from stdplus.programme.choices import EvidenceKind, PilotLevel
from stdplus.programme.eligibility import ClaimFacts, Engine, Option
from stdplus.programme.funding_facts import (
    holdings_of,
    open_applications,
    org_facts,
    organization_claims,
    scheme_rules,
)
from stdplus.programme.models.funding import check_text
from stdplus.programme.permissions import can_keep_register


@dataclass
class ClaimLine:
    """One item of one scheme for one claim, in the reader's language."""

    option: Option
    reasons: list[str]  # the rules that failed (empty: eligible)
    evidence_missing: list[tuple[str, str]]  # (code, label)
    application_id: int | None  # the organization's application for it, in progress

    @property
    def eligible(self) -> bool:
        return self.option.eligible

    @property
    def scheme_name(self) -> str:
        return in_language(self.option.scheme.name_zh, self.option.scheme.name_en)

    @property
    def item_name(self) -> str:
        return in_language(self.option.item.name_zh, self.option.item.name_en)


@dataclass
class Claims:
    organization: Organization
    on: dt.date
    lines: list[ClaimLine] = field(default_factory=list)
    unpaid: list[ClaimFacts] = field(default_factory=list)  # claims no item pays for

    @property
    def eligible(self) -> list[ClaimLine]:
        return [line for line in self.lines if line.eligible]

    @property
    def not_eligible(self) -> list[ClaimLine]:
        return [line for line in self.lines if not line.eligible]


def claims_organization(request, organization_id: int | None) -> Organization | None:
    """The organization whose claims the request may read: one of its own (a token: the
    token's), or any one for the regulator; without an id, the one the request acts for."""
    if organization_id is None:
        return accounts_organization_for(request)
    if not 0 < organization_id < 2**63:
        return None
    if can_keep_register(request.user) and getattr(request, "api_token", None) is None:
        return Organization.objects.filter(pk=organization_id).first()
    if organization_id in organization_ids_for(request):
        return Organization.objects.filter(pk=organization_id).first()
    return None


def claims_for(organization: Organization, on: dt.date | None = None) -> Claims:
    on = on or today()
    schemes = scheme_rules()
    claims = organization_claims(organization)
    holdings = holdings_of(organization.pk, schemes)
    options = Engine(schemes).options(org_facts(organization), claims, holdings, on)
    running = open_applications(organization.pk)
    kinds = dict(EvidenceKind.choices)
    result = Claims(organization=organization, on=on)
    judged = set()
    for option in options:
        judged.add((option.claim.subject, option.claim.ref_id))
        key = (option.item.id, option.claim.subject, option.claim.subject_id)
        result.lines.append(
            ClaimLine(
                option=option,
                reasons=[check_text(check.as_dict()) for check in option.failed],
                evidence_missing=[(k, str(kinds.get(k, k))) for k in option.evidence_missing],
                application_id=running.get(key),
            )
        )
    result.lines.sort(key=lambda line: (not line.eligible, -line.option.amount))
    result.unpaid = [c for c in claims if (c.subject, c.ref_id) not in judged]
    return result


def no_item_reason(claim: ClaimFacts) -> str:
    if claim.subject == "standard":
        return _("No item of any funding scheme pays for standards of this level (%(level)s).") % {
            "level": dict(Level.choices).get(claim.level, claim.level)
        }
    return _("No item of any funding scheme pays for pilot projects of this level (%(level)s).") % {
        "level": dict(PilotLevel.choices).get(claim.level, claim.level)
    }
