"""Support's vocabularies."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuestionTopic(models.TextChoices):
    STANDARD = "standard", _("A standard in the catalog")
    DECLARATION = "declaration", _("A self-declaration")
    TEST_METHOD = "test_method", _("A test method")
    COMMITTEE = "committee", _("An international committee")
    OTHER = "other", _("Something else")


class QuestionState(models.TextChoices):
    ASKED = "asked", pgettext_lazy("question", "Asked")
    ACCEPTED = "accepted", pgettext_lazy("question", "Accepted by an expert")
    ANSWERED = "answered", pgettext_lazy("question", "Answered")
    RATED = "rated", pgettext_lazy("question", "Rated")
    WITHDRAWN = "withdrawn", pgettext_lazy("question", "Withdrawn")


RATINGS = [(str(n), str(n)) for n in range(1, 6)]
