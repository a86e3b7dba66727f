"""Leader rankings (领跑者): key areas, categories, schemes and their notice, ranking runs,
the leader list, and "what holds this product back".

A ranking run has the database rank the declared indicators of every product of the category
in public declarations in force (`live_products`, judged by the one rule, `ranking.statement`,
with the automatic findings of `facts`), and stores what it read, what it left out and why,
and the result, as one immutable `RankingRun` with its record (`records.Record`, zipped) and
the digest of its inputs; downloadable as CSV or XLSX (`run_table`) and as the record itself.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from typing import Any

import psycopg
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.lifecycle import transition_start
from stdplus.core.values import text_value
from stdplus.declarations.choices import DeclarationState, Direction
from stdplus.declarations.industries import is_category
from stdplus.declarations.models import Declaration, Product, RankingInput
from stdplus.declarations.services import catalog_standard

from .choices import LEADER_PUBLIC, ObjectionState, SchemeState
from .facts import errors_by_declaration
from .models import (
    CoreIndicator,
    KeyArea,
    LeaderCategory,
    LeaderEntry,
    Objection,
    RankingRun,
    Scheme,
)
from .ranking import Candidate, Spec, answer, answer_for, holds_back, shape_map
from .records import (
    Record,
    exclusion_rows,
    json_lines,
    pack,
    result_rows,
    scheme_json,
    stored_products,
    unpack,
)
from .spotchecks import _regulator

# ----------------------------------------------------------------------------------------------
# Areas, categories, schemes


@transaction.atomic
def area_create(*, actor, values: dict) -> KeyArea:
    _regulator(actor)
    try:
        year = int(str(values.get("year") or "").strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise ApplicationError(
            _("The year must be from 2000 to 2100."), where=Where(field="year"), code="invalid_year"
        )
    code = text_value(values, "code", _("code"), max_length=20, required=True)
    if KeyArea.objects.filter(year=year, code=code).exists():
        raise ApplicationError(
            _("The key area %(code)s exists already for %(year)s."),
            params={"code": code, "year": year},
            where=Where(field="code"),
            code="duplicate",
        )
    return KeyArea.objects.create(
        year=year,
        code=code,
        name_zh=text_value(values, "name_zh", _("Chinese name"), max_length=200, required=True),
        name_en=text_value(values, "name_en", _("English name"), max_length=200),
    )


@transaction.atomic
def category_create(*, actor, area: KeyArea, values: dict) -> LeaderCategory:
    _regulator(actor)
    code = text_value(values, "code", _("code"), max_length=20, required=True)
    product_category = text_value(
        values, "product_category", _("product category"), max_length=4, required=True
    )
    if not is_category(product_category):
        raise ApplicationError(
            _("“%(code)s” is not a class of GB/T 4754 that stdplus knows."),
            params={"code": product_category},
            where=Where(field="product_category"),
            code="unknown_category",
        )
    if area.categories.filter(code=code).exists():
        raise ApplicationError(
            _("The category %(code)s exists already in this key area."),
            params={"code": code},
            where=Where(field="code"),
            code="duplicate",
        )
    return LeaderCategory.objects.create(
        area=area,
        code=code,
        product_category=product_category,
        name_zh=text_value(values, "name_zh", _("Chinese name"), max_length=200, required=True),
        name_en=text_value(values, "name_en", _("English name"), max_length=200),
    )


def _number(raw: Any, *, field: str, label) -> Decimal:
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise ApplicationError(
            _("%(field)s must be a number, not “%(value)s”."),
            params={"field": capfirst(label), "value": raw},
            where=Where(field=field),
            code="invalid_number",
        )
    return value.quantize(Decimal("0.000001"))


def indicator_read(values: dict, index: int) -> dict:
    """One core indicator of a scheme from a form or JSON, checked: tiers best first, none
    below the floor. Fields are named `indicators[index].name`."""

    def at(name: str) -> str:
        return f"indicators[{index}].{name}"

    name_zh = text_value(values, "name_zh", _("Chinese name"), max_length=200)
    name_en = text_value(values, "name_en", _("English name"), max_length=200)
    if not name_zh and not name_en:
        raise ApplicationError(
            _("Core indicator %(n)s has no name."),
            params={"n": index + 1},
            where=Where(field=at("name_zh")),
            code="required",
        )
    direction = str(values.get("direction") or "").strip()
    if direction not in (Direction.HIGHER, Direction.LOWER):
        raise ApplicationError(
            _("A core indicator is ranked higher or lower is better, not “%(value)s”."),
            params={"value": direction},
            where=Where(field=at("direction")),
            code="invalid_direction",
        )
    unit = text_value(values, "unit", _("unit"), max_length=40)
    floor = _number(values.get("floor"), field=at("floor"), label=_("floor"))
    raw_tiers = values.get("tiers") or []
    if isinstance(raw_tiers, str):
        raw_tiers = [t for t in raw_tiers.replace("，", ",").split(",") if t.strip()]
    tiers = [_number(t, field=at("tiers"), label=_("tier threshold")) for t in raw_tiers]
    if not tiers or len(tiers) > 10:
        raise ApplicationError(
            _("Give from 1 to 10 tier thresholds, best first."),
            where=Where(field=at("tiers")),
            code="invalid_tiers",
        )
    better = (lambda a, b: a > b) if direction == Direction.HIGHER else (lambda a, b: a < b)
    for previous, following in zip(tiers, tiers[1:], strict=False):
        if not better(previous, following):
            raise ApplicationError(
                _("Tier thresholds go from the best to the least: %(a)s then %(b)s is not."),
                params={"a": previous, "b": following},
                where=Where(field=at("tiers")),
                code="invalid_tiers",
            )
    if better(floor, tiers[-1]):
        raise ApplicationError(
            _(
                "The tier threshold %(tier)s is below the floor %(floor)s: no tier may fall below "
                "the floor."
            ),
            params={"tier": tiers[-1], "floor": floor},
            where=Where(field=at("tiers")),
            code="tier_below_floor",
        )
    method = str(values.get("method_standard") or "").strip()
    floor_standard = str(values.get("floor_standard") or "").strip()
    return {
        "name_zh": name_zh,
        "name_en": name_en,
        "direction": direction,
        "unit": unit,
        "floor": floor,
        "tiers": [str(t) for t in tiers],
        "method_standard": catalog_standard(method, field=at("method_standard"))
        if method
        else None,
        "floor_standard": catalog_standard(floor_standard, field=at("floor_standard"))
        if floor_standard
        else None,
    }


@transaction.atomic
def scheme_create(
    *, actor, category: LeaderCategory, indicators: list[dict], values: dict | None = None
) -> Scheme:
    """A new version of the category's scheme, as a draft; all or nothing."""
    _regulator(actor)
    values = values or {}
    if not indicators:
        raise ApplicationError(
            _("A scheme names at least one core indicator."),
            where=Where(field="indicators"),
            code="no_indicators",
        )
    read = [indicator_read(item, index) for index, item in enumerate(indicators)]
    names = [r["name_zh"] or r["name_en"] for r in read]
    if len(set(names)) != len(names):
        raise ApplicationError(
            _("Two core indicators have the same name."),
            where=Where(field="indicators"),
            code="duplicate",
        )
    try:
        leader_tiers = int(values.get("leader_tiers") or 1)
    except (TypeError, ValueError):
        leader_tiers = 0
    if not 1 <= leader_tiers <= min(len(r["tiers"]) for r in read):
        raise ApplicationError(
            _("The tiers that lead must be from 1 to the number of thresholds of each indicator."),
            where=Where(field="leader_tiers"),
            code="invalid_leader_tiers",
        )
    version = (category.schemes.aggregate(top=Max("version"))["top"] or 0) + 1
    scheme = Scheme.objects.create(
        category=category,
        version=version,
        leader_tiers=leader_tiers,
        notice_days=int(values.get("notice_days", 10)),
        leader_notice_days=int(values.get("leader_notice_days", 10)),
        demo=bool(values.get("demo")),
    )
    CoreIndicator.objects.bulk_create(CoreIndicator(scheme=scheme, **r) for r in read)
    transition_start(scheme, actor=actor)
    return scheme


@transaction.atomic
def objection_raise(*, scheme: Scheme, user, name: str, text: str) -> Objection:
    """Anyone may object while the scheme is in public notice."""
    if scheme.state != SchemeState.NOTICE:
        raise ApplicationError(
            _("Objections are taken while the scheme is in public notice."),
            code="not_in_notice",
            status=409,
        )
    who = str(user) if user is not None and user.is_authenticated else ""
    name = text_value({"name": name or who}, "name", _("raised by"), max_length=200, required=True)
    text = text_value({"text": text}, "text", _("objection"), max_length=5000, required=True)
    return Objection.objects.create(
        scheme=scheme,
        by=user if user is not None and user.is_authenticated else None,
        name=name,
        text=text,
        received_on=today(),
    )


@transaction.atomic
def objection_decide(*, actor, objection: Objection, upheld: bool, resolution: str) -> Objection:
    _regulator(actor)
    if objection.state != ObjectionState.OPEN:
        raise ApplicationError(_("This objection is decided already."), code="decided", status=409)
    objection.resolution = text_value(
        {"resolution": resolution}, "resolution", _("resolution"), max_length=5000, required=True
    )
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    objection.save(update_fields=["state", "resolution"])
    return objection


# ----------------------------------------------------------------------------------------------
# Ranking


def specs_of(scheme: Scheme) -> list[Spec]:
    return [
        Spec(
            i.name_zh,
            i.name_en,
            i.direction,
            i.unit,
            Decimal(i.floor),
            tuple(Decimal(t) for t in i.tiers),
        )
        for i in scheme.indicators.order_by("pk")
    ]


def category_declarations(product_category: str) -> QuerySet[Declaration]:
    """The public declarations in force with a product of the category."""
    products = Product.objects.filter(declaration=OuterRef("pk"), category=product_category)
    return Declaration.objects.filter(Exists(products), state=DeclarationState.DECLARED)


def live_products(product_category: str) -> tuple[str, list]:
    """The candidates the rule ranks (`ranking.statement`): every product of the category in
    a public declaration in force, as stored when its version became public
    (`declarations.models.RankingInput`), with its enterprise's name as it is now; by product
    id. Plain SQL, so the database reads them as it ranks them."""
    stored, declaration = RankingInput._meta.db_table, Declaration._meta.db_table
    enterprise = Declaration._meta.get_field("enterprise").related_model._meta.db_table
    products = f"""
    SELECT r.product_id, r.declaration_id, d.enterprise_id,
           COALESCE(NULLIF(o.name_zh, ''), o.name_en) AS enterprise, r.line_head, r.line_tail,
           r.shape, r.numbers
    FROM {stored} r
    JOIN {declaration} d ON d.id = r.declaration_id
    JOIN {enterprise} o ON o.id = d.enterprise_id
    WHERE r.category = %s AND d.state = %s
    ORDER BY r.product_id"""  # noqa: S608 - table names are ours
    return products, [product_category, DeclarationState.DECLARED]


def declared_shapes(product_category: str) -> set[str]:
    """The distinct shapes (declared (name, unit) pairs) of the category's public products:
    which line gives which core indicator is decided once each (`ranking.shape_map`)."""
    return set(
        RankingInput.objects.filter(category=product_category)
        .order_by()
        .values_list("shape", flat=True)
        .distinct()
    )


RUN_TRIES = 3


def run_digest(scheme: bytes, record: Record) -> str:
    """The digest of what a run read: the scheme, the failing declarations' codes, the
    inputs, as its record keeps them."""
    return hashlib.sha256(b"\n".join([scheme, record.findings, record.inputs])).hexdigest()


@transaction.atomic
def ranking_run(*, actor, scheme: Scheme, year: int | None = None) -> RankingRun:
    """Rank the category under a scheme in effect, and store the run with its record."""
    _regulator(actor)
    if scheme.state != SchemeState.IN_EFFECT:
        raise ApplicationError(
            _("A ranking runs under a scheme in effect; this one is “%(state)s”."),
            params={"state": scheme.get_state_display()},
            code="scheme_not_in_effect",
            status=409,
        )
    specs = specs_of(scheme)
    category = scheme.category.product_category
    errors = errors_by_declaration(category_declarations(category))
    products, params = live_products(category)
    for _try in range(RUN_TRIES):
        # A version declared with a new shape after the shapes were read (PostgreSQL reads each
        # statement at its own moment) leaves candidates the statement cannot place: read the
        # shapes and rank again.
        record = answer(
            specs,
            products=products,
            params=params,
            shapes=shape_map(specs, declared_shapes(category)),
            errors=errors,
            leader_tiers=scheme.leader_tiers,
        )
        if not record.unknown_shapes:
            break
    else:
        raise ApplicationError(
            _("Declarations kept changing while the ranking ran: run it again."),
            code="ranking_busy",
            status=409,
        )
    header = scheme_json(specs, scheme.leader_tiers)
    blob = pack(header, record)
    binary = connection.vendor == "postgresql"
    run = RankingRun.objects.create(
        scheme=scheme,
        year=year or today().year,
        run_on=today(),
        run_by=actor if actor is not None and actor.is_authenticated else None,
        ranked=record.reason == "",
        no_ranking_reason=record.reason,
        inputs_digest=run_digest(header, record),
        candidates=record.inputs.count(b"\n") + 1 if record.inputs else 0,
        record=b"" if binary else blob,
        demo=scheme.demo,
    )
    if binary:
        # The record (3.4 MB for 100,000 products) sent as bytes: Django's cursor would write
        # it into the statement's text as hexadecimal, twice its size, for the server to read.
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f"UPDATE {RankingRun._meta.db_table} SET record = %b WHERE id = %s",  # noqa: S608
                [blob, run.pk],
            )
        run.record = blob
    return run


def run_replay(run: RankingRun) -> tuple[list, list]:
    """The run's exclusions and result computed again from its stored inputs (equal to the
    stored ones)."""
    parts = unpack(bytes(run.record))
    errors = {pk: codes for pk, codes in json_lines(parts["findings.jsonl"])}
    again = answer_for(
        specs_of(run.scheme),
        stored_products(parts["inputs.jsonl"]),
        errors,
        leader_tiers=run.scheme.leader_tiers,
    )
    names = {row[0]: (row[3], row[4]) for row in run.inputs}
    return exclusion_rows(again.exclusions), result_rows(again.result, names)


@transaction.atomic
def leaders_nominate(*, actor, run: RankingRun) -> list[LeaderEntry]:
    """Nominate the leading products of a run (the latest of its scheme) for the year's list."""
    _regulator(actor)
    if not run.ranked:
        raise ApplicationError(
            _("This run publishes no ranking, so it names no leaders."),
            code="no_ranking",
            status=409,
        )
    latest = (
        RankingRun.objects.filter(scheme=run.scheme)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if latest != run.pk:
        raise ApplicationError(
            _("A later run of this scheme exists: nominate from the latest run."),
            code="stale_run",
            status=409,
        )
    category = run.scheme.category
    existing = set(
        LeaderEntry.objects.filter(category=category, year=run.year).values_list(
            "product_id", flat=True
        )
    )
    made = []
    for row in run.result:
        product_id, declaration_id, enterprise_id, leads = row[0], row[1], row[2], row[11]
        if not leads or product_id in existing:
            continue
        entry = LeaderEntry.objects.create(
            run=run,
            category=category,
            year=run.year,
            declaration_id=declaration_id,
            product_id=product_id,
            enterprise_id=enterprise_id,
            demo=run.demo,
        )
        transition_start(entry, actor=actor)
        made.append(entry)
    return made


def public_leaders(category: LeaderCategory | None = None) -> QuerySet[LeaderEntry]:
    queryset = LeaderEntry.objects.filter(state__in=LEADER_PUBLIC).select_related(
        "enterprise", "product", "category__area"
    )
    if category is not None:
        queryset = queryset.filter(category=category)
    return queryset.order_by("category", "-year", "pk")


# ----------------------------------------------------------------------------------------------
# The run as a table (CSV, XLSX)


def run_table(run: RankingRun) -> dict[str, list[list]]:
    """Three sheets: the result, the exclusions with their reasons, the inputs as read."""
    specs = specs_of(run.scheme)
    names = [s.name_zh or s.name_en for s in specs]
    result = [
        [
            gettext("Place"),
            gettext("Tie"),
            gettext("Tier"),
            gettext("Leads"),
            gettext("Enterprise"),
            gettext("Product"),
            gettext("Product id"),
            gettext("Declaration id"),
            *names,
        ]
    ]
    for row in run.result:
        result.append(
            [
                row[9],
                gettext("yes") if row[10] else "",
                row[8],
                gettext("yes") if row[11] else "",
                row[3],
                row[4],
                row[0],
                row[1],
                *row[5],
            ]
        )
    exclusions = [
        [gettext("Product id"), gettext("Reason"), gettext("Indicator"), gettext("Detail")]
    ]
    exclusions += [[e[0], exclusion_text(e[1]), e[2], e[3]] for e in run.exclusions]
    inputs = [
        [
            gettext("Product id"),
            gettext("Declaration id"),
            gettext("Enterprise"),
            gettext("Product"),
            gettext("Indicator"),
            gettext("Unit"),
            gettext("Value"),
            gettext("Findings (errors)"),
        ]
    ]
    for row in run.inputs:
        for name, unit, value in row[5] or [["", "", None]]:
            inputs.append([row[0], row[1], row[3], row[4], name, unit, value, ", ".join(row[6])])
    return {
        gettext("Result"): result,
        gettext("Exclusions"): exclusions,
        gettext("Inputs"): inputs,
    }


EXCLUSION_TEXT = {
    "failed_checks": _("fails the automatic checks"),
    "indicator_missing": _("core indicator not declared"),
    "unit_mismatch": _("declared in another unit"),
    "below_floor": _("below the floor"),
}
NO_RANKING_TEXT = {
    "nobody_eligible": _("No product of the category can be ranked: no ranking is published."),
    "all_equal": _("Every product ranked declares the same values: no ranking is published."),
}


def exclusion_text(code: str) -> str:
    return str(EXCLUSION_TEXT.get(code, code))


# ----------------------------------------------------------------------------------------------
# What holds a product back


def holdbacks_for(product: Product) -> list[dict]:
    """For each scheme in effect whose category covers the product: why the product is not
    ranked, or which core indicators keep it out of the leading tiers and the value needed."""
    schemes = Scheme.objects.filter(
        state=SchemeState.IN_EFFECT, category__product_category=product.category
    ).select_related("category__area")
    out = []
    for scheme in schemes:
        specs = specs_of(scheme)
        errors = errors_by_declaration(Declaration.objects.filter(pk=product.declaration_id))
        candidate = Candidate(
            product.pk,
            product.declaration_id,
            product.declaration.enterprise_id,
            "",
            product.name,
            tuple(product.indicators.values_list("name", "unit", "value")),
            errors.get(product.declaration_id, ()),
        )
        excluded, holds = holds_back(specs, candidate, leader_tiers=scheme.leader_tiers)
        out.append({"scheme": scheme, "excluded": excluded, "holds": holds})
    return out
