"""The register's pages: public profiles and lists; the regulator's review, upload and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle_ui import lifecycle_page
from stdplus.core.twins import json_twin, list_twin

from .choices import EvidenceKind, MatchState
from .lifecycles import MATCH
from .permissions import can_keep_register
from .selectors import (
    application_visible_get,
    applications_visible_to,
    area_list,
    body_list,
    expert_list,
    expert_public_get,
    organization_public_get,
    participation_list,
    pilot_get,
    pilot_list,
    project_get,
    region_of,
    review_get,
    review_queue,
)
from .services.funding import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_OPEN_STATES,
    evidence_attach,
    evidence_checklist,
    may_upload,
)
from .services.sheets import SHEETS, SheetErrors, sheet_template, sheet_upload


def _regulator(request):
    if not can_keep_register(request.user):
        raise PermissionDenied(_("Only regulator staff keep the register."))


@require_GET
def home(request):
    context = {
        "sheets": SHEETS.values(),
        "regulator": can_keep_register(request.user),
        "pending": review_queue().count() if can_keep_register(request.user) else 0,
    }
    return render(request, "programme/home.html", context)


@require_GET
@json_twin("api:programme_organization")
def organization_detail(request, pk: int):
    organization = organization_public_get(pk)
    if organization is None:
        raise Http404(_("No such organization in the register."))
    participations = participation_list(organization=organization)
    page = Paginator(participations, 50).get_page(request.GET.get("page"))
    context = {
        "organization": organization,
        "region": region_of(organization.region_code),
        "page": page,
        "bodies": body_list(organization=organization),
        "pilots": pilot_list(organization=organization),
        "experts": expert_list().filter(organization=organization),
    }
    return render(request, "programme/organization_detail.html", context)


@require_GET
@json_twin(list_twin("api:programme_experts", page_size=50, keep=("q",)))
def expert_index(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(expert_list(q=q).order_by("name_zh", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "programme/expert_list.html", {"page": page, "q": q})


@require_GET
@json_twin("api:programme_expert")
def expert_detail(request, pk: int):
    expert = expert_public_get(pk)
    if expert is None:
        raise Http404(_("No such expert."))
    return render(request, "programme/expert_detail.html", {"expert": expert})


@require_GET
@json_twin(list_twin("api:programme_pilots", page_size=50))
def pilot_index(request):
    page = Paginator(pilot_list().order_by("-start", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "programme/pilot_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@json_twin("api:programme_pilot")
def pilot_detail(request, pk: int):
    """A pilot, its next steps (for the regulator) and its history."""
    pilot = pilot_get(pk)
    if pilot is None:
        raise Http404(_("No such pilot project."))
    return lifecycle_page(
        request,
        pilot,
        template="programme/pilot_detail.html",
        context={"pilot": pilot},
        json_url=reverse("api:programme_pilot", kwargs={"pk": pilot.pk}),
    )


@require_http_methods(["GET", "POST"])
@json_twin("api:programme_project")
def project_detail(request, pk: int):
    """A project of the strategic list, its next steps and its history."""
    project = project_get(pk)
    if project is None:
        raise Http404(_("No such project."))
    return lifecycle_page(
        request,
        project,
        template="programme/project_detail.html",
        context={"project": project},
        json_url=reverse("api:programme_project", kwargs={"pk": project.pk}),
    )


@require_GET
@json_twin("api:programme_areas")
def area_index(request):
    return render(request, "programme/area_list.html", {"areas": area_list()})


@login_required
@require_GET
@json_twin(list_twin("api:programme_matches", page_size=50, keep=("state",)))
def review(request):
    _regulator(request)
    state = request.GET.get("state", MatchState.PENDING)
    page = Paginator(review_queue(state=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/review.html",
        {
            "page": page,
            "state": state,
            "states": MatchState.choices,
            "quick_steps": MATCH.steps_from(MatchState.PENDING),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@json_twin("api:programme_match")
def review_detail(request, pk: int):
    """One match to review: the name, the suggestion, the decision's steps and history."""
    _regulator(request)
    candidate = review_get(pk)
    if candidate is None:
        raise Http404(_("No such match to review."))
    queue = reverse("programme:review") + f"?state={MatchState.PENDING}"
    return lifecycle_page(
        request,
        candidate,
        template="programme/review_detail.html",
        context={"candidate": candidate},
        json_url=reverse("api:programme_match", kwargs={"pk": candidate.pk}),
        done_url=queue if request.POST.get("return") == "queue" else None,
    )


@login_required
@require_GET
def template_download(request, kind: str):
    _regulator(request)
    if kind not in SHEETS:
        raise Http404(kind)
    response = HttpResponse(
        sheet_template(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="stdplus-{kind}-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    _regulator(request)
    context = {"sheets": SHEETS.values(), "errors": [], "kind": request.POST.get("kind", "")}
    if request.method == "POST":
        file = request.FILES.get("file")
        kind = request.POST.get("kind", "")
        if file is None or kind not in SHEETS:
            context["errors"] = [_("Choose a record type and a file.")]
        else:
            try:
                result = sheet_upload(
                    kind=kind, content=file.read(), filename=file.name, actor=request.user
                )
                messages.success(
                    request, _("%(count)s records were written.") % {"count": result.created}
                )
                return redirect("programme:upload")
            except SheetErrors as error:
                context["row_errors"] = error.errors
            except ApplicationError as error:
                context["errors"] = [error.message]
        return render(request, "programme/upload.html", context, status=400)
    return render(request, "programme/upload.html", context)


@login_required
@require_GET
@json_twin(list_twin("api:programme_applications", page_size=50))
def application_index(request):
    applications = applications_visible_to(request.user)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    context = {"page": page, "regulator": can_keep_register(request.user)}
    return render(request, "programme/application_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@json_twin("api:programme_application")
def application_detail(request, pk: int):
    """A funding application (to the regulator and the applicant's members): its eligibility
    checks, its next steps and its history."""
    application = application_visible_get(request.user, pk)
    if application is None:
        raise Http404(_("No such funding application."))
    return lifecycle_page(
        request,
        application,
        template="programme/application_detail.html",
        context={
            "application": application,
            "checklist": evidence_checklist(application),
            "evidence_kinds": EvidenceKind.choices,
            "evidence_open": application.state in EVIDENCE_OPEN_STATES,
            "may_upload": may_upload(request.user, application),
        },
        json_url=reverse("api:programme_application", kwargs={"pk": application.pk}),
    )


@login_required
@require_POST
def evidence_upload(request, pk: int):
    """Attach a document to an application (its members, or the regulator for a paper one)."""
    application = application_visible_get(request.user, pk)
    if application is None:
        raise Http404(_("No such funding application."))
    if not may_upload(request.user, application):
        raise PermissionDenied(_("Only the applying organization's members attach evidence."))
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ApplicationError(_("Choose a file to attach."), where="file", code="no_file")
        if upload.size > EVIDENCE_MAX_BYTES:
            data = b"x" * (EVIDENCE_MAX_BYTES + 1)  # refused by the service, never read whole
        else:
            data = upload.read()
        document = evidence_attach(
            application=application,
            kind=request.POST.get("kind", ""),
            name=upload.name,
            data=data,
            actor=request.user,
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s attached.") % {"name": document.name})
    return redirect("programme:application-detail", pk=application.pk)


@login_required
@require_GET
def evidence_download(request, pk: int, doc: int):
    """A document, as a download only (never shown inline), to those who see the application."""
    application = application_visible_get(request.user, pk)
    document = (
        application.evidence.filter(pk=doc).first() if application and 0 < doc < 2**63 else None
    )
    if document is None:
        raise Http404(_("No such document."))
    response = HttpResponse(bytes(document.data), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{document.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
