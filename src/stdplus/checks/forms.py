from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CheckForm(forms.Form):
    name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
    text = forms.CharField(
        label=_("Paste identifiers or a reference list"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        required=False,
        help_text=_(
            "One identifier per line, in any spelling, or a whole reference list: "
            "the identifiers are picked out of the text."
        ),
    )
    file = forms.FileField(
        label=_("…or upload a file"),
        required=False,
        help_text=_("CSV, XLSX or TXT, up to 100,000 lines."),
    )
    column = forms.CharField(
        label=_("Column"),
        max_length=100,
        required=False,
        help_text=_("Letter, number or header of the column; empty: found automatically."),
    )
    sheet = forms.CharField(label=_("Sheet (XLSX)"), max_length=100, required=False)
    mode = forms.ChoiceField(
        label=_("Reading"),
        choices=[
            ("auto", _("Automatic")),
            ("lines", _("One identifier per line")),
            ("extract", _("Pick identifiers out of running text")),
        ],
        initial="auto",
    )
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The status on this day (e.g. a report's date); empty: today."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file"):
            raise forms.ValidationError(_("Paste a list or choose a file."))
        if data.get("text", "").strip() and data.get("file"):
            raise forms.ValidationError(_("Paste a list or choose a file, not both."))
        return data
