"""Part B's pages: the regulator's mandatory standards, imports of existing declarations,
versions side by side, exports and the feed of new declarations. Each page in one language,
each page that shows data with its JSON twin (`core.twins`)."""

from __future__ import annotations

from django.contrib import messages
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
