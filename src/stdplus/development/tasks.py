"""Development on the background worker (`stdplus worker`):

- the daily run: comment periods that are over close, periodic reviews falling due open,
  reminders go out. Safe to run again: steps are taken only from the state they start from,
  and reminders are kept once a day;
- the comment summary and disposition table printed as PDF (`disposition_print_job`), asked
  for by `services.dispositions_print_submit` when the technical review starts (and by a
  download that finds no print of the table as it stands)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from stdplus.core.jobs import job
from stdplus.core.models import Job

from .dispositions import disposition_print_make
from .services import development_daily

PRINT_JOB = "development.dispositions_pdf"


@db_periodic_task(crontab(hour="6", minute="10"))
@lock_task("development-daily")
def development_daily_task() -> None:
    development_daily()


# Not atomic: Chromium prints outside any transaction (on SQLite a transaction holds the one
# write lock); the PDF is stored in a short transaction of its own, and printing again after a
# kill stores the same table again.
@job(PRINT_JOB, label=_("Comment summary and disposition table (PDF)"), atomic=False)
def disposition_print_job(*, job: Job, print_id: int) -> dict:
    """Print one `DispositionPrint` (the table in one language) and store it; it runs in that
    print's language. Its result names no file: the PDF is served only by the project's
    download (`views.dispositions_pdf_file`), under `selectors.dispositions_readable`."""
    return disposition_print_make(job=job, print_id=print_id)
