"""Bulk import of existing declarations from a spreadsheet (XLSX or CSV).

The rows enterprises and the regulator already hold: one row per product (repeat the product's
row for each further indicator); rows with the same credit code and `reference` (the
declaration's number where it was first made public, or empty) are one declaration. Columns
(English key or Chinese name; * required):

    credit_code* 统一社会信用代码 · reference 声明编号 · declared_on 公开日期 ·
    product* 产品名称 · common_name 通用名称 · brand 品牌 · model 型号 · specification 规格 ·
    barcode 条码 · category* 类别 (a GB/T 4754 class) · standards 执行标准 (catalog standards,
    separated by ; or 、) · q_number 企业标准编号 · q_title 企业标准名称 ·
    indicator 指标名称 · direction 方向 (higher/lower/range) · value 指标值 · minimum 下限 ·
    maximum 上限 · unit 单位 · method_standard 检验方法标准 · own_method 自有检验方法 ·
    reference_standard 对应标准 · reference_value 对应标准值 · reference_minimum 对应标准下限 ·
    reference_maximum 对应标准上限 · statement 明示

Everything goes through the services a person uses (`services.py`: the same checks, the same
messages), inside one transaction: any error, of any row, writes nothing, and every error is
reported with its file, row and field. An enterprise imports its own rows only; the regulator
any enterprise's. Each declaration is recorded public (the lifecycle's `record` step) with its
findings. Importing the same rows again changes nothing (a fingerprint of each declaration's
rows); changed rows for a reference already imported make a new version of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.credit_code import credit_code_error
from stdplus.accounts.models import Organization
from stdplus.accounts.selectors import is_member
from stdplus.core.dates import today
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.lifecycle import transition_apply, transition_start

from .models import Declaration, ImportedDeclaration, Product
from .services import (
    IMPORTER,
    catalog_standard,
    enterprise_standard_add,
    indicator_add,
    product_add,
    standard_cite,
)
from .sheets import Col, SheetErrors, required_errors, sheet_rows

COLUMNS = (
    Col("credit_code", "统一社会信用代码", required=True),
    Col("reference", "声明编号"),
    Col("declared_on", "公开日期"),
    Col("product", "产品名称", required=True),
    Col("common_name", "通用名称"),
    Col("brand", "品牌"),
    Col("model", "型号"),
    Col("specification", "规格"),
    Col("barcode", "条码"),
    Col("category", "类别", required=True),
    Col("standards", "执行标准"),
    Col("q_number", "企业标准编号"),
    Col("q_title", "企业标准名称"),
    Col("indicator", "指标名称"),
    Col("direction", "方向"),
    Col("value", "指标值"),
    Col("minimum", "下限"),
    Col("maximum", "上限"),
    Col("unit", "单位"),
    Col("method_standard", "检验方法标准"),
    Col("own_method", "自有检验方法"),
    Col("reference_standard", "对应标准"),
    Col("reference_value", "对应标准值"),
    Col("reference_minimum", "对应标准下限"),
    Col("reference_maximum", "对应标准上限"),
    Col("statement", "明示"),
)
PRODUCT_COLUMNS = (
    "product",
    "common_name",
    "brand",
    "model",
    "specification",
    "barcode",
    "category",
)
INDICATOR_COLUMNS = (
    "direction",
    "value",
    "minimum",
    "maximum",
    "unit",
    "method_standard",
    "own_method",
    "reference_standard",
    "reference_value",
    "reference_minimum",
    "reference_maximum",
    "statement",
)
# A service's field, named as the column it came from.
PRODUCT_FIELD = {"name": "product"}
INDICATOR_FIELD = {"name": "indicator"}
QSTANDARD_FIELD = {"number": "q_number", "title": "q_title"}
STANDARD_FIELD = {"standard": "standards"}
_SPLIT = re.compile(r"[;；、\n]+")


@dataclass
class _Group:
    enterprise: Organization
    reference: str
    declared_on: dt.date | None
    rows: list[tuple[Where, dict[str, str]]] = field(default_factory=list)

    def fingerprint(self) -> str:
        content = [
            {k: v for k, v in sorted(cells.items()) if v and k != "declared_on"}
            for _where, cells in self.rows
        ]
        text = json.dumps(content, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Imported:
    declarations: int = 0  # declarations in the file
    created: int = 0  # recorded for the first time
    versions: int = 0  # new versions of a reference imported before
    unchanged: int = 0  # imported before, the same rows: nothing written
    rows: int = 0
    ids: list[int] = field(default_factory=list)


def can_import_any(user) -> bool:
    """The regulator imports any enterprise's rows (so does the command line, as IMPORTER)."""
    if user is IMPORTER:
        return True
    return bool(user is not None and user.has_perm("declarations.supervise_declaration"))


def _date(text: str, where: Where) -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text[:10].replace("/", "-"))
    except ValueError:
        raise ApplicationError(
            _("“%(value)s” is not a date (YYYY-MM-DD)."),
            params={"value": text},
            where=where.but(field="declared_on"),
            code="invalid_date",
        ) from None
    if day > today():
        raise ApplicationError(
            _("%(value)s is in the future."),
            params={"value": text},
            where=where.but(field="declared_on"),
            code="future_date",
        )
    return day


def _read(content: bytes, filename: str, user) -> tuple[list[_Group], list[ApplicationError]]:
    """The file's declarations, grouped, and the errors found reading it."""
    errors: list[ApplicationError] = []
    groups: dict[tuple[int, str], _Group] = {}
    enterprises: dict[str, Organization | None] = {}
    regulator = can_import_any(user)
    for where, cells in sheet_rows(content, filename, COLUMNS):
        row_errors = required_errors(where, cells, COLUMNS)
        code = cells.get("credit_code", "").upper()
        if code and code not in enterprises:
            enterprises[code] = Organization.objects.filter(credit_code=code).first()
        enterprise = enterprises.get(code)
        if code and enterprise is None:
            row_errors.append(
                ApplicationError(
                    _("No organization with the credit code %(code)s is registered."),
                    params={"code": code},
                    where=where.but(field="credit_code"),
                    code="unknown_enterprise",
                )
            )
        elif enterprise is not None and credit_code_error(enterprise.credit_code):
            row_errors.append(
                ApplicationError(
                    _("%(code)s is not a valid unified social credit code."),
                    params={"code": code},
                    where=where.but(field="credit_code"),
                    code="no_credit_code",
                )
            )
        elif (
            enterprise is not None
            and not regulator
            and not is_member(user=user, organization_id=enterprise.pk)
        ):
            row_errors.append(
                ApplicationError(
                    _("You may import only your own enterprise's declarations, not %(name)s's."),
                    params={"name": str(enterprise)},
                    where=where.but(field="credit_code"),
                    code="not_a_member",
                )
            )
        try:
            declared_on = _date(cells.get("declared_on", ""), where)
        except ApplicationError as error:
            row_errors.append(error)
            declared_on = None
        if row_errors:
            errors += row_errors
            continue
        assert enterprise is not None
        reference = cells.get("reference", "")[:100]
        group = groups.setdefault(
            (enterprise.pk, reference), _Group(enterprise, reference, declared_on)
        )
        if declared_on and not group.declared_on:
            group.declared_on = declared_on
        group.rows.append((where, cells))
    if not groups and not errors:
        errors.append(
            ApplicationError(
                _("the sheet has no rows to load"), where=Where(file=filename, row=2), code="empty"
            )
        )
    return list(groups.values()), errors


def _renamed(error: ApplicationError, where: Where, names: dict[str, str]) -> ApplicationError:
    error.where = error.where.but(field=names.get(error.where.field, error.where.field))
    return error.at(where)


def _write(group: _Group, declaration: Declaration, errors: list[ApplicationError]) -> None:
    """The group's products, standards and indicators, through the services; each error is
    kept (with its row and column) and the next row is tried, so that one pass reports all."""
    products: dict[tuple[str, str, str], Product] = {}
    for where, cells in group.rows:
        key = (cells["product"], cells.get("model", ""), cells.get("specification", ""))
        product = products.get(key)
        if product is None:
            values = {name: cells.get(name, "") for name in PRODUCT_COLUMNS}
            values["name"] = values.pop("product")
            try:
                product = product_add(declaration=declaration, user=IMPORTER, values=values)
            except ApplicationError as error:
                errors.append(_renamed(error, where, PRODUCT_FIELD))
                continue
            products[key] = product
        cited = set(product.cited.values_list("standard__canonical", flat=True))
        for text in (t.strip() for t in _SPLIT.split(cells.get("standards", ""))):
            if not text:
                continue
            try:
                standard = catalog_standard(text, field="standard")
                if standard.canonical in cited:
                    continue
                standard_cite(product=product, user=IMPORTER, text=text)
                cited.add(standard.canonical)
            except ApplicationError as error:
                errors.append(_renamed(error, where, STANDARD_FIELD))
        number = cells.get("q_number", "")
        if number:
            try:
                enterprise_standard_add(
                    product=product, user=IMPORTER, number=number, title=cells.get("q_title", "")
                )
            except ApplicationError as error:
                if error.code != "duplicate_number" or not product.enterprise_standards.exists():
                    errors.append(_renamed(error, where, QSTANDARD_FIELD))
        if cells.get("indicator"):
            values = {name: cells.get(name, "") for name in INDICATOR_COLUMNS}
            values["name"] = cells["indicator"]
            values["direction"] = _direction(values["direction"])
            try:
                indicator_add(product=product, user=IMPORTER, values=values)
            except ApplicationError as error:
                errors.append(_renamed(error, where, INDICATOR_FIELD))


_DIRECTIONS = {"越高越好": "higher", "越低越好": "lower", "范围": "range", "区间": "range"}


def _direction(text: str) -> str:
    text = text.strip()
    return _DIRECTIONS.get(text, text.lower())


def declarations_import(
    *,
    content: bytes,
    filename: str,
    user,
    progress: Callable[[int, int], None] | None = None,
) -> Imported:
    """Import a file of existing declarations; raise SheetErrors (nothing written) on any
    error of any row."""
    groups, errors = _read(content, filename, user)
    # The rows read well are written too (and rolled back) so that one pass reports every error.
    result = Imported(declarations=len(groups), rows=sum(len(g.rows) for g in groups))
    with transaction.atomic():
        for number, group in enumerate(groups, start=1):
            fingerprint = group.fingerprint()
            before = (
                ImportedDeclaration.objects.select_related("declaration")
                .filter(enterprise=group.enterprise, reference=group.reference)
                .order_by("-declaration__version", "-pk")
                .first()
            )
            if before is not None and before.fingerprint == fingerprint:
                result.unchanged += 1
                result.ids.append(before.declaration_id)
                continue
            declaration = _new_version(group, before)
            failed = len(errors)
            _write(group, declaration, errors)
            if len(errors) > failed:
                continue
            on = group.declared_on or today()
            if before is not None and before.declaration.declared_on:
                on = max(on, before.declaration.declared_on)
            transition_apply(declaration, "record", actor=None, on=on, note=f"{filename}"[:200])
            ImportedDeclaration.objects.create(
                enterprise=group.enterprise,
                reference=group.reference,
                fingerprint=fingerprint,
                declaration=declaration,
                file=filename[:200],
                imported_by=user if getattr(user, "pk", None) else None,
            )
            result.ids.append(declaration.pk)
            if before is None:
                result.created += 1
            else:
                result.versions += 1
            if progress is not None:
                progress(number, len(groups))
        if errors:
            errors.sort(key=lambda error: (error.where.row or 0, error.where.field))
            raise SheetErrors(errors)
    return result


def _new_version(group: _Group, before: ImportedDeclaration | None) -> Declaration:
    on = group.declared_on or today()
    if before is None:
        declaration = Declaration.objects.create(enterprise=group.enterprise)
    else:
        series = before.declaration.series
        top = Declaration.objects.filter(series=series).aggregate(top=Max("version"))["top"]
        declaration = Declaration.objects.create(
            enterprise=group.enterprise, series=series, version=(top or 0) + 1
        )
        on = max(on, before.declaration.declared_on or on)
    transition_start(declaration, actor=None, on=on, data={"imported": True})
    return declaration
