"""What every programme record shares: the demo flag, soft deletion (archive) and timestamps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LiveQuerySet(models.QuerySet):
    def live(self):
        """Records that are not archived: what figures, lists and checks read."""
        return self.filter(archived_at__isnull=True)


class Record(models.Model):
    demo = models.BooleanField(
        _("demo data"),
        default=False,
        db_index=True,
        help_text=_("Made by the demo generator; never a real record."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
