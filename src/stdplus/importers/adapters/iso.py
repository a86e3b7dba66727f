from .base import Adapter


class IsoAdapter(Adapter):
    """ISO deliverables (relaton-data-iso): stage codes give the status; relations as stated."""

    source = "iso"
    label = "ISO deliverables (Relaton)"
