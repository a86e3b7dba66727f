from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclarationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DECLARED = "declared", _("Declared (public)")
    REVISED = "revised", _("Revised (a newer version is declared)")
    WITHDRAWN = "withdrawn", _("Withdrawn by the enterprise")
    SUSPENDED = "suspended", _("Suspended by the regulator")


# Every state but the draft is public, for good: nothing is deleted once public.
PUBLIC_STATES = (
    DeclarationState.DECLARED,
    DeclarationState.REVISED,
    DeclarationState.WITHDRAWN,
    DeclarationState.SUSPENDED,
)


class Direction(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    RANGE = "range", _("within a range")


class Severity(models.TextChoices):
    ERROR = "error", _("error")
    WARNING = "warning", _("warning")
