"""The page of a background job started from the web: its state and progress (polled by htmx),
then its result file to download. Only the person who started it, and staff, see it; to anyone
else it does not exist (404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .jobs import job_label, job_progress_get, job_result_file
from .models import Job


def job_visible(job: Job, user) -> bool:
    """Whether a person may see a job's page and file: its starter, or staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or (job.started_by_id is not None and job.started_by_id == user.pk))


def _job_or_404(request, pk: int) -> Job:
    job = Job.objects.filter(pk=pk).first()
    if job is None or not job_visible(job, request.user):
        raise Http404("no such job of yours")
    return job


def _result_url(job: Job) -> str:
    """A page the job's result lives on (a saved check), when it names one of this site."""
    if job.state != Job.DONE or not isinstance(job.result, dict):
        return ""
    url = job.result.get("url")
    return url if isinstance(url, str) and url.startswith("/") and not url.startswith("//") else ""


def _context(job: Job) -> dict:
    file = job_result_file(job)
    return {
        "job": job,
        "label": job_label(job.name),
        "progress": job_progress_get(job) if job.state in (Job.QUEUED, Job.RUNNING) else None,
        "finished": job.state in (Job.DONE, Job.FAILED),
        "file_name": file.name if file else "",
        "file_size": file.stat().st_size if file else 0,
        "result_url": _result_url(job),
        "summary": job.result.get("summary", "") if isinstance(job.result, dict) else "",
    }


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _job_or_404(request, pk)
    template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, _context(job))


@login_required
@require_GET
def job_download(request, pk: int):
    job = _job_or_404(request, pk)
    file = job_result_file(job)
    if file is None:
        raise Http404("this job has no file to download")
    return FileResponse(file.open("rb"), as_attachment=True, filename=file.name)
