"""The comment summary and disposition table (征求意见汇总处理表) of a draft: its rows, read once
(`disposition_rows`), written as XLSX (`sheets.disposition_table`) and printed as PDF
(`disposition_pdf`, through `stdplus.core.pdf`). Both are in the active language, one language
per file; who may read them is `selectors.dispositions_readable`.

The PDF is never printed in a web request: a background job prints it
(`disposition_print_make`, run by `tasks.disposition_print_job`; asked for by
`services.dispositions_print_submit`, which the step `send_to_review` calls for both languages)
and stores it as a `DispositionPrint` keyed on the table's fingerprint
(`disposition_fingerprint`: a digest of everything the table prints), so a print is served only
while the table it printed is the table as it stands (`disposition_print_find`).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stdplus.core.display import is_chinese
from stdplus.core.jobs import job_progress
from stdplus.core.models import Job
from stdplus.core.pdf import html_to_pdf_bytes

from .choices import CommentSource, CommentType, Disposition
from .models import Comment, DispositionPrint, DraftVersion, Project
from .selectors import COMMENT_ORDER, comment_draft

# The languages the table is printed in when the review starts (one language per file).
PRINT_LANGUAGES = ("en", "zh-hans")
# What a row of the table is read from: its values print, and their digest is the fingerprint.
ROW_FIELDS = (
    "clause_ref",
    "member_body",
    "author_name",
    "type",
    "text",
    "proposed_change",
    "reason",
    "disposition",
    "disposition_reason",
)


def print_language(language: str | None = None) -> str:
    """The language a print is made and kept in: "zh-hans" or "en"."""
    return "zh-hans" if is_chinese(language) else "en"


@dataclass
class DispositionLine:
    number: int
    clause: str
    commenter: str
    type: str
    text: str
    proposed_change: str
    reason: str
    decision: str
    decision_reason: str


@dataclass
class DispositionTable:
    project: Project
    draft: DraftVersion
    lines: list[DispositionLine] = field(default_factory=list)
    counts: list[tuple[str, int]] = field(default_factory=list)  # (decision label, comments)

    @property
    def summary(self) -> str:
        return "; ".join(f"{label}: {n}" for label, n in self.counts)


def _raw_rows(draft: DraftVersion) -> list[tuple]:
    """The draft's confirmed public comments in clause order (whole-text comments first), as
    the database holds them (`ROW_FIELDS`)."""
    rows = (
        Comment.objects.filter(draft=draft, confirmed=True, source=CommentSource.PUBLIC)
        .order_by(*COMMENT_ORDER)
        .values_list(*ROW_FIELDS)
    )
    return list(rows.iterator(chunk_size=2000))


def disposition_rows(
    project: Project, draft: DraftVersion, *, rows: list[tuple] | None = None
) -> DispositionTable:
    """The draft's confirmed public comments in clause order (whole-text comments first), each
    with its decision, in the active language (`rows`: those `_raw_rows` read, when read
    already)."""
    types = {code: str(label) for code, label in CommentType.choices}
    labels = {code: str(label) for code, label in Disposition.choices}
    table = DispositionTable(project=project, draft=draft)
    counts: dict[str, int] = {}
    whole_text = _("whole text")
    for number, row in enumerate(_raw_rows(draft) if rows is None else rows, start=1):
        ref, body_name, name, kind, text, change, reason, decision, why = row
        counts[decision] = counts.get(decision, 0) + 1
        table.lines.append(
            DispositionLine(
                number=number,
                clause=ref or whole_text,
                commenter=body_name or name,
                type=types.get(kind, kind),
                text=text,
                proposed_change=change,
                reason=reason,
                decision=labels.get(decision, ""),
                decision_reason=why,
            )
        )
    table.counts = [(labels[code], counts.get(code, 0)) for code in labels]
    if counts.get(""):
        table.counts.append((_("undecided"), counts[""]))
    return table


def disposition_fingerprint(
    project: Project, draft: DraftVersion, *, rows: list[tuple] | None = None
) -> str:
    """A digest of everything the table prints but the time of printing: the project's titles,
    plan number, owner and comment period, the draft, and every row's values in their order.
    Any change to one of them (a comment confirmed, a decision recorded or changed, a new
    version under comment, a title corrected) gives another fingerprint, so a print made
    before it is never served after it. The same in every language: a print's language is
    kept beside it."""
    owner = project.owner
    head = [
        project.title_zh,
        project.title_en,
        project.plan_number,
        owner.name_zh,
        owner.name_en,
        str(project.comment_opens or ""),
        str(project.comment_closes or ""),
        draft.pk,
        draft.version,
        draft.label,
    ]
    rows = _raw_rows(draft) if rows is None else rows
    return hashlib.sha256(json.dumps([head, rows], ensure_ascii=False).encode()).hexdigest()


def _css_text(text: str) -> str:
    """Text for a CSS string in double quotes (the page's running header and footer)."""
    cleaned = re.sub(r"\s+", " ", str(text))
    return cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")


def page_number_css() -> str:
    """`content` of the page number box: "Page 3 of 12" / "第 3 页，共 12 页", from one
    translated sentence cut around its two counters."""
    sentence = _("Page %(page)s of %(pages)s")
    before, _mark, rest = sentence.partition("%(page)s")
    middle, _mark, after = rest.partition("%(pages)s")
    parts = [f'"{_css_text(before)}"' if before else "", "counter(page)"]
    parts += [f'"{_css_text(middle)}"' if middle else "", "counter(pages)"]
    parts += [f'"{_css_text(after)}"' if after else ""]
    return " ".join(part for part in parts if part)


def disposition_html(table: DispositionTable) -> str:
    """The table as a page for print, in the active language."""
    project = table.project
    return render_to_string(
        "development/dispositions_print.html",
        {
            "table": table,
            "project": project,
            "language": "zh-Hans" if is_chinese() else "en",
            "running_head": _css_text(
                f"{project.title} · {_('Comment summary and disposition table')}"
            ),
            "page_number": page_number_css(),
            "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        },
    )


def disposition_pdf(project: Project, draft: DraftVersion) -> bytes:
    """The comment summary and disposition table as PDF (headless Chromium), printed now: what
    the print job does (`disposition_print_make`); pages serve the stored print."""
    return html_to_pdf_bytes(disposition_html(disposition_rows(project, draft)))


# ----------------------------------------------------------------------------------------------
# The stored print


def disposition_print_find(
    project: Project, draft: DraftVersion, language: str
) -> DispositionPrint | None:
    """The print of the table as it stands, in `language`, asked for or made (its bytes are
    not read: `disposition_print_data`); None when nobody asked for it yet."""
    fingerprint = disposition_fingerprint(project, draft)
    return (
        DispositionPrint.objects.filter(
            project=project, draft=draft, language=print_language(language), fingerprint=fingerprint
        )
        .select_related("job")
        .defer("data")
        .first()
    )


def disposition_print_data(row: DispositionPrint) -> bytes | None:
    """The stored PDF of a print that was made."""
    data = (
        DispositionPrint.objects.filter(pk=row.pk, printed_at__isnull=False)
        .values_list("data", flat=True)
        .first()
    )
    return bytes(data) if data is not None else None


def print_waiting(row: DispositionPrint) -> bool:
    """Its job is queued or running."""
    return not row.printed and row.job is not None and row.job.state in (Job.QUEUED, Job.RUNNING)


def print_failed(row: DispositionPrint) -> bool:
    """Its last job failed (an officer may ask again)."""
    return not row.printed and row.job is not None and row.job.state == Job.FAILED


def print_needs_job(row: DispositionPrint) -> bool:
    """Not made and nothing on its way: no job (or none left), or the last one ended without
    printing (the table had changed when it ran, and has come back to this state since)."""
    return not row.printed and (row.job is None or row.job.state == Job.DONE)


def disposition_print_make(*, job: Job, print_id: int) -> dict:
    """The print job's work: read the table, print it with Chromium, store the PDF. It prints
    only if the table still has the fingerprint the print was asked for (else the print is
    left unmade: the next download asks for the table as it stands). Outside any transaction
    while Chromium prints (a minute for thousands of comments); the PDF is stored in one short
    transaction, which also removes this project's older prints in the language."""
    row = (
        DispositionPrint.objects.select_related("project__owner", "draft")
        .defer("data")
        .filter(pk=print_id)
        .first()
    )
    if row is None or row.printed:
        return {"print": print_id, "printed": False}
    with translation.override(row.language):
        job_progress(job, 0, 3, _("reading the comments"))
        project = row.project
        draft = comment_draft(project)
        rows = _raw_rows(draft) if draft is not None else []
        if (
            draft is None
            or draft.pk != row.draft_id
            or disposition_fingerprint(project, draft, rows=rows) != row.fingerprint
        ):
            return {"print": row.pk, "printed": False}  # the table changed since it was asked for
        job_progress(job, 1, 3, _("printing"))
        data = html_to_pdf_bytes(disposition_html(disposition_rows(project, draft, rows=rows)))
        job_progress(job, 2, 3, _("storing the file"))
    with transaction.atomic():
        DispositionPrint.objects.filter(pk=row.pk).update(
            data=data, size=len(data), printed_at=timezone.now()
        )
        DispositionPrint.objects.filter(
            project=project, language=row.language, pk__lt=row.pk
        ).exclude(fingerprint=row.fingerprint).delete()
    return {"print": row.pk, "printed": True, "size": len(data)}
