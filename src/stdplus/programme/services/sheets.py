"""Spreadsheet round trip for every register record type: template out, filled file in.

`sheet_template(kind)` writes an XLSX with the column names in row 1, what each column means in
row 2 (in English and Chinese: the model field's own translated name, and what to write) and
the allowed values as drop-down lists. `sheet_upload(kind, file)` reads every row (XLSX or CSV,
through `stdplus.core.tabular`, bounded), reports every problem as an `ApplicationError` whose
`where` names the file, sheet, row and field, and writes nothing unless the whole file is clean:
rows are written through the register's services inside one transaction, each in a savepoint,
and any error rolls the whole file back.

Adding a record type: a `SheetKind` naming the model, its columns (a column is a model field
unless it says otherwise; its reader turns the cell into the value the service takes) and the
service that writes one row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from stdplus.accounts.models import Organization
from stdplus.core.errors import ApplicationError, Where
from stdplus.core.tabular import (
    LIMITS,
    SheetErrors,
    cell_text,
    column_letter,
    table_open,
    xlsx_append,
    xlsx_save,
)

from ..choices import ProjectState, RecordSource
from ..models import (
    AreaProject,
    Expert,
    FundingApplication,
    FundingItemType,
    FundingScheme,
    IssuerCode,
    OrganizationProfile,
    Participation,
    Pilot,
    Position,
    PriorityArea,
    StandardsBody,
)
from .audit import record_create
from .cells import (
    read_by_code,
    read_choice,
    read_date,
    read_expert,
    read_int,
    read_list,
    read_organization,
    read_region,
    read_region_code,
    read_standard,
    read_text,
    reader_mark,
)
from .funding import application_submit
from .pilots import pilot_create
from .registry import issuer_code_set, organization_register, participation_create

MAX_ROWS = 20_000
# A register sheet: a header, a description row and MAX_ROWS rows of a few dozen columns.
SHEET_LIMITS = LIMITS.but(rows=MAX_ROWS + 2, columns=64, cells=(MAX_ROWS + 2) * 64)
LANGUAGES = ("en", "zh-hans")


def bilingual(text) -> str:
    """A translatable text in English and Chinese: "Chinese name / 中文名称"."""
    shown = []
    for language in LANGUAGES:
        with translation.override(language):
            shown.append(str(text))
    return shown[0] if shown[0] == shown[1] else " / ".join(shown)


# --- the record types ---------------------------------------------------------------------------


@dataclass
class Column:
    """One column: `name` is the header and the key the service gets.

    Its label is the verbose name of the model field (`model.field`, by default the sheet's
    model and the column's name); its reader, unless given, follows the field: choices, dates,
    whole numbers, or text of the field's length.
    """

    name: str
    read: Callable | None = None
    required: bool = False
    field: str = ""
    model: type[models.Model] | None = None

    def model_field(self, kind: SheetKind):
        return (self.model or kind.model)._meta.get_field(self.field or self.name)

    def label(self, kind: SheetKind):
        return self.model_field(kind).verbose_name

    def reader(self, kind: SheetKind) -> Callable:
        if self.read is not None:
            return self.read
        model_field = self.model_field(kind)
        if model_field.choices:
            return read_choice(model_field.choices)
        if isinstance(model_field, models.DateField):
            return read_date
        if isinstance(model_field, models.IntegerField):
            return read_int
        limit = getattr(model_field, "max_length", None) or 300
        return reader_mark()(lambda value: read_text(value, limit))

    def describe(self, kind: SheetKind) -> str:
        """Row 2 of the template: "Term starts (YYYY-MM-DD) / 任期开始（YYYY-MM-DD） *"."""
        hint = getattr(self.reader(kind), "hint", "")
        shown = []
        for language in LANGUAGES:
            with translation.override(language):
                label = str(self.label(kind))
                label = label[:1].upper() + label[1:]
                if hint:
                    label += f" ({hint})" if language == "en" else f"（{hint}）"
                shown.append(label)
        return " / ".join(shown) + (" *" if self.required else "")


@dataclass
class SheetKind:
    key: str
    title: Promise
    model: type[models.Model]
    columns: list[Column]
    write: Callable  # (values, actor, where) -> record
    check: Callable | None = None  # (values) -> [ApplicationError with where.field] across fields

    @property
    def label(self) -> str:
        return bilingual(self.title)


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
                _("%(organization)s has no participation in %(standard)s"),
                params={
                    "organization": values["organization"],
                    "standard": values["standard"].canonical,
                },
                where=where.but(field="standard"),
            )
    item = (
        FundingItemType.objects.live().filter(scheme=values["scheme"], code=values["item"]).first()
    )
    if item is None:
        raise ApplicationError(
            _("the scheme %(scheme)s has no item %(item)s"),
            params={"scheme": values["scheme"].code, "item": repr(values["item"])},
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


def _one_of(first: str, second: str, message):
    def check(values):
        if values.get(first) or values.get(second):
            return []
        return [ApplicationError(message, where=Where(field=first), code="required")]

    return check


def _need_claim(values):
    if values.get("standard") is None and values.get("pilot") is None:
        return [
            ApplicationError(
                _("give the standard of the participation claimed, or a pilot code"),
                where=Where(field="standard"),
                code="required",
            )
        ]
    return []


def _term_order(values):
    if (
        values.get("term_end")
        and values.get("term_start")
        and values["term_end"] < values["term_start"]
    ):
        return [
            ApplicationError(
                _("the term ends before it starts"), where=Where(field="term_end"), code="order"
            )
        ]
    return []


def _plain(model):
    return lambda values, actor, where: record_create(
        model=model, values=values, actor=actor, where=where
    )


def _org_values(values, actor, where):
    return organization_register(**values, actor=actor, where=where)


_NAMED = _("give a Chinese or an English name")
_TITLED = _("give a Chinese or an English title")

SHEETS: dict[str, SheetKind] = {
    sheet.key: sheet
    for sheet in [
        SheetKind(
            "organizations",
            _("Organizations"),
            Organization,
            [
                Column("name_zh"),
                Column("name_en"),
                Column("kind", required=True),
                Column("credit_code"),
                Column("region_code", read_region_code, True),
                Column("aliases", read_list, model=OrganizationProfile),
            ],
            _org_values,
            _one_of("name_zh", "name_en", _NAMED),
        ),
        SheetKind(
            "participations",
            _("Participations"),
            Participation,
            [
                Column("organization", read_organization, True),
                Column("standard", read_standard, True),
                Column("role", required=True),
                Column("note"),
            ],
            _write_participation,
        ),
        SheetKind(
            "issuer_codes",
            _("Group and enterprise codes"),
            IssuerCode,
            [
                Column("code", required=True),
                Column("kind", required=True),
                Column("organization", read_organization, True),
            ],
            lambda v, actor, where: issuer_code_set(**v, source=RecordSource.UPLOAD, actor=actor),
        ),
        SheetKind(
            "experts",
            _("Experts"),
            Expert,
            [
                Column("name_zh"),
                Column("name_en"),
                Column("organization", read_organization),
                Column("fields"),
                Column("email"),
                Column("phone"),
            ],
            _plain(Expert),
            _one_of("name_zh", "name_en", _NAMED),
        ),
        SheetKind(
            "positions",
            _("Positions of experts"),
            Position,
            [
                Column("expert", read_expert, True),
                Column("body", required=True),
                Column("family", required=True),
                Column("committee_level", required=True),
                Column("role", required=True),
                Column("term_start", required=True),
                Column("term_end"),
            ],
            _plain(Position),
            _term_order,
        ),
        SheetKind(
            "bodies",
            _("Standards bodies hosted"),
            StandardsBody,
            [
                Column("code", required=True),
                Column("name_zh"),
                Column("name_en"),
                Column("kind", required=True),
                Column("host", read_organization, True),
                Column("since", required=True),
                Column("until"),
            ],
            _plain(StandardsBody),
        ),
        SheetKind(
            "pilots",
            _("Pilot projects"),
            Pilot,
            [
                Column("code"),
                Column("title_zh"),
                Column("title_en"),
                Column("level", required=True),
                Column("domain"),
                Column("host", read_organization, True),
                Column("start", required=True),
                Column("end"),
            ],
            lambda v, actor, where: pilot_create(values=v, actor=actor, where=where),
            _one_of("title_zh", "title_en", _TITLED),
        ),
        SheetKind(
            "funding_applications",
            _("Funding applications"),
            FundingApplication,
            [
                Column("scheme", read_by_code(FundingScheme), True),
                Column("item", read_text, True, field="item_type"),
                Column("organization", read_organization, True),
                Column("standard", read_standard, model=Participation),
                Column("pilot", read_by_code(Pilot)),
                Column("amount_requested", required=True),
                Column("submitted_on", required=True),
            ],
            _write_application,
            _need_claim,
        ),
        SheetKind(
            "priority_areas",
            _("Priority areas (Standards+ list)"),
            PriorityArea,
            [
                Column("code", required=True),
                Column("name_zh", required=True),
                Column("name_en", required=True),
                Column("region", read_region, True),
                Column("year_from", required=True),
                Column("year_to", required=True),
                Column("target_standards"),
                Column("target_pilots"),
                Column("target_projects"),
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
            _("Strategic projects"),
            AreaProject,
            [
                Column("area", read_by_code(PriorityArea), True),
                Column("title_zh"),
                Column("title_en"),
                Column("organization", read_organization),
                Column("state"),
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
    xlsx_append(data, [column.name for column in sheet.columns], font=bold)
    notes = xlsx_append(data, [column.describe(sheet) for column in sheet.columns])
    for column, note in zip(sheet.columns, notes, strict=True):
        letter = column_letter(note.column - 1)
        note.fill = PatternFill("solid", fgColor="EEEEEE")
        data.column_dimensions[letter].width = max(18, min(60, len(note.value) // 2 + 4))
        choices = getattr(column.reader(sheet), "choices", [])
        if choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
            )
            data.add_data_validation(validation)
            validation.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
    data.freeze_panes = "A3"
    readme = book.create_sheet("README")
    xlsx_append(readme, [sheet.label])
    xlsx_append(
        readme,
        [
            "Fill from row 3; * marks a required column. Nothing is written unless every row "
            "is correct."
        ],
    )
    xlsx_append(readme, ["从第 3 行开始填写；* 为必填列。只有全部行都正确时才会写入。"])
    return xlsx_save(book)


def _rows(kind: SheetKind, content: bytes, filename: str):
    """(row number, {column: cell}) of every row to load, after the header is checked."""
    try:
        table = table_open(content, file=filename, prefer=kind.key, limits=SHEET_LIMITS)
    except ApplicationError as error:
        raise SheetErrors([error]) from None
    rows = iter(table.rows)
    first = next(rows, None)
    header = [cell_text(h) for h in first.cells] if first else []
    known = [c.name for c in kind.columns]
    errors = [
        ApplicationError(
            _("this required column is missing"),
            where=table.where(row=1, field=c.name),
            code="missing_column",
        )
        for c in kind.columns
        if c.required and c.name not in header
    ]
    errors += [
        ApplicationError(
            _("unknown column; the columns are: %(columns)s"),
            params={"columns": ", ".join(known)},
            where=table.where(row=1, field=name),
            code="unknown_column",
        )
        for name in header
        if name and name not in known
    ]
    if errors:
        raise SheetErrors(errors)
    position = {name: index for index, name in enumerate(header) if name}
    description = kind.columns[0].describe(kind)
    with translation.override("en"):
        english = str(kind.columns[0].label(kind)).lower()
    try:
        for row in rows:
            values = row.cells
            cells = {name: (values[i] if i < len(values) else None) for name, i in position.items()}
            first_cell = cell_text(cells.get(kind.columns[0].name))
            if row.number == 2 and (
                first_cell == description or first_cell.lower().startswith(english + " ")
            ):
                continue  # the template's description row (of this template or an older one)
            if all(v in (None, "") for v in cells.values()):
                continue
            yield table.where(row=row.number), cells
    except ApplicationError as error:  # a bound of the file, found while reading
        raise SheetErrors([error]) from None


@dataclass
class UploadResult:
    kind: str
    created: int


def sheet_upload(*, kind: str, content: bytes, filename: str, actor=None) -> UploadResult:
    """Read, check and write a filled template; raise SheetErrors (nothing written) on any error."""
    sheet = SHEETS.get(kind)
    if sheet is None:
        raise ApplicationError(
            _("unknown record type %(kind)s"), params={"kind": repr(kind)}, code="sheet_kind"
        )
    readers = {column.name: column.reader(sheet) for column in sheet.columns}
    parsed: list[tuple[Where, dict]] = []
    errors: list[ApplicationError] = []
    for where, cells in _rows(sheet, content, filename):
        values = {}
        row_errors: list[ApplicationError] = []
        for column in sheet.columns:
            place = where.but(field=column.name)
            try:
                value = readers[column.name](cells.get(column.name))
            except ApplicationError as error:
                row_errors.append(error.at(place))
                continue
            if column.required and value in (None, "", []):
                row_errors.append(ApplicationError(_("is required"), where=place, code="required"))
            values[column.name] = value
        if sheet.check and not row_errors:
            row_errors += [error.at(where) for error in sheet.check(values)]
        errors += row_errors
        parsed.append((where, values))
    if errors:
        raise SheetErrors(errors)
    if not parsed:
        raise SheetErrors(
            [
                ApplicationError(
                    _("the sheet has no rows to load"),
                    where=Where(file=filename, row=3),
                    code="empty",
                )
            ]
        )
    created = 0
    with transaction.atomic():
        for where, values in parsed:
            try:
                with transaction.atomic():
                    sheet.write(values, actor, where)
                    created += 1
            except ApplicationError as error:
                errors.append(error.at(where))  # the service's own place (field) is kept
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise SheetErrors(errors)
    return UploadResult(kind=kind, created=created)
