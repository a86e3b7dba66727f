"""Spot checks (双随机): the roster, the draw, the checklist, the published results.

The draw is reproducible: the eligible declarations (public and in force, of enterprises in the
district's region tree, with a product of the category) and the active roster are read in a
fixed order (by id), and one `random.Random(seed)` draws first the declarations, then, for each
in the order drawn, its inspectors among those without a conflict of interest (a person who is
a member of the declaring enterprise, or an expert of it). The seed, and digests of the two
lists, are stored with the round: the same seed over the same lists gives the same draw
(`draw_compute`, which `round_draw` writes and `round_verify` repeats).
"""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Membership
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.lifecycle import transition_start
from stdplus.declarations.choices import DeclarationState
from stdplus.declarations.industries import CLASSES
from stdplus.declarations.models import Declaration
from stdplus.declarations.selectors import declaration_findings
from stdplus.programme.models import Expert, Region
from stdplus.programme.selectors import region_codes

from .choices import CRITERIA, CheckState, ItemSource, Judgment, Outcome
from .models import ChecklistItem, Inspector, SpotCheck, SpotCheckRound


def _regulator(user) -> None:
    if not (user and user.is_authenticated and user.has_perm("supervision.run_spotchecks")):
        raise ApplicationError(
            _("Only the regulator may do this."), code="not_the_regulator", status=403
        )


# ----------------------------------------------------------------------------------------------
# The roster


@transaction.atomic
def inspector_add(*, actor, user=None, expert: Expert | None = None) -> Inspector:
    _regulator(actor)
    if user is None and expert is None:
        raise ApplicationError(
            _("Name a staff user or an expert of the register."),
            where=Where(field="user"),
            code="required",
        )
    found = Inspector.objects.filter(Q(user=user) if user is not None else Q(expert=expert)).first()
    if found is not None:
        if not found.active:
            found.active = True
            found.save(update_fields=["active"])
        return found
    return Inspector.objects.create(user=user, expert=expert)


@transaction.atomic
def inspector_remove(*, actor, inspector: Inspector) -> Inspector:
    """Off the roster for future draws; past assignments stay as they were."""
    _regulator(actor)
    inspector.active = False
    inspector.save(update_fields=["active"])
    return inspector


def roster() -> QuerySet[Inspector]:
    return Inspector.objects.filter(active=True).select_related("user", "expert").order_by("pk")


def inspector_organizations(inspectors: list[Inspector]) -> dict[int, set[int]]:
    """The organizations each inspector belongs to: a user's memberships, an expert's
    organization, and the memberships of the user account an expert signs in with."""
    users = {i.user_id for i in inspectors if i.user_id}
    memberships: dict[int, set[int]] = {}
    for user_id, organization_id in Membership.objects.filter(user_id__in=users).values_list(
        "user_id", "organization_id"
    ):
        memberships.setdefault(user_id, set()).add(organization_id)
    out = {}
    for inspector in inspectors:
        organizations = set(memberships.get(inspector.user_id, ()))
        if inspector.expert_id and inspector.expert.organization_id:
            organizations.add(inspector.expert.organization_id)
        out[inspector.pk] = organizations
    return out


# ----------------------------------------------------------------------------------------------
# The draw


@dataclass
class DrawIn:
    region: Region
    category: str = ""
    share: Decimal | None = None
    count: int | None = None
    inspectors_per_check: int = 2
    seed: str = ""


@dataclass
class Draw:
    seed: str
    population: list[int]  # declaration ids, in order
    drawn: list[int]  # declaration ids, in the order drawn
    inspectors: dict[int, list[int]]  # declaration id → inspector ids, in the order drawn
    population_digest: str
    roster_digest: str


def _digest(ids) -> str:
    return hashlib.sha256(",".join(str(i) for i in ids).encode()).hexdigest()


def eligible_declarations(region: Region, category: str = "") -> QuerySet[Declaration]:
    """Public declarations in force, of enterprises in the region's tree, with a product of the
    category (a class, or its leading digits)."""
    queryset = Declaration.objects.filter(
        state=DeclarationState.DECLARED, enterprise__region_code__in=region_codes(region)
    )
    if category:
        queryset = queryset.filter(products__category__startswith=category)
    return queryset.distinct().order_by("pk")


def draw_read(values: dict) -> DrawIn:
    """The draw's parameters from a form or JSON; a clear refusal naming the field."""
    code = str(values.get("region") or "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        raise ApplicationError(
            _("“%(value)s” is not a district of the region tree."),
            params={"value": code},
            where=Where(field="region"),
            code="unknown_region",
        )
    category = str(values.get("category") or "").strip()
    if category and (
        not category.isdigit() or not any(c.startswith(category) for c, _z, _e in CLASSES)
    ):
        raise ApplicationError(
            _("“%(value)s” is not a GB/T 4754 class (or its leading digits) that stdplus knows."),
            params={"value": category},
            where=Where(field="category"),
            code="unknown_category",
        )
    share_raw = str(values.get("share") or "").strip()
    count_raw = str(values.get("count") or "").strip()
    if bool(share_raw) == bool(count_raw):
        raise ApplicationError(
            _("Give either a share in percent or a number to draw, not both and not neither."),
            where=Where(field="share"),
            code="share_or_count",
        )
    share = count = None
    if share_raw:
        try:
            share = Decimal(share_raw.rstrip("%").strip())
        except InvalidOperation:
            share = None
        if share is None or not share.is_finite() or not (0 < share <= 100):
            raise ApplicationError(
                _("The share must be a number above 0 and at most 100, not “%(value)s”."),
                params={"value": share_raw},
                where=Where(field="share"),
                code="invalid_share",
            )
    else:
        try:
            count = int(count_raw)
        except ValueError:
            count = 0
        if count < 1 or count > 100_000:
            raise ApplicationError(
                _("The number drawn must be a whole number from 1 to 100,000, not “%(value)s”."),
                params={"value": count_raw},
                where=Where(field="count"),
                code="invalid_count",
            )
    try:
        per = int(str(values.get("inspectors_per_check") or "2").strip())
    except ValueError:
        per = 0
    if not 1 <= per <= 5:
        raise ApplicationError(
            _("Inspectors per declaration must be from 1 to 5."),
            where=Where(field="inspectors_per_check"),
            code="invalid_inspectors",
        )
    seed = str(values.get("seed") or "").strip()
    if len(seed) > 64:
        raise ApplicationError(
            _("The seed is longer than 64 characters."), where=Where(field="seed"), code="too_long"
        )
    return DrawIn(region, category, share, count, per, seed)


def draw_compute(params: DrawIn) -> Draw:
    """The draw, from the seed: a pure function of the seed, the eligible declarations and the
    roster (read in id order)."""
    seed = params.seed or secrets.token_hex(8)
    population = list(
        eligible_declarations(params.region, params.category).values_list("pk", flat=True)
    )
    if not population:
        raise ApplicationError(
            _("No public declaration of this district and category to draw from."),
            where=Where(field="region"),
            code="nothing_to_draw",
        )
    if params.count is not None:
        size = min(params.count, len(population))
    else:
        size = max(1, math.ceil(len(population) * (params.share or 0) / 100))
    rng = random.Random(seed)
    drawn = rng.sample(population, size)
    inspectors = list(roster())
    organizations = inspector_organizations(inspectors)
    enterprises = dict(Declaration.objects.filter(pk__in=drawn).values_list("pk", "enterprise_id"))
    chosen: dict[int, list[int]] = {}
    for declaration_id in drawn:
        free = [i.pk for i in inspectors if enterprises[declaration_id] not in organizations[i.pk]]
        if len(free) < params.inspectors_per_check:
            raise ApplicationError(
                _(
                    "Only %(free)s inspector(s) on the roster have no conflict of interest with "
                    "declaration %(declaration)s; %(needed)s are needed. Add inspectors to the "
                    "roster."
                ),
                params={
                    "free": len(free),
                    "declaration": declaration_id,
                    "needed": params.inspectors_per_check,
                },
                where=Where(field="inspectors_per_check"),
                code="roster_too_small",
            )
        chosen[declaration_id] = rng.sample(free, params.inspectors_per_check)
    return Draw(
        seed,
        population,
        drawn,
        chosen,
        _digest(population),
        _digest(f"{i.pk}:{sorted(organizations[i.pk])}" for i in inspectors),
    )


def _items(check: SpotCheck, declaration: Declaration) -> list[ChecklistItem]:
    items = []
    for finding in declaration_findings(declaration):
        texts = finding.texts()
        items.append(
            ChecklistItem(
                spot_check=check,
                source=ItemSource.AUTOMATIC,
                code=finding.code,
                severity=str(finding.severity),
                message_en=texts["en"],
                message_zh=texts["zh-hans"],
                # Pre-filled from the automatic check: the inspector confirms or changes it.
                judgment=Judgment.FAIL if finding.is_error else Judgment.DEFECT,
            )
        )
    for code in CRITERIA:
        items.append(ChecklistItem(spot_check=check, source=ItemSource.CRITERION, code=code))
    return items


@transaction.atomic
def round_draw(*, actor, title: str, values: dict, demo: bool = False) -> SpotCheckRound:
    """Draw a round and write it, its checks, their inspectors and checklists; or nothing."""
    _regulator(actor)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ApplicationError(
            _("Give the round a title (at most 200 characters)."),
            where=Where(field="title"),
            code="required",
        )
    params = draw_read(values)
    draw = draw_compute(params)
    round_ = SpotCheckRound.objects.create(
        title=title,
        region=params.region,
        category=params.category,
        share=params.share,
        count=params.count,
        inspectors_per_check=params.inspectors_per_check,
        seed=draw.seed,
        population=len(draw.population),
        population_digest=draw.population_digest,
        roster_digest=draw.roster_digest,
        drawn_on=today(),
        drawn_by=actor,
        demo=demo,
    )
    declarations = Declaration.objects.in_bulk(draw.drawn)
    for position, declaration_id in enumerate(draw.drawn, start=1):
        check = SpotCheck.objects.create(
            round=round_, declaration_id=declaration_id, position=position, demo=demo
        )
        check.inspectors.set(draw.inspectors[declaration_id])
        ChecklistItem.objects.bulk_create(_items(check, declarations[declaration_id]))
        transition_start(check, actor=actor)  # the inspectors drawn are on the check
    return round_


def round_verify(round_: SpotCheckRound) -> bool:
    """Whether drawing again from the round's seed, region, category and size gives the
    declarations drawn (while the eligible list and roster are as they were: see the digests)."""
    params = DrawIn(
        round_.region,
        round_.category,
        round_.share,
        round_.count,
        round_.inspectors_per_check,
        round_.seed,
    )
    draw = draw_compute(params)
    stored = list(round_.checks.order_by("position").values_list("declaration_id", flat=True))
    return draw.population_digest == round_.population_digest and draw.drawn == stored


@transaction.atomic
def round_publish(*, actor, round_: SpotCheckRound) -> SpotCheckRound:
    _regulator(actor)
    if round_.published_on is None:
        round_.published_on = today()
        round_.save(update_fields=["published_on"])
    return round_


# ----------------------------------------------------------------------------------------------
# The checklist


@transaction.atomic
def item_judge(*, actor, item: ChecklistItem, judgment: str, comment: str = "") -> ChecklistItem:
    check = SpotCheck.objects.select_for_update().get(pk=item.spot_check_id)
    if not check.inspectors.filter(user_id=getattr(actor, "pk", None), active=True).exists():
        raise ApplicationError(
            _("Only the inspectors assigned may judge this checklist."),
            code="not_assigned",
            status=403,
        )
    if check.state != CheckState.ASSIGNED:
        raise ApplicationError(
            _("The outcome is recorded: the checklist is closed."), code="evaluated", status=409
        )
    if judgment not in Judgment.values:
        raise ApplicationError(
            _("“%(value)s” is not a judgment (possible: %(allowed)s)."),
            params={"value": judgment, "allowed": ", ".join(Judgment.values)},
            where=Where(field="judgment"),
            code="invalid_judgment",
        )
    if len(comment) > 2000:
        raise ApplicationError(
            _("The comment is longer than 2,000 characters."),
            where=Where(field="comment"),
            code="too_long",
        )
    item.judgment = judgment
    item.comment = comment.strip()
    item.save(update_fields=["judgment", "comment"])
    return item


# ----------------------------------------------------------------------------------------------
# Reads


def conformity(round_: SpotCheckRound) -> dict:
    """How many checks ended in each outcome, and the share conforming (with or without
    defects) among those evaluated."""
    counts = dict(round_.checks.exclude(outcome="").values_list("outcome").annotate(n=Count("pk")))
    evaluated = sum(counts.values())
    conforming = counts.get(Outcome.CONFORMING, 0)
    defects = counts.get(Outcome.DEFECTS, 0)
    rate = round(100 * (conforming + defects) / evaluated, 1) if evaluated else None
    strict = round(100 * conforming / evaluated, 1) if evaluated else None
    return {
        "drawn": round_.checks.count(),
        "evaluated": evaluated,
        "conforming": conforming,
        "defects": defects,
        "non_conforming": counts.get(Outcome.NON_CONFORMING, 0),
        "rate": rate,
        "strict_rate": strict,
    }


def public_rounds() -> QuerySet[SpotCheckRound]:
    return SpotCheckRound.objects.filter(published_on__isnull=False).select_related("region")


def public_checks(round_: SpotCheckRound) -> QuerySet[SpotCheck]:
    return (
        round_.checks.exclude(outcome="")
        .select_related("declaration__enterprise")
        .order_by("position")
    )


def checks_for_inspector(user) -> QuerySet[SpotCheck]:
    return (
        SpotCheck.objects.filter(inspectors__user_id=user.pk, inspectors__active=True)
        .select_related("round", "declaration__enterprise")
        .distinct()
        .order_by("-round__drawn_on", "position")
    )


def checks_for_enterprise(organization_ids: list[int]) -> QuerySet[SpotCheck]:
    return (
        SpotCheck.objects.filter(declaration__enterprise_id__in=organization_ids)
        .select_related("round", "declaration__enterprise")
        .order_by("-round__drawn_on", "position")
    )


def check_readable(user, check: SpotCheck, organization_ids: list[int]) -> str:
    """How the reader sees a check: "regulator", "inspector", "enterprise", "public" or ""."""
    if user is not None and user.is_authenticated:
        if user.has_perm("supervision.run_spotchecks"):
            return "regulator"
        if check.inspectors.filter(user_id=user.pk).exists():
            return "inspector"
        if check.declaration.enterprise_id in organization_ids:
            return "enterprise"
    if check.round.published_on is not None and check.outcome:
        return "public"
    return ""
