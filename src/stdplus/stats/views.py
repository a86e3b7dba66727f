"""The public dashboard and the record lists behind its figures.

Each page's JSON twin is the API's answer (`/api/v1/stats/...`, the declared schemas of
`schemas.py`): the page links to it (`stdplus.core.twins.json_twin`: a visible link and a
`Link: rel=alternate` header), and `?format=json`, which used to answer here, redirects there."""

from __future__ import annotations

from itertools import islice
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font

from stdplus.core.errors import ApplicationError
from stdplus.core.jobs import job_submit, web_job_key
from stdplus.core.models import Job
from stdplus.core.tabular import xlsx_cell, xlsx_save
from stdplus.core.twins import json_twin
from stdplus.programme.permissions import KEEP_REGISTER
from stdplus.programme.selectors import region_get, region_tree

from .caching import cached, data_version
from .exports import records_sheet_write, sheet_title
from .forms import ReportForm
from .indicators import INDICATORS
from .pages import dashboard_page, in_chinese
from .payloads import (
    dashboard_href,
    page_number,
    records_href,
    records_out,
    records_parts,
    records_shared,
    scope_params,
)
from .selectors import demo_present, scope_from
from .tasks import REPORT_JOB
from .warming import noted_if_slow

DEFAULT_REGION = "4403"


def _scope(request):
    try:
        return scope_from(
            request.GET.get("region") or DEFAULT_REGION,
            request.GET.get("year"),
            real_only=request.GET.get("data") == "real",
        )
    except ApplicationError as error:
        raise Http404(error.message) from error


def _stats_twin(name: str):
    """The API operation answering a statistics page: its query string (`format` aside); the
    view refines it to the canonical region and year once it has read them."""

    def url(request, **kwargs) -> str:
        query = request.GET.copy()
        query.pop("format", None)
        return reverse(name, kwargs=kwargs) + (f"?{query.urlencode()}" if query else "")

    return url


def _json_moved(api_url: str) -> HttpResponsePermanentRedirect:
    """`?format=json` of old: the page's JSON is the API's answer, at the API's address."""
    return HttpResponsePermanentRedirect(api_url)


@require_GET
@json_twin(_stats_twin("api:stats_indicators"))
def dashboard(request):
    version = data_version()  # before any data is read (see caching.py)
    scope = _scope(request)
    api_url = request.json_twin = dashboard_href(scope, api=True)
    if request.GET.get("format") == "json":
        return _json_moved(api_url)
    with noted_if_slow(scope):  # counted again ahead of its readers if slow
        body = dashboard_page(scope, version=version)
    context = {"body": mark_safe(body)}  # noqa: S308 - our template's output
    return render(request, "stats/dashboard.html", context)


def _records_body(indicator, scope, filters: dict[str, str], data, api_url: str) -> str:
    split_labels = {}
    for split in indicator.splits:
        if split.name in filters:
            split_labels[str(split.label)] = dict(split.choices).get(
                filters[split.name], filters[split.name]
            )
    if "ics" in filters:
        split_labels["ICS"] = filters["ics"]
    payload = data.model_dump(mode="json")
    row_schema = indicator.row_schema
    context = {
        "key": indicator.key,
        "indicator": indicator,
        "scope": scope,
        "filters": split_labels,
        "data": payload,
        "rows": payload["results"],
        "row_template": row_schema.template,
        "row_fields": [name for name in row_schema.model_fields if name != "type"],
        "query": urlencode(scope_params(scope, **filters)),
        "back": dashboard_href(scope),
        "demo": demo_present(),
        "zh": in_chinese(),
        "json_url": api_url,
    }
    return render_to_string("stats/_records_body.html", context)


@require_GET
@json_twin(_stats_twin("api:stats_records"))
def records(request, key: str):
    indicator = INDICATORS.get(key)
    if indicator is None:
        raise Http404(f"no figure {key}")
    version = data_version()  # before any data is read (see caching.py)
    scope = _scope(request)
    filters = indicator.filters_from(request.GET)
    page = page_number(request.GET.get("page"))
    api_url = request.json_twin = records_href(key, scope, api=True, **filters, page=str(page))
    if request.GET.get("format") == "json":
        return _json_moved(api_url)

    def data():
        return records_out(key, scope, filters, page, request.user, version=version)

    def body() -> str:
        return _records_body(indicator, scope, filters, data(), api_url)

    # Like the dashboard's, the list's body is rendered once per version when every reader
    # sees the same rows.
    if records_shared(key, page, request.user):
        html = cached(
            "records-html", records_parts(key, scope, filters, page), body, version=version
        )
    else:
        html = body()
    context = {"body": mark_safe(html), "indicator": indicator}  # noqa: S308
    return render(request, "stats/records.html", context)


def _may_report(user) -> bool:
    return bool(user.is_staff or user.has_perm(KEEP_REGISTER))


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    """The annual report for a region and year, made in the background: the form starts a job
    and sends the regulator to its page, which shows the progress and then the download."""
    if not _may_report(request.user):
        raise PermissionDenied
    language = "zh-hans" if in_chinese() else "en"
    form = ReportForm(request.POST or None, initial={"language": language})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scope = scope_from(data["region"], data["year"], real_only=data["real_only"])
        except ApplicationError as error:
            form.add_error("region" if error.where.field == "region" else "year", error.message)
            status = 400
        else:
            job = job_submit(
                name=REPORT_JOB,
                key=web_job_key(REPORT_JOB),
                params={
                    "region": scope.region.code,
                    "year": scope.period.end.year,
                    "format": data["format"],
                    "language": data["language"],
                    "real_only": data["real_only"],
                },
                started_by=request.user,
            )
            return redirect("jobs:detail", pk=job.pk)
    elif request.method == "POST":
        status = 400
    recent = Job.objects.filter(name=REPORT_JOB, started_by=request.user).order_by("-pk")[:10]
    context = {
        "form": form,
        "regions": region_tree(region_get(DEFAULT_REGION)),
        "recent": recent,
    }
    return render(request, "stats/report_form.html", context, status=status)


EXPORT_CHUNK = 2000


@require_GET
def records_export(request, key: str):
    """Every record of a drill-down list (not only the page shown) as an Excel workbook, with
    the list's filters, shaped for this reader as the list is."""
    indicator = INDICATORS.get(key)
    if indicator is None:
        raise Http404(f"no figure {key}")
    scope = _scope(request)
    filters = indicator.filters_from(request.GET)
    queryset = indicator.listing(scope, filters)
    row_type = indicator.row_schema.model_fields["type"].default

    def rows():
        records = queryset.iterator(chunk_size=EXPORT_CHUNK)
        while chunk := list(islice(records, EXPORT_CHUNK)):
            for row in indicator.rows(chunk, scope, request.user):
                yield row.model_dump(mode="json")

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title(str(indicator.short_label))
    heading = f"{indicator.label} · {scope.region} · {scope.period.label}"
    sheet.cell(row=1, column=1, value=xlsx_cell(sheet, heading).value).font = Font(bold=True)
    records_sheet_write(sheet, row_type, rows(), first_row=3)
    response = HttpResponse(
        xlsx_save(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"stdplus-{key}-{scope.region.code}-{scope.period.end.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
