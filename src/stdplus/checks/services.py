"""Running a validity check for an organization and keeping its result."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from stdplus.accounts.models import Organization
from stdplus.core.bulk import insert_rows
from stdplus.core.errors import ApplicationError
from stdplus.core.tabular import LIMITS, text_lines

from .engine import CheckOutcome, Progress, check_run
from .extract import MAX_LINES, MODES, InputLine, inputs_from_lines
from .models import CheckLine, ValidityCheck

LINE_COLUMNS = (
    "validity_check",
    "position",
    "where",
    "input",
    "canonical",
    "match",
    "status",
    "category",
    "current",
    "chain",
    "suggestions",
    "error",
    "details",
)


def inputs_from_paste(text: str, *, mode: str = "auto") -> tuple[list[InputLine], int]:
    """The identifiers in pasted text; nothing is stored. Raises on an empty or huge list."""
    if mode not in MODES:
        raise ApplicationError(
            _("mode must be one of %(modes)s"), params={"modes": ", ".join(MODES)}, where="mode"
        )
    # Real lines (LF, CRLF, CR), each of a bounded length: one huge line is one line.
    lines = text_lines(text, field="text", limits=LIMITS.but(rows=MAX_LINES))
    inputs, skipped = inputs_from_lines(lines, mode=mode)
    if not inputs:
        raise ApplicationError(_("no standard identifiers in the text"), where="text", code="empty")
    if len(inputs) > MAX_LINES:
        raise ApplicationError(
            _("the text names %(count)s identifiers; a check takes at most %(limit)s"),
            params={"count": f"{len(inputs):,}", "limit": f"{MAX_LINES:,}"},
            where="text",
            code="too_many_lines",
        )
    return inputs, skipped


def validity_check_create(
    *,
    organization: Organization,
    user,
    inputs: list[InputLine],
    source: str,
    as_of: dt.date | None = None,
    name: str = "",
    skipped: int = 0,
    progress: Progress | None = None,
) -> tuple[ValidityCheck, CheckOutcome]:
    """Check the inputs and keep the result for the organization (all or nothing)."""
    if not inputs:
        raise ApplicationError(_("there is nothing to check"), code="empty")
    if len(inputs) > MAX_LINES:
        raise ApplicationError(
            _("%(count)s lines; a check takes at most %(limit)s"),
            params={"count": f"{len(inputs):,}", "limit": f"{MAX_LINES:,}"},
            code="too_many_lines",
        )
    outcome = check_run(inputs, day=as_of, progress=progress)
    with transaction.atomic():
        check = ValidityCheck.objects.create(
            organization=organization,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            name=name.strip()[:200],
            source=source[:300],
            as_of=as_of,
            day=outcome.day,
            line_count=len(outcome.results),
            skipped=skipped,
            summary=outcome.summary,
            sources=[age.as_dict(outcome.day) for age in outcome.sources],
        )
        insert_rows(
            CheckLine,
            LINE_COLUMNS,
            (
                (
                    check.pk,
                    r.position,
                    r.where[:60],
                    r.input[:500],
                    r.canonical or "",
                    r.match,
                    r.status or "",
                    r.category,
                    r.current or "",
                    r.chain,
                    r.suggestions,
                    (r.error or "")[:500],
                    r.details(),
                )
                for r in outcome.results
            ),
        )
    return check, outcome


def validity_check_rerun(*, check: ValidityCheck, user) -> ValidityCheck:
    """The same lines checked again against today's catalog, kept as a new check beside the
    old one (the old result stays as it was: it is the record of what was known then)."""
    inputs = [
        InputLine(text=line.input, where=line.where)
        for line in check.lines.order_by("position").only("input", "where")
    ]
    rerun, _outcome = validity_check_create(
        organization=check.organization,
        user=user,
        inputs=inputs,
        source=check.source,
        name=check.name,
        skipped=check.skipped,
    )
    return rerun


def validity_check_delete(*, check: ValidityCheck) -> None:
    with transaction.atomic():
        check.delete()
