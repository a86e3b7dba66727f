"""Large validity checks, run on the background worker (more lines than STDPLUS_CHECK_JOB_LINES):
the page that started one follows its progress and then links to the saved result."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.core.jobs import job, job_progress
from stdplus.core.models import Job

from .extract import InputLine
from .services import validity_check_create

CHECK_JOB = "checks.run"
# The engine's steps in order; the progress is the share of steps done plus the current one's.
STAGES = ("parse", "editions", "relations", "match", "details", "answer")
STAGE_LABELS = {
    "parse": _("reading the identifiers"),
    "editions": _("finding the editions"),
    "relations": _("following the replacements"),
    "match": _("matching"),
    "details": _("dates and titles"),
    "answer": _("writing the answers"),
}


@job(CHECK_JOB, label=_("Validity check"))
def check_job(
    *,
    job: Job,
    organization: int,
    user: int | None,
    lines: list[list[str]],
    source: str,
    as_of: str | None,
    name: str,
    skipped: int,
) -> dict:
    steps = len(STAGES) * 100

    def progress(stage: str, done: int, total: int) -> None:
        index = STAGES.index(stage) if stage in STAGES else 0
        share = 0 if stage == "relations" else round(100 * done / total) if total else 100
        job_progress(job, index * 100 + min(share, 100), steps, str(STAGE_LABELS.get(stage, "")))

    check, _outcome = validity_check_create(
        organization=Organization.objects.get(pk=organization),
        user=get_user_model().objects.filter(pk=user).first() if user else None,
        inputs=[InputLine(text=text, where=where) for text, where in lines],
        source=source,
        as_of=dt.date.fromisoformat(as_of) if as_of else None,
        name=name,
        skipped=skipped,
        progress=progress,
    )
    job_progress(job, steps, steps, "answer")
    return {"url": check.get_absolute_url(), "check": check.pk, "lines": check.line_count}
