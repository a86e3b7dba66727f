"""Account pages: sign-up, the account (memberships, tokens), the organization."""

from __future__ import annotations

from axes.utils import reset as login_failures_forget
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stdplus.core.errors import ApplicationError

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
from .services import join_code_rotate, token_create, token_revoke, user_signup


def _field_error(form, error: ApplicationError) -> None:
    field = error.where.field if error.where.field in form.fields else None
    if error.where.field == "password":
        field = "password1"
    form.add_error(field, error.message)


@require_http_methods(["GET", "POST"])
def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_signup(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                join_code=data["join_code"] if data["action"] == SignupForm.JOIN else "",
                organization=form.organization(),
            )
        except ApplicationError as error:
            _field_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your account is ready."))
            return redirect("accounts:account")
    return render(request, "accounts/signup.html", {"form": form})


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
