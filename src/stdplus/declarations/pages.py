"""Part B's pages: the regulator's mandatory standards, imports of existing declarations,
versions side by side, exports and the feed of new declarations. Each page in one language,
each page that shows data with its JSON twin (`core.twins`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stdplus.core.errors import ApplicationError
from stdplus.core.twins import json_twin, list_twin

from .industries import category_choices
from .mandatory import COLUMNS as MANDATORY_COLUMNS
from .mandatory import can_maintain, mandatory_import, mandatory_list
from .sheets import SheetErrors

MAX_UPLOAD = 20 * 1024 * 1024


def _upload(request, field: str = "file"):
    upload = request.FILES.get(field)
    if upload is None:
        raise ApplicationError(_("Choose a file to upload."), where=field, code="required")
    if upload.size > MAX_UPLOAD:
        raise ApplicationError(
            _("The file is larger than %(max)s MB."),
            params={"max": MAX_UPLOAD // (1024 * 1024)},
            where=field,
            code="too_large",
        )
    return upload.read(), upload.name


def _errors(error: ApplicationError) -> list[str]:
    inner = error.errors if isinstance(error, SheetErrors) else [error]
    return [e.describe() for e in inner]


@json_twin(list_twin("api:declarations_mandatory", page_size=100, keep=("category",)))
@require_http_methods(["GET", "POST"])
def mandatory(request):
    maintainer = can_maintain(request.user)
    problems: list[str] = []
    if request.method == "POST":
        if not maintainer:
            return render(request, "declarations/forbidden.html", status=403)
        try:
            content, name = _upload(request)
            done = mandatory_import(content=content, filename=name, user=request.user)
        except ApplicationError as error:
            problems = _errors(error)
        else:
            messages.success(
                request,
                _(
                    "Imported: %(created)s added, %(updated)s updated, %(removed)s removed, "
                    "%(unchanged)s unchanged, in %(categories)s."
                )
                % {
                    "created": done.created,
                    "updated": done.updated,
                    "removed": done.removed,
                    "unchanged": done.unchanged,
                    "categories": ", ".join(done.categories),
                },
            )
            return redirect("declarations:mandatory")
    category = request.GET.get("category", "")[:4]
    page = Paginator(mandatory_list(category), 100).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "category": category,
        "categories": category_choices(),
        "maintainer": maintainer,
        "problems": problems,
        "columns": MANDATORY_COLUMNS,
    }
    return render(request, "declarations/mandatory.html", context, status=400 if problems else 200)


# ----------------------------------------------------------------------------------------------
# Imports of existing declarations

JOB_BYTES = 256 * 1024  # larger files are imported by the worker, with progress


def _store_upload(content: bytes, name: str) -> str:
    import uuid
    from pathlib import Path

    from django.conf import settings
    from django.utils.text import get_valid_filename

    folder = Path(settings.STDPLUS_JOB_FILES) / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (get_valid_filename(Path(name).name) or "declarations.xlsx")
    path.write_bytes(content)
    return str(path)


@login_required
@require_http_methods(["GET", "POST"])
def imports(request):
    """Import existing declarations: an enterprise its own, the regulator any enterprise's."""
    from django.utils.translation import get_language

    from stdplus.accounts.selectors import organization_for
    from stdplus.core.jobs import job_submit, web_job_key

    from .imports import COLUMNS, can_import_any, declarations_import
    from .tasks import IMPORT_JOB

    regulator = can_import_any(request.user)
    organization = organization_for(request)
    if not regulator and organization is None:
        return render(request, "declarations/forbidden.html", status=403)
    problems: list[str] = []
    done = None
    if request.method == "POST":
        try:
            content, name = _upload(request)
            if len(content) > JOB_BYTES:
                job = job_submit(
                    name=IMPORT_JOB,
                    key=web_job_key(IMPORT_JOB),
                    params={
                        "path": _store_upload(content, name),
                        "filename": name,
                        "user_id": request.user.pk,
                        "language": get_language(),
                    },
                    started_by=request.user,
                )
                return redirect("jobs:detail", pk=job.pk)
            done = declarations_import(content=content, filename=name, user=request.user)
        except ApplicationError as error:
            problems = _errors(error)
    context = {
        "columns": COLUMNS,
        "regulator": regulator,
        "organization": organization,
        "problems": problems,
        "done": done,
    }
    return render(request, "declarations/import.html", context, status=400 if problems else 200)


# ----------------------------------------------------------------------------------------------
# Exports of the search's results


def export(request, fmt: str):
    from django.http import Http404, HttpResponse

    from stdplus.core.queries import query_read

    from .exports import FORMATS, declarations_export
    from .filters import DeclarationFilter

    if fmt not in FORMATS:
        raise Http404("no such format")
    try:
        filters = query_read(DeclarationFilter, request.GET)
        return declarations_export(filters, fmt, page_url=request.build_absolute_uri)
    except ApplicationError as error:
        return HttpResponse(error.describe(), status=400, content_type="text/plain; charset=utf-8")


# ----------------------------------------------------------------------------------------------
# Two versions side by side


def _compare_twin(request, pk: int, other: int) -> str:
    from django.urls import reverse

    return reverse("api:declarations_compare", kwargs={"declaration_id": pk, "other_id": other})


@json_twin(_compare_twin)
def compare(request, pk: int, other: int):
    from django.http import Http404

    from .compare import compare_pair, versions_compare
    from .selectors import versions_of

    pair = compare_pair(request.user, pk, other)
    if pair is None:
        raise Http404("no such pair of versions")
    old, new = pair
    context = {
        "old": old,
        "new": new,
        "products": versions_compare(old, new),
        "versions": versions_of(new, user=request.user),
    }
    return render(request, "declarations/compare.html", context)
