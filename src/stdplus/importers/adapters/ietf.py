from django.utils.translation import gettext_lazy

from .base import Adapter


class IetfAdapter(Adapter):
    """The RFC Editor's index (a March 2009 snapshot): obsoletes / updates / also (STD, BCP)."""

    source = "ietf"
    label = gettext_lazy("IETF RFC index")
