from django.utils.translation import gettext_lazy

from .base import Adapter


class ChineseAdapter(Adapter):
    """Chinese national, industry and group records (curated notices and relaton-gb samples):
    implementation dates, CCS classes, and adoptions of international standards with degree."""

    source = "cn"
    label = gettext_lazy("Chinese standards (JSON Lines)")
