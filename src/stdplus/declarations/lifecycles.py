"""The declaration lifecycle (see stdplus.core.lifecycle).

draft → declared (public) → revised (when a newer version of the series is declared), or
withdrawn by the enterprise; suspended (and reinstated) by the regulator. Declaring needs the
self-commitment and no error among the automatic findings. Nothing public is ever deleted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from stdplus.accounts.selectors import is_member
from stdplus.core.lifecycle import (
    SYSTEM,
    Attempt,
    Input,
    Lifecycle,
    Role,
    Step,
    guard,
    is_person,
    permission_role,
    transition_apply,
)

from .choices import DeclarationState as S
from .models import Declaration, DeclarationEvent
from .ranking_inputs import ranking_inputs_write
from .rechecks import declaration_watch_sync, findings_record
from .selectors import declaration_findings, previous_public_version

MEMBERS = Role(
    _("the enterprise's members"),
    lambda actor, obj: (
        is_person(actor) and is_member(user=actor, organization_id=obj.enterprise_id)
    ),
)
REGULATOR = permission_role("declarations.supervise_declaration", _("the regulator"))

COMMITMENT_TEXT = _(
    "We declare that the information disclosed is truthful, accurate and lawful, and that our "
    "products and services conform to the standards declared; we bear the responsibility for it."
)
COMMITMENT = Input(
    "commitment",
    _("self-commitment"),
    kind="choice",
    choices=[("yes", COMMITMENT_TEXT)],
    required=True,
    help=COMMITMENT_TEXT,
)


def _errors(attempt: Attempt) -> list:
    return [f for f in declaration_findings(attempt.obj) if f.is_error]


def _declared(attempt: Attempt) -> dict:
    findings = declaration_findings(attempt.obj)
    previous = previous_public_version(attempt.obj)
    if previous is not None:
        transition_apply(
            previous,
            "supersede",
            actor=None,
            on=attempt.on,
            note=f"v{attempt.obj.version}",
        )
    # The changes of its standards reach the enterprise; its findings stay open until a later
    # check no longer finds them.
    declaration_watch_sync(attempt.obj, attempt.actor)
    findings_record(attempt.obj, findings)
    # What a leader ranking reads of its products, written once: they change no more.
    ranking_inputs_write(declaration_id=attempt.obj.pk)
    return {
        "findings": [finding.code for finding in findings],
        "replaces_version": previous.version if previous is not None else None,
    }


DECLARATION = Lifecycle(
    name="declaration",
    label=_("declaration"),
    model=Declaration,
    states=S,
    initial=[S.DRAFT],
    event_model=DeclarationEvent,
    subject_field="declaration",
    since_field="state_since",
    data_labels={
        "findings": (_("findings when declared"), lambda codes: len(codes or [])),
        "replaces_version": _("replaces version"),
        "revises_version": _("revises version"),
        "imported": (_("imported from a spreadsheet"), lambda value: "✓" if value else "—"),
    },
    steps=[
        Step(
            "declare",
            _("Declare (make public)"),
            [S.DRAFT],
            S.DECLARED,
            who=[MEMBERS],
            guards=[
                guard(
                    lambda attempt: not _errors(attempt),
                    _("The automatic checks found %(count)s error(s): fix them first."),
                    code="declaration_has_errors",
                    params=lambda attempt: {"count": len(_errors(attempt))},
                )
            ],
            inputs=[COMMITMENT],
            records={"commitment_by": "@actor", "commitment_at": "@now", "declared_on": "@on"},
            effect=_declared,
            help=_("Public at once; the previous version, if any, becomes “revised”."),
        ),
        Step(
            "withdraw",
            _("Withdraw (abolish)"),
            [S.DECLARED, S.SUSPENDED],
            S.WITHDRAWN,
            who=[MEMBERS],
            note_required=True,
            help=_("The declaration stays public, marked withdrawn."),
        ),
        Step(
            "suspend",
            _("Suspend"),
            [S.DECLARED],
            S.SUSPENDED,
            who=[REGULATOR],
            note_required=True,
        ),
        Step(
            "reinstate",
            _("Reinstate"),
            [S.SUSPENDED],
            S.DECLARED,
            who=[REGULATOR],
            note_required=True,
        ),
        Step(
            "supersede",
            _("Replaced by a newer version"),
            [S.DECLARED, S.SUSPENDED],
            S.REVISED,
            who=[SYSTEM],
        ),
        # Part B: an existing declaration (already public elsewhere) recorded from a spreadsheet;
        # its findings are shown, not a reason to refuse it.
        Step(
            "record",
            _("Recorded from an import"),
            [S.DRAFT],
            S.DECLARED,
            who=[SYSTEM],
            records={"declared_on": "@on"},
            effect=_declared,
        ),
    ],
)
