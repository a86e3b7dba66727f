"""Forms of the account pages. They only read input; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stdplus.core.errors import ApplicationError

from .models import OrganizationKind
from .services import SELF_SERVICE_KINDS
from .usernames import username_check


class SignupForm(forms.Form):
    CREATE, JOIN = "create", "join"

    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    action = forms.ChoiceField(
        label=_("Organization"),
        choices=[(CREATE, _("Register a new organization")), (JOIN, _("Join an organization"))],
        widget=forms.RadioSelect,
        initial=CREATE,
    )
    join_code = forms.CharField(
        label=_("Join code"),
        required=False,
        help_text=_("Ask an administrator of your organization for it."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of organization"),
        choices=[(k.value, k.label) for k in OrganizationKind if k in SELF_SERVICE_KINDS],
        required=False,
    )
    name_zh = forms.CharField(label=_("Chinese name"), max_length=300, required=False)
    name_en = forms.CharField(label=_("English name"), max_length=300, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("18 characters (GB 32100-2015); required for an enterprise."),
    )

    def clean_username(self):
        # The same rule the sign-up service applies, here so that it shows with the other fields.
        try:
            return username_check(self.cleaned_data["username"])
        except ApplicationError as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data

    def organization(self) -> dict | None:
        data = self.cleaned_data
        if data["action"] != self.CREATE:
            return None
        return {
            "kind": data["kind"] or OrganizationKind.ENTERPRISE,
            "name_zh": data["name_zh"],
            "name_en": data["name_en"],
            "credit_code": data["credit_code"],
        }


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. 'ERP sync'.")
    )
