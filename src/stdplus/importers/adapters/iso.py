from django.utils.translation import gettext_lazy

from .base import Adapter


class IsoAdapter(Adapter):
    """ISO deliverables (relaton-data-iso): stage codes give the status; relations as stated."""

    source = "iso"
    label = gettext_lazy("ISO deliverables (Relaton)")
