"""Staff upload a large file to import; it is imported on the background worker and the job's
page shows the progress and the counts."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils.text import get_valid_filename
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from stdplus.core.jobs import job_submit, web_job_key
from stdplus.core.models import Job

from .forms import UploadForm
from .tasks import IMPORT_JOB


def upload_store(upload) -> Path:
    """Keep an uploaded file where the worker reads it: a folder of its own under
    STDPLUS_JOB_FILES/uploads, under its own (cleaned) name, since the name tells its source."""
    folder = Path(settings.STDPLUS_JOB_FILES) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / get_valid_filename(Path(upload.name).name)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return target


@staff_member_required
@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            path = upload_store(form.cleaned_data["file"])
            job = job_submit(
                name=IMPORT_JOB,
                key=web_job_key(IMPORT_JOB),
                params={
                    "path": str(path),
                    "source": form.cleaned_data["source"] or None,
                    "skip_invalid": form.cleaned_data["skip_invalid"],
                    "language": get_language(),
                },
                started_by=request.user,
            )
            return redirect("jobs:detail", pk=job.pk)
        status = 400
    recent = Job.objects.filter(name=IMPORT_JOB).select_related("started_by").order_by("-pk")[:10]
    return render(request, "importers/upload.html", {"form": form, "recent": recent}, status=status)
