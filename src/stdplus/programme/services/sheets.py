"""Spreadsheet round trip for every register record type: template out, filled file in.

`sheet_template(kind)` writes an XLSX with the column names in row 1, a bilingual description in
row 2 and the allowed values as drop-down lists. `sheet_upload(kind, file)` reads every row,
reports every problem as "file, row N, field 'x': message", and writes nothing unless the whole
file is clean: rows are written inside one transaction, each in a savepoint, and any error rolls
the whole file back.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Q
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from stdplus.accounts.models import Organization, OrganizationKind
from stdplus.catalog.models import Standard
from stdplus.core.errors import ApplicationError, Where
from stdplus.identifiers import Identifier, parse

from ..choices import (
    BodyFamily,
    BodyKind,
    CommitteeLevel,
    IssuerKind,
    ParticipationRole,
    PilotLevel,
    PositionRole,
    ProjectState,
    RecordSource,
)
from ..models import (
    AreaProject,
    Expert,
    FundingItemType,
    FundingScheme,
    Participation,
    Pilot,
    Position,
    PriorityArea,
    Region,
    StandardsBody,
)
from .audit import record_create
from .funding import application_submit
from .pilots import pilot_create
from .registry import issuer_code_set, organization_register, participation_create

MAX_ROWS = 20_000


class CellError(ValueError):
    pass


# --- cell readers: text in, typed value out, or CellError with a sentence -----------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_text(value, limit: int = 300) -> str:
    text = _text(value)
    if len(text) > limit:
        raise CellError(f"is longer than {limit} characters")
    return text


def read_choice(choices: type[models.TextChoices]) -> Callable:
    def reader(value):
        text = _text(value)
        if not text:
            return ""
        for choice_value, label in choices.choices:
            if text.lower() in (choice_value.lower(), str(label).lower()):
                return choice_value
        raise CellError(f"{text!r} is not one of {', '.join(choices.values)}")

    return reader


def read_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError as error:
        raise CellError(f"{_text(value)!r} is not a date (YYYY-MM-DD)") from error


def read_int(value):
    if value in (None, ""):
        return None
    try:
        number = int(float(_text(value).replace(",", "")))
    except ValueError as error:
        raise CellError(f"{_text(value)!r} is not a whole number") from error
    if number < 0:
        raise CellError("cannot be negative")
    return number


def read_list(value) -> list[str]:
    return [part.strip() for part in _text(value).replace("；", ";").split(";") if part.strip()]


def read_organization(value):
    text = _text(value)
    if not text:
        return None
    if text.isdigit():
        found = Organization.objects.filter(pk=int(text)).first()
    else:
        found = Organization.objects.filter(credit_code=text.upper()).first()
        if found is None:
            matches = list(Organization.objects.filter(Q(name_zh=text) | Q(name_en=text))[:2])
            if len(matches) > 1:
                raise CellError(
                    f"several organizations are named {text!r}; give the credit code or id"
                )
            found = matches[0] if matches else None
    if found is None:
        raise CellError(f"no registry organization {text!r} (name, credit code or id)")
    return found


def read_standard(value):
    text = _text(value)
    if not text:
        return None
    identifier = parse(text)
    if not isinstance(identifier, Identifier):
        raise CellError(f"{text!r} is not a standard identifier: {identifier.error}")
    standard = Standard.objects.filter(canonical=identifier.canonical).first()
    if standard is None:
        raise CellError(f"{identifier.canonical} is not in the catalog")
    return standard


def read_region(value):
    text = _text(value)
    if not text:
        return None
    region = Region.objects.filter(Q(code=text) | Q(short_code=text)).first()
    if region is None:
        raise CellError(f"{text!r} is not a region code of the tree")
    return region


def read_region_code(value) -> str:
    region = read_region(value)
    return region.code if region else ""


def read_expert(value):
    text = _text(value)
    if not text:
        return None
    if text.isdigit():
        found = Expert.objects.live().filter(pk=int(text)).first()
    else:
        matches = list(Expert.objects.live().filter(Q(name_zh=text) | Q(name_en=text))[:2])
        if len(matches) > 1:
            raise CellError(f"several experts are named {text!r}; give the expert's id")
        found = matches[0] if matches else None
    if found is None:
        raise CellError(f"no expert {text!r} (name or id)")
    return found


def read_by_code(model, label: str) -> Callable:
    def reader(value):
        text = _text(value)
        if not text:
            return None
        found = model.objects.live().filter(code=text).first()
        if found is None:
            raise CellError(f"no {label} with the code {text!r}")
        return found

    return reader


@dataclass
class Column:
    name: str
    en: str
    zh: str
    read: Callable = read_text
    required: bool = False
    choices: list[str] = field(default_factory=list)


@dataclass
class SheetKind:
    key: str
    en: str
    zh: str
    columns: list[Column]
    write: Callable  # (values, actor, where) -> record
    check: Callable | None = None  # (values) -> list[(field, message)] across fields


def _choices(choices) -> list[str]:
    return list(choices.values)


def _write_participation(values, actor, where):
    return participation_create(
        organization=values["organization"],
        standard=values["standard"],
        role=values["role"],
        source=RecordSource.UPLOAD,
        note=values["note"],
        actor=actor,
        where=where,
    )


def _write_application(values, actor, where):
    participation = None
    if values["standard"] is not None:
        participation = (
            Participation.objects.live()
            .filter(organization=values["organization"], standard=values["standard"])
            .first()
        )
        if participation is None:
            raise ApplicationError(
                f"{values['organization']} has no participation in {values['standard'].canonical}",
                where=where.but(field="standard"),
            )
    item = (
        FundingItemType.objects.live().filter(scheme=values["scheme"], code=values["item"]).first()
    )
    if item is None:
        raise ApplicationError(
            f"the scheme {values['scheme'].code} has no item {values['item']!r}",
            where=where.but(field="item"),
        )
    return application_submit(
        scheme=values["scheme"],
        item_type=item,
        organization=values["organization"],
        participation=participation,
        pilot=values["pilot"],
        amount_requested=values["amount_requested"],
        submitted_on=values["submitted_on"],
        actor=actor,
        where=where,
    )


def _need_claim(values):
    if values.get("standard") is None and values.get("pilot") is None:
        return [("standard", "give the standard of the participation claimed, or a pilot code")]
    return []


def _term_order(values):
    if (
        values.get("term_end")
        and values.get("term_start")
        and values["term_end"] < values["term_start"]
    ):
        return [("term_end", "the term ends before it starts")]
    return []


def _plain(model):
    return lambda values, actor, where: record_create(
        model=model, values=values, actor=actor, where=where
    )


def _org_values(values, actor, where):
    return organization_register(**values, actor=actor, where=where)


SHEETS: dict[str, SheetKind] = {
    sheet.key: sheet
    for sheet in [
        SheetKind(
            "organizations",
            "Organizations",
            "机构",
            [
                Column("name_zh", "Chinese name", "中文名称"),
                Column("name_en", "English name", "英文名称"),
                Column(
                    "kind",
                    "Kind",
                    "类型",
                    read_choice(OrganizationKind),
                    True,
                    _choices(OrganizationKind),
                ),
                Column("credit_code", "Unified social credit code", "统一社会信用代码"),
                Column(
                    "region_code",
                    "Region code (e.g. 440305)",
                    "行政区划代码",
                    read_region_code,
                    True,
                ),
                Column("aliases", "Other names, separated by ;", "曾用名（以;分隔）", read_list),
            ],
            _org_values,
            lambda v: (
                []
                if v.get("name_zh") or v.get("name_en")
                else [("name_zh", "give a Chinese or an English name")]
            ),
        ),
        SheetKind(
            "participations",
            "Participations",
            "参与制修订",
            [
                Column(
                    "organization",
                    "Organization (name, credit code or id)",
                    "机构（名称、信用代码或编号）",
                    read_organization,
                    True,
                ),
                Column(
                    "standard",
                    "Standard (identifier of the edition)",
                    "标准编号",
                    read_standard,
                    True,
                ),
                Column(
                    "role",
                    "Role",
                    "角色",
                    read_choice(ParticipationRole),
                    True,
                    _choices(ParticipationRole),
                ),
                Column("note", "Note", "备注"),
            ],
            _write_participation,
        ),
        SheetKind(
            "issuer_codes",
            "Group and enterprise codes",
            "团体、企业标准代号",
            [
                Column("code", "Code (T/SZAS, Q/BYD)", "代号", read_text, True),
                Column("kind", "Kind", "类型", read_choice(IssuerKind), True, _choices(IssuerKind)),
                Column("organization", "Organization", "机构", read_organization, True),
            ],
            lambda v, actor, where: issuer_code_set(**v, source=RecordSource.UPLOAD, actor=actor),
        ),
        SheetKind(
            "experts",
            "Experts",
            "专家",
            [
                Column("name_zh", "Chinese name", "中文姓名"),
                Column("name_en", "English name", "英文姓名"),
                Column("organization", "Organization", "所在机构", read_organization),
                Column("fields", "Fields of expertise", "专业领域"),
                Column("email", "Email (private)", "电子邮箱（不公开）"),
                Column("phone", "Phone (private)", "电话（不公开）"),
            ],
            _plain(Expert),
            lambda v: (
                []
                if v.get("name_zh") or v.get("name_en")
                else [("name_zh", "give a Chinese or an English name")]
            ),
        ),
        SheetKind(
            "positions",
            "Positions of experts",
            "专家任职",
            [
                Column("expert", "Expert (name or id)", "专家（姓名或编号）", read_expert, True),
                Column(
                    "body", "Body (ISO/TC 176/SC 2)", "机构（如 ISO/TC 176/SC 2）", read_text, True
                ),
                Column(
                    "family", "Family", "类别", read_choice(BodyFamily), True, _choices(BodyFamily)
                ),
                Column(
                    "committee_level",
                    "Committee level",
                    "层级",
                    read_choice(CommitteeLevel),
                    True,
                    _choices(CommitteeLevel),
                ),
                Column(
                    "role",
                    "Position",
                    "职务",
                    read_choice(PositionRole),
                    True,
                    _choices(PositionRole),
                ),
                Column("term_start", "Term starts (YYYY-MM-DD)", "任期开始", read_date, True),
                Column("term_end", "Term ends (YYYY-MM-DD)", "任期结束", read_date),
            ],
            _plain(Position),
            _term_order,
        ),
        SheetKind(
            "bodies",
            "Standards bodies hosted",
            "承担的标准化组织",
            [
                Column("code", "Code (ISO/TC 176, SAC/TC 28)", "编号", read_text, True),
                Column("name_zh", "Chinese name", "中文名称"),
                Column("name_en", "English name", "英文名称"),
                Column("kind", "Kind", "类型", read_choice(BodyKind), True, _choices(BodyKind)),
                Column("host", "Hosting organization", "承担单位", read_organization, True),
                Column("since", "Hosted since (YYYY-MM-DD)", "承担起始日期", read_date, True),
                Column("until", "Hosted until", "承担截止日期", read_date),
            ],
            _plain(StandardsBody),
        ),
        SheetKind(
            "pilots",
            "Pilot projects",
            "标准化试点示范项目",
            [
                Column("code", "Project number", "项目编号"),
                Column("title_zh", "Chinese title", "中文名称"),
                Column("title_en", "English title", "英文名称"),
                Column(
                    "level", "Level", "级别", read_choice(PilotLevel), True, _choices(PilotLevel)
                ),
                Column("domain", "Domain", "领域"),
                Column("host", "Host organization", "承担单位", read_organization, True),
                Column("start", "Starts (YYYY-MM-DD)", "开始日期", read_date, True),
                Column("end", "Planned end", "计划结束日期", read_date),
            ],
            lambda v, actor, where: pilot_create(values=v, actor=actor, where=where),
            lambda v: (
                []
                if v.get("title_zh") or v.get("title_en")
                else [("title_zh", "give a Chinese or an English title")]
            ),
        ),
        SheetKind(
            "funding_applications",
            "Funding applications",
            "资助申请",
            [
                Column(
                    "scheme",
                    "Scheme code",
                    "资助政策代码",
                    read_by_code(FundingScheme, "funding scheme"),
                    True,
                ),
                Column("item", "Item code", "资助项目代码", read_text, True),
                Column(
                    "organization", "Applicant organization", "申请单位", read_organization, True
                ),
                Column("standard", "Standard claimed (edition)", "申报的标准", read_standard),
                Column(
                    "pilot",
                    "Pilot claimed (project number)",
                    "申报的试点项目编号",
                    read_by_code(Pilot, "pilot"),
                ),
                Column(
                    "amount_requested", "Amount requested (CNY)", "申请金额（元）", read_int, True
                ),
                Column("submitted_on", "Submitted on (YYYY-MM-DD)", "申请日期", read_date, True),
            ],
            _write_application,
            _need_claim,
        ),
        SheetKind(
            "priority_areas",
            "Priority areas (Standards+ list)",
            "“标准+”重点领域",
            [
                Column("code", "Code", "代码", read_text, True),
                Column("name_zh", "Chinese name", "中文名称", read_text, True),
                Column("name_en", "English name", "英文名称", read_text, True),
                Column("region", "Region code", "行政区划代码", read_region, True),
                Column("year_from", "From year", "起始年份", read_int, True),
                Column("year_to", "To year", "截止年份", read_int, True),
                Column("target_standards", "Target: standards", "目标：标准数", read_int),
                Column("target_pilots", "Target: pilots", "目标：试点数", read_int),
                Column("target_projects", "Target: projects", "目标：项目数", read_int),
            ],
            lambda v, actor, where: record_create(
                model=PriorityArea,
                values={k: (0 if x is None else x) for k, x in v.items()},
                actor=actor,
                where=where,
            ),
        ),
        SheetKind(
            "area_projects",
            "Strategic projects",
            "重点项目",
            [
                Column(
                    "area",
                    "Priority area code",
                    "重点领域代码",
                    read_by_code(PriorityArea, "priority area"),
                    True,
                ),
                Column("title_zh", "Chinese title", "中文名称"),
                Column("title_en", "English title", "英文名称"),
                Column("organization", "Organization", "承担单位", read_organization),
                Column(
                    "state",
                    "State",
                    "状态",
                    read_choice(ProjectState),
                    False,
                    _choices(ProjectState),
                ),
            ],
            lambda v, actor, where: record_create(
                model=AreaProject,
                values={**v, "state": v["state"] or ProjectState.PLANNED},
                actor=actor,
                where=where,
            ),
        ),
    ]
}


def sheet_template(kind: str) -> bytes:
    """An XLSX to fill: machine column names in row 1, what they mean in row 2 (en / zh)."""
    sheet = SHEETS[kind]
    book = Workbook()
    data = book.active
    data.title = sheet.key
    bold = Font(bold=True)
    for index, column in enumerate(sheet.columns, start=1):
        data.cell(row=1, column=index, value=column.name).font = bold
        note = data.cell(
            row=2, column=index, value=f"{column.en} / {column.zh}{' *' if column.required else ''}"
        )
        note.fill = PatternFill("solid", fgColor="EEEEEE")
        data.column_dimensions[note.column_letter].width = max(18, len(column.en) + 4)
        if column.choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
            )
            data.add_data_validation(validation)
            validation.add(f"{note.column_letter}3:{note.column_letter}{MAX_ROWS}")
    data.freeze_panes = "A3"
    readme = book.create_sheet("README")
    readme.append([f"{sheet.en} / {sheet.zh}"])
    readme.append(
        [
            "Fill from row 3; * marks a required column. Nothing is written unless every row is correct."
        ]
    )
    readme.append(["从第 3 行开始填写；* 为必填列。只有全部行都正确时才会写入。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class RowError:
    file: str
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, row {self.row}, field '{self.field}': {self.message}"


class SheetErrors(ApplicationError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        shown = "; ".join(str(e) for e in errors[:20])
        more = f" (and {len(errors) - 20} more)" if len(errors) > 20 else ""
        super().__init__(f"nothing was written: {shown}{more}", code="sheet_errors")


def _rows(kind: SheetKind, content: bytes, filename: str):
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same answer
        raise SheetErrors(
            [RowError(filename, 0, "file", f"not an XLSX workbook ({error.__class__.__name__})")]
        ) from error
    data = book[kind.key] if kind.key in book.sheetnames else book.worksheets[0]
    rows = data.iter_rows(values_only=True)
    header = [(_text(h) or "") for h in next(rows, ())]
    known = {c.name for c in kind.columns}
    errors = []
    missing = [c.name for c in kind.columns if c.required and c.name not in header]
    for name in missing:
        errors.append(RowError(filename, 1, name, "this required column is missing"))
    for name in header:
        if name and name not in known:
            errors.append(
                RowError(filename, 1, name, f"unknown column; columns: {', '.join(known)}")
            )
    if errors:
        raise SheetErrors(errors)
    position = {name: index for index, name in enumerate(header)}
    for number, values in enumerate(rows, start=2):
        cells = {name: (values[i] if i < len(values) else None) for name, i in position.items()}
        first = kind.columns[0]
        if number == 2 and _text(cells.get(first.name)).startswith(f"{first.en} / {first.zh}"):
            continue  # the template's description row
        if all(v in (None, "") for v in cells.values()):
            continue
        if number > MAX_ROWS:
            raise SheetErrors([RowError(filename, number, "file", f"more than {MAX_ROWS} rows")])
        yield number, cells


@dataclass
class UploadResult:
    kind: str
    created: int


def sheet_upload(*, kind: str, content: bytes, filename: str, actor=None) -> UploadResult:
    """Read, check and write a filled template; raise SheetErrors (nothing written) on any error."""
    sheet = SHEETS.get(kind)
    if sheet is None:
        raise ApplicationError(f"unknown record type {kind!r}", code="sheet_kind")
    parsed: list[tuple[int, dict]] = []
    errors: list[RowError] = []
    for number, cells in _rows(sheet, content, filename):
        values = {}
        for column in sheet.columns:
            raw = cells.get(column.name)
            try:
                value = column.read(raw)
            except CellError as error:
                errors.append(RowError(filename, number, column.name, str(error)))
                continue
            if column.required and value in (None, "", []):
                errors.append(RowError(filename, number, column.name, "is required"))
            values[column.name] = value
        if sheet.check and not any(e.row == number for e in errors):
            for field_name, message in sheet.check(values):
                errors.append(RowError(filename, number, field_name, message))
        parsed.append((number, values))
    if errors:
        raise SheetErrors(errors)
    if not parsed:
        raise SheetErrors([RowError(filename, 3, "file", "the sheet has no rows to load")])
    created = 0
    with transaction.atomic():
        for number, values in parsed:
            where = Where(file=filename, row=number)
            try:
                with transaction.atomic():
                    sheet.write(values, actor, where)
                    created += 1
            except ApplicationError as error:
                field_name, message = _split_where(error, where)
                errors.append(RowError(filename, number, field_name, message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise SheetErrors(errors)
    return UploadResult(kind=kind, created=created)


def _split_where(error: ApplicationError, where: Where) -> tuple[str, str]:
    """The field an ApplicationError names (from its structured place), and its message."""
    return error.where.field or "record", error.message
