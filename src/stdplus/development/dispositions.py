"""The comment summary and disposition table (征求意见汇总处理表) of a draft: its rows, read once
(`disposition_rows`), written as XLSX (`sheets.disposition_table`) and printed as PDF
(`disposition_pdf`, through `stdplus.core.pdf`). Both are in the active language, one language
per file; who may read them is `selectors.dispositions_readable`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from stdplus.core.display import is_chinese
from stdplus.core.pdf import html_to_pdf_bytes

from .choices import CommentSource, CommentType, Disposition
from .models import Comment, DraftVersion, Project
from .selectors import COMMENT_ORDER


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


def disposition_rows(project: Project, draft: DraftVersion) -> DispositionTable:
    """The draft's confirmed public comments in clause order (whole-text comments first), each
    with its decision, in the active language."""
    types = {code: str(label) for code, label in CommentType.choices}
    labels = {code: str(label) for code, label in Disposition.choices}
    rows = (
        Comment.objects.filter(draft=draft, confirmed=True, source=CommentSource.PUBLIC)
        .order_by(*COMMENT_ORDER)
        .values_list(
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
    )
    table = DispositionTable(project=project, draft=draft)
    counts: dict[str, int] = {}
    whole_text = _("whole text")
    for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
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
    """The comment summary and disposition table as PDF (headless Chromium)."""
    return html_to_pdf_bytes(disposition_html(disposition_rows(project, draft)))
