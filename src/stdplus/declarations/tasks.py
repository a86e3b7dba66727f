"""A large file of existing declarations, imported on the background worker with progress."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stdplus.core.jobs import job, job_progress
from stdplus.core.models import Job

from .imports import declarations_import

IMPORT_JOB = "declarations.import"


# In the job's transaction: the import's writes commit with the job, or not at all.
@job(IMPORT_JOB, label=gettext_lazy("Import of existing declarations"))
def import_job(*, job: Job, path: str, filename: str, user_id: int):
    user = get_user_model().objects.get(pk=user_id)
    job_progress(job, 0, 1, _("reading"))

    def progress(done: int, total: int) -> None:
        job_progress(job, done, total, _("declarations recorded"))

    content = Path(path).read_bytes()
    done = declarations_import(content=content, filename=filename, user=user, progress=progress)
    return {
        "summary": _(
            "%(count)s declaration(s): %(created)s new, %(versions)s new version(s), "
            "%(unchanged)s unchanged."
        )
        % {
            "count": done.declarations,
            "created": done.created,
            "versions": done.versions,
            "unchanged": done.unchanged,
        },
        "url": reverse("declarations:import"),
    }
