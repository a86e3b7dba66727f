"""Validity check pages: the form and the list, one result (filterable), its downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stdplus.accounts.selectors import organization_for
from stdplus.core.errors import ApplicationError
from stdplus.core.jobs import job_submit, web_job_key
from stdplus.core.twins import json_twin, list_twin

from .exports import csv_text, xlsx_bytes
from .forms import CheckForm
from .models import Category
from .reading import read_inputs
from .selectors import check_lines, validity_check_get, validity_check_list
from .services import (
    inputs_from_paste,
    validity_check_create,
    validity_check_delete,
    validity_check_rerun,
)
from .tasks import CHECK_JOB

PAGE_SIZE = 500


def _organization_or_none(request):
    organization = organization_for(request)
    if organization is None:
        messages.error(request, _("Join or register an organization to run checks."))
    return organization


@login_required
@require_http_methods(["GET", "POST"])
@json_twin(list_twin("api:check_list", page_size=50))
def index(request):
    organization = _organization_or_none(request)
    if organization is None:
        return redirect("accounts:account")
    form = CheckForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload = data.get("file")
            if upload:
                inputs, skipped, column = read_inputs(
                    upload.read(),
                    upload.name,
                    column=data["column"],
                    mode=data["mode"],
                    sheet=data["sheet"],
                )
                source = upload.name + (f" [{column}]" if column else "")
            else:
                inputs, skipped = inputs_from_paste(data["text"], mode=data["mode"])
                source = ""  # pasted: named in the reader's language when shown
            if len(inputs) > settings.STDPLUS_CHECK_JOB_LINES:
                # A long list runs on the worker; its page follows the progress.
                job = job_submit(
                    name=CHECK_JOB,
                    key=web_job_key(CHECK_JOB),
                    params={
                        "organization": organization.pk,
                        "user": request.user.pk,
                        "lines": [[line.text, line.where] for line in inputs],
                        "source": source,
                        "as_of": data["as_of"].isoformat() if data["as_of"] else None,
                        "name": data["name"],
                        "skipped": skipped,
                        "language": get_language(),
                    },
                    started_by=request.user,
                )
                return redirect("jobs:detail", pk=job.pk)
            check, _outcome = validity_check_create(
                organization=organization,
                user=request.user,
                inputs=inputs,
                source=source,
                as_of=data["as_of"],
                name=data["name"],
                skipped=skipped,
            )
        except ApplicationError as error:
            form.add_error(None, error.describe())
            status = 400
        else:
            return redirect(check.get_absolute_url())
    context = {
        "form": form,
        "organization": organization,
        "checks": validity_check_list(organization=organization)[:50],
    }
    return render(request, "checks/index.html", context, status=status)


def _check_or_404(request, pk: int):
    organization = organization_for(request)
    check = validity_check_get(organization=organization, pk=pk) if organization else None
    if check is None:
        raise Http404("no such check in your organization")
    return check


@login_required
@require_GET
@json_twin(list_twin("api:check_detail", page_size=PAGE_SIZE, keep=("category",), check_id="pk"))
def detail(request, pk: int):
    check = _check_or_404(request, pk)
    category = request.GET.get("category", "")
    if category not in Category.values:
        category = ""
    page = Paginator(check_lines(check=check, category=category), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    counts = [(value, label, check.summary.get(value, 0)) for value, label in Category.choices]
    context = {
        "check": check,
        "page": page,
        "category": category,
        "counts": counts,
        "organization": organization_for(request),
        "max_age_days": settings.STDPLUS_SOURCE_MAX_AGE_DAYS,
    }
    template = "checks/_rows.html" if request.headers.get("HX-Request") else "checks/detail.html"
    return render(request, template, context)


@login_required
@require_GET
def export(request, pk: int, fmt: str):
    check = _check_or_404(request, pk)
    lines = (line.contract() for line in check_lines(check=check).iterator(chunk_size=5000))
    stem = f"stdplus-check-{check.pk}"
    if fmt == "xlsx":
        title = f"{check} · {_('status on')} {check.day.isoformat()}"
        body = xlsx_bytes(lines, title=title, summary=check.summary)
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(csv_text(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
@require_POST
def rerun(request, pk: int):
    """Check the same lines again against today's catalog, as a new saved check."""
    check = _check_or_404(request, pk)
    try:
        again = validity_check_rerun(check=check, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("checks:detail", pk=check.pk)
    messages.success(request, _("Checked again against today's catalog."))
    return redirect("checks:detail", pk=again.pk)


@login_required
@require_POST
def delete(request, pk: int):
    check = _check_or_404(request, pk)
    validity_check_delete(check=check)
    messages.success(request, _("The check was deleted."))
    return redirect("checks:index")
