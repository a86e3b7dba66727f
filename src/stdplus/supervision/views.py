"""Pages of spot checks and leader rankings: the regulator's (draw, roster, evaluation,
schemes, runs), the inspectors' and enterprises' own, and the public results and leader lists.
Each page in one language; each data page names its JSON twin (the API's answer)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stdplus.accounts.selectors import organization_ids_for
from stdplus.core.errors import ApplicationError
from stdplus.core.lifecycle_ui import lifecycle_context, lifecycle_post
from stdplus.core.tabular import csv_text, xlsx_append, xlsx_save
from stdplus.core.twins import json_twin
from stdplus.declarations.choices import Direction
from stdplus.declarations.industries import category_choices
from stdplus.declarations.selectors import can_read
from stdplus.programme.models import Expert, Region

from .choices import LEADER_PUBLIC, Judgment, SchemeState
from .leaders import (
    EXCLUSION_TEXT,
    NO_RANKING_TEXT,
    area_create,
    category_create,
    holdbacks_for,
    leaders_nominate,
    objection_decide,
    objection_raise,
    public_leaders,
    ranking_run,
    run_table,
    scheme_create,
    specs_of,
)
from .models import (
    ChecklistItem,
    Inspector,
    KeyArea,
    LeaderCategory,
    LeaderEntry,
    Objection,
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
    inspector_remove,
    item_judge,
    public_checks,
    public_rounds,
    roster,
    round_draw,
    round_publish,
)


def is_regulator(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("supervision.run_spotchecks"))


def _fail(request, error: ApplicationError) -> None:
    where = error.where.describe()
    messages.error(request, f"{where}: {error.message}" if where else error.message)


def _regulator_only(request) -> None:
    if not is_regulator(request.user):
        raise PermissionDenied(_("Only the regulator may do this."))


# ----------------------------------------------------------------------------------------------
# Spot checks


@json_twin("api:supervision_rounds")
def rounds(request):
    regulator = is_regulator(request.user)
    if request.method == "POST":
        _regulator_only(request)
        try:
            round_ = round_draw(
                actor=request.user, title=request.POST.get("title", ""), values=request.POST
            )
        except ApplicationError as error:
            _fail(request, error)
            return redirect("supervision:rounds")
        return redirect(round_.get_absolute_url())
    shown = SpotCheckRound.objects.select_related("region") if regulator else public_rounds()
    context = {
        "rounds": [(r, conformity(r)) for r in shown[:200]],
        "regulator": regulator,
        "regions": Region.objects.order_by("path") if regulator else [],
        "categories": category_choices(),
        "roster_size": roster().count() if regulator else 0,
    }
    return render(request, "supervision/rounds.html", context)


@json_twin("api:supervision_roster")
def roster_page(request):
    _regulator_only(request)
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                inspector = get_object_or_404(Inspector, pk=request.POST["remove"])
                inspector_remove(actor=request.user, inspector=inspector)
            else:
                username = request.POST.get("username", "").strip()
                expert_id = request.POST.get("expert", "").strip()
                user = (
                    get_user_model().objects.filter(username=username).first() if username else None
                )
                expert = (
                    Expert.objects.filter(pk=expert_id).first() if expert_id.isdigit() else None
                )
                if username and user is None:
                    raise ApplicationError(
                        _("No user is called “%(name)s”."),
                        params={"name": username},
                        code="unknown_user",
                    )
                if expert_id and expert is None:
                    raise ApplicationError(
                        _("No expert of the register has the number “%(id)s”."),
                        params={"id": expert_id},
                        code="unknown_expert",
                    )
                inspector_add(actor=request.user, user=user, expert=expert)
        except ApplicationError as error:
            _fail(request, error)
        return redirect("supervision:roster")
    context = {"inspectors": roster(), "experts": Expert.objects.live().order_by("pk")[:500]}
    return render(request, "supervision/roster.html", context)


@json_twin("api:supervision_round")
def round_page(request, round_id: int):
    round_ = get_object_or_404(SpotCheckRound.objects.select_related("region"), pk=round_id)
    regulator = is_regulator(request.user)
    if not regulator and round_.published_on is None:
        raise Http404("no such round")
    if request.method == "POST":
        _regulator_only(request)
        round_publish(actor=request.user, round_=round_)
        return redirect(round_.get_absolute_url())
    checks = (
        round_.checks.select_related("declaration__enterprise").prefetch_related("inspectors")
        if regulator
        else public_checks(round_)
    )
    context = {
        "round": round_,
        "checks": checks,
        "figures": conformity(round_),
        "regulator": regulator,
    }
    return render(request, "supervision/round.html", context)


@login_required
@json_twin("api:supervision_my_checks")
def my_checks(request):
    context = {
        "assigned": checks_for_inspector(request.user),
        "own": checks_for_enterprise(organization_ids_for(request)),
    }
    return render(request, "supervision/my_checks.html", context)


def _check_for(request, check_id: int) -> tuple[SpotCheck, str]:
    check = get_object_or_404(
        SpotCheck.objects.select_related("round", "declaration__enterprise"), pk=check_id
    )
    view = check_readable(request.user, check, organization_ids_for(request))
    if not view:
        raise Http404("no such spot check")
    return check, view


@json_twin("api:supervision_check")
def check_page(request, check_id: int):
    check, view = _check_for(request, check_id)
    if request.method == "POST":
        lifecycle_post(request, check)
        return redirect(check.get_absolute_url())
    context = {
        "check": check,
        "view": view,
        "items": check.items.all() if view != "public" else [],
        "inspectors": check.inspectors.all() if view in ("regulator", "inspector") else [],
        "judgments": Judgment.choices,
        "judging": view == "inspector" and check.state == "assigned",
        **lifecycle_context(check, request.user, request.path),
    }
    return render(request, "supervision/check.html", context)


@login_required
@require_POST
def item_post(request, item_id: int):
    item = get_object_or_404(ChecklistItem.objects.select_related("spot_check"), pk=item_id)
    check, view = _check_for(request, item.spot_check_id)
    try:
        item_judge(
            actor=request.user,
            item=item,
            judgment=request.POST.get("judgment", ""),
            comment=request.POST.get("comment", ""),
        )
    except ApplicationError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from None
        _fail(request, error)
    return redirect(check.get_absolute_url() + f"#item-{item.pk}")


# ----------------------------------------------------------------------------------------------
# Leader rankings


@json_twin("api:supervision_areas")
def areas(request):
    regulator = is_regulator(request.user)
    if request.method == "POST":
        _regulator_only(request)
        try:
            if request.POST.get("area"):
                area = get_object_or_404(KeyArea, pk=request.POST["area"])
                category = category_create(actor=request.user, area=area, values=request.POST)
                return redirect(category.get_absolute_url())
            area_create(actor=request.user, values=request.POST)
        except ApplicationError as error:
            _fail(request, error)
        return redirect("supervision:areas")
    context = {
        "areas": KeyArea.objects.prefetch_related("categories"),
        "leaders": public_leaders().filter(state__in=LEADER_PUBLIC)[:500],
        "regulator": regulator,
        "categories": category_choices(),
    }
    return render(request, "supervision/areas.html", context)


def _indicators_posted(post) -> list[dict]:
    out = []
    for index in range(5):
        row = {
            name: post.get(f"ind-{index}-{name}", "")
            for name in (
                "name_zh",
                "name_en",
                "direction",
                "unit",
                "floor",
                "tiers",
                "method_standard",
                "floor_standard",
            )
        }
        if row["name_zh"].strip() or row["name_en"].strip():
            out.append(row)
    return out


@json_twin("api:supervision_category")
def category_page(request, category_id: int):
    category = get_object_or_404(LeaderCategory.objects.select_related("area"), pk=category_id)
    regulator = is_regulator(request.user)
    if request.method == "POST":
        _regulator_only(request)
        try:
            scheme = scheme_create(
                actor=request.user,
                category=category,
                indicators=_indicators_posted(request.POST),
                values={"leader_tiers": request.POST.get("leader_tiers", "1")},
            )
        except ApplicationError as error:
            _fail(request, error)
            return redirect(category.get_absolute_url())
        return redirect(scheme.get_absolute_url())
    schemes = category.schemes.all()
    if not regulator:
        schemes = schemes.exclude(state=SchemeState.DRAFT)
    context = {
        "category": category,
        "schemes": schemes,
        "runs": RankingRun.objects.filter(scheme__category=category)
        .select_related("scheme")
        .defer("record")[:50],
        "leaders": public_leaders(category),
        "regulator": regulator,
        "directions": [
            (Direction.HIGHER, Direction.HIGHER.label),
            (Direction.LOWER, Direction.LOWER.label),
        ],
        "rows": range(3),
    }
    return render(request, "supervision/category.html", context)


@json_twin("api:supervision_scheme")
def scheme_page(request, scheme_id: int):
    scheme = get_object_or_404(Scheme.objects.select_related("category__area"), pk=scheme_id)
    regulator = is_regulator(request.user)
    if scheme.state == SchemeState.DRAFT and not regulator:
        raise Http404("no such scheme")
    if request.method == "POST":
        kind = request.POST.get("form", "")
        try:
            if kind == "objection":
                objection_raise(
                    scheme=scheme,
                    user=request.user,
                    name=request.POST.get("name", ""),
                    text=request.POST.get("text", ""),
                )
                messages.success(request, _("Your objection is recorded."))
            elif kind == "decide":
                _regulator_only(request)
                objection = get_object_or_404(
                    Objection, pk=request.POST.get("objection"), scheme=scheme
                )
                objection_decide(
                    actor=request.user,
                    objection=objection,
                    upheld=request.POST.get("upheld") == "yes",
                    resolution=request.POST.get("resolution", ""),
                )
            elif kind == "run":
                run = ranking_run(actor=request.user, scheme=scheme, year=_year(request.POST))
                return redirect(run.get_absolute_url())
            else:
                lifecycle_post(request, scheme)
        except ApplicationError as error:
            if error.status == 403:
                raise PermissionDenied(error.message) from None
            _fail(request, error)
        return redirect(scheme.get_absolute_url())
    context = {
        "scheme": scheme,
        "indicators": scheme.indicators.select_related("method_standard", "floor_standard"),
        "objections": scheme.objections.all(),
        "regulator": regulator,
        **lifecycle_context(scheme, request.user, request.path),
    }
    return render(request, "supervision/scheme.html", context)


def _year(post) -> int | None:
    try:
        return int(post.get("year", ""))
    except ValueError:
        return None


@json_twin("api:supervision_run")
def run_page(request, run_id: int):
    run = get_object_or_404(RankingRun.objects.select_related("scheme__category"), pk=run_id)
    if request.method == "POST":
        _regulator_only(request)
        try:
            made = leaders_nominate(actor=request.user, run=run)
        except ApplicationError as error:
            _fail(request, error)
        else:
            messages.success(request, _("%(n)s product(s) nominated.") % {"n": len(made)})
        return redirect(run.get_absolute_url())
    names = {r[0]: (r[3], r[4]) for r in run.inputs}
    context = {
        "run": run,
        "specs": specs_of(run.scheme),
        "rows": result_dicts(run.result),
        "exclusions": [
            {
                "product_id": e[0],
                "enterprise": names.get(e[0], ("", ""))[0],
                "product": names.get(e[0], ("", ""))[1],
                "reason": EXCLUSION_TEXT.get(e[1], e[1]),
                "indicator": e[2],
                "detail": e[3],
            }
            for e in run.exclusions
        ],
        "no_ranking": NO_RANKING_TEXT.get(run.no_ranking_reason, ""),
        "regulator": is_regulator(request.user),
        "nominated": LeaderEntry.objects.filter(run=run).count(),
    }
    return render(request, "supervision/run.html", context)


@require_GET
def run_export(request, run_id: int, fmt: str):
    run = get_object_or_404(RankingRun.objects.select_related("scheme__category"), pk=run_id)
    name = f"ranking-{run.scheme.category.code}-{run.year}-{run.pk}"
    if fmt == "zip":
        # The record as stored: its digest can be checked against the page's.
        response = HttpResponse(bytes(run.record), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{name}-record.zip"'
        return response
    sheets = run_table(run)
    if fmt == "csv":
        # The result first, then the exclusions and the inputs, each under its title.
        rows: list[list] = []
        for title, table in sheets.items():
            rows += [[title], *table, []]
        response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404("no such format")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, table in sheets.items():
        sheet = book.create_sheet(title=title[:31])
        for row in table:
            xlsx_append(sheet, row)
    response = HttpResponse(
        xlsx_save(book),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def leader_readable(request, entry: LeaderEntry) -> bool:
    return (
        entry.state in LEADER_PUBLIC
        or is_regulator(request.user)
        or entry.enterprise_id in organization_ids_for(request)
    )


@json_twin("api:supervision_leader")
def leader_page(request, entry_id: int):
    entry = get_object_or_404(
        LeaderEntry.objects.select_related("enterprise", "product", "category__area", "run"),
        pk=entry_id,
    )
    if not leader_readable(request, entry):
        raise Http404("no such leader")
    if request.method == "POST":
        lifecycle_post(request, entry)
        return redirect(entry.get_absolute_url())
    context = {"entry": entry, **lifecycle_context(entry, request.user, request.path)}
    return render(request, "supervision/leader.html", context)


# ----------------------------------------------------------------------------------------------
# The declaration page's panel


def holds_back_panel(request, declaration, products) -> str:
    """declarations.panels.DECLARATION_PAGE: what holds each product back from leading."""
    if not can_read(request.user, declaration):
        return ""
    found = []
    for product in products:
        for entry in holdbacks_for(product):
            found.append({"product": product, **entry})
    if not found:
        return ""
    return render_to_string(
        "supervision/_holds_back.html",
        {"found": found, "exclusions": EXCLUSION_TEXT, "leaders_url": reverse("supervision:areas")},
        request=request,
    )
