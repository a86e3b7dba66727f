"""Account writes: sign-up, organizations, memberships and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError

from .credit_code import credit_code_error
from .hooks import MEMBERSHIP_ENDED
from .models import ApiToken, Membership, Organization, OrganizationKind, Role
from .usernames import username_check, username_unavailable

# Kinds a person may create when signing up. Government bodies and regulators are entered by
# staff (they act with public authority); their people join them with the join code.
SELF_SERVICE_KINDS = (
    OrganizationKind.ENTERPRISE,
    OrganizationKind.ASSOCIATION,
    OrganizationKind.LABORATORY,
    OrganizationKind.RESEARCH,
    OrganizationKind.UNIVERSITY,
    OrganizationKind.OTHER,
)
TOKEN_PREFIX = "sp_"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def new_join_code() -> str:
    return secrets.token_urlsafe(12)


def _validation_message(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def organization_create(
    *,
    user,
    kind: str,
    name_zh: str = "",
    name_en: str = "",
    credit_code: str = "",
    region_code: str = "",
    self_service: bool = True,
) -> Organization:
    """Create an organization with `user` as its administrator."""
    name_zh, name_en = name_zh.strip(), name_en.strip()
    credit_code = credit_code.strip().upper()
    if self_service and kind not in SELF_SERVICE_KINDS:
        raise ApplicationError(
            _(
                "this kind of organization is registered by the platform staff; ask them, or join "
                "it with its join code"
            ),
            where="kind",
            code="kind_not_self_service",
        )
    if not (name_zh or name_en):
        raise ApplicationError(_("give the organization a name"), where="name_zh", code="no_name")
    if kind == OrganizationKind.ENTERPRISE and not credit_code:
        raise ApplicationError(
            _("an enterprise needs its unified social credit code"),
            where="credit_code",
            code="credit_code_missing",
        )
    if credit_code:
        error = credit_code_error(credit_code)
        if error:
            raise ApplicationError(error, where="credit_code", code="credit_code")
    with transaction.atomic():
        if credit_code and Organization.objects.filter(credit_code=credit_code).exists():
            raise ApplicationError(
                _(
                    "an organization with this credit code is already registered; ask its "
                    "administrator for the join code"
                ),
                where="credit_code",
                code="credit_code_taken",
            )
        organization = Organization(
            kind=kind,
            name_zh=name_zh,
            name_en=name_en,
            credit_code=credit_code,
            region_code=region_code.strip(),
            join_code=new_join_code(),
        )
        organization.full_clean()
        organization.save()
        Membership.objects.create(user=user, organization=organization, role=Role.ADMIN)
    return organization


def membership_join(*, user, join_code: str) -> Membership:
    """Join the organization whose administrators gave out this code, as a member."""
    join_code = join_code.strip()
    organization = (
        Organization.objects.filter(join_code=join_code, is_active=True).first()
        if join_code
        else None
    )
    if organization is None:
        raise ApplicationError(
            _("no organization has this join code"), where="join_code", code="bad_join_code"
        )
    with transaction.atomic():
        membership, _created = Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": Role.MEMBER}
        )
    return membership


def membership_end(*, membership: Membership, by=None) -> None:
    """End a membership: the person leaves (`by` is the person), an administrator of the
    organization removes them, or staff do (`by=None`, the admin). Everything the membership
    granted ends in the same transaction (see `membership_grants_end`)."""
    with transaction.atomic():
        locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if locked is None:
            return  # already ended
        if by is not None:
            leaving = by.pk == locked.user_id
            if (
                not leaving
                and not Membership.objects.filter(
                    organization_id=locked.organization_id, user=by, role=Role.ADMIN
                ).exists()
            ):
                raise ApplicationError(
                    _("only an administrator of the organization may remove a member"),
                    code="forbidden",
                    status=403,
                )
            if (
                locked.role == Role.ADMIN
                and not Membership.objects.filter(
                    organization_id=locked.organization_id, role=Role.ADMIN
                )
                .exclude(pk=locked.pk)
                .exists()
            ):
                raise ApplicationError(
                    _(
                        "the organization's last administrator cannot leave: make another member "
                        "an administrator first"
                    ),
                    code="last_admin",
                    status=409,
                )
        locked.delete()  # membership_deleted ends the grants, inside this transaction


def membership_grants_end(*, user_id: int, organization_id: int) -> None:
    """End what a membership granted: the person's API tokens for the organization are
    revoked, and the listeners of MEMBERSHIP_ENDED end the rest (watchers, feed addresses,
    inbox entries, webhooks). Runs inside the transaction that deletes the membership."""
    ApiToken.objects.filter(
        user_id=user_id, organization_id=organization_id, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    MEMBERSHIP_ENDED.send(user_id=user_id, organization_id=organization_id)  # see hooks.py


def membership_deleted(sender, instance: Membership, **kwargs) -> None:
    """pre_delete receiver (accounts/apps.py): every deleted membership, however it is
    deleted, ends what it granted. Django sends it inside the deleting transaction."""
    membership_grants_end(user_id=instance.user_id, organization_id=instance.organization_id)


def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    join_code: str = "",
    organization: dict | None = None,
    active: bool = True,
):
    """Create a user who joins an organization (join code) or creates one (organization).

    `active=False` makes an account that waits for its owner to confirm the mail address.
    Whether the name is free is decided last: a name that is taken or looks like one that is
    (`usernames.username_unavailable`) still goes through every other step, under a stand-in
    name, and the whole transaction is then undone with the error `username_taken`. So that
    error comes only for input that would otherwise have made an account, and the sign-up page
    can answer the same whether a name is taken or not (docs/security.md)."""
    User = get_user_model()
    username, email = username_check(username), email.strip().lower()
    if not email:
        raise ApplicationError(
            _("an email address is needed (for password reset and digests)"),
            where="email",
            code="no_email",
        )
    if bool(join_code.strip()) == bool(organization):
        raise ApplicationError(
            _("either create an organization or join one with its code, not both"),
            where="join_code",
            code="create_or_join",
        )
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ApplicationError(
            _validation_message(error), where="password", code="weak_password"
        ) from None
    with transaction.atomic():
        taken = username_unavailable(username)
        user = User.objects.create_user(
            username=f"~{secrets.token_hex(16)}" if taken else username,
            email=email,
            password=password,
            is_active=active,
        )
        if organization:
            organization_create(user=user, **organization)
        else:
            membership_join(user=user, join_code=join_code)
        if taken:
            raise ApplicationError(
                _("this user name is taken, or looks like one that is"),
                where="username",
                code="username_taken",
            )
    return user


def join_code_rotate(*, organization: Organization, by) -> str:
    """A new join code (the old one stops working). Administrators only."""
    _require_admin(organization=organization, user=by)
    with transaction.atomic():
        organization.join_code = new_join_code()
        organization.save(update_fields=["join_code", "updated_at"])
    return organization.join_code


def _require_admin(*, organization: Organization, user) -> None:
    if not Membership.objects.filter(
        organization=organization, user=user, role=Role.ADMIN
    ).exists():
        raise ApplicationError(
            _("only an administrator of the organization may do this"), code="forbidden"
        )


def token_create(*, user, organization: Organization, name: str) -> tuple[ApiToken, str]:
    """Create a token; return it with the raw token, which is never stored nor shown again."""
    name = name.strip()[:100]
    if not name:
        raise ApplicationError(
            _("name the token (what script uses it?)"), where="name", code="no_name"
        )
    if not Membership.objects.filter(user=user, organization=organization).exists():
        raise ApplicationError(_("you are not a member of this organization"), code="forbidden")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            organization=organization,
            name=name,
            prefix=raw[:10],
            digest=token_digest(raw),
        )
    return token, raw


def token_revoke(*, token_id: int, user) -> ApiToken:
    """Revoke one of the user's own tokens (another person's token is not found)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise ApplicationError(_("no such token"), code="not_found")
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token with this value, its user and organization loaded; None otherwise."""
    if not raw or not raw.startswith("sp_"):
        return None
    token = (
        ApiToken.objects.filter(digest=token_digest(raw), revoked_at__isnull=True)
        .select_related("user", "organization")
        .first()
    )
    if token is None or not token.user.is_active or not token.organization.is_active:
        return None
    if not Membership.objects.filter(user=token.user, organization=token.organization).exists():
        return None  # the person left the organization: the token no longer acts for it
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def language_remember(*, user, language: str | None) -> None:
    """Keep the language a person reads the site in (at sign-in, at a language switch)."""
    from django.utils.translation import get_supported_language_variant

    from .models import LanguagePreference

    try:
        code = get_supported_language_variant(language or "")
    except LookupError:
        return  # a language the site does not offer
    if not getattr(user, "pk", None):
        return
    LanguagePreference.objects.update_or_create(user_id=user.pk, defaults={"language": code})


def language_of(user) -> str:
    """The language to write to a person in when no request is there (mail, reminders): the one
    they last read the site in, else the site's default."""
    from django.conf import settings as site_settings

    from .models import LanguagePreference

    stored = (
        LanguagePreference.objects.filter(user_id=getattr(user, "pk", None))
        .values_list("language", flat=True)
        .first()
    )
    return stored or site_settings.LANGUAGE_CODE


def language_on_login(sender, request, user, **kwargs) -> None:
    """Signal receiver: a person signing in reads the site in the request's language."""
    language_remember(user=user, language=getattr(request, "LANGUAGE_CODE", None))
