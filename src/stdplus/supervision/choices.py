from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckState(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned to inspectors")
    EVALUATED = "evaluated", _("Evaluated")
    RESPONDED = "responded", _("Enterprise responded")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    CONFORMING = "conforming", _("conforming")
    DEFECTS = "defects", _("conforming with defects")
    NON_CONFORMING = "non_conforming", _("non-conforming")


class Judgment(models.TextChoices):
    PASS = "pass", _("meets the requirement")
    DEFECT = "defect", _("defect")
    FAIL = "fail", _("fails the requirement")


class ItemSource(models.TextChoices):
    AUTOMATIC = "automatic", _("automatic finding")
    CRITERION = "criterion", _("evaluation criterion")


# The criteria of a spot check, as the published 2024 round evaluated each declaration.
CRITERIA = {
    "crit_mandatory": _("Not below the mandatory standards that apply"),
    "crit_sound": _("Technically sound indicators and test methods"),
    "crit_number": _("Standard numbers and names valid"),
    "crit_disclosed": _("Functional and performance indicators disclosed"),
}


class SchemeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NOTICE = "notice", _("In public notice")
    IN_EFFECT = "in_effect", _("In effect")
    SUPERSEDED = "superseded", _("Superseded by a newer version")


class ObjectionState(models.TextChoices):
    OPEN = "open", _("open")
    UPHELD = "upheld", _("upheld")
    DISMISSED = "dismissed", _("dismissed")


class LeaderState(models.TextChoices):
    NOMINATED = "nominated", _("Nominated (awaiting the enterprise's commitment)")
    COMMITTED = "committed", _("Commitment given")
    NOTICE = "notice", _("In public notice")
    LEADER = "leader", _("Leader (certified)")
    DECLINED = "declined", _("Declined by the enterprise")
    REVOKED = "revoked", _("Revoked")


LEADER_PUBLIC = (LeaderState.NOTICE, LeaderState.LEADER, LeaderState.REVOKED)
