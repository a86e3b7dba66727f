from .base import Adapter


class IetfAdapter(Adapter):
    """The RFC Editor's index (a March 2009 snapshot): obsoletes / updates / also (STD, BCP)."""

    source = "ietf"
    label = "IETF RFC index"
