"""Spot checks and leader rankings over JSON. Public reads need no login (published rounds and
their outcomes, schemes past their draft, runs, the leader list); the regulator's, inspectors'
and enterprises' reads and writes take a token or the session. Errors are the API's one shape
{"code", "message", "where"}."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from stdplus.accounts.auth import BearerToken
from stdplus.accounts.selectors import organization_ids_for
from stdplus.accounts.services import token_authenticate
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle import transition_apply
from stdplus.core.lifecycle_ui import lifecycle_payload
from stdplus.core.schemas import LifecycleOut, Paging, errors
from stdplus.declarations.selectors import declaration_for_reader, declaration_products

from .choices import LEADER_PUBLIC, SchemeState
from .leaders import (
    EXCLUSION_TEXT,
    holdbacks_for,
    leaders_nominate,
    objection_raise,
    public_leaders,
    ranking_run,
    scheme_create,
)
from .models import (
    ChecklistItem,
    Inspector,
    KeyArea,
    LeaderCategory,
    LeaderEntry,
    RankingRun,
    Scheme,
    SpotCheck,
    SpotCheckRound,
)
from .records import result_dicts
from .spotchecks import (
    check_readable,
    checks_for_enterprise,
    checks_for_inspector,
    conformity,
    inspector_add,
    item_judge,
    public_checks,
    public_rounds,
    roster,
    round_draw,
    round_publish,
)

router = Router(tags=["supervision"])
AUTH = [BearerToken(), django_auth]


def _reader(request) -> None:
    """Public reads take no authentication; a valid token still counts."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        found = token_authenticate(header[7:].strip())
        if found is not None:
            request.api_token = found
            request.user = found.user


def _is_regulator(request) -> bool:
    user = request.user
    return bool(user and user.is_authenticated and user.has_perm("supervision.run_spotchecks"))


def _regulator(request) -> None:
    if not _is_regulator(request):
        raise ApplicationError(
            _("Only the regulator may do this."), code="not_the_regulator", status=403
        )


# ----------------------------------------------------------------------------------------------
# Schemas


class ConformityOut(Schema):
    drawn: int
    evaluated: int
    conforming: int
    defects: int
    non_conforming: int
    rate: float | None = Field(None, description="conforming, with or without defects, in %")
    strict_rate: float | None = Field(None, description="conforming without defects, in %")


class RoundOut(Schema):
    id: int
    title: str
    region: str
    category: str
    share: Decimal | None
    count: int | None
    inspectors_per_check: int
    seed: str
    population: int
    population_digest: str
    drawn_on: dt.date
    published_on: dt.date | None
    conformity: ConformityOut
    url: str


class CheckRowOut(Schema):
    id: int
    position: int
    declaration_id: int
    enterprise: str
    credit_code: str
    state: str
    outcome: str
    rectification_due: dt.date | None
    url: str


class RoundDetailOut(RoundOut):
    checks: list[CheckRowOut]


class ChecklistItemOut(Schema):
    id: int
    source: str
    code: str
    severity: str
    text: str
    judgment: str
    comment: str


class SpotCheckOut(Schema):
    id: int
    round_id: int
    declaration_id: int
    enterprise: str
    state: str
    outcome: str
    evaluated_on: dt.date | None
    rectification_due: dt.date | None
    response: str
    closed_on: dt.date | None
    inspectors: list[str] = Field(..., description="to the regulator and the inspectors only")
    items: list[ChecklistItemOut] = Field(..., description="the checklist; not to the public")
    lifecycle: LifecycleOut


class InspectorOut(Schema):
    id: int
    name: str
    user: str | None
    expert_id: int | None


class DrawIn(Schema):
    title: str
    region: str = Field(..., description="a region code of the tree, e.g. 440305")
    category: str = Field("", description="a GB/T 4754 class or its leading digits")
    share: str = Field("", description="percent of the eligible declarations")
    count: str = Field("", description="or a number of declarations")
    inspectors_per_check: int = 2
    seed: str = Field("", description="leave empty for a fresh random seed, recorded")


class InspectorIn(Schema):
    username: str = ""
    expert_id: int | None = None


class JudgeIn(Schema):
    judgment: str = Field(..., description="pass, defect or fail")
    comment: str = ""


class StepIn(Schema):
    data: dict[str, Any] = {}
    note: str = ""
    on: dt.date | None = None


class CategoryRefOut(Schema):
    id: int
    code: str
    name: str
    product_category: str
    url: str


class KeyAreaOut(Schema):
    id: int
    year: int
    code: str
    name: str
    categories: list[CategoryRefOut]


class CoreIndicatorOut(Schema):
    name_zh: str
    name_en: str
    direction: str
    unit: str
    floor: Decimal
    floor_standard: str | None
    method_standard: str | None
    tiers: list[str]


class ObjectionOut(Schema):
    id: int
    name: str
    text: str
    received_on: dt.date
    state: str
    resolution: str


class SchemeOut(Schema):
    id: int
    category_id: int
    version: int
    state: str
    notice_days: int
    leader_tiers: int
    effective_on: dt.date | None
    indicators: list[CoreIndicatorOut]
    objections: list[ObjectionOut]
    lifecycle: LifecycleOut


class RunRefOut(Schema):
    id: int
    scheme_version: int
    year: int
    run_on: dt.date
    ranked: bool
    url: str


class LeaderOut(Schema):
    id: int
    category: str
    year: int
    enterprise: str
    product: str
    declaration_id: int
    state: str
    certificate: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    revoked_on: dt.date | None
    url: str


class LeaderDetailOut(LeaderOut):
    lifecycle: LifecycleOut


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    area: str
    year: int
    product_category: str
    schemes: list[int]
    runs: list[RunRefOut]
    leaders: list[LeaderOut]


class RankedOut(Schema):
    place: int
    tied: bool
    tier: int
    leads: bool
    product_id: int
    declaration_id: int
    enterprise: str
    product: str
    values: list[str]
    tiers: list[int]
    places: list[int]


class ExclusionOut(Schema):
    product_id: int
    reason: str
    reason_text: str
    indicator: str
    detail: str


class RunOut(Schema):
    id: int
    scheme_id: int
    year: int
    run_on: dt.date
    ranked: bool
    no_ranking_reason: str
    inputs_digest: str
    inputs_count: int
    result: list[RankedOut]
    exclusions: list[ExclusionOut]
    csv_url: str
    xlsx_url: str


class HoldOut(Schema):
    indicator: str
    value: Decimal | None
    tier: int | None
    needed: Decimal
    direction: str
    unit: str


class HoldsBackOut(Schema):
    product_id: int
    product: str
    scheme_id: int
    category: str
    excluded: str | None = Field(None, description="why the product is not ranked at all")
    holds: list[HoldOut]


class IndicatorSchemeIn(Schema):
    name_zh: str = ""
    name_en: str = ""
    direction: str
    unit: str = ""
    floor: str
    tiers: list[str]
    method_standard: str = ""
    floor_standard: str = ""


class SchemeIn(Schema):
    indicators: list[IndicatorSchemeIn]
    leader_tiers: int = 1


class ObjectionIn(Schema):
    name: str = ""
    text: str


class RunIn(Schema):
    year: int | None = None


# ----------------------------------------------------------------------------------------------
# Spot checks


def _round(round_: SpotCheckRound) -> dict:
    return {
        "id": round_.pk,
        "title": round_.title,
        "region": round_.region.code,
        "category": round_.category,
        "share": round_.share,
        "count": round_.count,
        "inspectors_per_check": round_.inspectors_per_check,
        "seed": round_.seed,
        "population": round_.population,
        "population_digest": round_.population_digest,
        "drawn_on": round_.drawn_on,
        "published_on": round_.published_on,
        "conformity": conformity(round_),
        "url": round_.get_absolute_url(),
    }


def _check_row(check: SpotCheck) -> dict:
    return {
        "id": check.pk,
        "position": check.position,
        "declaration_id": check.declaration_id,
        "enterprise": str(check.declaration.enterprise),
        "credit_code": check.declaration.enterprise.credit_code,
        "state": check.state,
        "outcome": check.outcome,
        "rectification_due": check.rectification_due,
        "url": check.get_absolute_url(),
    }


@router.get(
    "/rounds",
    response={200: list[RoundOut], **errors()},
    auth=None,
    url_name="supervision_rounds",
    summary="Spot-check rounds: the published ones (the regulator sees all)",
)
@paginate(Paging)
def rounds(request):
    _reader(request)
    shown = SpotCheckRound.objects.all() if _is_regulator(request) else public_rounds()
    return [_round(r) for r in shown.select_related("region").order_by("-drawn_on", "-pk")]


@router.post(
    "/rounds",
    response={201: RoundDetailOut, **errors(400, 401, 403, 413)},
    auth=AUTH,
    summary="Draw a round (the regulator): declarations and inspectors at random, from a seed",
)
def draw(request, payload: DrawIn):
    round_ = round_draw(actor=request.user, title=payload.title, values=payload.dict())
    return 201, _round_detail(request, round_)


def _round_detail(request, round_: SpotCheckRound) -> dict:
    checks = (
        round_.checks.select_related("declaration__enterprise")
        if _is_regulator(request)
        else public_checks(round_)
    )
    return {**_round(round_), "checks": [_check_row(c) for c in checks]}


@router.get(
    "/rounds/{round_id}",
    response={200: RoundDetailOut, **errors(404)},
    auth=None,
    url_name="supervision_round",
    summary="A round, its conformity rate and its results (published outcomes to the public)",
)
def round_detail(request, round_id: int):
    _reader(request)
    round_ = get_object_or_404(SpotCheckRound.objects.select_related("region"), pk=round_id)
    if round_.published_on is None and not _is_regulator(request):
        raise Http404("no such round")
    return _round_detail(request, round_)


@router.post(
    "/rounds/{round_id}/publish",
    response={200: RoundDetailOut, **errors(401, 403, 404, 413)},
    auth=AUTH,
    summary="Publish a round's results (the regulator)",
)
def publish(request, round_id: int):
    round_ = get_object_or_404(SpotCheckRound, pk=round_id)
    return _round_detail(request, round_publish(actor=request.user, round_=round_))


def _inspector(inspector: Inspector) -> dict:
    return {
        "id": inspector.pk,
        "name": str(inspector),
        "user": inspector.user.get_username() if inspector.user_id else None,
        "expert_id": inspector.expert_id,
    }


@router.get(
    "/roster",
    response={200: list[InspectorOut], **errors(401, 403)},
    auth=AUTH,
    url_name="supervision_roster",
    summary="The inspectors on the roster (the regulator)",
)
@paginate(Paging)
def roster_list(request):
    _regulator(request)
    return [_inspector(i) for i in roster()]


@router.post(
    "/roster",
    response={201: InspectorOut, **errors(400, 401, 403, 404, 413)},
    auth=AUTH,
    summary="Put a staff user or an expert of the register on the roster (the regulator)",
)
def roster_add(request, payload: InspectorIn):
    from django.contrib.auth import get_user_model

    from stdplus.programme.models import Expert

    user = (
        get_object_or_404(get_user_model(), username=payload.username) if payload.username else None
    )
    expert = get_object_or_404(Expert, pk=payload.expert_id) if payload.expert_id else None
    return 201, _inspector(inspector_add(actor=request.user, user=user, expert=expert))


@router.get(
    "/checks/mine",
    response={200: list[CheckRowOut], **errors(401, 403)},
    auth=AUTH,
    url_name="supervision_my_checks",
    summary="Your assignments as an inspector, and your organization's declarations checked",
)
@paginate(Paging)
def my_checks(request):
    mine = list(checks_for_inspector(request.user))
    seen = {c.pk for c in mine}
    own = [c for c in checks_for_enterprise(organization_ids_for(request)) if c.pk not in seen]
    return [_check_row(c) for c in mine + own]


def _check(request, check_id: int) -> tuple[SpotCheck, str]:
    check = get_object_or_404(
        SpotCheck.objects.select_related("round", "declaration__enterprise"), pk=check_id
    )
    view = check_readable(request.user, check, organization_ids_for(request))
    if not view:
        raise Http404("no such spot check")
    return check, view


def _check_detail(request, check: SpotCheck, view: str) -> dict:
    return {
        "id": check.pk,
        "round_id": check.round_id,
        "declaration_id": check.declaration_id,
        "enterprise": str(check.declaration.enterprise),
        "state": check.state,
        "outcome": check.outcome,
        "evaluated_on": check.evaluated_on,
        "rectification_due": check.rectification_due,
        "response": check.response,
        "closed_on": check.closed_on,
        "inspectors": [str(i) for i in check.inspectors.all()]
        if view in ("regulator", "inspector")
        else [],
        "items": [
            {
                "id": i.pk,
                "source": i.source,
                "code": i.code,
                "severity": i.severity,
                "text": i.text,
                "judgment": i.judgment,
                "comment": i.comment,
            }
            for i in check.items.all()
        ]
        if view != "public"
        else [],
        "lifecycle": lifecycle_payload(check, request.user),
    }


@router.get(
    "/checks/{check_id}",
    response={200: SpotCheckOut, **errors(404)},
    auth=None,
    url_name="supervision_check",
    summary="A spot check: its inspectors, checklist and outcome, to those who may see them",
)
def check_detail(request, check_id: int):
    _reader(request)
    check, view = _check(request, check_id)
    return _check_detail(request, check, view)


@router.post(
    "/checks/{check_id}/items/{item_id}",
    response={200: SpotCheckOut, **errors(400, 401, 403, 404, 409, 413)},
    auth=AUTH,
    summary="Judge one checklist item (an inspector assigned)",
)
def judge(request, check_id: int, item_id: int, payload: JudgeIn):
    check, view = _check(request, check_id)
    item = get_object_or_404(ChecklistItem, pk=item_id, spot_check=check)
    item_judge(actor=request.user, item=item, judgment=payload.judgment, comment=payload.comment)
    return _check_detail(request, check, view)


@router.post(
    "/checks/{check_id}/steps/{action}",
    response={200: SpotCheckOut, **errors(400, 401, 403, 404, 409, 413)},
    auth=AUTH,
    summary='Take a step: evaluate {"outcome", "rectification_due"}, respond {"response"}, close',
)
def check_step(request, check_id: int, action: str, payload: StepIn):
    check, view = _check(request, check_id)
    transition_apply(
        check, action[:40], actor=request.user, data=payload.data, on=payload.on, note=payload.note
    )
    return _check_detail(request, check, view)


# ----------------------------------------------------------------------------------------------
# Leader rankings


def _category_ref(category: LeaderCategory) -> dict:
    return {
        "id": category.pk,
        "code": category.code,
        "name": category.name,
        "product_category": category.product_category,
        "url": category.get_absolute_url(),
    }


@router.get(
    "/areas",
    response={200: list[KeyAreaOut], **errors()},
    auth=None,
    url_name="supervision_areas",
    summary="Key areas by year, with their categories",
)
@paginate(Paging)
def areas(request):
    return [
        {
            "id": a.pk,
            "year": a.year,
            "code": a.code,
            "name": a.name,
            "categories": [_category_ref(c) for c in a.categories.all()],
        }
        for a in KeyArea.objects.prefetch_related("categories")
    ]


def _leader(entry: LeaderEntry) -> dict:
    return {
        "id": entry.pk,
        "category": entry.category.code,
        "year": entry.year,
        "enterprise": str(entry.enterprise),
        "product": entry.product.name,
        "declaration_id": entry.declaration_id,
        "state": entry.state,
        "certificate": entry.certificate,
        "valid_from": entry.valid_from,
        "valid_until": entry.valid_until,
        "revoked_on": entry.revoked_on,
        "url": entry.get_absolute_url(),
    }


def _run_ref(run: RankingRun) -> dict:
    return {
        "id": run.pk,
        "scheme_version": run.scheme.version,
        "year": run.year,
        "run_on": run.run_on,
        "ranked": run.ranked,
        "url": run.get_absolute_url(),
    }


@router.get(
    "/categories/{category_id}",
    response={200: CategoryOut, **errors(404)},
    auth=None,
    url_name="supervision_category",
    summary="A category: its schemes, ranking runs and leader list",
)
def category(request, category_id: int):
    _reader(request)
    found = get_object_or_404(LeaderCategory.objects.select_related("area"), pk=category_id)
    schemes = found.schemes.all()
    if not _is_regulator(request):
        schemes = schemes.exclude(state=SchemeState.DRAFT)
    return {
        "id": found.pk,
        "code": found.code,
        "name": found.name,
        "area": found.area.name,
        "year": found.area.year,
        "product_category": found.product_category,
        "schemes": [s.pk for s in schemes],
        "runs": [
            _run_ref(r)
            for r in RankingRun.objects.filter(scheme__category=found)
            .select_related("scheme")
            .defer("record")[:50]
        ],
        "leaders": [_leader(e) for e in public_leaders(found)],
    }


@router.post(
    "/categories/{category_id}/schemes",
    response={201: SchemeOut, **errors(400, 401, 403, 404, 413)},
    auth=AUTH,
    summary="Draft a new version of the category's evaluation scheme (the regulator)",
)
def scheme_new(request, category_id: int, payload: SchemeIn):
    found = get_object_or_404(LeaderCategory, pk=category_id)
    scheme = scheme_create(
        actor=request.user,
        category=found,
        indicators=[i.dict() for i in payload.indicators],
        values={"leader_tiers": payload.leader_tiers},
    )
    return 201, _scheme(request, scheme)


def _scheme(request, scheme: Scheme) -> dict:
    return {
        "id": scheme.pk,
        "category_id": scheme.category_id,
        "version": scheme.version,
        "state": scheme.state,
        "notice_days": scheme.notice_days,
        "leader_tiers": scheme.leader_tiers,
        "effective_on": scheme.effective_on,
        "indicators": [
            {
                "name_zh": i.name_zh,
                "name_en": i.name_en,
                "direction": i.direction,
                "unit": i.unit,
                "floor": i.floor,
                "floor_standard": i.floor_standard.canonical if i.floor_standard_id else None,
                "method_standard": i.method_standard.canonical if i.method_standard_id else None,
                "tiers": [str(t) for t in i.tiers],
            }
            for i in scheme.indicators.select_related("floor_standard", "method_standard")
        ],
        "objections": list(
            scheme.objections.values("id", "name", "text", "received_on", "state", "resolution")
        ),
        "lifecycle": lifecycle_payload(scheme, request.user),
    }


def _visible_scheme(request, scheme_id: int) -> Scheme:
    scheme = get_object_or_404(Scheme, pk=scheme_id)
    if scheme.state == SchemeState.DRAFT and not _is_regulator(request):
        raise Http404("no such scheme")
    return scheme


@router.get(
    "/schemes/{scheme_id}",
    response={200: SchemeOut, **errors(404)},
    auth=None,
    url_name="supervision_scheme",
    summary="An evaluation scheme: core indicators, tiers, floors, notice and objections",
)
def scheme_detail(request, scheme_id: int):
    _reader(request)
    return _scheme(request, _visible_scheme(request, scheme_id))


@router.post(
    "/schemes/{scheme_id}/objections",
    response={201: ObjectionOut, **errors(400, 401, 403, 404, 409, 413)},
    auth=AUTH,
    summary="Object to a scheme in public notice",
)
def objection_new(request, scheme_id: int, payload: ObjectionIn):
    scheme = _visible_scheme(request, scheme_id)
    found = objection_raise(scheme=scheme, user=request.user, name=payload.name, text=payload.text)
    return 201, {
        "id": found.pk,
        "name": found.name,
        "text": found.text,
        "received_on": found.received_on,
        "state": found.state,
        "resolution": found.resolution,
    }


@router.post(
    "/schemes/{scheme_id}/steps/{action}",
    response={200: SchemeOut, **errors(400, 401, 403, 404, 409, 413)},
    auth=AUTH,
    summary="Take a step of the scheme: announce, take_effect, rework (the regulator)",
)
def scheme_step(request, scheme_id: int, action: str, payload: StepIn):
    scheme = _visible_scheme(request, scheme_id)
    transition_apply(
        scheme, action[:40], actor=request.user, data=payload.data, on=payload.on, note=payload.note
    )
    return _scheme(request, scheme)


@router.post(
    "/schemes/{scheme_id}/runs",
    response={201: RunOut, **errors(400, 401, 403, 404, 409, 413)},
    auth=AUTH,
    summary="Run the ranking under a scheme in effect (the regulator); the run is stored",
)
def run_new(request, scheme_id: int, payload: RunIn):
    scheme = _visible_scheme(request, scheme_id)
    return 201, _run(ranking_run(actor=request.user, scheme=scheme, year=payload.year))


def _run(run: RankingRun) -> dict:
    return {
        "id": run.pk,
        "scheme_id": run.scheme_id,
        "year": run.year,
        "run_on": run.run_on,
        "ranked": run.ranked,
        "no_ranking_reason": run.no_ranking_reason,
        "inputs_digest": run.inputs_digest,
        "inputs_count": run.candidates,
        "result": result_dicts(run.result),
        "exclusions": [
            {
                "product_id": e[0],
                "reason": e[1],
                "reason_text": str(EXCLUSION_TEXT.get(e[1], e[1])),
                "indicator": e[2],
                "detail": e[3],
            }
            for e in run.exclusions
        ],
        "csv_url": f"{run.get_absolute_url()}export.csv",
        "xlsx_url": f"{run.get_absolute_url()}export.xlsx",
    }


@router.get(
    "/runs/{run_id}",
    response={200: RunOut, **errors(404)},
    auth=None,
    url_name="supervision_run",
    summary="A stored ranking run: inputs digest, result with ties, exclusions with reasons",
)
def run_detail(request, run_id: int):
    return _run(get_object_or_404(RankingRun.objects.select_related("scheme"), pk=run_id))


@router.post(
    "/runs/{run_id}/leaders",
    response={201: list[LeaderOut], **errors(401, 403, 404, 409, 413)},
    auth=AUTH,
    summary="Nominate the leading products of a run for the year's leader list (the regulator)",
)
def nominate(request, run_id: int):
    run = get_object_or_404(RankingRun, pk=run_id)
    return 201, [_leader(e) for e in leaders_nominate(actor=request.user, run=run)]


@router.get(
    "/leaders",
    response={200: list[LeaderOut], **errors()},
    auth=None,
    url_name="supervision_leaders",
    summary="The leader lists: products in public notice, certified or revoked",
)
@paginate(Paging)
def leaders(request):
    return [_leader(e) for e in public_leaders()]


def _leader_visible(request, entry_id: int) -> LeaderEntry:
    entry = get_object_or_404(
        LeaderEntry.objects.select_related("enterprise", "product", "category"), pk=entry_id
    )
    if not (
        entry.state in LEADER_PUBLIC
        or _is_regulator(request)
        or entry.enterprise_id in organization_ids_for(request)
    ):
        raise Http404("no such leader")
    return entry


@router.get(
    "/leaders/{entry_id}",
    response={200: LeaderDetailOut, **errors(404)},
    auth=None,
    url_name="supervision_leader",
    summary="One product of a leader list, with its certificate and history",
)
def leader_detail(request, entry_id: int):
    _reader(request)
    entry = _leader_visible(request, entry_id)
    return {**_leader(entry), "lifecycle": lifecycle_payload(entry, request.user)}


@router.post(
    "/leaders/{entry_id}/steps/{action}",
    response={200: LeaderDetailOut, **errors(400, 401, 403, 404, 409, 413)},
    auth=AUTH,
    summary='Take a step: commit {"commitment": "yes"}, decline, announce, certify, revoke',
)
def leader_step(request, entry_id: int, action: str, payload: StepIn):
    entry = _leader_visible(request, entry_id)
    transition_apply(
        entry, action[:40], actor=request.user, data=payload.data, on=payload.on, note=payload.note
    )
    return {**_leader(entry), "lifecycle": lifecycle_payload(entry, request.user)}


@router.get(
    "/declarations/{declaration_id}/holds-back",
    response={200: list[HoldsBackOut], **errors(404)},
    auth=None,
    url_name="supervision_holds_back",
    summary="What keeps each product of a declaration out of the leader tier, and the value needed",
)
def holds_back(request, declaration_id: int):
    _reader(request)
    declaration = declaration_for_reader(request.user, declaration_id)
    if declaration is None:
        raise Http404("no such declaration, or not public")
    out = []
    for product in declaration_products(declaration):
        for found in holdbacks_for(product):
            out.append(
                {
                    "product_id": product.pk,
                    "product": product.name,
                    "scheme_id": found["scheme"].pk,
                    "category": found["scheme"].category.code,
                    "excluded": found["excluded"].reason if found["excluded"] else None,
                    "holds": [
                        {
                            "indicator": h.spec.name_zh or h.spec.name_en,
                            "value": h.value,
                            "tier": h.tier,
                            "needed": h.needed,
                            "direction": h.spec.direction,
                            "unit": h.spec.unit,
                        }
                        for h in found["holds"]
                    ],
                }
            )
    return out
