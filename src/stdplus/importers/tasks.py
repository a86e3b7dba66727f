"""A large file uploaded by staff, imported on the background worker with its progress shown."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stdplus.core.jobs import job, job_progress
from stdplus.core.models import Job

from .services import file_import

IMPORT_JOB = "importers.upload"
# The import's steps in order (`catalog.services.imports`); reading's total is not known ahead.
STAGES = ("reading", "compare", "relations", "settling")


# Not in the job's transaction: an import commits in steps of its own (and undoes them when it
# fails, or at the next write after a kill), and importing the same file again changes nothing.
@job(IMPORT_JOB, label=gettext_lazy("Import of an uploaded file"), atomic=False)
def import_job(*, job: Job, path: str, source: str | None = None, skip_invalid: bool = False):
    steps = len(STAGES) * 100

    def progress(stage: str, done: int, total: int | None) -> None:
        index = STAGES.index(stage) if stage in STAGES else 0
        share = min(100, round(100 * done / total)) if total else 0
        if stage == "reading":
            label = _("reading: %(count)s records") % {"count": f"{done:,}"}
        else:
            label = {
                "compare": _("comparing with the catalog"),
                "relations": _("relations"),
                "settling": _("statuses and search index"),
            }.get(stage, stage)
        job_progress(job, index * 100 + share, steps, label)

    job_progress(job, 0, steps, _("reading"))
    result = file_import(
        Path(path), source=source or None, skip_invalid=skip_invalid, progress=progress
    )
    job_progress(job, steps, steps)
    counts = result if isinstance(result, dict) else result.as_dict()
    if isinstance(result, dict):
        summary = _("Classification table imported.")
    else:
        summary = _(
            "%(read)s records read: %(created)s new, %(updated)s changed, %(unchanged)s "
            "unchanged, %(skipped)s skipped."
        ) % {
            k: f"{counts.get(k, 0):,}"
            for k in ("read", "created", "updated", "unchanged", "skipped")
        }
    errors = counts.get("errors") or []
    return {
        "summary": summary,
        "counts": {k: v for k, v in counts.items() if isinstance(v, int | float)},
        "errors": [str(e) for e in errors[:20]],
    }
