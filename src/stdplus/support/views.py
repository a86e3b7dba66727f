"""Support for enterprises: what an organization can claim (and why not), applying for it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError
from stdplus.core.queries import query_read
from stdplus.core.twins import json_twin, list_twin
from stdplus.programme.permissions import can_keep_register

from .claims import claims_for, claims_organization, no_item_reason
from .models import PolicyStatus
from .policies import PolicyFilter, all_tags, policy_get, policy_search
from .services import draft_from_claim


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


@require_GET
@json_twin("api:support_policy")
def policy_detail(request, pk: int):
    policy = policy_get(pk)
    if policy is None:
        raise Http404(_("No such policy."))
    policy.status = policy.status_on(today())
    return render(request, "support/policy_detail.html", {"policy": policy})
