"""Account pages: sign-up, the account (memberships, tokens), the organization."""

from __future__ import annotations

import math

from axes.utils import reset as login_failures_forget
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import (
    url_has_allowed_host_and_scheme,
    urlsafe_base64_decode,
    urlsafe_base64_encode,
)
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stdplus.core.errors import ApplicationError
from stdplus.core.throttling import AddressThrottle

from .forms import SignupForm, TokenForm
from .models import Membership
from .selectors import (
    SESSION_KEY,
    is_admin,
    members_of,
    memberships_of,
    organization_for,
    token_list,
)
from .services import (
    join_code_rotate,
    language_remember,
    token_create,
    token_revoke,
    user_signup,
)


def _field_error(form, error: ApplicationError) -> None:
    field = error.where.field if error.where.field in form.fields else None
    if error.where.field == "password":
        field = "password1"
    form.add_error(field, error.message)


SIGNUP_EMAIL = "stdplus_signup_email"


def _mail_paused(request):
    """A 429 page when this address asked for too many mails (STDPLUS_MAIL_RATE), else None:
    sign-up and password reset mail any address typed in, so they are limited per sender."""
    throttle = AddressThrottle("mail")
    if throttle.allow_request(request):
        return None
    seconds = math.ceil(throttle.wait() or 60)
    response = render(
        request,
        "accounts/mail_paused.html",
        {"minutes": max(1, math.ceil(seconds / 60))},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def _signup_mail(request, template: str, email: str, context: dict) -> None:
    context = {**context, "site": request.build_absolute_uri("/").rstrip("/")}
    subject = render_to_string(f"accounts/{template}_subject.txt", context).strip()
    body = render_to_string(f"accounts/{template}_email.txt", context)
    send_mail(subject, body, None, [email])


@require_http_methods(["GET", "POST"])
def signup(request):
    """Sign-up answers the same whether the user name is free or not: either way the page says
    a mail was sent, and only the mail (to the address given) tells which: a link to confirm
    the new account, or that the name cannot be used (docs/security.md)."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        paused = _mail_paused(request)
        if paused:
            return paused
        data = form.cleaned_data
        try:
            user = user_signup(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                join_code=data["join_code"] if data["action"] == SignupForm.JOIN else "",
                organization=form.organization(),
                active=False,
            )
        except ApplicationError as error:
            if error.code != "username_taken":
                _field_error(form, error)
            else:
                _signup_mail(
                    request,
                    "signup_name_unavailable",
                    data["email"],
                    {"username": data["username"].strip()},
                )
                request.session[SIGNUP_EMAIL] = data["email"]
                return redirect("accounts:signup-sent")
        else:
            path = reverse(
                "accounts:signup-confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            _signup_mail(
                request,
                "signup_confirm",
                user.email,
                {"username": user.username, "link": request.build_absolute_uri(path)},
            )
            request.session[SIGNUP_EMAIL] = user.email
            return redirect("accounts:signup-sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request):
    return render(
        request, "accounts/signup_sent.html", {"email": request.session.get(SIGNUP_EMAIL)}
    )


@require_http_methods(["GET", "POST"])
def signup_confirm(request, uidb64: str, token: str):
    """The link of the confirmation mail: a button (mail scanners follow links, they do not
    press buttons) that turns the account on and logs its owner in."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        user = None
    valid = (
        user is not None and not user.is_active and default_token_generator.check_token(user, token)
    )
    if valid and request.method == "POST":
        user.is_active = True
        user.save(update_fields=["is_active"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("accounts:account")
    return render(
        request, "accounts/signup_confirm.html", {"valid": valid}, status=200 if valid else 400
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    organization = organization_for(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        if organization is None:
            return HttpResponseForbidden(_("You do not belong to an organization."))
        try:
            token, new_token = token_create(
                user=request.user, organization=organization, name=form.cleaned_data["name"]
            )
        except ApplicationError as error:
            form.add_error("name", error.message)
        else:
            form = TokenForm()
    context = {
        "organization": organization,
        "memberships": memberships_of(request.user),
        "tokens": token_list(user=request.user),
        "form": form,
        "new_token": new_token,
    }
    response = render(request, "accounts/account.html", context)
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request, token_id: int):
    try:
        token = token_revoke(token_id=token_id, user=request.user)
    except ApplicationError:
        return render(request, "accounts/not_found.html", status=404)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:account")


def _safe_next(request, default: str) -> str:
    """`next` when it stays on this site, `default` otherwise (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_POST
def organization_switch(request):
    target = _safe_next(request, reverse("accounts:account"))
    wanted = request.POST.get("organization", "").strip()
    # Organization ids are whole numbers; anything else (or an id too long for the database)
    # names no organization of this person.
    membership = None
    if wanted.isascii() and wanted.isdigit() and len(wanted) <= 18:
        membership = (
            Membership.objects.filter(user=request.user, organization_id=int(wanted))
            .select_related("organization")
            .first()
        )
    if membership is None:
        messages.error(
            request,
            _("Choose one of your organizations. “%(value)s” is not one of them.")
            % {"value": wanted[:40]},
        )
        return redirect(target)
    request.session[SESSION_KEY] = membership.organization_id
    messages.success(
        request, _("You now act for %(organization)s.") % {"organization": membership.organization}
    )
    return redirect(target)


def login_paused(request, original_response=None, credentials=None):
    """What django-axes answers while log-in is paused for an account name or an address."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    response = render(request, "accounts/login_paused.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        return _mail_paused(self.request) or super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the mailed link also lifts a log-in pause on the account:
    whoever can read its mail is its owner, so a flood of wrong passwords cannot keep them out."""

    def form_valid(self, form):
        response = super().form_valid(form)
        login_failures_forget(username=form.user.get_username())
        return response


@login_required
@require_http_methods(["GET", "POST"])
def organization(request):
    organization = organization_for(request)
    if organization is None:
        return redirect("accounts:account")
    admin = is_admin(user=request.user, organization=organization)
    if request.method == "POST":
        try:
            join_code_rotate(organization=organization, by=request.user)
        except ApplicationError:
            return HttpResponseForbidden(_("Only an administrator may do this."))
        messages.success(request, _("A new join code was made; the old one no longer works."))
        return redirect("accounts:organization")
    context = {"organization": organization, "is_admin": admin, "members": members_of(organization)}
    return render(request, "accounts/organization.html", context)


@require_POST
def set_language(request):
    """Django's language switch, which also keeps the choice for a signed-in person, so that
    mail sent to them later is in the language they read."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    if request.user.is_authenticated:
        language_remember(user=request.user, language=request.POST.get("language"))
    return response
