from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .adapters import ADAPTERS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "JSON Lines (.jsonl, .jsonl.gz), CSV or XLSX in a source's format; the source is "
            "found from the file name unless you choose it."
        ),
    )
    source = forms.ChoiceField(label=_("Source"), required=False)
    skip_invalid = forms.BooleanField(
        label=_("Skip rows that cannot be read (otherwise the first one stops the file)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("", _("From the file name"))] + [
            (name, adapter.label) for name, adapter in ADAPTERS.items()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".jsonl", ".jsonl.gz", ".csv", ".xlsx", ".json")):
            raise forms.ValidationError(
                _("%(name)s: choose a .jsonl, .jsonl.gz, .json, .csv or .xlsx file."),
                params={"name": upload.name},
            )
        return upload
