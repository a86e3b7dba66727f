"""The worker's statistics: the annual report, made for the page that asks for it, and the slow
dashboards counted again after a change of the data (`warming`)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from stdplus.core.jobs import job, job_file, job_progress
from stdplus.core.models import Job

from .report import STEPS, report_html, report_pdf, report_xlsx
from .selectors import scope_from
from .warming import dashboards_warm

REPORT_JOB = "stats.report"
FORMATS = ("html", "pdf", "xlsx")


def report_file_name(region_code: str, year: int, fmt: str, language: str) -> str:
    return f"stdplus-report-{region_code}-{year}-{language}.{fmt}"


@job(REPORT_JOB, label=_("Annual report"))
def report_job(*, job: Job, region: str, year: int, format: str, real_only: bool = False) -> dict:
    """Write the report of a region and year in one format; its page offers the file. The job
    runs in the language it was started with (`language` in its params), that of the labels."""
    language = "zh-hans" if (get_language() or "").startswith("zh") else "en"
    scope = scope_from(region, year, real_only=real_only)
    if format not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")

    def progress(done: int, total: int) -> None:
        job_progress(job, done, total + 1)  # the last step: the file written

    progress(0, STEPS)
    out = job_file(
        job, report_file_name(scope.region.code, scope.period.end.year, format, language)
    )
    if format == "html":
        out.write_text(report_html(scope, language=language, progress=progress), encoding="utf-8")
    elif format == "xlsx":
        out.write_bytes(report_xlsx(scope, language=language, progress=progress))
    else:
        report_pdf(scope, out, language=language, progress=progress)
    job_progress(job, STEPS + 1, STEPS + 1)
    return {"file": out.name, "region": scope.region.code, "year": scope.period.end.year}


@db_periodic_task(crontab(minute="*"))
@lock_task("stats-warm")
def dashboards_warm_task() -> None:
    """Count again, after a change of the data, the dashboards that were slow to count."""
    dashboards_warm()
