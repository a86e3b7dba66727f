"""Registry writes: organizations with their profile, issuer codes, participations."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError, Where

from ..choices import RecordSource
from ..models import IssuerCode, OrganizationProfile, Participation
from .audit import record_create


def organization_register(
    *,
    name_zh: str = "",
    name_en: str = "",
    kind: str,
    credit_code: str = "",
    region_code: str = "",
    aliases: list[str] | None = None,
    demo: bool = False,
    actor=None,
    where: Where | None = None,
) -> Organization:
    """Add an organization to the registry (an accounts Organization plus its profile)."""
    with transaction.atomic():
        organization = record_create(
            model=Organization,
            values={
                "name_zh": name_zh.strip(),
                "name_en": name_en.strip(),
                "kind": kind,
                "credit_code": credit_code.strip().upper(),
                "region_code": region_code.strip(),
            },
            actor=actor,
            where=where,
        )
        record_create(
            model=OrganizationProfile,
            values={"organization": organization, "aliases": aliases or [], "demo": demo},
            actor=actor,
            where=where,
        )
    return organization


def profile_ensure(*, organization: Organization) -> OrganizationProfile:
    profile, _created = OrganizationProfile.objects.get_or_create(organization=organization)
    return profile


def participation_create(
    *,
    organization: Organization,
    standard: Standard,
    role: str,
    source: str = RecordSource.MANUAL,
    note: str = "",
    demo: bool = False,
    actor=None,
    where: Where | None = None,
) -> Participation:
    if Participation.objects.live().filter(organization=organization, standard=standard).exists():
        raise ApplicationError(
            _("%(organization)s already has a participation in %(standard)s"),
            params={"organization": organization, "standard": standard.canonical},
            where=where,
            code="duplicate",
        )
    return record_create(
        model=Participation,
        values={
            "organization": organization,
            "standard": standard,
            "role": role,
            "source": source,
            "note": note,
            "demo": demo,
        },
        actor=actor,
        where=where,
    )


def issuer_code_set(
    *,
    code: str,
    kind: str,
    organization: Organization,
    source: str = RecordSource.MANUAL,
    actor=None,
) -> IssuerCode:
    code = code.strip().upper()
    existing = IssuerCode.objects.filter(code=code).first()
    if existing is not None:
        from .audit import record_update

        return record_update(
            instance=existing,
            changes={
                "organization": organization,
                "kind": kind,
                "source": source,
                "archived_at": None,
            },
            actor=actor,
        )
    return record_create(
        model=IssuerCode,
        values={"code": code, "kind": kind, "organization": organization, "source": source},
        actor=actor,
    )
