from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import years_available


class ReportForm(forms.Form):
    region = forms.CharField(
        label=_("Region"),
        max_length=60,
        initial="4403",
        help_text=_("Its code (440300), short code (4403) or name."),
        widget=forms.TextInput(attrs={"list": "regions", "autocomplete": "off"}),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("pdf", _("PDF (to print)")),
            ("xlsx", _("XLSX (every record, for Excel)")),
            ("html", _("HTML (one page, opens anywhere)")),
        ],
        initial="pdf",
    )
    language = forms.ChoiceField(
        label=_("Language of the labels"),
        choices=[("zh-hans", "中文"), ("en", "English")],
        help_text=_("Headings are in both languages; kinds, states and levels in this one."),
    )
    real_only = forms.BooleanField(label=_("Leave demo records out"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = years_available()
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = years[1] if len(years) > 1 else years[0]
