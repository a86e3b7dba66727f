"""The register's pages: public profiles and lists; the regulator's review, upload and decisions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stdplus.accounts.models import Organization
from stdplus.core.errors import ApplicationError

from .choices import PILOT_TRANSITIONS, EvaluationResult, MatchState, PilotState
from .models import FundingApplication, MatchCandidate
from .permissions import can_keep_register
from .selectors import (
    applications_visible_to,
    area_list,
    body_list,
    expert_list,
    expert_public_get,
    organization_public_get,
    participation_list,
    pilot_get,
    pilot_list,
    region_of,
    review_queue,
)
from .services.funding import application_decide
from .services.matching import match_accept, match_reject
from .services.pilots import transition_apply
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
def expert_index(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(expert_list(q=q).order_by("name_zh", "pk"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "programme/expert_list.html", {"page": page, "q": q})


@require_GET
def expert_detail(request, pk: int):
    expert = expert_public_get(pk)
    if expert is None:
        raise Http404(_("No such expert."))
    return render(request, "programme/expert_detail.html", {"expert": expert})


@require_GET
def pilot_index(request):
    page = Paginator(pilot_list().order_by("-start", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "programme/pilot_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def pilot_detail(request, pk: int):
    pilot = pilot_get(pk)
    if pilot is None:
        raise Http404(_("No such pilot project."))
    regulator = can_keep_register(request.user)
    if request.method == "POST":
        _regulator(request)
        try:
            on = (
                dt.date.fromisoformat(request.POST.get("on", ""))
                if request.POST.get("on")
                else None
            )
            transition_apply(
                pilot=pilot,
                to_state=request.POST.get("to_state", ""),
                on=on,
                evaluation_result=request.POST.get("evaluation_result", ""),
                note=request.POST.get("note", ""),
                actor=request.user,
            )
            messages.success(request, _("The pilot's state was changed."))
        except (ApplicationError, ValueError) as error:
            messages.error(request, getattr(error, "message", str(error)))
        return redirect("programme:pilot-detail", pk=pk)
    next_states = [(s, PilotState(s).label) for s in sorted(PILOT_TRANSITIONS[pilot.state])]
    context = {
        "pilot": pilot,
        "regulator": regulator,
        "next_states": next_states,
        "results": EvaluationResult.choices,
    }
    return render(request, "programme/pilot_detail.html", context)


@require_GET
def area_index(request):
    return render(request, "programme/area_list.html", {"areas": area_list()})


@login_required
@require_GET
def review(request):
    _regulator(request)
    state = request.GET.get("state", MatchState.PENDING)
    page = Paginator(review_queue(state=state), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programme/review.html",
        {"page": page, "state": state, "states": MatchState.choices},
    )


@login_required
@require_POST
def review_decide(request, pk: int):
    _regulator(request)
    candidate = get_object_or_404(MatchCandidate, pk=pk)
    try:
        if request.POST.get("decision") == "accept":
            organization = None
            if request.POST.get("organization"):
                organization = get_object_or_404(Organization, pk=request.POST["organization"])
            match_accept(candidate=candidate, organization=organization, actor=request.user)
            messages.success(request, _("Linked: a participation was recorded."))
        else:
            match_reject(candidate=candidate, actor=request.user)
            messages.success(request, _("Rejected: nothing was linked."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("programme:review")


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
def application_index(request):
    applications = applications_visible_to(request.user)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    context = {"page": page, "regulator": can_keep_register(request.user)}
    return render(request, "programme/application_list.html", context)


@login_required
@require_POST
def application_decision(request, pk: int):
    _regulator(request)
    application = get_object_or_404(FundingApplication.objects.live(), pk=pk)
    try:
        amount = request.POST.get("amount_awarded", "").replace(",", "").strip()
        application_decide(
            application=application,
            approve=request.POST.get("decision") == "approve",
            amount_awarded=int(amount) if amount else None,
            note=request.POST.get("note", ""),
            actor=request.user,
        )
        messages.success(request, _("The decision was recorded."))
    except (ApplicationError, ValueError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("programme:applications")
