"""Comments as spreadsheets (through stdplus.core.tabular): the ISO commenting template's
columns, exported and imported, so committees that work in spreadsheets lose nothing; and the
comment summary and disposition table (征求意见汇总处理表).

Import: while comment is open, the officers add the comments a committee collected (rows
without an id); while comments are handled, they record decisions (rows with the id of a
comment of this draft). Every row is checked first; one bad row refuses the whole file with
its row and column, and nothing is written.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from stdplus.core.errors import ApplicationError, Where
from stdplus.core.tabular import LIMITS, cell_text, table_open, xlsx_append, xlsx_save

from .choices import CommentSource, CommentType, Disposition, State
from .dispositions import disposition_rows
from .models import Comment, DraftVersion, Project

# (key, header): the ISO commenting template's columns, then ours.
COLUMNS = [
    ("id", _("Id")),
    ("member_body", _("MB/NC")),
    ("line", _("Line number")),
    ("clause", _("Clause/Subclause")),
    ("element", _("Paragraph/Figure/Table")),
    ("type", _("Type of comment")),
    ("text", _("Comments")),
    ("proposed_change", _("Proposed change")),
    ("reason", _("Reason")),
    ("decision", _("Decision")),
    ("observations", _("Observations of the secretariat")),
]
SHEET = _("Comments")  # the sheet, named in the reader's language; import takes either
TEMPLATE_LIMITS = LIMITS.but(rows=20_000, columns=20, file_bytes=20 * 1024 * 1024)


def _headers() -> dict[str, str]:
    """Header text (either language, lower case) → column key."""
    found = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for key, label in COLUMNS:
                found[str(label).strip().lower()] = key
    return found


def comments_export(project: Project, draft: DraftVersion) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(SHEET))
    bold = Font(bold=True)
    xlsx_append(sheet, [str(label) for _key, label in COLUMNS], font=bold)
    rows = (
        Comment.objects.filter(draft=draft, confirmed=True, source=CommentSource.PUBLIC)
        .order_by("id")
        .values_list(
            "id",
            "member_body",
            "author_name",
            "line",
            "clause_ref",
            "element",
            "type",
            "text",
            "proposed_change",
            "reason",
            "disposition",
            "disposition_reason",
        )
    )
    for row in rows.iterator(chunk_size=2000):
        (pk, body, name, line, ref, element, kind, text, change, reason, decision, why) = row
        xlsx_append(
            sheet,
            [
                pk,
                body or name,
                line,
                ref,
                element,
                kind,
                text,
                change,
                reason,
                str(Disposition(decision).label) if decision else "",
                why,
            ],
        )
    return xlsx_save(book)


def _type(value: str) -> str:
    value = value.strip().lower()
    for code, label in CommentType.choices:
        if value == code:
            return code
        for language in ("en", "zh-hans"):
            with translation.override(language):
                if value == str(label).lower():
                    return code
    raise ApplicationError(
        _("“%(value)s” is not a type of comment: write ge, te or ed."),
        params={"value": value},
        code="bad_type",
    )


def comments_import(*, project: Project, user, data: bytes, file: str) -> dict:
    from .selectors import accepts_comments, comment_draft
    from .services import _closed_error, _decision, _officer

    _officer(user, project)
    draft = comment_draft(project)
    if project.state not in (State.COMMENT, State.HANDLING) or draft is None:
        raise ApplicationError(
            _("Comments are imported during public comment, decisions while comments are handled."),
            code="not_importing",
            status=409,
        )
    if project.state == State.COMMENT and not accepts_comments(project):
        # Past the closing day (before the daily run closes the period), or before it opens:
        # a committee's comments are taken in the period, like everyone's.
        raise _closed_error(project)
    table = table_open(data, file=file, prefer=str(SHEET), limits=TEMPLATE_LIMITS)
    headers = _headers()
    columns: dict[int, str] = {}
    rows = iter(table.rows)
    first = next(rows, None)
    if first is None:
        raise ApplicationError(_("The file is empty."), where=Where(file=file), code="empty")
    for index, cell in enumerate(first.cells):
        key = headers.get(cell_text(cell).strip().lower())
        if key:
            columns[index] = key
    needed = (
        {"text", "type"} if project.state == State.COMMENT else {"id", "decision", "observations"}
    )
    missing = needed - set(columns.values())
    if missing:
        labels = ", ".join(str(label) for key, label in COLUMNS if key in missing)
        raise ApplicationError(
            _("The header row lacks the columns: %(columns)s."),
            params={"columns": labels},
            where=Where(file=file, row=first.number),
            code="missing_columns",
        )
    clauses = {c.ref: c for c in draft.clauses.all()}
    existing = {
        c.pk: c
        for c in Comment.objects.filter(draft=draft, confirmed=True, source=CommentSource.PUBLIC)
    }
    plan = []
    for row in rows:
        values = {
            key: cell_text(row.cells[i]).strip() if i < len(row.cells) else ""
            for i, key in columns.items()
        }
        if not any(values.values()):
            continue

        def where(field: str, number: int = row.number) -> Where:
            label = next(str(lbl) for key, lbl in COLUMNS if key == field)
            return Where(file=file, sheet=str(SHEET), row=number, field=label)

        if project.state == State.COMMENT:
            if values.get("id"):
                if values["id"].removesuffix(".0") in {str(pk) for pk in existing}:
                    continue  # a comment already recorded, exported with the template
                raise ApplicationError(
                    _("“%(value)s” is not the id of a comment on this draft."),
                    params={"value": values["id"]},
                    where=where("id"),
                    code="unknown_comment",
                )
            try:
                kind = _type(values.get("type", ""))
            except ApplicationError as error:
                raise error.at(where("type")) from None
            if not values.get("text"):
                raise ApplicationError(
                    _("The comment is empty."), where=where("text"), code="required"
                )
            ref = values.get("clause", "")
            if ref and ref not in clauses:
                raise ApplicationError(
                    _("The draft has no clause %(ref)s."),
                    params={"ref": ref},
                    where=where("clause"),
                    code="unknown_clause",
                )
            for key, limit in (
                ("text", 5000),
                ("proposed_change", 5000),
                ("reason", 3000),
                ("member_body", 200),
                ("element", 100),
                ("line", 20),
            ):
                if len(values.get(key, "")) > limit:
                    raise ApplicationError(
                        _("The cell is longer than %(max)s characters."),
                        params={"max": limit},
                        where=where(key),
                        code="too_long",
                    )
            plan.append(("new", values, kind, clauses.get(ref)))
        else:
            try:
                pk = int(float(values.get("id") or "x"))
            except ValueError:
                raise ApplicationError(
                    _("“%(value)s” is not the id of a comment on this draft."),
                    params={"value": values.get("id", "")},
                    where=where("id"),
                    code="unknown_comment",
                ) from None
            if pk not in existing:
                raise ApplicationError(
                    _("“%(value)s” is not the id of a comment on this draft."),
                    params={"value": values.get("id", "")},
                    where=where("id"),
                    code="unknown_comment",
                )
            if not values.get("decision"):
                continue  # not decided in this file
            try:
                decision = _decision(values["decision"], field="decision")
            except ApplicationError as error:
                raise error.at(where("decision")) from None
            if not values.get("observations"):
                raise ApplicationError(
                    _("A decision needs its reason (observations of the secretariat)."),
                    where=where("observations"),
                    code="required",
                )
            plan.append(("decide", existing[pk], decision, values["observations"][:3000]))
    now = timezone.now()
    with transaction.atomic():
        for entry in plan:
            if entry[0] == "new":
                _kind, values, kind, clause = entry
                Comment.objects.create(
                    project=project,
                    draft=draft,
                    clause=clause,
                    clause_ref=clause.ref if clause else "",
                    type=kind,
                    text=values["text"],
                    proposed_change=values.get("proposed_change", ""),
                    reason=values.get("reason", ""),
                    element=values.get("element", ""),
                    line=values.get("line", ""),
                    member_body=values.get("member_body", ""),
                    author_name=values.get("member_body", "") or str(project.owner),
                    author=None,
                    confirmed=True,
                )
            else:
                _kind, comment, decision, why = entry
                comment.disposition, comment.disposition_reason = decision, why
                comment.disposed_by, comment.disposed_at = user, now
                comment.save(
                    update_fields=[
                        "disposition",
                        "disposition_reason",
                        "disposed_by",
                        "disposed_at",
                    ]
                )
    return {"added" if project.state == State.COMMENT else "decided": len(plan)}


def disposition_table(project: Project, draft: DraftVersion) -> bytes:
    """The comment summary and disposition table (征求意见汇总处理表), XLSX (its rows:
    `dispositions.disposition_rows`, which the PDF prints too)."""
    table = disposition_rows(project, draft)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Dispositions"))[:31])
    bold = Font(bold=True)
    xlsx_append(sheet, [str(_("Comment summary and disposition table"))], font=bold)
    xlsx_append(sheet, [str(_("Standard")), project.title])
    xlsx_append(sheet, [str(pgettext_lazy("draft standard", "Draft")), f"v{draft.version}"])
    period = f"{project.comment_opens or '—'} – {project.comment_closes or '—'}"
    xlsx_append(sheet, [str(_("Public comment")), period])
    xlsx_append(sheet, [str(_("Comments")), len(table.lines), table.summary])
    xlsx_append(sheet, [])
    header = [
        str(_("No.")),
        str(_("Clause")),
        str(_("Commenter")),
        str(_("Type")),
        str(pgettext_lazy("draft comment", "Comment")),
        str(_("Proposed change")),
        str(_("Reason")),
        str(_("Decision")),
        str(_("Reason for the decision")),
    ]
    xlsx_append(sheet, header, font=bold)
    for line in table.lines:
        xlsx_append(
            sheet,
            [
                line.number,
                line.clause,
                line.commenter,
                line.type,
                line.text,
                line.proposed_change,
                line.reason,
                line.decision,
                line.decision_reason,
            ],
        )
    return xlsx_save(book)
