from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Digest, ItemKind


class WatchListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Watch"), choices=ItemKind.choices)
    value = forms.CharField(
        label=_("Value"),
        max_length=200,
        help_text=_("GB/T 19001-2016 (edition), GB/T 19001 (work), 03.120.10 (ICS), GB (body)"),
    )


class WatcherForm(forms.Form):
    digest = forms.ChoiceField(label=_("Email digest"), choices=Digest.choices)


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("Webhook URL"), max_length=500, assume_scheme="https")
