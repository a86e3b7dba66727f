from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    REGIONAL = "regional", _("Regional")
    FOREIGN = "foreign", _("Foreign national")
    NATIONAL = "national", _("National (China)")
    INDUSTRY = "industry", _("Industry (China)")
    LOCAL = "local", _("Local (China)")
    GROUP = "group", _("Group")
    ENTERPRISE = "enterprise", pgettext_lazy("standard level", "Enterprise")


class Status(models.TextChoices):
    """The one common status stdplus derives from every source's own status or stage."""

    DEVELOPMENT = "development", _("In development")
    UPCOMING = "upcoming", _("Upcoming")
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled (never published)")


class Mandate(models.TextChoices):
    MANDATORY = "mandatory", _("Mandatory")
    RECOMMENDED = "recommended", _("Recommended")
    GUIDANCE = "guidance", _("Guidance")


class RelationType(models.TextChoices):
    """Relations are stored in one direction; the reverse name reads the other way."""

    REPLACES = "replaces", _("replaces")
    AMENDS = "amends", _("amends")
    CORRECTS = "corrects", _("corrects")
    ADOPTS = "adopts", _("adopts")
    IDENTICAL = "identical", _("is identical to")
    UPDATES = "updates", _("updates")
    REFERENCES = "references", _("references")
    PART_OF = "part_of", _("is part of")
    ALSO_KNOWN_AS = "also_known_as", _("is also known as")


# How the reverse direction of each relation reads ("B is replaced by A").
REVERSE_LABELS = {
    RelationType.REPLACES: _("replaced by"),
    RelationType.AMENDS: _("amended by"),
    RelationType.CORRECTS: _("corrected by"),
    RelationType.ADOPTS: _("adopted by"),
    RelationType.IDENTICAL: _("is identical to"),
    RelationType.UPDATES: _("updated by"),
    RelationType.REFERENCES: _("referenced by"),
    RelationType.PART_OF: _("has part"),
    RelationType.ALSO_KNOWN_AS: _("is also known as"),
}


class Degree(models.TextChoices):
    IDT = "IDT", _("identical (IDT)")
    MOD = "MOD", _("modified (MOD)")
    NEQ = "NEQ", _("not equivalent (NEQ)")


class Scheme(models.TextChoices):
    ICS = "ics", _("ICS")
    CCS = "ccs", _("CCS")


class EventKind(models.TextChoices):
    CREATED = "created", _("added to the catalog")
    STATUS = "status", _("status changed")
    DATES = "dates", _("dates changed")
    RELATION_ADDED = "relation_added", _("relation added")
    RELATION_REMOVED = "relation_removed", _("relation removed")
    FIELDS = "fields", _("details changed")
