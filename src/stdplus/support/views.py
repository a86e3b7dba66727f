"""Support for enterprises: what an organization can claim (and why not), applying for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from stdplus.accounts.selectors import organization_for as accounts_organization_for
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle_ui import lifecycle_page
from stdplus.core.probes import any_row
from stdplus.core.queries import query_read
from stdplus.core.twins import json_twin, list_twin
from stdplus.programme.permissions import can_keep_register

from .choices import QuestionTopic
from .claims import claims_for, claims_organization, no_item_reason
from .models import Enrollment, PolicyStatus, Question, Session
from .policies import PolicyFilter, all_tags, policy_get, policy_search
from .questions import (
    expert_of,
    experts_suggested,
    is_suggested,
    public_answers,
    question_visible_get,
)
from .services import draft_from_claim, question_ask
from .training import (
    certificate_verify,
    enroll,
    learning_hours,
    sessions_open,
    talent_pool,
)


def _organization_id(request) -> int | None:
    raw = (request.GET.get("organization") or request.POST.get("organization") or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(_("No such organization."))
    return int(raw)


@require_GET
def home(request):
    return render(request, "support/home.html", {"regulator": can_keep_register(request.user)})


def _claims_twin(request):
    url = reverse("api:support_claims")
    organization = request.GET.get("organization", "").strip()
    return f"{url}?organization={organization}" if organization.isdigit() else url


@login_required
@require_GET
@json_twin(_claims_twin)
def claims(request):
    """Every item of every scheme the organization may claim, the amount, the cap left and the
    evidence still missing; and every item it may not, with the rules that failed."""
    organization = claims_organization(request, _organization_id(request))
    if organization is None:
        if _organization_id(request) is not None:
            raise Http404(_("No such organization."))
        return render(request, "support/claims.html", {"organization": None})
    found = claims_for(organization)
    unpaid = [(claim, no_item_reason(claim)) for claim in found.unpaid]
    return render(
        request,
        "support/claims.html",
        {"organization": organization, "claims": found, "unpaid": unpaid},
    )


@login_required
@require_POST
def apply(request):
    """Start a draft application for one line of the claims page (nothing written on error)."""
    organization = claims_organization(request, _organization_id(request))
    if organization is None:
        raise Http404(_("No such organization."))
    try:
        application = draft_from_claim(
            organization=organization, values=request.POST, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(f"{reverse('support:claims')}?organization={organization.pk}")
    messages.success(
        request,
        _("Draft application %(id)s started: attach the evidence, then submit it.")
        % {"id": application.pk},
    )
    return redirect("programme:application-detail", pk=application.pk)


@require_GET
@json_twin(
    list_twin(
        "api:support_policies",
        page_size=50,
        keep=("q", "region", "industry", "tag", "status"),
    )
)
def policies(request):
    """The policy library: search by words, region (and the regions above it), industry, tag
    and status; the same filters give the Atom feed."""
    try:
        filters = query_read(PolicyFilter, request.GET)
        found = policy_search(filters)
    except ApplicationError as error:
        context = {"error": error.message, "filters": None, "tags": all_tags()}
        return render(request, "support/policies.html", context, status=400)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    day = today()
    for policy in page:
        policy.status = policy.status_on(day)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "tags": all_tags(),
        "statuses": PolicyStatus.choices,
        "feed_query": query.urlencode(),
    }
    return render(request, "support/policies.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def policy_alerts(request):
    """The organization's alerts of new policies: the region and industries they follow, and
    the watch list they arrive on (each member chooses there: inbox, mail, feed, webhook)."""
    from stdplus.programme.selectors import region_get

    from .models import PolicyWatch
    from .policy_alerts import NOT_ALERTED, organization_industries, policy_watch_set

    organization = accounts_organization_for(request)
    error = None
    if request.method == "POST" and organization is not None:
        try:
            policy_watch_set(
                organization=organization, industries=request.POST.get("industries", "")
            )
        except ApplicationError as problem:
            error = problem.message
        else:
            messages.success(
                request,
                _("Saved: new policies for your region and industries will be in your inbox."),
            )
            return redirect("support:policy-alerts")
    watch = declared = None
    if organization is not None:
        watch = (
            PolicyWatch.objects.select_related("watch_list")
            .filter(organization=organization)
            .first()
        )
        stated = set(watch.industries) if watch else set()
        declared = sorted(
            organization_industries([organization.pk]).get(organization.pk, set()) - stated
        )
    context = {
        "organization": organization,
        "region": region_get(organization.region_code)
        if organization and organization.region_code
        else None,
        "watch": watch,
        "declared": declared,
        "excluded": organization is not None and organization.kind in NOT_ALERTED,
        "error": error,
        "typed": request.POST.get("industries") if error else None,
    }
    return render(request, "support/policy_alerts.html", context, status=400 if error else 200)


@require_GET
@json_twin("api:support_policy")
def policy_detail(request, pk: int):
    policy = policy_get(pk)
    if policy is None:
        raise Http404(_("No such policy."))
    policy.status = policy.status_on(today())
    return render(request, "support/policy_detail.html", {"policy": policy})


def _standard_filter(request):
    text = (request.GET.get("standard") or "").strip()
    if not text:
        return None, ""
    from stdplus.catalog.selectors import standard_resolve

    found = standard_resolve(text).edition
    return (found.pk if found else -1), text


@require_GET
@json_twin(list_twin("api:support_questions", page_size=50, keep=("q", "standard")))
def questions(request):
    """The knowledge base: public questions the experts answered, searchable; for an expert,
    the open questions they are suggested for; for an enterprise, its own."""
    standard_id, standard_text = _standard_filter(request)
    found = public_answers(request.GET.get("q", "")[:200], standard_id)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    expert = expert_of(request.user)
    for_me = []
    if expert is not None:
        open_ones = Question.objects.filter(state="asked").select_related("standard")[:200]
        for_me = [q for q in open_ones if is_suggested(request.user, q)]
    own = []
    if request.user.is_authenticated:
        own = list(
            Question.objects.filter(
                organization_id__in=request.user.memberships.values("organization_id")
            )[:50]
        )
    context = {
        "page": page,
        "q": request.GET.get("q", ""),
        "standard": standard_text,
        "for_me": for_me,
        "own": own,
        "is_expert": expert is not None,
    }
    return render(request, "support/questions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def ask(request):
    """An enterprise asks; nothing is written if the form is wrong."""
    organization = accounts_organization_for(request)
    error = None
    if request.method == "POST" and organization is not None:
        try:
            question = question_ask(
                organization=organization,
                user=request.user,
                topic=request.POST.get("topic", ""),
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                standard=request.POST.get("standard", ""),
                subject=request.POST.get("subject", ""),
                public=request.POST.get("public") == "on",
            )
        except ApplicationError as problem:
            error = problem.message
        else:
            messages.success(request, _("Your question was sent to the experts."))
            return redirect(question.get_absolute_url())
    context = {
        "organization": organization,
        "topics": QuestionTopic.choices,
        "error": error,
        "values": request.POST if request.method == "POST" else {},
    }
    return render(request, "support/ask.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def expert_profile(request):
    """An expert of the register sets whether they take questions now, and their fields (the
    ICS and CCS classes questions are matched on). Nobody's contact data is shown."""
    from .models import ExpertProfile
    from .questions import expert_profile_set

    profile = ExpertProfile.objects.select_related("expert").filter(user=request.user).first()
    if profile is None:
        raise Http404(_("Your account is not an expert's of the register."))
    error = None
    if request.method == "POST":
        try:
            expert_profile_set(
                profile=profile,
                available=request.POST.get("available") == "on",
                ics=request.POST.get("ics", ""),
                ccs=request.POST.get("ccs", ""),
            )
        except ApplicationError as problem:
            error = problem.message
        else:
            messages.success(request, _("Your availability and fields are saved."))
            return redirect("support:expert-profile")
    context = {"profile": profile, "error": error, "values": request.POST if error else None}
    return render(request, "support/expert_profile.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
@json_twin("api:support_question")
def question_detail(request, pk: int):
    question = question_visible_get(request.user, pk)
    if question is None:
        raise Http404(_("No such question."))
    show_experts = can_keep_register(request.user) or question.organization_id in set(
        request.user.memberships.values_list("organization_id", flat=True)
        if request.user.is_authenticated
        else []
    )
    return lifecycle_page(
        request,
        question,
        template="support/question_detail.html",
        context={
            "question": question,
            "suggestions": experts_suggested(question) if show_experts else [],
            "show_experts": show_experts,
        },
        json_url=reverse("api:support_question", kwargs={"pk": question.pk}),
    )


def standard_panel(request, standard) -> str:
    """The standard page's piece (catalog/panels.py): the public answers about it."""
    answers = []
    if any_row(Question, "standard", standard.pk):  # (most standards have no question)
        answers = list(public_answers(standard_id=standard.pk)[:5])
    return render_to_string(
        "support/_standard_panel.html",
        {"answers": answers, "standard": standard},
    )  # no request: the piece needs none of the context processors' reads


@require_GET
@json_twin(list_twin("api:support_sessions", page_size=50))
def training(request):
    """Sessions of the training base with their places; a person's own enrollments, hours and
    certificates."""
    page = Paginator(sessions_open(), 50).get_page(request.GET.get("page"))
    mine = []
    hours = 0
    if request.user.is_authenticated:
        mine = list(
            Enrollment.objects.filter(person=request.user, cancelled=False)
            .select_related("session__course", "certificate")
            .order_by("-session__starts_on")
        )
        hours = learning_hours(person=request.user)
    organized = set()
    if request.user.is_authenticated:
        from .training import can_organize

        organized = {s.pk for s in page if can_organize(request.user, s)}
    context = {
        "page": page,
        "mine": mine,
        "hours": hours,
        "organized": organized,
        "organization_training": _organization_training(request),
    }
    return render(request, "support/training.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def session_roster(request, pk: int):
    """The organizer's roster of a session: who has a place, who waits, attendance and
    certificates (the regulator's staff and the course's teachers; else 404). Each form writes
    one thing, through the training services; a refusal is shown and writes nothing."""
    from stdplus.core.dates import date_or_none

    from .training import attendance_record, can_organize, certificate_issue

    session = (
        Session.objects.select_related("course", "region").filter(pk=pk).first()
        if 0 < pk < 2**63
        else None
    )
    if session is None or not can_organize(request.user, session):
        raise Http404(_("No such session."))
    live = Enrollment.objects.filter(session=session, cancelled=False)
    if request.method == "POST":
        action = request.POST.get("do", "")
        try:
            with transaction.atomic():
                if action in ("attend", "certify"):
                    raw = request.POST.get("enrollment", "")
                    enrollment = (
                        live.filter(pk=int(raw)).first()
                        if raw.isdigit() and len(raw) < 19
                        else None
                    )
                    if enrollment is None:
                        raise ApplicationError(_("No such enrollment in this session."))
                    if action == "attend":
                        day = date_or_none(request.POST.get("attended_on", ""), field="attended_on")
                        attendance_record(enrollment, day)
                        messages.success(request, _("Attendance recorded."))
                    else:
                        certificate_issue(enrollment)
                        messages.success(request, _("Certificate issued."))
                elif action == "attend_all":
                    done = [
                        attendance_record(e) for e in live.filter(waiting=False, attended_on=None)
                    ]
                    messages.success(request, _("Attendance recorded: %(n)s.") % {"n": len(done)})
                elif action == "certify_all":
                    done = [
                        certificate_issue(e)
                        for e in live.filter(attended_on__isnull=False, certificate__isnull=True)
                    ]
                    messages.success(request, _("Certificates issued: %(n)s.") % {"n": len(done)})
                else:
                    raise ApplicationError(_("Choose what to do."))
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect("support:session", pk=session.pk)
    rows = list(
        live.select_related("person", "organization", "certificate").order_by(
            "waiting", "created_at", "pk"
        )
    )
    return render(request, "support/session.html", {"session": session, "rows": rows})


def _organization_training(request) -> dict | None:
    """For an administrator of the person's current organization: its people's learning hours
    and certificates (which they may download)."""
    from stdplus.accounts.selectors import is_admin

    from .models import Certificate

    organization = accounts_organization_for(request) if request.user.is_authenticated else None
    if organization is None or not is_admin(user=request.user, organization=organization):
        return None
    return {
        "organization": organization,
        "hours": learning_hours(organization=organization),
        "certificates": list(
            Certificate.objects.filter(enrollment__organization=organization).order_by(
                "-issued_on", "-pk"
            )[:200]
        ),
    }


@login_required
@require_POST
def enroll_view(request, pk: int):
    session = Session.objects.filter(pk=pk).first() if 0 < pk < 2**63 else None
    if session is None:
        raise Http404(_("No such session."))
    try:
        enrollment = enroll(
            session=session, person=request.user, organization=accounts_organization_for(request)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if enrollment.waiting:
            messages.success(request, _("You are on the waiting list."))
        else:
            messages.success(request, _("You are enrolled."))
    return redirect("support:training")


def _verify_twin(request):
    from django.utils.http import urlencode

    url = reverse("api:support_certificate_verify")
    code = request.GET.get("code", "").strip()
    return f"{url}?{urlencode({'code': code})}" if code else url


@require_GET
@json_twin(_verify_twin)
def verify(request):
    """Anyone checks a certificate by its code: genuine and unchanged, or refused."""
    code = request.GET.get("code", "").strip()[:60]
    certificate = certificate_verify(code) if code else None
    return render(
        request,
        "support/verify.html",
        {"code": code, "certificate": certificate, "checked": bool(code)},
    )


@login_required
@require_GET
def certificate_download(request, pk: int):
    """The certificate as a PDF, in the page's language, with the QR code of its public check:
    for the holder, their organization's administrators and the regulator (else 404)."""
    from .certificates import certificate_get, certificate_pdf, certificate_readable

    certificate = certificate_get(pk)
    if certificate is None or not certificate_readable(request.user, certificate):
        raise Http404(_("No such certificate."))
    try:
        pdf = certificate_pdf(certificate)
    except ApplicationError as error:
        return render(
            request, "support/verify.html", {"error": error.message, "code": ""}, status=503
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@json_twin("api:support_talent")
def talent(request):
    """The talent pool: the regulator's view only."""
    if not can_keep_register(request.user):
        raise PermissionDenied(_("Only regulator staff see the talent pool."))
    return render(request, "support/talent.html", {"rows": talent_pool()})
