"""Account reads: memberships, the organization a request acts for, token lookup."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from .models import ApiToken, Membership, Organization, Role

SESSION_KEY = "stdplus_organization"


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(
        Membership.objects.filter(user=user, organization__is_active=True)
        .select_related("organization")
        .order_by("created_at", "pk")
    )


def organization_for(request) -> Organization | None:
    """The organization a request acts for: the token's, else the one chosen in the session
    (a person in several organizations switches), else the person's first."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return token.organization
    cached = getattr(request, "_stdplus_organization", None)
    if cached is not None:
        return cached
    memberships = memberships_of(request.user)
    if not memberships:
        return None
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    organization = next(
        (m.organization for m in memberships if m.organization_id == chosen),
        memberships[0].organization,
    )
    request._stdplus_organization = organization
    return organization


def organization_ids_for(request) -> list[int]:
    """The organizations a request may read: a token's one organization, else every active
    organization the person belongs to."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return [token.organization_id]
    return [m.organization_id for m in memberships_of(request.user)]


def current_member(*, user: str = "user", organization: str = "organization") -> Q:
    """A filter for rows whose person (the field path `user`) is active and belongs today to
    the active organization at the field path `organization`: the check every delivery of an
    organization's data makes at the time it delivers."""
    return Q(
        Exists(
            Membership.objects.filter(
                user_id=OuterRef(f"{user}_id"), organization_id=OuterRef(f"{organization}_id")
            )
        ),
        **{f"{user}__is_active": True, f"{organization}__is_active": True},
    )


def is_member(*, user, organization_id: int) -> bool:
    """The person is active and belongs today to this active organization."""
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(
            user=user, organization_id=organization_id, organization__is_active=True
        ).exists()
    )


def is_admin(*, user, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization, role=Role.ADMIN).exists()


def members_of(organization: Organization) -> list[Membership]:
    return list(
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("user__username")
    )


def token_list(*, user) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user).select_related("organization"))
